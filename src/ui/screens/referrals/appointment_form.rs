//! An appointment arranged for the client with the provider, or one changed: always at the time
//! the practitioner gives (a day without a time is refused at the field).

use chrono::NaiveDate;

use crate::domain::client::FieldError;
use crate::domain::dates::{format_local, parse_datetime_with_time, DATETIME_HELP};
use crate::domain::text::fit;
use crate::keymap::Action;
use crate::store::referrals::{Appointment, AppointmentDetails, Referral};
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{refusal_to_form, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

pub struct AppointmentForm {
    pub referral: Referral,
    /// None: a new appointment; Some: the one being changed.
    pub id: Option<i64>,
}

pub type AppointmentFormScreen = FormScreen<AppointmentForm>;

impl AppointmentForm {
    /// A new appointment for `referral`, or (`existing`) a change to one of its appointments.
    pub fn new(
        referral: Referral,
        existing: Option<&Appointment>,
        today: NaiveDate,
    ) -> AppointmentFormScreen {
        let title = match existing {
            Some(a) => format!("Change the appointment of {} with {}", a.when(), fit(&referral.provider, 30)),
            None => format!("Appointment with {}", fit(&referral.provider, 40)),
        };
        let mut form = Form::new(
            &title,
            vec![
                Field::text("at", "Date and time").required().max(40).help(DATETIME_HELP),
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
        if let Some(a) = existing {
            form.set_value("at", &a.when());
            form.set_value("place", &a.place);
            form.set_value("transport", &a.transport);
            form.set_value("how", &a.transport_how);
            form.set_value("notes", &a.notes);
        }
        form.dirty = false;
        FormScreen::new(form, AppointmentForm { referral, id: existing.map(|a| a.id) })
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
        let at = match parse_datetime_with_time(&v("at"), ctx.now) {
            Ok(t) => t,
            Err(m) => {
                form.set_errors(&[FieldError { field: "at", message: m }]);
                return Ok(Submitted::Stay);
            }
        };
        let d = AppointmentDetails {
            at,
            place: v("place"),
            transport: v("transport"),
            how: v("how"),
            notes: v("notes"),
        };
        let by = ctx.settings.signature();
        let done = match self.id {
            Some(id) => ctx.store.update_appointment(id, &d, &by, ctx.now).map(|_| "changed"),
            None => ctx.store.add_appointment(self.referral.id, &d, &by, ctx.now).map(|_| "recorded"),
        };
        match done {
            Ok(what) => Ok(Submitted::Done {
                status: format!("Appointment on {} {what}.", format_local(at)),
                then: vec![],
            }),
            Err(e) => refusal_to_form(form, e),
        }
    }
}
