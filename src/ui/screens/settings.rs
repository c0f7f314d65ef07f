//! Settings: the practitioner's identity for signatures, and the thresholds other screens use;
//! and the small prompt that asks for the name to sign with when something needs it.

use std::path::Path;

use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::message::Message;
use crate::domain::client::FieldError;
use crate::domain::draft::DraftKind;
use crate::domain::settings::{Settings, SPECS};
use crate::domain::text::display_safe;
use crate::keymap::{key_label, Action, Context};
use crate::store::Result;
use crate::ui::form_screen::{Aside, FormScreen, FormSpec};
use crate::ui::theme;
use crate::ui::view::{DraftInfo, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

/// The settings, and where the database is (read-only: `--db` or CASELOAD_DB choose it).
pub struct SettingsForm {
    database: String,
}

pub type SettingsScreen = FormScreen<SettingsForm>;

pub fn settings_screen(settings: &Settings, today: NaiveDate, database: &Path) -> SettingsScreen {
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
    FormScreen::new(
        form,
        SettingsForm { database: display_safe(&database.display().to_string()).into_owned() },
    )
}

/// Applies the form to a copy of the settings; every bad value is reported at its field.
fn apply(form: &Form, current: &Settings) -> std::result::Result<Settings, Vec<FieldError>> {
    let mut s = current.clone();
    let mut errors = Vec::new();
    for spec in SPECS {
        if let Err(m) = s.set(spec.key, &form.value(spec.key)) {
            errors.push(FieldError { field: spec.key, message: m });
        }
    }
    if errors.is_empty() {
        Ok(s)
    } else {
        Err(errors)
    }
}

/// The small form that asks for the practitioner's name (and credentials) where something
/// needs a signature, and keeps them in Settings.
pub struct NamePrompt;

pub type NamePromptScreen = FormScreen<NamePrompt>;

pub fn name_prompt(settings: &Settings, today: NaiveDate) -> NamePromptScreen {
    let help = format!(
        "Signatures, closing summaries and exports carry it; Settings ({}) changes it.",
        key_label(Context::Global, Action::GoSettings)
    );
    let mut form = Form::new(
        "The name you sign with",
        vec![
            Field::text("practitioner_name", "Your name").max(200).required().help(&help),
            Field::text("credentials", "Credentials").max(200).help("e.g. MSW, LCSW; may be left empty."),
        ],
        today,
    );
    form.set_value("practitioner_name", &settings.practitioner_name);
    form.set_value("credentials", &settings.credentials);
    form.notice = Some(format!(
        "Signing needs your name. {} saves it and goes on; {}: not now.",
        key_label(Context::Form, Action::Save),
        key_label(Context::Form, Action::Cancel)
    ));
    FormScreen::new(form, NamePrompt)
}

impl FormSpec for NamePrompt {
    fn title(&self) -> &'static str {
        "Your name"
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::Cancel]
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let mut s = ctx.settings.clone();
        let mut errors = Vec::new();
        for key in ["practitioner_name", "credentials"] {
            if let Err(m) = s.set(key, &form.value(key)) {
                errors.push(FieldError { field: key, message: m });
            }
        }
        if !errors.is_empty() {
            form.set_errors(&errors);
            return Ok(Submitted::Stay);
        }
        ctx.store.save_settings(&s)?;
        Ok(Submitted::Done {
            status: format!("Saved in Settings: you sign as {}.", s.signature()),
            then: vec![Message::SettingsSaved],
        })
    }
}

impl FormSpec for SettingsForm {
    fn title(&self) -> &'static str {
        "Settings"
    }

    /// The database file, read-only: it is chosen when caseload starts, not here.
    fn aside(&self, _form: &Form, _area: Rect) -> Option<Aside> {
        Some(Aside {
            title: "Database",
            lines: vec![
                Line::from(self.database.clone()),
                Line::from(Span::styled(
                    "Read-only here: start caseload with --db PATH for another.",
                    theme::dim(),
                )),
            ],
            width: 40,
            height: 4,
        })
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel]
    }

    fn draft(&self, _form: &Form) -> Option<DraftInfo> {
        Some(DraftInfo {
            key: "settings".into(),
            kind: DraftKind::Settings,
            client_id: None,
            title: "Settings".into(),
        })
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !form.check_fields() {
            return Ok(Submitted::Stay);
        }
        match apply(form, ctx.settings) {
            Err(errors) => {
                form.set_errors(&errors);
                Ok(Submitted::Stay)
            }
            Ok(new) => {
                ctx.store.save_settings(&new)?;
                Ok(Submitted::Done { status: "Settings saved.".into(), then: vec![Message::SettingsSaved] })
            }
        }
    }
}
