//! One case conference, with its action items.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::{CoordForm, CoordMsg, Message};
use crate::domain::dates::format_date;
use crate::domain::dates::format_local;
use crate::domain::text::display_safe;
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::coordination::Conference;
use crate::store::Result;
use crate::ui::acts::Act;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::ListCursor;

pub struct ConferenceScreen {
    pub id: i64,
    c: Option<Conference>,
    /// Attendees without a valid consent to receive information, by name.
    no_consent: Vec<String>,
    cursor: ListCursor,
    stale: bool,
}

impl ConferenceScreen {
    pub fn new(id: i64) -> Self {
        ConferenceScreen { id, c: None, no_consent: Vec::new(), cursor: ListCursor::default(), stale: true }
    }
}

impl View for ConferenceScreen {
    fn title(&self) -> &'static str {
        "Case conference"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::ConferenceView, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Done, Action::Down, Action::Edit, Action::Back, Action::Help]
    }
    fn client_id(&self) -> Option<i64> {
        self.c.as_ref().map(|c| c.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            let c = ctx.store.conference(self.id)?;
            self.no_consent.clear();
            for a in &c.attendees {
                if ctx.store.usable_consent(c.client_id, a.person_id, &a.name, "", ctx.today)?.is_none() {
                    self.no_consent.push(a.name.clone());
                }
            }
            self.cursor.clamp(c.actions.len());
            self.c = Some(c);
            self.stale = false;
        }
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::ConferenceView], &ev) else { return Handled::No };
        let Some(c) = &self.c else { return Handled::Yes(vec![]) };
        match action {
            Action::Up => self.cursor.selected = self.cursor.selected.saturating_sub(1),
            Action::Down => {
                self.cursor.selected = (self.cursor.selected + 1).min(c.actions.len().saturating_sub(1))
            }
            Action::Done => {
                return Handled::Yes(match c.actions.get(self.cursor.selected) {
                    Some(a) if a.done_on.is_none() => return Handled::Act(Act::ActionDone(a.id)),
                    Some(_) => vec![Message::Status("That action item is already done.".into())],
                    None => vec![Message::Status("This conference has no action items.".into())],
                })
            }
            Action::Edit => {
                return Handled::Yes(vec![Message::Coord(CoordMsg::Form(CoordForm::Conference {
                    client_id: c.client_id,
                    id: Some(c.id),
                }))])
            }
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        }
        Handled::Yes(vec![])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let Some(c) = &self.c else { return };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Case conference {} — {} ", c.reference, format_local(c.held_at)),
            theme::title(),
        ));
        let head = |t: &str| Line::from(Span::styled(t.to_string(), theme::title()));
        let mut lines = vec![Line::from(vec![
            Span::styled("Purpose  ", theme::dim()),
            Span::raw(display_safe(&c.purpose).into_owned()),
        ])];
        lines.push(head("Attendees"));
        if c.attendees.is_empty() {
            lines.push(Line::from(Span::styled("  (none recorded)", theme::dim())));
        }
        for a in &c.attendees {
            let warn = self.no_consent.iter().any(|n| n == &a.name);
            let mut spans = vec![Span::raw(format!("  • {}", display_safe(&a.name)))];
            if warn {
                spans.push(Span::styled("  ⚠ no valid consent to share with them", theme::warn()));
            }
            lines.push(Line::from(spans));
        }
        for (title, text) in [("Agenda", &c.agenda), ("Minutes", &c.minutes), ("Decisions", &c.decisions)] {
            lines.push(head(title));
            if text.trim().is_empty() {
                lines.push(Line::from(Span::styled("  (empty)", theme::dim())));
            }
            for l in text.lines() {
                lines.push(Line::from(format!("  {}", display_safe(l))));
            }
        }
        lines.push(head(&format!(
            "Action items ({} marks the selected one done)",
            key_label(Context::ConferenceView, Action::Done)
        )));
        if c.actions.is_empty() {
            lines.push(Line::from(Span::styled("  (none)", theme::dim())));
        }
        for (i, a) in c.actions.iter().enumerate() {
            let selected = i == self.cursor.selected;
            let mark = if a.done_on.is_some() { "[x]" } else { "[ ]" };
            let owner = if a.owner.is_empty() { String::new() } else { format!("{}: ", a.owner) };
            let due = match (a.due_on, a.done_on) {
                (_, Some(d)) => format!("  done {}", format_date(d)),
                (Some(d), None) => format!("  due {}", format_date(d)),
                _ => String::new(),
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{mark} {}{}{due}",
                    if selected { "▶ " } else { "  " },
                    display_safe(&owner),
                    display_safe(&a.text)
                ),
                if selected { theme::selected() } else { Style::default() },
            )));
        }
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    }
}
