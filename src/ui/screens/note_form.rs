//! Writing or editing a case note: contact details, a template, and the text.

use chrono::{DateTime, Local, NaiveDate, Utc};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

use crate::domain::dates::{format_local, DATETIME_FORMAT};
use crate::domain::note::{is_only_headings, ContactType, NoteInput, Template};
use crate::keymap::{Action, Context};
use crate::store::notes::Note;
use crate::ui::widgets::form::{Field, Form, FormEvent};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteMode {
    New { client_id: i64 },
    Edit { note_id: i64, client_id: i64 },
}

pub struct NoteFormScreen {
    pub mode: NoteMode,
    pub form: Form,
    templates: Vec<Template>,
}

fn fields(templates: &[Template]) -> Vec<Field> {
    let types: Vec<(&str, &str)> = ContactType::ALL.iter().map(|t| (t.as_str(), t.label())).collect();
    let mut tpl: Vec<(&str, &str)> = vec![("free", "free text")];
    tpl.extend(templates.iter().map(|t| (t.id.as_str(), t.name.as_str())));
    vec![
        Field::text("contact_at", "Contact date/time")
            .required()
            .max(40)
            .help("When the contact happened (local time): YYYY-MM-DD HH:MM, now, yesterday 14:30.")
            .validate_with(|s, _| crate::domain::dates::parse_datetime(s, Utc::now()).map(|_| ())),
        Field::choice("contact_type", "Contact type", &types),
        Field::number("duration_minutes", "Duration (minutes)").help("For time tracking and billing."),
        Field::text("participants", "Participants").help("Who took part, e.g. client, mother, GP."),
        Field::text("location", "Location"),
        Field::date("follow_up_on", "Follow-up date")
            .help("Optional. Shown on Today when due. YYYY-MM-DD, +3d, +2w, tomorrow."),
        Field::choice("template", "Template", &tpl)
            .help("SOAP, DAP or BIRP writes the headings into an empty note."),
        Field::multiline("body", "Note", 9).required(),
    ]
}

impl NoteFormScreen {
    pub fn new(
        client_id: i64,
        now: DateTime<Utc>,
        today: NaiveDate,
        templates: Vec<Template>,
        quick: bool,
    ) -> Self {
        let mut form =
            Form::new(if quick { "Quick note" } else { "New case note" }, fields(&templates), today);
        form.set_value("contact_at", &format_local(now));
        if quick {
            form.focus = form.fields.iter().position(|f| f.id == "body").unwrap_or(0);
        }
        NoteFormScreen { mode: NoteMode::New { client_id }, form, templates }
    }

    pub fn edit(note: &Note, today: NaiveDate, templates: Vec<Template>) -> Self {
        let mut form = Form::new(&format!("Edit note {}", note.reference), fields(&templates), today);
        let at = crate::domain::dates::from_db(&note.contact_at)
            .map(|t| t.with_timezone(&Local).format(DATETIME_FORMAT).to_string())
            .unwrap_or_default();
        form.set_value("contact_at", &at);
        form.set_value("contact_type", &note.contact_type);
        form.set_value("duration_minutes", &note.duration_minutes.map(|m| m.to_string()).unwrap_or_default());
        form.set_value("participants", &note.participants);
        form.set_value("location", &note.location);
        form.set_value("follow_up_on", note.follow_up_on.as_deref().unwrap_or(""));
        form.set_value("template", &note.template);
        form.set_value("body", &note.body);
        form.dirty = false;
        NoteFormScreen {
            mode: NoteMode::Edit { note_id: note.id, client_id: note.client_id },
            form,
            templates,
        }
    }

    pub fn client_id(&self) -> i64 {
        match self.mode {
            NoteMode::New { client_id } | NoteMode::Edit { client_id, .. } => client_id,
        }
    }

    pub fn draft_key(&self) -> String {
        match self.mode {
            NoteMode::New { client_id } => format!("note:new:{client_id}"),
            NoteMode::Edit { note_id, .. } => format!("note:{note_id}"),
        }
    }

    pub fn input(&self) -> NoteInput {
        NoteInput {
            contact_at: self.form.value("contact_at"),
            contact_type: self.form.value("contact_type"),
            participants: self.form.value("participants"),
            location: self.form.value("location"),
            duration_minutes: self.form.value("duration_minutes"),
            follow_up_on: self.form.value("follow_up_on"),
            template: self.form.value("template"),
            body: self.form.value("body"),
        }
    }

    pub fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }

    pub fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel, Action::Undo]
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> FormEvent {
        let before = self.form.value("template");
        let e = self.form.handle_key(ev);
        let after = self.form.value("template");
        if before != after {
            self.apply_template(&before, &after);
        }
        e
    }

    /// Writes the chosen template's headings into the note, unless the practitioner has
    /// already written something of their own.
    fn apply_template(&mut self, old: &str, new: &str) {
        let body = self.form.value("body");
        let untouched = body.trim().is_empty()
            || self.templates.iter().find(|t| t.id == old).is_some_and(|t| is_only_headings(&body, t));
        if !untouched {
            self.form.notice =
                Some("The note already has text, so the template headings were not added.".into());
            return;
        }
        let skeleton = self.templates.iter().find(|t| t.id == new).map(|t| t.skeleton()).unwrap_or_default();
        self.form.set_value("body", &skeleton);
        // what is typed next belongs under the first heading, not in front of it
        if !skeleton.is_empty() {
            self.form.place_cursor("body", 1, 0);
        }
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect) {
        self.form.render(frame, area);
    }
}
