//! Small forms about one note: an addendum, a reason for "entered in error", a move.

use chrono::NaiveDate;

use crate::domain::client::{client_ref, FieldError};
use crate::domain::draft::DraftKind;
use crate::domain::note::note_ref;
use crate::keymap::Action;
use crate::store::{Result, StoreError};
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{DraftInfo, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Addendum { note_id: i64 },
    MarkError { note_id: i64 },
    MoveNote { note_id: i64 },
}

pub struct PromptForm {
    pub kind: PromptKind,
}

pub type PromptScreen = FormScreen<PromptForm>;

pub fn prompt_screen(kind: PromptKind, today: NaiveDate) -> PromptScreen {
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
                Field::text("reason", "Reason").required().max(500).help("e.g. written on the wrong client"),
                Field::text("rewrite_to", "Write it again on")
                    .max(200)
                    .help("Optional: the right client's reference (C-0042) or a unique part of the name."),
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
    FormScreen::new(form, PromptForm { kind })
}

/// A client that cannot be found is a problem of the field that named it.
fn at_field(field: &'static str, e: StoreError) -> StoreError {
    match e {
        StoreError::NotFound(m) | StoreError::Refused(m) => StoreError::invalid(field, m),
        other => other,
    }
}

impl FormSpec for PromptForm {
    fn title(&self) -> &'static str {
        "Note"
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::Cancel]
    }

    fn draft(&self, _form: &Form) -> Option<DraftInfo> {
        let PromptKind::Addendum { note_id } = self.kind else { return None };
        Some(DraftInfo {
            key: format!("addendum:{note_id}"),
            kind: DraftKind::Addendum,
            client_id: None,
            title: format!("Addendum to note {}", note_ref(note_id)),
        })
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let by = ctx.settings.signature();
        let now = ctx.now;
        let result = match self.kind {
            PromptKind::Addendum { note_id } => ctx
                .store
                .add_addendum(note_id, &form.value("body"), &by, now)
                .map(|_| "Addendum saved.".to_string()),
            PromptKind::MoveNote { note_id } => match ctx.store.resolve_client(&form.value("to")) {
                Err(e) => Err(at_field("to", e)),
                Ok(c) => ctx
                    .store
                    .move_note(note_id, c.id, now)
                    .map(|_| format!("Note {} moved to {}.", note_ref(note_id), c.reference)),
            },
            PromptKind::MarkError { note_id } => {
                let target = form.value("rewrite_to");
                let to = if target.trim().is_empty() {
                    None
                } else {
                    match ctx.store.resolve_client(&target) {
                        Ok(c) => Some(c.id),
                        Err(e) => {
                            let errors = match at_field("rewrite_to", e) {
                                StoreError::Invalid(v) => v,
                                other => vec![FieldError { field: "reason", message: other.to_string() }],
                            };
                            form.set_errors(&errors);
                            return Ok(Submitted::Stay);
                        }
                    }
                };
                ctx.store.mark_note_in_error(note_id, &form.value("reason"), to, now).map(|new| match new {
                    Some(n) => format!(
                        "Marked in error; written again as {} on {}.",
                        note_ref(n),
                        to.map(client_ref).unwrap_or_default()
                    ),
                    None => "Marked entered in error.".to_string(),
                })
            }
        };
        match result {
            Ok(status) => Ok(Submitted::Done { status, then: vec![] }),
            Err(e) => invalid_only(form, e),
        }
    }
}

/// Field errors go to the fields and keep the form open; anything else is the app's to show.
fn invalid_only(form: &mut Form, e: StoreError) -> Result<Submitted> {
    match e {
        StoreError::Invalid(errors) => {
            form.set_errors(&errors);
            Ok(Submitted::Stay)
        }
        other => Err(other),
    }
}
