//! One note in full, with its addenda; sign, correct, move or mark it entered in error.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::Message;
use crate::domain::dates::{format_date, format_local};
use crate::domain::text::display_safe;
use crate::keymap::{lookup, Action, Context};
use crate::store::notes::Note;
use crate::store::Result;
use crate::ui::acts::Act;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};

pub struct NoteDetailScreen {
    pub note_id: i64,
    pub note: Option<Note>,
    scroll: u16,
    stale: bool,
}

impl NoteDetailScreen {
    pub fn new(note_id: i64) -> Self {
        NoteDetailScreen { note_id, note: None, scroll: 0, stale: true }
    }
}

impl View for NoteDetailScreen {
    fn title(&self) -> &'static str {
        "Note"
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Note, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        match &self.note {
            Some(n) if n.entered_in_error => &[Action::Back, Action::Help],
            Some(n) if n.is_signed() => &[Action::Addendum, Action::MarkError, Action::Back, Action::Help],
            _ => {
                &[Action::Sign, Action::Edit, Action::Addendum, Action::MoveNote, Action::Back, Action::Help]
            }
        }
    }

    fn invalidate(&mut self) {
        self.stale = true;
    }

    fn client_id(&self) -> Option<i64> {
        self.note.as_ref().map(|n| n.client_id)
    }

    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        let store = ctx.store;
        if self.stale {
            self.note = Some(store.note(self.note_id)?);
            self.stale = false;
        }
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Note], &ev) else { return Handled::No };
        let id = self.note_id;
        let msg = match action {
            Action::Up => {
                self.scroll = self.scroll.saturating_sub(1);
                return Handled::Yes(vec![]);
            }
            Action::Down => {
                self.scroll = self.scroll.saturating_add(1).min(2_000);
                return Handled::Yes(vec![]);
            }
            Action::Back => Message::Back,
            Action::Sign => return Handled::Act(Act::SignNote(id)),
            Action::Addendum => Message::WriteAddendum(id),
            Action::Edit => Message::EditNote(id),
            Action::MoveNote => Message::MoveNote(id),
            Action::MarkError => Message::MarkNoteError(id),
            Action::FollowUpDone => return Handled::Act(Act::FollowUpDone(id)),
            _ => return Handled::No,
        };
        Handled::Yes(vec![msg])
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let Some(n) = &self.note else { return };
        let state = if n.entered_in_error {
            format!("ENTERED IN ERROR: {}", display_safe(n.error_reason.as_deref().unwrap_or("")))
        } else if let (Some(at), Some(by)) = (&n.signed_at, &n.signed_by) {
            format!("signed by {} on {} — locked", display_safe(by), format_local(*at))
        } else {
            "UNSIGNED — can be edited; sign with s".to_string()
        };
        let title = format!(" Note {} — {} ", n.reference, n.contact_type_label());
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let dim = theme::dim();
        let kv = |k: &str, v: String| Line::from(vec![Span::styled(format!("{k:<14}"), dim), Span::raw(v)]);
        let mut lines =
            vec![kv("Contact", format_local(n.contact_at)), kv("Written", format_local(n.written_at))];
        if let Some(m) = n.duration_minutes {
            lines.push(kv("Duration", format!("{m} min")));
        }
        if !n.participants.is_empty() {
            lines.push(kv("Participants", display_safe(&n.participants).into_owned()));
        }
        if !n.location.is_empty() {
            lines.push(kv("Location", display_safe(&n.location).into_owned()));
        }
        if let Some(f) = &n.follow_up_on {
            lines.push(kv(
                "Follow-up",
                format!("{}{}", format_date(*f), if n.follow_up_done { " (done)" } else { "" }),
            ));
        }
        let state_style = if n.entered_in_error || !n.is_signed() { theme::warn() } else { theme::ok() };
        lines.push(Line::from(vec![
            Span::styled(format!("{:<14}", "Status"), dim),
            Span::styled(state, state_style),
        ]));
        lines.push(Line::from(""));
        let body_style = if n.entered_in_error {
            Style::default().add_modifier(Modifier::CROSSED_OUT)
        } else {
            Style::default()
        };
        for l in n.body.lines() {
            lines.push(Line::from(Span::styled(display_safe(l).into_owned(), body_style)));
        }
        for a in &n.addenda {
            lines.push(Line::from(""));
            let when = format_local(a.written_at);
            let by = if a.written_by.is_empty() {
                String::new()
            } else {
                format!(" by {}", display_safe(&a.written_by))
            };
            lines.push(Line::from(Span::styled(format!("Addendum, {when}{by}:"), theme::title())));
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
