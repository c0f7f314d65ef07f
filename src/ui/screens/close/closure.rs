//! A closure and its signed summary, with the post-closure follow-up.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::Message;
use crate::domain::closure::{retain_until, Disposition};
use crate::domain::dates::{format_date, format_local};
use crate::domain::text::display_safe;
use crate::keymap::{lookup, Action, Context};
use crate::store::closure::{Closure, ClosureItem};
use crate::store::Result;
use crate::ui::acts::Act;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};

/// The lines that tell a closure: dates, reason, retention, follow-up, undo, summary, items.
/// `x_done`: the screen marks the follow-up done with x (the closure's own screen).
pub fn closure_lines(
    c: &Closure,
    items: &[ClosureItem],
    in_force_now: bool,
    retention_years: u32,
    x_done: bool,
) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let field = |label: &str, value: String| {
        Line::from(vec![Span::styled(format!("  {label:<24}"), theme::dim()), Span::raw(value)])
    };
    lines.push(Line::from(Span::styled(
        format!("Closure {} of episode {}", c.reference, c.episode),
        theme::title(),
    )));
    lines.push(field("Closed on", format_date(c.closed_on)));
    lines.push(field("Reason", display_safe(&c.reason_text()).into_owned()));
    if let Some(at) = &c.undone_at {
        let when = format_local(*at);
        let by = if c.undone_by.is_empty() {
            String::new()
        } else {
            format!(" by {}", display_safe(&c.undone_by))
        };
        lines.push(Line::from(Span::styled(
            format!("  UNDONE {when}{by}: {}", display_safe(&c.undone_reason)),
            theme::warn(),
        )));
    } else if in_force_now {
        lines.push(field(
            "May be destroyed after",
            format!(
                "{} ({} after closure)",
                format_date(retain_until(c.closed_on, retention_years)),
                crate::domain::words::count(retention_years, "year", "years")
            ),
        ));
    }
    match (c.follow_up_on, c.follow_up_done_on) {
        (Some(f), Some(done)) => {
            lines.push(field("Follow-up", format!("{} (done {})", format_date(f), format_date(done))))
        }
        (Some(f), None) => lines.push(field(
            "Follow-up",
            format!("{}{}", format_date(f), if x_done { " — x marks it done" } else { " — not done yet" }),
        )),
        _ => lines.push(field("Follow-up", "none planned".into())),
    }
    if !c.follow_up_plan.is_empty() {
        lines.push(field("Follow-up plan", display_safe(&c.follow_up_plan).replace('\n', " ")));
    }
    let signed = match (&c.signed_by, &c.signed_at) {
        (Some(by), Some(at)) => {
            format!("signed by {} on {}", display_safe(by), format_local(*at))
        }
        _ => "not signed (closed before summaries were signed)".into(),
    };
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled("Closing summary ", theme::title()),
        Span::styled(format!("({signed})"), theme::dim()),
    ]));
    if c.summary.trim().is_empty() {
        lines.push(Line::from(Span::styled("  No summary was written.", theme::dim())));
    }
    for l in c.summary.lines() {
        lines.push(Line::from(format!("  {}", display_safe(l))));
    }
    if !items.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("What closing did with the items still open", theme::title())));
        for i in items {
            let consent = i.kind == crate::domain::record::RecordKind::Consent.as_str();
            let action = match (consent, i.action) {
                (true, Disposition::Complete) => "KEPT",
                (true, Disposition::Cancel) => "ENDED",
                (true, Disposition::Leave) => "RUNS ON",
                (_, Disposition::Complete) => "DONE",
                (_, Disposition::Cancel) => "CANCELLED",
                (_, Disposition::Leave) => "LEFT OPEN",
            };
            let reason =
                if i.reason.is_empty() { String::new() } else { format!(" — {}", display_safe(&i.reason)) };
            let undone = if i.undone { " (put back when the closure was undone)" } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("  {action:<10}"), theme::key()),
                Span::raw(format!("{}{reason}{undone}", display_safe(&i.label))),
            ]));
        }
    }
    lines
}

pub struct ClosureScreen {
    pub closure_id: i64,
    client_id: i64,
    closure: Option<Closure>,
    items: Vec<ClosureItem>,
    in_force_now: bool,
    retention_years: u32,
    scroll: u16,
    stale: bool,
}

impl ClosureScreen {
    pub fn new(closure_id: i64, client_id: i64) -> Self {
        ClosureScreen {
            closure_id,
            client_id,
            closure: None,
            items: Vec::new(),
            in_force_now: false,
            retention_years: 7,
            scroll: 0,
            stale: true,
        }
    }
}

impl View for ClosureScreen {
    fn title(&self) -> &'static str {
        "Closure"
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Closure, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::FollowUpDone, Action::Down, Action::Up, Action::Back, Action::Help]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }

    fn invalidate(&mut self) {
        self.stale = true;
    }

    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            let c = ctx.store.closure(self.closure_id)?;
            self.items = ctx.store.closure_items(self.closure_id)?;
            self.in_force_now = ctx.store.current_closure(c.client_id)?.is_some_and(|x| x.id == c.id);
            self.retention_years = ctx.settings.retention_years;
            self.closure = Some(c);
            self.stale = false;
        }
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Closure], &ev) else { return Handled::No };
        match action {
            Action::FollowUpDone => Handled::Act(Act::ClosureFollowUpDone(self.closure_id)),
            Action::Up => {
                self.scroll = self.scroll.saturating_sub(1);
                Handled::Yes(vec![])
            }
            Action::Down => {
                self.scroll = self.scroll.saturating_add(1).min(1_000);
                Handled::Yes(vec![])
            }
            Action::Back => Handled::Yes(vec![Message::Back]),
            _ => Handled::No,
        }
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let block = Block::default().borders(Borders::ALL).title(Span::styled(" Closure ", theme::title()));
        let lines = match &self.closure {
            Some(c) => closure_lines(c, &self.items, self.in_force_now, self.retention_years, true),
            None => vec![],
        };
        frame.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((self.scroll, 0)),
            area,
        );
    }
}
