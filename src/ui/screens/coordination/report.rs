//! One mandated report (locked once made; addenda only).

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::{CoordForm, CoordMsg, Message};
use crate::domain::dates::format_local;
use crate::domain::text::display_safe;
use crate::keymap::{lookup, Action, Context};
use crate::store::coordination::MandatedReport;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};

pub struct ReportScreen {
    pub id: i64,
    r: Option<MandatedReport>,
    scroll: u16,
    stale: bool,
}

impl ReportScreen {
    pub fn new(id: i64) -> Self {
        ReportScreen { id, r: None, scroll: 0, stale: true }
    }
}

impl View for ReportScreen {
    fn title(&self) -> &'static str {
        "Mandated report"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::ReportView, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Addendum, Action::Down, Action::Back, Action::Help]
    }
    fn client_id(&self) -> Option<i64> {
        self.r.as_ref().map(|r| r.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.r = Some(ctx.store.mandated_report(self.id)?);
            self.stale = false;
        }
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::ReportView], &ev) else { return Handled::No };
        match action {
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(500),
            Action::Addendum => {
                if let Some(r) = &self.r {
                    return Handled::Yes(vec![Message::Coord(CoordMsg::Form(CoordForm::ReportAddendum {
                        report: r.id,
                        client_id: r.client_id,
                    }))]);
                }
            }
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        }
        Handled::Yes(vec![])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let Some(r) = &self.r else { return };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Mandated report {} — locked; corrections are addenda ", r.reference),
            theme::title(),
        ));
        let kv = |k: &str, v: String| {
            Line::from(vec![Span::styled(format!("{k:<18}"), theme::dim()), Span::raw(v)])
        };
        let mut lines = vec![
            kv("Kind", r.kind.replace('-', " ")),
            kv("Reported to", display_safe(&r.agency).into_owned()),
            kv("Date and time", format_local(r.reported_at)),
            kv("Reference number", display_safe(&r.reference_number).into_owned()),
            kv("Reported by", display_safe(&r.reported_by).into_owned()),
            kv("Recorded", format_local(r.created_at)),
            Line::from(""),
            Line::from(Span::styled("What was reported", theme::title())),
        ];
        for l in r.what_reported.lines() {
            lines.push(Line::from(format!("  {}", display_safe(l))));
        }
        for a in &r.addenda {
            lines.push(Line::from(""));
            let by = if a.written_by.is_empty() { String::new() } else { format!(" by {}", a.written_by) };
            lines.push(Line::from(Span::styled(
                format!("Addendum, {}{by}:", format_local(a.written_at)),
                theme::title(),
            )));
            for l in a.body.lines() {
                lines.push(Line::from(format!("  {}", display_safe(l))));
            }
        }
        frame.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((self.scroll, 0)),
            area,
        );
    }
}
