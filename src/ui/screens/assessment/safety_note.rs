//! A note of what was done: acknowledging an alert, marking a screening entered in error.

use chrono::NaiveDate;

use crate::domain::draft::DraftKind;
use crate::domain::text::{display_safe, fit};
use crate::keymap::Action;
use crate::store::safety::alert_ref;
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{refusal_to_form, DraftInfo, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    AckAlert { alert_id: i64, client_id: i64 },
    ScreeningError { screening_id: i64, client_id: i64 },
}

pub struct SafetyNote {
    pub kind: NoteKind,
}

pub type SafetyNoteScreen = FormScreen<SafetyNote>;

impl SafetyNote {
    pub fn new(kind: NoteKind, context: &str, today: NaiveDate) -> SafetyNoteScreen {
        let form = match kind {
            NoteKind::AckAlert { alert_id, .. } => Form::new(
                &format!("Acknowledge alert {}", alert_ref(alert_id)),
                vec![Field::multiline("note", "What was done", 6).required().help(&format!(
                    "{} — say what was done: risk assessed, safety plan made or reviewed, crisis team or GP contacted.",
                    fit(&display_safe(context), 120)
                ))],
                today,
            ),
            NoteKind::ScreeningError { screening_id, .. } => Form::new(
                &format!("Mark {} entered in error", crate::store::screenings::screening_ref(screening_id)),
                vec![Field::text("reason", "Reason").required().max(500).help("e.g. given to the wrong client")],
                today,
            ),
        };
        FormScreen::new(form, SafetyNote { kind })
    }

    fn client(&self) -> i64 {
        match self.kind {
            NoteKind::AckAlert { client_id, .. } | NoteKind::ScreeningError { client_id, .. } => client_id,
        }
    }
}

impl FormSpec for SafetyNote {
    fn title(&self) -> &'static str {
        "Safety"
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::Cancel, Action::Undo]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client())
    }
    fn draft(&self, _form: &Form) -> Option<DraftInfo> {
        match self.kind {
            NoteKind::AckAlert { alert_id, client_id } => Some(DraftInfo {
                key: format!("alert-ack:{alert_id}"),
                kind: DraftKind::AlertAck,
                client_id: Some(client_id),
                title: format!("Acknowledgement of alert {}", alert_ref(alert_id)),
            }),
            NoteKind::ScreeningError { .. } => None,
        }
    }
    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let by = ctx.settings.signature();
        let result = match self.kind {
            NoteKind::AckAlert { alert_id, .. } => ctx
                .store
                .acknowledge_alert(alert_id, &form.value("note"), &by, ctx.now)
                .map(|_| format!("Alert {} acknowledged.", alert_ref(alert_id))),
            NoteKind::ScreeningError { screening_id, .. } => ctx
                .store
                .mark_screening_in_error(screening_id, &form.value("reason"), ctx.now)
                .map(|_| "Marked entered in error; it stays in the record, out of trends.".to_string()),
        };
        match result {
            Ok(status) => Ok(Submitted::Done { status, then: vec![] }),
            Err(e) => refusal_to_form(form, e),
        }
    }
}
