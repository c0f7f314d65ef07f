//! The intake form: taking in a new client, or editing an existing intake.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

use crate::domain::client::{IntakeInput, REFERRAL_SOURCES};
use crate::keymap::{Action, Context};
use crate::ui::widgets::form::{Field, Form, FormEvent};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeMode {
    New,
    Edit(i64),
}

pub struct IntakeScreen {
    pub mode: IntakeMode,
    pub form: Form,
    /// Set once the user chose "save anyway" for a likely duplicate.
    pub duplicates_confirmed: bool,
}

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

impl IntakeScreen {
    pub fn new(mode: IntakeMode, today: NaiveDate) -> Self {
        let title = match mode {
            IntakeMode::New => "New client — intake",
            IntakeMode::Edit(_) => "Edit intake",
        };
        let mut form = Form::new(title, intake_fields(), today);
        form.set_value("intake_date", "today");
        IntakeScreen { mode, form, duplicates_confirmed: false }
    }

    pub fn with_input(mode: IntakeMode, today: NaiveDate, input: &IntakeInput) -> Self {
        let mut s = Self::new(mode, today);
        if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(input) {
            let values: BTreeMap<String, String> =
                map.into_iter().map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string())).collect();
            s.form.set_values(&values);
        }
        s
    }

    pub fn draft_key(&self) -> String {
        match self.mode {
            IntakeMode::New => "intake:new".into(),
            IntakeMode::Edit(id) => format!("intake:{id}"),
        }
    }

    pub fn input(&self) -> IntakeInput {
        let v = self.form.values();
        let value = serde_json::to_value(v).unwrap_or_default();
        serde_json::from_value(value).unwrap_or_default()
    }

    pub fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }

    pub fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel, Action::Undo]
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> FormEvent {
        let e = self.form.handle_key(ev);
        if e == FormEvent::Changed {
            self.duplicates_confirmed = false;
        }
        e
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect) {
        self.form.render(frame, area);
    }
}
