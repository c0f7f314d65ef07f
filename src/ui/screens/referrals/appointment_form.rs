//! An appointment arranged for the client with the provider.

use chrono::{Local, NaiveDate};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

use crate::domain::client::FieldError;
use crate::domain::dates::parse_datetime;
use crate::domain::text::fit;
use crate::keymap::{Action, Context};
use crate::store::referrals::Referral;
use crate::store::Result;
use crate::ui::view::{refusal_to_form, Handled, SubmitCtx, Submitted, View};
use crate::ui::widgets::form::{Field, Form};

pub struct AppointmentFormScreen {
    pub referral: Referral,
    pub form: Form,
}

impl AppointmentFormScreen {
    pub fn new(referral: Referral, today: NaiveDate) -> Self {
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
        AppointmentFormScreen { referral, form }
    }
}

impl View for AppointmentFormScreen {
    fn title(&self) -> &'static str {
        "Appointment"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::Cancel]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.referral.client_id)
    }
    fn form(&self) -> Option<&Form> {
        Some(&self.form)
    }
    fn form_mut(&mut self) -> Option<&mut Form> {
        Some(&mut self.form)
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        Handled::Form(self.form.handle_key(ev))
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        self.form.render(frame, area);
    }
    fn submit(&mut self, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !self.form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let v = |f: &str| self.form.value(f);
        let at = match parse_datetime(&v("at"), ctx.now) {
            Ok(t) => t,
            Err(m) => {
                self.form.set_errors(&[FieldError { field: "at", message: m }]);
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
            Err(e) => refusal_to_form(&mut self.form, e),
        }
    }
}
