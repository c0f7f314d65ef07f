//! Planning a contact with the client (issue 19 point 1): a home visit, call or court date at
//! the day and time given (a day without a time is refused at the field), from the client file.

use chrono::NaiveDate;

use crate::domain::client::FieldError;
use crate::domain::dates::{format_local, parse_datetime_with_time, DATETIME_HELP};
use crate::domain::draft::DraftKind;
use crate::domain::visit::{VisitDetails, VisitKind};
use crate::keymap::Action;
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{refusal_to_form, DraftInfo, Opened, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

pub struct VisitForm {
    pub client_id: i64,
}

pub type VisitFormScreen = FormScreen<VisitForm>;

impl VisitForm {
    pub fn new(client_id: i64, client_name: &str, today: NaiveDate) -> VisitFormScreen {
        let kinds: Vec<(&str, &str)> = VisitKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect();
        let mut form = Form::new(
            &format!("Plan a contact with {}", crate::domain::text::fit(client_name, 40)),
            vec![
                Field::text("at", "Date and time").required().max(40).help(DATETIME_HELP),
                Field::choice("kind", "Type", &kinds),
                Field::number("minutes", "Minutes").help("The expected length, 1 to 1440 minutes."),
                Field::text("place", "Where").max(500),
                Field::text("with", "Who else attends").max(500),
                Field::text("purpose", "Purpose").max(2_000),
                Field::multiline("travel", "Travel notes", 2),
            ],
            today,
        );
        form.set_value("minutes", "60");
        form.dirty = false;
        FormScreen::new(form, VisitForm { client_id })
    }
}

/// Opens the form for the client (the file's `v`).
pub fn open(ctx: &mut SubmitCtx<'_>, client_id: i64) -> Result<Opened> {
    let c = ctx.store.client(client_id)?;
    Opened::screen(VisitForm::new(client_id, &c.display_name(), ctx.today))
}

impl FormSpec for VisitForm {
    fn title(&self) -> &'static str {
        "Plan a contact"
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::Cancel]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn draft(&self, _form: &Form) -> Option<DraftInfo> {
        Some(DraftInfo {
            key: format!("visit:new:{}", self.client_id),
            kind: DraftKind::VisitNew,
            client_id: Some(self.client_id),
            title: format!("Contact to plan with {}", crate::domain::client::client_ref(self.client_id)),
        })
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
        let minutes = match v("minutes").trim() {
            "" => 60,
            m => match m.parse::<i64>() {
                Ok(n) => n,
                Err(_) => {
                    form.set_errors(&[FieldError {
                        field: "minutes",
                        message: "Give whole minutes.".into(),
                    }]);
                    return Ok(Submitted::Stay);
                }
            },
        };
        let d = VisitDetails {
            at,
            minutes,
            kind: VisitKind::parse(&v("kind")).unwrap_or(VisitKind::Home),
            place: v("place"),
            with_whom: v("with"),
            purpose: v("purpose"),
            travel: v("travel"),
        };
        let by = ctx.settings.signature();
        match ctx.store.add_visit(self.client_id, &d, &by, ctx.now) {
            Ok(id) => {
                let late = if d.is_late(ctx.now) { " (in the past: recorded late)" } else { "" };
                Ok(Submitted::Done {
                    status: format!(
                        "{} planned: {} on {}{late}.",
                        crate::store::visits::visit_ref(id),
                        d.kind.label(),
                        format_local(at)
                    ),
                    then: vec![],
                })
            }
            Err(e) => refusal_to_form(form, e),
        }
    }
}
