//! Writing or editing a case note: contact details, a template, and the text.

use chrono::{DateTime, Local, NaiveDate, Utc};

use crate::domain::client::{client_ref, FieldError};
use crate::domain::dates::{format_date, format_local, DATETIME_FORMAT};
use crate::domain::draft::DraftKind;
use crate::domain::note::{is_only_headings, note_ref, validate_note, ContactType, NoteInput, Template};
use crate::keymap::{key_label, Action, Context};
use crate::store::notes::Note;
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{DraftInfo, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteMode {
    New { client_id: i64 },
    Edit { note_id: i64, client_id: i64 },
}

pub struct NoteForm {
    pub mode: NoteMode,
    templates: Vec<Template>,
    /// The template chosen before the last change (a new choice writes its headings).
    template: String,
}

pub type NoteFormScreen = FormScreen<NoteForm>;

fn fields(templates: &[Template]) -> Vec<Field> {
    let types: Vec<(&str, &str)> = ContactType::ALL.iter().map(|t| (t.as_str(), t.label())).collect();
    let mut tpl: Vec<(&str, &str)> = vec![("free", "free text")];
    tpl.extend(templates.iter().map(|t| (t.id.as_str(), t.name.as_str())));
    vec![
        Field::text("contact_at", "Contact date/time")
            .required()
            .max(40)
            .help("When the contact happened (local time): YYYY-MM-DD HH:MM, now, yesterday 14:30, friday 9:30.")
            .validate_with(|s, _| crate::domain::dates::parse_datetime(s, Utc::now()).map(|_| ())),
        Field::choice("contact_type", "Contact type", &types),
        Field::number("duration_minutes", "Duration (minutes)").help("For time tracking and billing."),
        Field::text("participants", "Participants").help("Who took part, e.g. client, mother, GP."),
        Field::text("location", "Location"),
        Field::date("follow_up_on", "Follow-up date")
            .help("Optional. Shown on Today when due."),
        Field::choice("template", "Template", &tpl)
            .help("SOAP, DAP or BIRP writes the headings into an empty note."),
        Field::multiline("body", "Note", 9).required(),
    ]
}

/// A new note for a client; a quick note starts in the text.
pub fn new_note_screen(
    client_id: i64,
    now: DateTime<Utc>,
    today: NaiveDate,
    templates: Vec<Template>,
    quick: bool,
) -> NoteFormScreen {
    let mut form = Form::new(if quick { "Quick note" } else { "New case note" }, fields(&templates), today);
    form.set_value("contact_at", &format_local(now));
    if quick {
        form.focus = form.fields.iter().position(|f| f.id == "body").unwrap_or(0);
    }
    let template = form.value("template");
    FormScreen::new(form, NoteForm { mode: NoteMode::New { client_id }, templates, template })
}

/// An unsigned note, to correct it.
pub fn edit_note_screen(note: &Note, today: NaiveDate, templates: Vec<Template>) -> NoteFormScreen {
    let mut form = Form::new(&format!("Edit note {}", note.reference), fields(&templates), today);
    let at = note.contact_at.with_timezone(&Local).format(DATETIME_FORMAT).to_string();
    form.set_value("contact_at", &at);
    form.set_value("contact_type", &note.contact_type);
    form.set_value("duration_minutes", &note.duration_minutes.map(|m| m.to_string()).unwrap_or_default());
    form.set_value("participants", &note.participants);
    form.set_value("location", &note.location);
    form.set_value("follow_up_on", &note.follow_up_on.map(format_date).unwrap_or_default());
    form.set_value("template", &note.template);
    form.set_value("body", &note.body);
    form.dirty = false;
    let template = form.value("template");
    FormScreen::new(
        form,
        NoteForm {
            mode: NoteMode::Edit { note_id: note.id, client_id: note.client_id },
            templates,
            template,
        },
    )
}

impl NoteForm {
    pub fn client(&self) -> i64 {
        match self.mode {
            NoteMode::New { client_id } | NoteMode::Edit { client_id, .. } => client_id,
        }
    }

    fn input(form: &Form) -> NoteInput {
        NoteInput {
            contact_at: form.value("contact_at"),
            contact_type: form.value("contact_type"),
            participants: form.value("participants"),
            location: form.value("location"),
            duration_minutes: form.value("duration_minutes"),
            follow_up_on: form.value("follow_up_on"),
            template: form.value("template"),
            body: form.value("body"),
        }
    }

    /// Writes the chosen template's headings into the note, unless the practitioner has
    /// already written something of their own.
    fn apply_template(&self, form: &mut Form, old: &str, new: &str) {
        let body = form.value("body");
        let untouched = body.trim().is_empty()
            || self.templates.iter().find(|t| t.id == old).is_some_and(|t| is_only_headings(&body, t));
        if !untouched {
            form.notice = Some("The note already has text, so the template headings were not added.".into());
            return;
        }
        let skeleton = self.templates.iter().find(|t| t.id == new).map(|t| t.skeleton()).unwrap_or_default();
        form.set_value("body", &skeleton);
        // what is typed next belongs under the first heading, not in front of it
        if !skeleton.is_empty() {
            form.place_cursor("body", 1, 0);
        }
    }
}

impl FormSpec for NoteForm {
    fn title(&self) -> &'static str {
        "Write note"
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel, Action::Undo]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.client())
    }

    fn edited(&mut self, form: &mut Form) {
        let now = form.value("template");
        if now != self.template {
            let before = std::mem::replace(&mut self.template, now.clone());
            self.apply_template(form, &before, &now);
        }
    }

    fn restored(&mut self, form: &Form) {
        self.template = form.value("template");
    }

    fn draft(&self, _form: &Form) -> Option<DraftInfo> {
        Some(match self.mode {
            NoteMode::New { client_id } => DraftInfo {
                key: format!("note:new:{client_id}"),
                kind: DraftKind::NoteNew,
                client_id: Some(client_id),
                title: format!("Note for {}", client_ref(client_id)),
            },
            NoteMode::Edit { note_id, client_id } => DraftInfo {
                key: format!("note:{note_id}"),
                kind: DraftKind::NoteEdit,
                client_id: Some(client_id),
                title: format!("Edit of note {}", note_ref(note_id)),
            },
        })
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        let fields_ok = form.check_fields();
        let note = match validate_note(&Self::input(form), ctx.now, ctx.today) {
            Err(errors) => {
                form.add_errors(&errors);
                return Ok(Submitted::Stay);
            }
            Ok(n) if fields_ok => n,
            Ok(_) => return Ok(Submitted::Stay),
        };
        if let Some(t) = self.templates.iter().find(|t| t.id == note.template) {
            if is_only_headings(&note.body, t) {
                form.add_errors(&[FieldError {
                    field: "body",
                    message: "Write something under the headings: the note is still empty.".into(),
                }]);
                return Ok(Submitted::Stay);
            }
        }
        let status = match self.mode {
            NoteMode::New { client_id } => {
                let id = ctx.store.add_note(client_id, &note, ctx.now)?;
                format!(
                    "Saved note {}. Sign it from the note ({}) when ready.",
                    note_ref(id),
                    key_label(Context::Note, Action::Sign)
                )
            }
            NoteMode::Edit { note_id, .. } => {
                ctx.store.update_note(note_id, &note, ctx.now)?;
                format!("Note {} saved.", note_ref(note_id))
            }
        };
        Ok(Submitted::Done { status, then: vec![] })
    }
}
