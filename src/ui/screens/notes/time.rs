//! Minutes recorded on notes for a month, per client and contact type.

use chrono::{Datelike, Months, NaiveDate};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::Message;
use crate::domain::note::ContactType;
use crate::domain::text::{display_safe, fit, width};
use crate::keymap::{lookup, Action, Context};
use crate::store::time::TimeRow;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::ListCursor;

pub struct TimeScreen {
    pub month: NaiveDate,
    pub rows: Vec<TimeRow>,
    pub cursor: ListCursor,
    stale: bool,
}

impl TimeScreen {
    pub fn new(today: NaiveDate) -> Self {
        let month = today.with_day(1).unwrap_or(today);
        TimeScreen { month, rows: Vec::new(), cursor: ListCursor::default(), stale: true }
    }
}

impl View for TimeScreen {
    fn title(&self) -> &'static str {
        "Time"
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Time, Context::Nav, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::PrevPeriod, Action::NextPeriod, Action::Back, Action::Help]
    }

    fn set_area(&mut self, body: Rect) {
        self.cursor.height = body.height.saturating_sub(3) as usize;
    }

    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            let next = self.month.checked_add_months(Months::new(1)).unwrap_or(self.month);
            self.rows = ctx.store.time_report(self.month, next, None)?;
            self.stale = false;
            self.cursor.clamp(self.rows.len());
        }
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Time, Context::Nav], &ev) else { return Handled::No };
        if self.cursor.apply(action, self.rows.len()) {
            return Handled::Yes(vec![]);
        }
        match action {
            Action::PrevPeriod => {
                self.month = self.month.checked_sub_months(Months::new(1)).unwrap_or(self.month);
                self.stale = true;
                Handled::Yes(vec![])
            }
            Action::NextPeriod => {
                self.month = self.month.checked_add_months(Months::new(1)).unwrap_or(self.month);
                self.stale = true;
                Handled::Yes(vec![])
            }
            Action::Back => Handled::Yes(vec![Message::Back]),
            _ => Handled::No,
        }
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let total: i64 = self.rows.iter().map(|r| r.minutes).sum();
        let notes: i64 = self.rows.iter().map(|r| r.notes).sum();
        let title = format!(
            " Time — {} {}: {} min ({:.1} h) on {}  (←/→ month) ",
            self.month.format("%B"),
            self.month.year(),
            total,
            total as f64 / 60.0,
            crate::domain::words::count(notes, "note", "notes")
        );
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let mut lines = vec![Line::from(Span::styled(
            format!("  {:<7} {:<30} {:<20} {:>6} {:>8}", "Ref", "Client", "Contact type", "Notes", "Minutes"),
            theme::title(),
        ))];
        if self.rows.is_empty() {
            lines.push(Line::from(Span::styled("No notes with contacts in this month.", theme::dim())));
        }
        let mut cursor = self.cursor;
        cursor.height = inner.height.saturating_sub(1) as usize;
        for i in cursor.visible(self.rows.len()) {
            let r = &self.rows[i];
            let name = fit(&display_safe(&r.client_name), 30);
            let pad = 30usize.saturating_sub(width(&name));
            let kind = ContactType::parse(&r.contact_type).map(|t| t.label()).unwrap_or("other");
            let selected = i == self.cursor.selected;
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{:<7} {}{} {:<20} {:>6} {:>8}",
                    if selected { "▶ " } else { "  " },
                    r.client,
                    name,
                    " ".repeat(pad),
                    kind,
                    r.notes,
                    r.minutes
                ),
                if selected { theme::selected() } else { ratatui::style::Style::default() },
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
