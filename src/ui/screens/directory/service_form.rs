//! Adding or editing a directory service by hand.

use chrono::NaiveDate;

use crate::app::message::Message;
use crate::domain::directory::{service_ref, validate_service, ServiceInput, STATUSES};
use crate::domain::draft::DraftKind;
use crate::keymap::Action;
use crate::store::{Result, StoreError};
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{DraftInfo, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceMode {
    New,
    Edit(i64),
}

pub struct ServiceForm {
    pub mode: ServiceMode,
}

pub type ServiceFormScreen = FormScreen<ServiceForm>;

fn fields() -> Vec<Field> {
    let statuses: Vec<(&str, &str)> = STATUSES.iter().map(|s| (*s, *s)).collect();
    vec![
        Field::text("organisation", "Organisation")
            .required()
            .max(300)
            .help("A name (a new one adds the organisation) or a reference such as O-0003."),
        Field::text("name", "Service").required().max(300),
        Field::multiline("description", "Description", 3),
        Field::choice("status", "Status", &statuses),
        Field::text("categories", "Need categories").help("Separate with commas: Housing, Food, Debt advice"),
        Field::text("phones", "Phone(s)").max(500).help("Separate several numbers with ;"),
        Field::text("email", "Email").max(254),
        Field::text("website", "Website").help("example.org or https://example.org/page"),
        Field::text("address", "Address").help("Where it is delivered (changes the first place listed)."),
        Field::text("town", "Town").max(200),
        Field::text("postcode", "Postcode").max(50),
        Field::multiline("hours", "Hours", 2),
        Field::multiline("eligibility", "Eligibility", 2),
        Field::text("fees", "Fees"),
        Field::text("languages", "Languages").help("Separate with commas: English, Polish, Urdu"),
        Field::multiline("how_to_refer", "How to refer", 2),
        Field::date("last_verified_on", "Last verified").help("When you last checked the details with them."),
        Field::multiline("notes", "Your notes", 3),
    ]
}

/// The service form; `input` fills it (an edit), and then it counts as unchanged.
pub fn service_screen(
    mode: ServiceMode,
    today: NaiveDate,
    input: Option<&ServiceInput>,
) -> ServiceFormScreen {
    let title = match mode {
        ServiceMode::New => "Add a service to the directory",
        ServiceMode::Edit(_) => "Edit directory service",
    };
    let mut form = Form::new(title, fields(), today);
    if let Some(input) = input {
        form.fill_from(input);
    }
    FormScreen::new(form, ServiceForm { mode })
}

impl FormSpec for ServiceForm {
    fn title(&self) -> &'static str {
        "Directory service"
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel, Action::Undo]
    }

    fn draft(&self, _form: &Form) -> Option<DraftInfo> {
        Some(match self.mode {
            ServiceMode::New => DraftInfo {
                key: "service:new".into(),
                kind: DraftKind::ServiceNew,
                client_id: None,
                title: "New directory service".into(),
            },
            ServiceMode::Edit(id) => DraftInfo {
                key: format!("service:{id}"),
                kind: DraftKind::ServiceEdit,
                client_id: None,
                title: format!("Edit of directory service {}", service_ref(id)),
            },
        })
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        let fields_ok = form.check_fields();
        let entry = match validate_service(&form.read_as::<ServiceInput>(), ctx.today) {
            Err(errors) => {
                form.add_errors(&errors);
                return Ok(Submitted::Stay);
            }
            Ok(e) if fields_ok => e,
            Ok(_) => return Ok(Submitted::Stay),
        };
        form.clear_errors();
        let saved = match self.mode {
            ServiceMode::New => ctx.store.add_service(&entry, ctx.now),
            ServiceMode::Edit(id) => ctx.store.update_service(id, &entry, ctx.now).map(|_| id),
        };
        match saved {
            Ok(id) => Ok(Submitted::Done {
                status: format!("Saved {} in the directory.", service_ref(id)),
                then: if self.mode == ServiceMode::New { vec![Message::OpenService(id)] } else { vec![] },
            }),
            Err(StoreError::Invalid(errors)) => {
                form.set_errors(&errors);
                Ok(Submitted::Stay)
            }
            Err(e) => Err(e),
        }
    }
}
