//! Small forms about one note: an addendum, a reason for "entered in error", a move.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

use crate::keymap::{Action, Context};
use crate::ui::widgets::form::{Field, Form, FormEvent};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Addendum { note_id: i64 },
    MarkError { note_id: i64 },
    MoveNote { note_id: i64 },
}

pub struct PromptScreen {
    pub kind: PromptKind,
    pub form: Form,
}

impl PromptScreen {
    pub fn new(kind: PromptKind, today: NaiveDate) -> Self {
        let form = match kind {
            PromptKind::Addendum { note_id } => Form::new(
                &format!("Addendum to note N-{note_id}"),
                vec![Field::multiline("body", "Addendum", 8)
                    .required()
                    .help("A dated correction or addition; the signed note itself stays as it was.")],
                today,
            ),
            PromptKind::MarkError { note_id } => Form::new(
                &format!("Mark note N-{note_id} entered in error"),
                vec![
                    Field::text("reason", "Reason")
                        .required()
                        .max(500)
                        .help("e.g. written on the wrong client"),
                    Field::text("rewrite_to", "Write it again on").max(200).help(
                        "Optional: the right client's reference (C-0042) or a unique part of the name.",
                    ),
                ],
                today,
            ),
            PromptKind::MoveNote { note_id } => Form::new(
                &format!("Move note N-{note_id} to another client"),
                vec![Field::text("to", "Move to client")
                    .required()
                    .max(200)
                    .help("The right client's reference (C-0042) or a unique part of the name.")],
                today,
            ),
        };
        PromptScreen { kind, form }
    }

    pub fn draft_key(&self) -> Option<String> {
        match self.kind {
            PromptKind::Addendum { note_id } => Some(format!("addendum:{note_id}")),
            _ => None,
        }
    }

    pub fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }

    pub fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::Cancel]
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> FormEvent {
        self.form.handle_key(ev)
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect) {
        self.form.render(frame, area);
    }
}
