//! Snoozing a Today item to a day, with a reason (issue 19 point 7): a small form over Today.

use chrono::NaiveDate;

use crate::domain::client::FieldError;
use crate::domain::dates::{format_date, parse_date};
use crate::domain::due::{DueItem, Snooze};
use crate::domain::text::{display_safe, fit};
use crate::keymap::{key_label, Action, Context};
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{refusal_to_form, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

/// The item being snoozed.
pub struct SnoozeForm {
    item: DueItem,
}

pub type SnoozeScreen = FormScreen<SnoozeForm>;

pub fn snooze_form(item: DueItem, today: NaiveDate) -> SnoozeScreen {
    let mut form = Form::new(
        "Snooze a Today item",
        vec![
            Field::date("until", "Until")
                .required()
                .help("The day it comes back on Today (e.g. 2026-12-01, +1w, next monday)."),
            Field::text("reason", "Reason")
                .max(crate::domain::due::SNOOZE_REASON_MAX)
                .required()
                .help("Kept on the client's history."),
        ],
        today,
    );
    form.notice = Some(format!(
        "{} {} — {}. {} snoozes it; {}: not now.",
        item.client_ref.as_deref().unwrap_or(""),
        fit(&display_safe(&item.client_name), 24),
        fit(&display_safe(&item.title), 50),
        key_label(Context::Form, Action::Save),
        key_label(Context::Form, Action::Cancel)
    ));
    FormScreen::new(form, SnoozeForm { item })
}

impl FormSpec for SnoozeForm {
    fn title(&self) -> &'static str {
        "Snooze"
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::Cancel]
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let until = match parse_date(&form.value("until"), ctx.today) {
            Ok(d) => d,
            Err(message) => {
                form.set_errors(&[FieldError { field: "until", message }]);
                return Ok(Submitted::Stay);
            }
        };
        let snooze = match Snooze::new(until, &form.value("reason"), ctx.today) {
            Ok(s) => s,
            Err(message) => {
                let field = if until <= ctx.today { "until" } else { "reason" };
                form.set_errors(&[FieldError { field, message }]);
                return Ok(Submitted::Stay);
            }
        };
        let by = ctx.settings.practitioner_name.clone();
        if let Err(e) = ctx.store.snooze(&self.item, &snooze, &by, ctx.now) {
            return refusal_to_form(form, e);
        }
        Ok(Submitted::Done {
            status: format!("Snoozed until {}: it comes back on Today that day.", format_date(snooze.until)),
            then: vec![],
        })
    }
}
