//! Recording what happened next to a referral (only the moves its closed loop allows).

use chrono::NaiveDate;

use crate::domain::client::FieldError;
use crate::domain::dates::{parse_date, parse_datetime_with_time};
use crate::domain::referral::{allowed_next, is_reopening, ReferralStatus};
use crate::keymap::{key_label, Action, Context};
use crate::store::referrals::Referral;
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{refusal_to_form, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

/// The choice that reopens a referral closed with no response.
const REOPEN_LABEL: &str = "Reopened (heard back; sent again)";

pub struct StatusForm {
    pub referral: Referral,
}

pub type StatusFormScreen = FormScreen<StatusForm>;

impl StatusForm {
    pub fn new(referral: Referral, today: NaiveDate) -> StatusFormScreen {
        let next = allowed_next(referral.status, referral.held_from);
        let reopens = next.iter().any(|&to| is_reopening(referral.status, to));
        let opts: Vec<(&str, &str)> = next
            .iter()
            .map(|&to| {
                let label = if is_reopening(referral.status, to) { REOPEN_LABEL } else { to.label() };
                (to.as_str(), label)
            })
            .collect();
        let reason_help = if reopens {
            "Required: why it is reopened (who answered, and when). What they said is recorded next."
        } else {
            "Required when the provider declines."
        };
        let form = Form::new(
            &format!("Referral {}: {} → ?", referral.reference, referral.status.label().to_lowercase()),
            vec![
                Field::choice("to", "Now", &opts).help("Only the moves a referral can make from here are offered."),
                Field::date("on", "On").help("The day it happened (default today; earlier is fine)."),
                Field::text("reason", "Reason").max(1000).help(reason_help),
                Field::date("follow_up_on", "Follow-up date")
                    .help("Empty: a week after sending, the first appointment once accepted, a month into the service."),
                Field::text("first_appointment", "First appointment").max(40).help(&format!(
                    "When accepted: its day and time, e.g. friday 10:00 or 2026-11-27 14:30. Empty if the time is not known yet ({} adds it later).",
                    key_label(Context::ReferralView, Action::AddAppointment)
                )),
                Field::multiline("note", "Note", 3),
            ],
            today,
        );
        FormScreen::new(form, StatusForm { referral })
    }
}

impl FormSpec for StatusForm {
    fn title(&self) -> &'static str {
        "Referral status"
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::ChoiceNext, Action::Cancel]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.referral.client_id)
    }
    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let v = |f: &str| form.value(f);
        let Ok(to) = v("to").parse::<ReferralStatus>() else {
            form.set_errors(&[FieldError { field: "to", message: "Choose what happened.".into() }]);
            return Ok(Submitted::Stay);
        };
        let day = |f: &str| -> std::result::Result<Option<NaiveDate>, String> {
            match v(f).trim() {
                "" => Ok(None),
                t => parse_date(t, ctx.today).map(Some),
            }
        };
        let mut errors = Vec::new();
        let mut get = |f: &'static str| match day(f) {
            Ok(d) => d,
            Err(m) => {
                errors.push(FieldError { field: f, message: m });
                None
            }
        };
        let on = get("on").unwrap_or(ctx.today);
        let follow = get("follow_up_on");
        let first = match v("first_appointment").trim() {
            "" => None,
            t => match parse_datetime_with_time(t, ctx.now) {
                Ok(at) => Some(at),
                Err(message) => {
                    errors.push(FieldError { field: "first_appointment", message });
                    None
                }
            },
        };
        if !errors.is_empty() {
            form.set_errors(&errors);
            return Ok(Submitted::Stay);
        }
        let by = ctx.settings.signature();
        match ctx.store.change_referral_status(
            self.referral.id,
            to,
            on,
            &v("note"),
            &v("reason"),
            follow,
            first,
            &by,
            ctx.now,
        ) {
            Ok(()) => Ok(Submitted::Done {
                status: if is_reopening(self.referral.status, to) {
                    format!(
                        "Referral {} reopened; it is sent again. Record what the provider said next ({}).",
                        self.referral.reference,
                        key_label(Context::ReferralView, Action::NextStatus)
                    )
                } else {
                    format!("Referral {} is now {}.", self.referral.reference, to.label().to_lowercase())
                },
                then: vec![],
            }),
            Err(e) => refusal_to_form(form, e),
        }
    }
}
