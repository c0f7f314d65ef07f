//! A client's notes, newest first, paged from the database as the cursor moves.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::Message;
use crate::domain::dates::format_local;
use crate::domain::text::{display_safe, fit};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::notes::Note;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::ListCursor;

const PAGE: usize = 100;

pub struct NotesScreen {
    pub client_id: i64,
    pub notes: Vec<Note>,
    pub cursor: ListCursor,
    exhausted: bool,
    stale: bool,
}

impl NotesScreen {
    pub fn new(client_id: i64) -> Self {
        NotesScreen {
            client_id,
            notes: Vec::new(),
            cursor: ListCursor::default(),
            exhausted: false,
            stale: true,
        }
    }

    pub fn rows_for(area: Rect) -> usize {
        area.height.saturating_sub(3) as usize
    }
}

impl View for NotesScreen {
    fn title(&self) -> &'static str {
        "Notes"
    }

    fn set_area(&mut self, body: Rect) {
        self.cursor.height = Self::rows_for(body);
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Notes, Context::Nav, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Open, Action::WriteNote, Action::Filter, Action::Back, Action::Help]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }

    fn invalidate(&mut self) {
        self.stale = true;
    }

    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        let store = ctx.store;
        if self.stale {
            self.notes = store.notes_page(self.client_id, PAGE, None)?;
            self.exhausted = self.notes.len() < PAGE;
            self.stale = false;
        }
        // fetch the next page when the cursor nears the end of what is loaded
        while !self.exhausted && self.cursor.offset + self.cursor.height * 2 >= self.notes.len() {
            let before = self.notes.last().map(Note::page_key);
            let page = store.notes_page(self.client_id, PAGE, before.as_ref())?;
            self.exhausted = page.len() < PAGE;
            self.notes.extend(page);
        }
        self.cursor.clamp(self.notes.len());
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Notes, Context::Nav], &ev) else { return Handled::No };
        if self.cursor.apply(action, self.notes.len()) {
            return Handled::Yes(vec![]);
        }
        match action {
            Action::Open => Handled::Yes(
                self.notes.get(self.cursor.selected).map(|n| Message::OpenNote(n.id)).into_iter().collect(),
            ),
            Action::WriteNote => Handled::Yes(vec![Message::WriteNote(self.client_id)]),
            Action::Filter => Handled::Yes(vec![Message::OpenSearch(Some(self.client_id))]),
            Action::Back => Handled::Yes(vec![Message::Back]),
            _ => Handled::No,
        }
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let more = if self.exhausted { "" } else { "+" };
        let title = format!(" Notes — {}{} ", self.notes.len(), more);
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let mut lines = vec![Line::from(Span::styled(
            format!(
                "  {:<8} {:<16} {:<17} {:>5} {:<9} {}",
                "Ref", "Contact", "Type", "Min", "Signed", "Note"
            ),
            theme::title(),
        ))];
        if self.notes.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("No notes yet. Press {} to write one.", key_label(Context::Notes, Action::WriteNote)),
                theme::dim(),
            )));
        }
        let w = inner.width as usize;
        let preview_w = w.saturating_sub(2 + 9 + 17 + 18 + 6 + 10);
        let mut cursor = self.cursor;
        cursor.height = inner.height.saturating_sub(1) as usize;
        for i in cursor.visible(self.notes.len()) {
            let n = &self.notes[i];
            let selected = i == self.cursor.selected;
            let when = format_local(n.contact_at);
            let state = if n.entered_in_error {
                "IN ERROR"
            } else if n.is_signed() {
                "signed"
            } else {
                "UNSIGNED"
            };
            let mut style = if selected { theme::selected() } else { Style::default() };
            if n.entered_in_error {
                style = style.add_modifier(Modifier::CROSSED_OUT);
            }
            let extra =
                if n.addenda.is_empty() { String::new() } else { format!(" (+{} addenda)", n.addenda.len()) };
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{:<8} {:<16} {:<17} {:>5} {:<9} {}",
                    if selected { "▶ " } else { "  " },
                    n.reference,
                    when,
                    fit(n.contact_type_label(), 17),
                    n.duration_minutes.map(|m| m.to_string()).unwrap_or_else(|| "-".into()),
                    state,
                    fit(&format!("{}{extra}", display_safe(&n.preview())), preview_w)
                ),
                style,
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
