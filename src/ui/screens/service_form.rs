//! Adding or editing a directory service by hand.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

use crate::domain::directory::{ServiceInput, STATUSES};
use crate::keymap::{Action, Context};
use crate::ui::widgets::form::{Field, Form, FormEvent};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceMode {
    New,
    Edit(i64),
}

pub struct ServiceFormScreen {
    pub mode: ServiceMode,
    pub form: Form,
}

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
        Field::date("last_verified_on", "Last verified")
            .help("When you last checked the details with them: today, YYYY-MM-DD, -3d…"),
        Field::multiline("notes", "Your notes", 3),
    ]
}

impl ServiceFormScreen {
    pub fn new(mode: ServiceMode, today: NaiveDate) -> Self {
        let title = match mode {
            ServiceMode::New => "Add a service to the directory",
            ServiceMode::Edit(_) => "Edit directory service",
        };
        ServiceFormScreen { mode, form: Form::new(title, fields(), today) }
    }

    pub fn with_input(mode: ServiceMode, today: NaiveDate, input: &ServiceInput) -> Self {
        let mut s = Self::new(mode, today);
        if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(input) {
            let values: BTreeMap<String, String> =
                map.into_iter().map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string())).collect();
            s.form.set_values(&values);
        }
        s.form.dirty = false;
        s
    }

    pub fn draft_key(&self) -> String {
        match self.mode {
            ServiceMode::New => "service:new".into(),
            ServiceMode::Edit(id) => format!("service:{id}"),
        }
    }

    pub fn input(&self) -> ServiceInput {
        let value = serde_json::to_value(self.form.values()).unwrap_or_default();
        serde_json::from_value(value).unwrap_or_default()
    }

    pub fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }

    pub fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel, Action::Undo]
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> FormEvent {
        self.form.handle_key(ev)
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect) {
        self.form.render(frame, area);
    }
}
