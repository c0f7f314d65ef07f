//! Settings: the practitioner's identity for signatures, and the thresholds other screens use.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

use crate::domain::client::FieldError;
use crate::domain::settings::{Settings, SPECS};
use crate::keymap::{Action, Context};
use crate::ui::widgets::form::{Field, Form, FormEvent};

pub struct SettingsScreen {
    pub form: Form,
}

impl SettingsScreen {
    pub fn new(settings: &Settings, today: NaiveDate) -> Self {
        let fields = SPECS
            .iter()
            .map(|s| {
                let f = if s.range.is_some() {
                    Field::number(s.key, s.label)
                } else {
                    Field::text(s.key, s.label).max(200)
                };
                f.help(s.help)
            })
            .collect();
        let mut form = Form::new("Settings", fields, today);
        for s in SPECS {
            form.set_value(s.key, &settings.get(s.key));
        }
        SettingsScreen { form }
    }

    /// Applies the form to a copy of the settings; every bad value is reported at its field.
    pub fn apply(&self, current: &Settings) -> Result<Settings, Vec<FieldError>> {
        let mut s = current.clone();
        let mut errors = Vec::new();
        for spec in SPECS {
            if let Err(m) = s.set(spec.key, &self.form.value(spec.key)) {
                errors.push(FieldError { field: spec.key, message: m });
            }
        }
        if errors.is_empty() {
            Ok(s)
        } else {
            Err(errors)
        }
    }

    pub fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }

    pub fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel]
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> FormEvent {
        self.form.handle_key(ev)
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect) {
        self.form.render(frame, area);
    }
}
