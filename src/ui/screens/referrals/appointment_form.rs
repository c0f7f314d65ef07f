//! An appointment arranged for the client with the provider.

use chrono::{Local, NaiveDate};

use crate::domain::client::FieldError;
use crate::domain::dates::parse_datetime;
use crate::domain::text::fit;
use crate::keymap::Action;
use crate::store::referrals::Referral;
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{refusal_to_form, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

pub struct AppointmentForm {
    pub referral: Referral,
}

pub type AppointmentFormScreen = FormScreen<AppointmentForm>;

impl AppointmentForm {
    pub fn new(referral: Referral, today: NaiveDate) -> AppointmentFormScreen {
        let form = Form::new(
            &format!("Appointment with {}", fit(&referral.provider, 40)),
            vec![
                Field::text("at", "Date and time")
                    .required()
                    .max(40)
                    .help("YYYY-MM-DD HH:MM, tomorrow 10:00."),
                Field::text("place", "Where").max(500),
                Field::choice(
                    "transport",
                    "Transport arranged",
                    &[("unknown", "not known"), ("yes", "yes"), ("no", "no")],
                ),
                Field::text("how", "How")
                    .max(500)
                    .help("e.g. taxi booked by the clinic, bus pass, sister drives."),
                Field::multiline("notes", "Notes", 3),
            ],
            today,
        );
        FormScreen::new(form, AppointmentForm { referral })
    }
}

impl FormSpec for AppointmentForm {
    fn title(&self) -> &'static str {
        "Appointment"
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::Cancel]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.referral.client_id)
    }
    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let v = |f: &str| form.value(f);
        let at = match parse_datetime(&v("at"), ctx.now) {
            Ok(t) => t,
            Err(m) => {
                form.set_errors(&[FieldError { field: "at", message: m }]);
                return Ok(Submitted::Stay);
            }
        };
        match ctx.store.add_appointment(
            self.referral.id,
            at,
            &v("place"),
            &v("transport"),
            &v("how"),
            &v("notes"),
            ctx.now,
        ) {
            Ok(()) => Ok(Submitted::Done {
                status: format!(
                    "Appointment on {} recorded.",
                    at.with_timezone(&Local).format("%Y-%m-%d %H:%M")
                ),
                then: vec![],
            }),
            Err(e) => refusal_to_form(form, e),
        }
    }
}
