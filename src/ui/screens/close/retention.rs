//! Closed files past their retention date (Settings: years after closure), oldest first, and
//! the minimal records left by files already destroyed. Nothing is ever deleted by itself:
//! `d` asks for the client's reference to be typed before a file is destroyed.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::Message;
use crate::domain::dates::{format_date, format_local};
use crate::domain::text::{display_safe, fit, pad};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::closure::{DestroyedFile, RetentionEntry};
use crate::store::Result;
use crate::ui::acts::Act;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::ListCursor;

pub struct RetentionScreen {
    files: Vec<RetentionEntry>,
    destroyed: Vec<DestroyedFile>,
    years: u32,
    pub cursor: ListCursor,
    /// The reference being typed to confirm a destruction, and whose file it is.
    confirm: Option<(i64, String)>,
    stale: bool,
}

impl Default for RetentionScreen {
    fn default() -> Self {
        Self::new()
    }
}

impl RetentionScreen {
    pub fn new() -> Self {
        RetentionScreen {
            files: Vec::new(),
            destroyed: Vec::new(),
            years: 7,
            cursor: ListCursor { height: 10, ..Default::default() },
            confirm: None,
            stale: true,
        }
    }

    /// True while the reference is being typed.
    pub fn confirming(&self) -> bool {
        self.confirm.is_some()
    }
}

impl View for RetentionScreen {
    fn title(&self) -> &'static str {
        "Retention"
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Retention, Context::Nav, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Open, Action::Destroy, Action::Down, Action::Back, Action::Help]
    }

    fn captures_text(&self) -> bool {
        self.confirm.is_some()
    }

    fn invalidate(&mut self) {
        self.stale = true;
    }

    fn set_area(&mut self, body: Rect) {
        // the list takes what the destroyed files and the prompt leave
        self.cursor.height = (body.height.saturating_sub(9) as usize).max(3);
    }

    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.years = ctx.settings.retention_years;
            self.files = ctx.store.past_retention(self.years, ctx.today)?;
            self.destroyed = ctx.store.destroyed_files()?;
            self.cursor.clamp(self.files.len());
            self.stale = false;
        }
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if let Some((client_id, typed)) = &mut self.confirm {
            match ev.code {
                KeyCode::Esc => self.confirm = None,
                KeyCode::Enter => {
                    let act = Act::Destroy { client_id: *client_id, confirm: typed.clone() };
                    self.confirm = None;
                    self.stale = true;
                    return Handled::Act(act);
                }
                KeyCode::Backspace => {
                    typed.pop();
                }
                KeyCode::Char(c)
                    if !ev.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                        && !c.is_control()
                        && typed.chars().count() < 20 =>
                {
                    typed.push(c)
                }
                _ => {}
            }
            return Handled::Yes(vec![]);
        }
        let Some(action) = lookup(&[Context::Retention, Context::Nav], &ev) else { return Handled::No };
        if self.cursor.apply(action, self.files.len()) {
            return Handled::Yes(vec![]);
        }
        let selected = self.files.get(self.cursor.selected);
        match action {
            Action::Open => {
                Handled::Yes(selected.map(|f| Message::OpenClient(f.client_id)).into_iter().collect())
            }
            Action::Destroy => {
                if let Some(f) = selected {
                    self.confirm = Some((f.client_id, String::new()));
                }
                Handled::Yes(vec![])
            }
            Action::Back => Handled::Yes(vec![Message::Back]),
            _ => Handled::No,
        }
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(
                " Closed files past their retention date ({} after closure) ",
                crate::domain::words::count(self.years, "year", "years")
            ),
            theme::title(),
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let mut lines: Vec<Line<'static>> = Vec::new();
        if self.files.is_empty() {
            lines.push(Line::from(Span::styled(
                "No closed file is past its retention date. caseload never deletes anything by itself.",
                theme::dim(),
            )));
        } else {
            lines.push(Line::from(Span::styled(
                format!(
                    "To destroy one, choose it ({}) and type its reference.",
                    key_label(Context::Retention, Action::Destroy)
                ),
                theme::dim(),
            )));
        }
        let name_w = (inner.width as usize).saturating_sub(2 + 8 + 1 + 1 + 40).clamp(10, 40);
        for i in self.cursor.visible(self.files.len()) {
            let f = &self.files[i];
            let selected = i == self.cursor.selected;
            let style = if selected { theme::selected() } else { ratatui::style::Style::default() };
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{:<8} {} closed {}, kept until {}",
                    if selected { "▶ " } else { "  " },
                    f.reference,
                    pad(&fit(&display_safe(&f.name), name_w), name_w),
                    format_date(f.closed_on),
                    format_date(f.retain_until)
                ),
                style,
            )));
        }
        if let Some((client_id, typed)) = &self.confirm {
            let reference = crate::domain::client::client_ref(*client_id);
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                format!("DESTROY the whole file of {reference}? Every record is deleted for good; only its reference and dates are kept."),
                theme::error(),
            )));
            lines.push(Line::from(vec![
                Span::raw(format!("Type {reference} and press Enter (Esc: keep it): ")),
                Span::styled(format!("{}▏", display_safe(typed)), theme::input_focused()),
            ]));
        }
        if !self.destroyed.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled("Destroyed files (what is kept of them)", theme::title())));
            for d in self.destroyed.iter().take(5) {
                let when = format_local(d.destroyed_at);
                let by = if d.destroyed_by.is_empty() {
                    String::new()
                } else {
                    format!(" by {}", display_safe(&d.destroyed_by))
                };
                lines.push(Line::from(Span::styled(
                    format!(
                        "  {:<8} closed {}, kept until {}, destroyed {when}{by}",
                        d.reference,
                        format_date(d.closed_on),
                        format_date(d.retain_until)
                    ),
                    theme::dim(),
                )));
            }
            if self.destroyed.len() > 5 {
                lines.push(Line::from(Span::styled(
                    format!("  ... and {} more", self.destroyed.len() - 5),
                    theme::dim(),
                )));
            }
        }
        // the list lines fit the width; a long message or the confirmation wraps instead of being cut
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}
