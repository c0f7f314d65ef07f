//! The intake form: taking in a new client, or editing an existing intake.

use chrono::NaiveDate;

use crate::app::message::Message;
use crate::domain::client::{client_ref, validate_intake, IntakeInput, REFERRAL_SOURCES};
use crate::domain::draft::DraftKind;
use crate::keymap::Action;
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{DraftInfo, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeMode {
    New,
    Edit(i64),
}

/// Taking in a client, or editing their intake.
pub struct IntakeForm {
    pub mode: IntakeMode,
}

pub type IntakeScreen = FormScreen<IntakeForm>;

fn yes_no(id: &'static str, label: &str) -> Field {
    Field::choice(id, label, &[("", ""), ("yes", "yes"), ("no", "no")])
}

pub fn intake_fields() -> Vec<Field> {
    let mut sources: Vec<(&str, &str)> = vec![("", "")];
    sources.extend(REFERRAL_SOURCES.iter().map(|s| (*s, *s)));
    vec![
        Field::text("given_name", "Given name").required().max(200),
        Field::text("family_name", "Family name").required().max(200),
        Field::text("preferred_name", "Preferred name").max(200).help("What the client likes to be called."),
        Field::text("pronouns", "Pronouns").max(50),
        Field::choice(
            "sex",
            "Sex / gender",
            &[("", "(not recorded)"), ("female", "female"), ("male", "male"), ("other", "other")],
        )
        .help("The client's own symbol on the genogram: a circle (female), a square (male) or neither."),
        Field::date("date_of_birth", "Date of birth"),
        Field::number("age_estimate", "Age (if no birth date)")
            .help("An estimate in whole years when the birth date is unknown."),
        Field::text("phone", "Phone").max(100),
        Field::text("email", "Email").max(254),
        Field::text("address", "Address"),
        Field::text("best_contact", "Best way/time to reach").help("e.g. text after 5pm; not at work"),
        yes_no("safe_to_leave_message", "Safe to leave message")
            .help("Field workers need this before they call: may a message be left?"),
        Field::text("language", "Preferred language").max(100),
        yes_no("interpreter_needed", "Interpreter needed"),
        Field::choice("referral_source", "Referral source", &sources),
        Field::multiline("referral_reason", "Reason for referral", 4),
        Field::date("intake_date", "Intake date").required(),
        Field::text("programme", "Programme / funding").max(200),
        Field::text("emergency_contact_name", "Emergency contact").max(200),
        Field::text("emergency_contact_relation", "Emergency contact relation").max(100),
        Field::text("emergency_contact_phone", "Emergency contact phone").max(100),
        Field::text("external_id", "External ID / case no.").max(100),
    ]
}

/// The intake form; `input` fills it (an edit), and then it counts as unchanged.
pub fn intake_screen(mode: IntakeMode, today: NaiveDate, input: Option<&IntakeInput>) -> IntakeScreen {
    let title = match mode {
        IntakeMode::New => "New client — intake",
        IntakeMode::Edit(_) => "Edit intake",
    };
    let mut form = Form::new(title, intake_fields(), today);
    form.set_value("intake_date", "today");
    if let Some(input) = input {
        form.fill_from(input);
    }
    FormScreen::new(form, IntakeForm { mode })
}

impl FormSpec for IntakeForm {
    fn title(&self) -> &'static str {
        "Intake"
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel, Action::Undo]
    }

    fn client_id(&self) -> Option<i64> {
        match self.mode {
            IntakeMode::Edit(id) => Some(id),
            IntakeMode::New => None,
        }
    }

    fn draft(&self, form: &Form) -> Option<DraftInfo> {
        let who = format!("{} {}", form.value("given_name"), form.value("family_name"));
        Some(match self.mode {
            IntakeMode::New => DraftInfo {
                key: "intake:new".into(),
                kind: DraftKind::IntakeNew,
                client_id: None,
                title: format!("New client intake: {}", who.trim()),
            },
            IntakeMode::Edit(id) => DraftInfo {
                key: format!("intake:{id}"),
                kind: DraftKind::IntakeEdit,
                client_id: Some(id),
                title: format!("Intake edit for {}", client_ref(id)),
            },
        })
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, save_anyway: bool) -> Result<Submitted> {
        // Every problem at once: the form's own checks, then the domain's.
        let fields_ok = form.check_fields();
        let client = match validate_intake(&form.read_as::<IntakeInput>(), ctx.today) {
            Err(errors) => {
                form.add_errors(&errors);
                return Ok(Submitted::Stay);
            }
            Ok(c) if fields_ok => c,
            Ok(_) => return Ok(Submitted::Stay),
        };
        form.clear_errors();
        match self.mode {
            IntakeMode::New => {
                if !save_anyway {
                    let dups = ctx.store.find_duplicates(&client, None)?;
                    if !dups.is_empty() {
                        return Ok(Submitted::Then(vec![Message::ShowDuplicates(dups)]));
                    }
                }
                let id = ctx.store.add_client(&client, ctx.now)?;
                Ok(Submitted::Done {
                    status: format!("Saved. {} is now on your caseload.", client_ref(id)),
                    then: vec![Message::OpenClient(id)],
                })
            }
            IntakeMode::Edit(id) => {
                ctx.store.update_client(id, &client, ctx.now)?;
                Ok(Submitted::Done { status: "Intake saved.".into(), then: vec![] })
            }
        }
    }
}
