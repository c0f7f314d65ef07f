//! The one form widget every screen uses: single-line, date, number, choice and multi-line
//! fields; focus and moving around (Tab, ↑/↓, sections, go to a field by name); per-field
//! validation messages; dirty tracking; drafts that keep the cursor; undo. Every text field,
//! one line or many, is a `ratatui_textarea::TextArea` edited by the same keys (the keymap's
//! Form bindings, not the textarea's own), so each key does the same in both.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use unicode_width::UnicodeWidthChar;

use crate::domain::client::FieldError;
use crate::domain::dates::{parse_date, DATE_FORMS, DATE_HELP};
use crate::domain::text::{
    clean_line, clean_multiline, display_safe, name_key, strip_controls_multiline, MAX_FIELD_CHARS,
};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::ui::theme;

/// `~/x` → the home folder's `x`, as a shell would read a typed path.
pub fn expand_home(path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::PathBuf::from(home).join(rest),
        _ if path == "~" => std::env::var_os("HOME").map(std::path::PathBuf::from).unwrap_or_default(),
        _ => std::path::PathBuf::from(path),
    }
}

pub type Validator = fn(&str, NaiveDate) -> Result<(), String>;

pub enum FieldKind {
    Text {
        max: usize,
    },
    Date,
    Number,
    /// (stored value, label shown)
    Choice {
        options: Vec<(String, String)>,
        selected: usize,
    },
    Multiline {
        height: u16,
    },
}

pub struct Field {
    pub id: &'static str,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub help: String,
    pub error: Option<String>,
    /// Worth knowing, never refusing (shown under the field when there is no error).
    pub warning: Option<String>,
    pub validator: Option<Validator>,
    /// A heading drawn above the field: the start of a section (Ctrl-N / Ctrl-P jump here).
    pub heading: Option<String>,
    /// What is typed: one line in a one-line field, any number in a text box. Both kinds are
    /// edited by the same keys (`Form::text_key`); a choice keeps none.
    text: TextArea<'static>,
    /// The focus has just arrived and nothing was pressed here yet: what is typed replaces a
    /// prefilled value (a default date is typed over, not appended to). One-line fields only.
    fresh: bool,
    /// The value is the user's own typing (since it was set: a default, a loaded record), so
    /// arriving back at it and typing goes on from its end instead of replacing it.
    edited: bool,
    /// What was typed into a choice since the focus arrived (a first letter picks an option;
    /// a run of different letters is words, and goes nowhere).
    typed: String,
    /// The choice before the letters typed, put back when they turn out to be words.
    before_typing: usize,
    /// Why the last key did nothing here (a word typed into a choice); cleared by the next key.
    said: Option<String>,
    /// A choice filled from a picker the form opens (its help says how, not ←/→).
    picked: bool,
}

/// A text editor for a field: one line, or a wrapped text box.
fn text_area(text: &str, multiline: bool) -> TextArea<'static> {
    let lines: Vec<String> =
        if multiline { text.split('\n').map(str::to_string).collect() } else { vec![text.to_string()] };
    let mut area = TextArea::new(lines);
    if multiline {
        area.set_wrap_mode(WrapMode::WordOrGlyph);
    }
    area.set_max_histories(200);
    area.set_cursor_line_style(Style::default());
    area
}

/// Where the text cursor of a draft's focused field was.
const DRAFT_FOCUS: &str = "@focus";
const DRAFT_CURSOR: &str = "@cursor";

impl Field {
    fn new(id: &'static str, label: &str, kind: FieldKind) -> Field {
        let multiline = matches!(kind, FieldKind::Multiline { .. });
        Field {
            id,
            label: label.to_string(),
            kind,
            required: false,
            help: String::new(),
            error: None,
            warning: None,
            validator: None,
            heading: None,
            text: text_area("", multiline),
            fresh: true,
            edited: false,
            typed: String::new(),
            before_typing: 0,
            said: None,
            picked: false,
        }
    }

    pub fn text(id: &'static str, label: &str) -> Field {
        Field::new(id, label, FieldKind::Text { max: 1_000 })
    }

    pub fn date(id: &'static str, label: &str) -> Field {
        let mut f = Field::new(id, label, FieldKind::Date);
        f.validator =
            Some(|s, today| if s.trim().is_empty() { Ok(()) } else { parse_date(s, today).map(|_| ()) });
        f.help = DATE_HELP.to_string();
        f
    }

    pub fn number(id: &'static str, label: &str) -> Field {
        let mut f = Field::new(id, label, FieldKind::Number);
        f.validator = Some(|s, _| {
            let s = s.trim();
            if s.is_empty() || s.parse::<f64>().map(|n| n.is_finite()).unwrap_or(false) {
                Ok(())
            } else {
                Err("Enter a number (digits, optionally with a decimal point).".into())
            }
        });
        f
    }

    /// A choice among fixed options; values are stored, labels are shown.
    pub fn choice(id: &'static str, label: &str, options: &[(&str, &str)]) -> Field {
        let options = options.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect();
        Field::new(id, label, FieldKind::Choice { options, selected: 0 })
    }

    pub fn multiline(id: &'static str, label: &str, height: u16) -> Field {
        Field::new(id, label, FieldKind::Multiline { height })
    }

    /// A choice whose options come from a picker the form opens (a directory service).
    pub fn from_picker(mut self) -> Field {
        self.picked = true;
        self
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    /// Starts a section of the form with this heading.
    pub fn heading(mut self, heading: &str) -> Field {
        self.heading = Some(heading.to_string());
        self
    }

    /// What the field is for, shown under the form while it has the focus; a date field's
    /// help goes on to say how dates can be typed.
    pub fn help(mut self, help: &str) -> Field {
        self.help = match self.kind {
            FieldKind::Date => format!("{help} {DATE_FORMS}"),
            _ => help.to_string(),
        };
        self
    }

    pub fn max(mut self, max: usize) -> Field {
        if let FieldKind::Text { max: m } = &mut self.kind {
            *m = max;
        }
        self
    }

    pub fn validate_with(mut self, v: Validator) -> Field {
        self.validator = Some(v);
        self
    }

    fn max_chars(&self) -> usize {
        match self.kind {
            FieldKind::Text { max } => max,
            FieldKind::Date | FieldKind::Number => 100,
            _ => MAX_FIELD_CHARS,
        }
    }

    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Choice { options, selected } => {
                options.get(*selected).map(|o| o.0.clone()).unwrap_or_default()
            }
            FieldKind::Multiline { .. } => self.text.lines().join("\n"),
            _ => self.text.lines().first().cloned().unwrap_or_default(),
        }
    }

    pub fn set_value(&mut self, v: &str) {
        self.edited = false;
        match &mut self.kind {
            FieldKind::Choice { options, selected } => {
                if let Some(i) = options.iter().position(|o| o.0.eq_ignore_ascii_case(v.trim())) {
                    *selected = i;
                } else if !v.trim().is_empty() {
                    // A value outside the list (typed elsewhere, or an older vocabulary) is kept.
                    options.push((v.to_string(), v.to_string()));
                    *selected = options.len() - 1;
                }
            }
            FieldKind::Multiline { .. } => self.text = text_area(&clean_multiline(v), true),
            _ => {
                self.text = text_area(&clean_line(v), false);
                self.text.move_cursor(CursorMove::End);
            }
        }
    }

    fn is_text_like(&self) -> bool {
        matches!(self.kind, FieldKind::Text { .. } | FieldKind::Date | FieldKind::Number)
    }

    fn is_box(&self) -> bool {
        matches!(self.kind, FieldKind::Multiline { .. })
    }

    fn is_choice(&self) -> bool {
        matches!(self.kind, FieldKind::Choice { .. })
    }

    /// Characters held, a line break counting as one.
    fn chars(&self) -> usize {
        let lines = self.text.lines();
        lines.iter().map(|l| l.chars().count()).sum::<usize>() + lines.len().saturating_sub(1)
    }

    /// A one-line field whose prefilled value is typed over by the next key.
    fn replaces(&self) -> bool {
        self.fresh && !self.edited && self.is_text_like() && !self.text.lines().iter().all(String::is_empty)
    }

    /// The focus arrives: a one-line value is typed over until a key moves in it.
    fn arrive(&mut self) {
        self.fresh = true;
        self.typed.clear();
        self.said = None;
        if self.is_text_like() {
            self.text.cancel_selection();
            self.text.move_cursor(CursorMove::End);
        }
    }

    /// Inserts text at the cursor (over the whole value when it is typed over), refusing what
    /// would exceed the field's limit.
    fn insert(&mut self, text: &str) -> Result<bool, String> {
        let replace = self.replaces();
        let held = if replace { 0 } else { self.chars() };
        match &self.kind {
            FieldKind::Multiline { .. } => {
                let clean = strip_controls_multiline(text);
                let n = clean.chars().count();
                if held + n > MAX_FIELD_CHARS {
                    return Err(too_long(n, MAX_FIELD_CHARS.saturating_sub(held)));
                }
                Ok(self.text.insert_str(clean))
            }
            FieldKind::Choice { .. } => Ok(false),
            _ => {
                // line breaks and tabs become spaces; controls go; spaces typed stay
                let clean = strip_controls_multiline(&text.replace(['\n', '\r', '\t'], " "));
                if clean.is_empty() {
                    return Ok(false);
                }
                let max = self.max_chars();
                let n = clean.chars().count();
                if held + n > max {
                    return Err(match max {
                        // a note's length: the same limit, said the same way, as the command's
                        MAX_FIELD_CHARS => too_long(n, max.saturating_sub(held)),
                        _ => format!("Too long: this field holds at most {max} characters."),
                    });
                }
                if replace {
                    self.text.select_all();
                }
                self.fresh = false;
                Ok(self.text.insert_str(clean))
            }
        }
    }

    /// The cursor of the text: (line, column in characters).
    fn cursor(&self) -> (usize, usize) {
        let c = self.text.cursor();
        (c.0, c.1)
    }

    fn place_cursor(&mut self, row: usize, col: usize) {
        let (row, col) = (u16::try_from(row).unwrap_or(u16::MAX), u16::try_from(col).unwrap_or(u16::MAX));
        self.text.cancel_selection();
        self.text.move_cursor(CursorMove::Jump(row, col));
    }

    /// A letter typed into a choice: a first letter picks the next option starting with it
    /// (the same letter again goes on to the next); a different letter after it is a word
    /// typed into the wrong place, and goes nowhere: the choice goes back and the field says so.
    fn choose_by_letter(&mut self, c: char) -> bool {
        let FieldKind::Choice { options, selected } = &mut self.kind else { return false };
        let c = c.to_lowercase().next().unwrap_or(c);
        if self.typed.is_empty() {
            self.before_typing = *selected;
        }
        let one_letter = self.typed.chars().all(|t| t == c) && c != ' ';
        self.typed.push(c);
        let n = options.len();
        if one_letter {
            let next = (1..=n).map(|d| (*selected + d) % n).find(|i| {
                options[*i].1.to_lowercase().starts_with(c)
                    || (options[*i].1.is_empty() && options[*i].0.to_lowercase().starts_with(c))
            });
            return match next {
                Some(i) => {
                    self.said = None;
                    let changed = i != *selected;
                    *selected = i;
                    changed
                }
                None => {
                    self.said = Some(format!(
                        "No choice starts with “{}”: {}/{} go through them.",
                        display_safe(&c.to_string()),
                        key_label(Context::Form, Action::ChoicePrev),
                        key_label(Context::Form, Action::ChoiceNext)
                    ));
                    false
                }
            };
        }
        let changed = *selected != self.before_typing;
        *selected = self.before_typing.min(n.saturating_sub(1));
        let shown: String = self.typed.chars().take(20).collect();
        self.said = Some(format!(
            "“{}” was not taken: this is a choice. Type one first letter, or use {}/{}.",
            display_safe(shown.trim()),
            key_label(Context::Form, Action::ChoicePrev),
            key_label(Context::Form, Action::ChoiceNext)
        ));
        changed
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    Nothing,
    Changed,
    /// The cursor moved (to another field, or within one): a draft keeps where it is.
    Moved,
    Save,
    Cancel,
}

/// The "go to a field" list (Ctrl-G): what is typed narrows the fields by name and section.
struct Jump {
    query: String,
    selected: usize,
}

pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Changes since the form was opened or last saved.
    pub dirty: bool,
    /// Counts edits so the app knows whether the draft on disk is current.
    pub edits: u64,
    /// Counts moves of the cursor: a draft also keeps where it was.
    pub moves: u64,
    pub today: NaiveDate,
    /// A message for the whole form (e.g. "fix the fields marked ⚠").
    pub notice: Option<String>,
    jump: Option<Jump>,
}

impl Form {
    pub fn new(title: &str, fields: Vec<Field>, today: NaiveDate) -> Form {
        Form {
            title: title.to_string(),
            fields,
            focus: 0,
            dirty: false,
            edits: 0,
            moves: 0,
            today,
            notice: None,
            jump: None,
        }
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub fn value(&self, id: &str) -> String {
        self.field(id).map(Field::value).unwrap_or_default()
    }

    pub fn set_value(&mut self, id: &str, v: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.id == id) {
            f.set_value(v);
        }
    }

    /// Chooses `value` in the choice `id`, shown as `label` (an option it did not offer yet is
    /// added: a directory service from a picker). A change counts as an edit; true if it changed.
    pub fn choose(&mut self, id: &str, value: &str, label: &str) -> bool {
        let Some(f) = self.fields.iter_mut().find(|f| f.id == id) else { return false };
        let FieldKind::Choice { options, selected } = &mut f.kind else { return false };
        let before = options.get(*selected).map(|o| o.0.clone());
        match options.iter().position(|o| o.0 == value) {
            Some(i) => {
                if !label.is_empty() {
                    options[i].1 = label.to_string();
                }
                *selected = i;
            }
            None => {
                options.push((value.to_string(), label.to_string()));
                *selected = options.len() - 1;
            }
        }
        f.error = None;
        if before.as_deref() == Some(value) {
            return false;
        }
        self.changed();
        true
    }

    /// Shows the option `value` of the choice `id` as `label` (nothing else changes).
    pub fn label_option(&mut self, id: &str, value: &str, label: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.id == id) {
            if let FieldKind::Choice { options, .. } = &mut f.kind {
                if let Some(o) = options.iter_mut().find(|o| o.0 == value) {
                    o.1 = label.to_string();
                }
            }
        }
    }

    /// Puts the text cursor of a field at `row`, `col` (clamped to the text).
    pub fn place_cursor(&mut self, id: &str, row: usize, col: usize) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.id == id) {
            f.place_cursor(row, col);
        }
    }

    /// The focused field and where its text cursor is: (field id, line, column).
    pub fn position(&self) -> Option<(String, usize, usize)> {
        let f = self.fields.get(self.focus)?;
        let (row, col) = f.cursor();
        Some((f.id.to_string(), row, col))
    }

    /// Focuses the field `id` with its cursor at `row`, `col` (where a draft left it): typing
    /// goes on from there.
    pub fn set_position(&mut self, id: &str, row: usize, col: usize) {
        if let Some(i) = self.fields.iter().position(|f| f.id == id) {
            self.focus = i;
            let f = &mut self.fields[i];
            f.place_cursor(row, col);
            f.fresh = false;
        }
    }

    /// All values by field id (the draft payload and what a save reads).
    pub fn values(&self) -> BTreeMap<String, String> {
        self.fields.iter().map(|f| (f.id.to_string(), f.value())).collect()
    }

    pub fn set_values(&mut self, values: &BTreeMap<String, String>) {
        for f in &mut self.fields {
            if let Some(v) = values.get(f.id) {
                f.set_value(v);
            }
        }
    }

    /// Puts back the values a draft kept. One that differs from the form's own was typed by
    /// the user: arriving back at it, typing goes on after it rather than over it.
    pub fn restore_values(&mut self, values: &BTreeMap<String, String>) {
        for f in &mut self.fields {
            if let Some(value) = values.get(f.id) {
                let typed = *value != f.value();
                f.set_value(value);
                f.edited = typed;
            }
        }
    }

    /// The values read into a struct whose fields are named like the form's (serde).
    pub fn read_as<T: serde::de::DeserializeOwned + Default>(&self) -> T {
        let value = serde_json::to_value(self.values()).unwrap_or_default();
        serde_json::from_value(value).unwrap_or_default()
    }

    /// Fills the fields from a struct whose fields are named like the form's (serde); the
    /// form is not marked changed.
    pub fn fill_from<T: serde::Serialize>(&mut self, input: &T) {
        if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(input) {
            let values: BTreeMap<String, String> =
                map.into_iter().map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string())).collect();
            self.set_values(&values);
        }
        self.dirty = false;
    }

    /// The values by field id, and where the cursor was (`@focus`, `@cursor`: no field id
    /// starts with `@`, and a caseload that does not know them ignores them).
    pub fn to_draft(&self) -> String {
        let mut v = self.values();
        if let Some((id, row, col)) = self.position() {
            v.insert(DRAFT_FOCUS.into(), id);
            v.insert(DRAFT_CURSOR.into(), format!("{row},{col}"));
        }
        serde_json::to_string(&v).unwrap_or_else(|_| "{}".into())
    }

    /// Restores a draft, the cursor where it was; unknown keys are ignored, a damaged draft
    /// restores nothing. A draft from before the cursor was kept leaves the cursor at the end
    /// of the focused field's text, where typing goes on.
    pub fn restore_draft(&mut self, payload: &str) -> bool {
        match serde_json::from_str::<BTreeMap<String, String>>(payload) {
            Ok(v) => {
                self.restore_values(&v);
                let at = v.get(DRAFT_CURSOR).and_then(|c| {
                    let (r, c) = c.split_once(',')?;
                    Some((r.trim().parse::<usize>().ok()?, c.trim().parse::<usize>().ok()?))
                });
                let focused = self.fields.get(self.focus).map(|f| f.id.to_string());
                match (v.get(DRAFT_FOCUS).or(focused.as_ref()), at) {
                    (Some(id), Some((row, col))) => self.set_position(&id.clone(), row, col),
                    (Some(id), None) => self.set_position(&id.clone(), usize::MAX, usize::MAX),
                    _ => {}
                }
                self.dirty = true;
                true
            }
            Err(_) => false,
        }
    }

    /// Shows errors at their fields and focuses the first one; clears the rest.
    pub fn set_errors(&mut self, errors: &[FieldError]) {
        for f in &mut self.fields {
            f.error = errors.iter().find(|e| e.field == f.id).map(|e| e.message.clone());
        }
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.show_field(i);
            self.notice = Some("Nothing was saved. Fix the fields marked ⚠ and press Ctrl-S again.".into());
        } else if let Some(e) = errors.first() {
            self.notice = Some(format!("Nothing was saved. {}", e.message));
        }
    }

    /// Adds errors to fields that have none yet (e.g. the domain's checks after the form's own).
    /// An error about no field of this form is the form's notice: it is never lost.
    pub fn add_errors(&mut self, errors: &[FieldError]) {
        for f in &mut self.fields {
            if f.error.is_none() {
                f.error = errors.iter().find(|e| e.field == f.id).map(|e| e.message.clone());
            }
        }
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.show_field(i);
            self.notice = Some("Nothing was saved. Fix the fields marked ⚠ and press Ctrl-S again.".into());
        } else if let Some(e) = errors.first() {
            self.notice = Some(format!("Nothing was saved. {}", e.message));
        }
    }

    /// Why the last save was refused, in one line for the status bar: the first field's error
    /// (with how many more), or else the form's notice.
    pub fn refusal(&self) -> Option<String> {
        let with_errors: Vec<&Field> = self.fields.iter().filter(|f| f.error.is_some()).collect();
        if let Some(first) = with_errors.first() {
            let more = match with_errors.len() {
                1 => String::new(),
                2 => " 1 more field needs fixing too (⚠).".into(),
                n => format!(" {} more fields need fixing too (⚠).", n - 1),
            };
            let error = first.error.as_deref().unwrap_or_default();
            // "Given name is required." names its field already
            let label = first.label.trim().trim_end_matches('*');
            let named = error.to_lowercase().contains(&label.to_lowercase());
            let field = if named { String::new() } else { format!("{label}: ") };
            return Some(format!("Nothing was saved. {field}{error}{more}"));
        }
        self.notice.clone()
    }

    /// Shows warnings at their fields (they never stop a save); clears the others.
    pub fn set_warnings(&mut self, warnings: &[FieldError]) {
        for f in &mut self.fields {
            f.warning = warnings.iter().find(|w| w.field == f.id).map(|w| w.message.clone());
        }
    }

    pub fn clear_errors(&mut self) {
        for f in &mut self.fields {
            f.error = None;
        }
        self.notice = None;
    }

    /// Checks required fields and each field's own validator (dates, numbers).
    pub fn check_fields(&mut self) -> bool {
        let today = self.today;
        let mut ok = true;
        for f in &mut self.fields {
            let v = f.value();
            f.error = None;
            if f.required && v.trim().is_empty() {
                f.error = Some(format!("{} is required.", f.label));
            } else if let Some(check) = f.validator {
                if let Err(m) = check(&v, today) {
                    f.error = Some(m);
                }
            }
            ok &= f.error.is_none();
        }
        if !ok {
            if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
                self.show_field(i);
            }
            self.notice = Some("Nothing was saved. Fix the fields marked ⚠ and press Ctrl-S again.".into());
        }
        ok
    }

    fn changed(&mut self) -> FormEvent {
        self.dirty = true;
        self.edits += 1;
        FormEvent::Changed
    }

    fn leave_field(&mut self) {
        let today = self.today;
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.typed.clear(); // a choice's letters start afresh next time
            f.said = None;
            f.text.cancel_selection();
            if let Some(check) = f.validator {
                f.error = check(&f.value(), today).err();
            }
        }
    }

    /// Moves the focus to field `i`, checking the one it leaves.
    fn focus_field(&mut self, i: usize) {
        if i != self.focus {
            self.leave_field();
        }
        self.show_field(i);
    }

    /// Moves the focus to field `i` to show its error: the error just set at the field the
    /// focus leaves is kept, not checked over again.
    fn show_field(&mut self, i: usize) {
        if i == self.focus {
            if let Some(f) = self.fields.get_mut(i) {
                f.said = None;
            }
            return;
        }
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.typed.clear();
            f.said = None;
            f.text.cancel_selection();
        }
        self.focus = i.min(self.fields.len().saturating_sub(1));
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.arrive();
        }
    }

    pub fn focus_next(&mut self) {
        let n = self.fields.len().max(1);
        self.focus_field((self.focus + 1) % n);
    }

    pub fn focus_prev(&mut self) {
        let n = self.fields.len().max(1);
        self.focus_field((self.focus + n - 1) % n);
    }

    /// Moves to the next (or previous) field that starts a section, wrapping around.
    pub fn jump_section(&mut self, forward: bool) {
        let n = self.fields.len();
        if n == 0 {
            return;
        }
        let starts: Vec<usize> = (0..n).filter(|i| self.fields[*i].heading.is_some()).collect();
        if starts.is_empty() {
            return;
        }
        let to = if forward {
            starts.iter().copied().find(|i| *i > self.focus).unwrap_or(starts[0])
        } else {
            starts.iter().rev().copied().find(|i| *i < self.focus).unwrap_or(starts[starts.len() - 1])
        };
        self.focus_field(to);
    }

    /// The section each field is in (the last heading at or above it) with its label: what
    /// "go to a field" shows and matches.
    fn field_names(&self) -> Vec<String> {
        let mut section: Option<&str> = None;
        self.fields
            .iter()
            .map(|f| {
                if let Some(h) = &f.heading {
                    section = Some(h);
                }
                match section {
                    Some(s) => format!("{s} › {}", f.label),
                    None => f.label.clone(),
                }
            })
            .collect()
    }

    /// The fields "go to a field" offers for what is typed (every word in the name or section).
    fn jump_matches(&self) -> Vec<(usize, String)> {
        let query = self.jump.as_ref().map(|j| name_key(&j.query)).unwrap_or_default();
        let words: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
        self.field_names()
            .into_iter()
            .enumerate()
            .filter(|(_, name)| {
                let key = name_key(name);
                words.iter().all(|w| key.contains(w))
            })
            .collect()
    }

    /// True while the "go to a field" list is open.
    pub fn jumping(&self) -> bool {
        self.jump.is_some()
    }

    fn jump_key(&mut self, ev: KeyEvent) -> FormEvent {
        let action = lookup(&[Context::Form], &ev);
        let matches = self.jump_matches();
        let Some(jump) = self.jump.as_mut() else { return FormEvent::Nothing };
        match (action, ev.code) {
            (Some(Action::Cancel | Action::GoToField), _) => self.jump = None,
            (Some(Action::Enter), _) => {
                let to = matches.get(jump.selected).map(|(i, _)| *i);
                self.jump = None;
                if let Some(i) = to {
                    self.focus_field(i);
                }
            }
            (Some(Action::Down | Action::NextField), _) => {
                jump.selected = (jump.selected + 1).min(matches.len().saturating_sub(1));
            }
            (Some(Action::Up | Action::PrevField), _) => jump.selected = jump.selected.saturating_sub(1),
            (Some(Action::DeleteBack), _) => {
                jump.query.pop();
                jump.selected = 0;
            }
            (Some(Action::DeleteToStart | Action::DeleteWordBack), _) => {
                jump.query.clear();
                jump.selected = 0;
            }
            (_, KeyCode::Char(c))
                if !ev.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && jump.query.chars().count() < 40
                    && !c.is_control() =>
            {
                jump.query.push(c);
                jump.selected = 0;
            }
            _ => {}
        }
        FormEvent::Nothing
    }

    pub fn paste(&mut self, text: &str) -> FormEvent {
        if let Some(j) = self.jump.as_mut() {
            j.query.extend(clean_line(text).chars().take(40usize.saturating_sub(j.query.chars().count())));
            j.selected = 0;
            return FormEvent::Nothing;
        }
        let Some(f) = self.fields.get_mut(self.focus) else { return FormEvent::Nothing };
        match f.insert(text) {
            Ok(true) => {
                f.error = None;
                f.edited = true;
                self.changed()
            }
            Ok(false) => FormEvent::Nothing,
            Err(m) => {
                f.error = Some(m);
                FormEvent::Nothing
            }
        }
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> FormEvent {
        let before = self.position();
        let e = self.key(ev);
        if e == FormEvent::Nothing && self.position() != before {
            self.moves += 1;
            return FormEvent::Moved;
        }
        e
    }

    /// What a key does, before `handle_key` tells a move from nothing.
    fn key(&mut self, ev: KeyEvent) -> FormEvent {
        if self.jump.is_some() {
            return self.jump_key(ev);
        }
        let action = lookup(&[Context::Form], &ev);
        let Some(f) = self.fields.get(self.focus) else {
            return match action {
                Some(Action::Save) => FormEvent::Save,
                Some(Action::Cancel) => FormEvent::Cancel,
                _ => FormEvent::Nothing,
            };
        };
        let (is_choice, is_box) = (f.is_choice(), f.is_box());
        // a space after letters typed into a choice is a word's, not "next choice"
        let words_in_choice = is_choice && !f.typed.is_empty() && ev.code == KeyCode::Char(' ');
        match action {
            Some(Action::Save) => return FormEvent::Save,
            Some(Action::Cancel) => return FormEvent::Cancel,
            Some(Action::NextField) => {
                self.focus_next();
                return FormEvent::Nothing;
            }
            Some(Action::PrevField) => {
                self.focus_prev();
                return FormEvent::Nothing;
            }
            // one-line fields and choices are a list: ↑/↓ and Enter move through it
            Some(Action::Down | Action::Enter) if !is_box => {
                self.focus_next();
                return FormEvent::Nothing;
            }
            Some(Action::Up) if !is_box => {
                self.focus_prev();
                return FormEvent::Nothing;
            }
            Some(Action::GoToField) => {
                self.jump = Some(Jump { query: String::new(), selected: 0 });
                return FormEvent::Nothing;
            }
            Some(Action::NextSection) | Some(Action::PrevSection) => {
                self.jump_section(action == Some(Action::NextSection));
                return FormEvent::Nothing;
            }
            Some(Action::ChoiceNext) | Some(Action::ChoicePrev) if is_choice && !words_in_choice => {
                let fwd = action == Some(Action::ChoiceNext);
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.typed.clear();
                    f.said = None;
                    if let FieldKind::Choice { options, selected } = &mut f.kind {
                        let n = options.len().max(1);
                        *selected = if fwd { (*selected + 1) % n } else { (*selected + n - 1) % n };
                    }
                }
                return self.changed();
            }
            _ => {}
        }
        if is_choice {
            return self.choice_key(ev);
        }
        self.text_key(action, ev)
    }

    /// A key in a choice that is not one of the form's: a letter picks an option.
    fn choice_key(&mut self, ev: KeyEvent) -> FormEvent {
        let Some(f) = self.fields.get_mut(self.focus) else { return FormEvent::Nothing };
        match ev.code {
            KeyCode::Char(c) if !ev.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                if f.choose_by_letter(c) {
                    self.changed()
                } else {
                    FormEvent::Nothing
                }
            }
            _ => {
                f.typed.clear();
                f.said = None;
                FormEvent::Nothing
            }
        }
    }

    /// A key in a one-line field or a text box: the same keys edit both the same way.
    fn text_key(&mut self, action: Option<Action>, ev: KeyEvent) -> FormEvent {
        let Some(f) = self.fields.get_mut(self.focus) else { return FormEvent::Nothing };
        let replace = f.replaces();
        let mv = |f: &mut Field, m: CursorMove| {
            f.fresh = false;
            f.text.cancel_selection();
            f.text.move_cursor(m);
            FormEvent::Nothing
        };
        // a deletion on arrival takes the whole value it would otherwise type over
        let delete = |f: &mut Field, del: fn(&mut TextArea<'static>) -> bool| {
            if replace {
                f.text.select_all();
            }
            f.fresh = false;
            del(&mut f.text)
        };
        let typed = match ev.code {
            KeyCode::Char(c) if !ev.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                Some(c)
            }
            _ => None,
        };
        let did = match action {
            Some(Action::LineStart) => return mv(f, CursorMove::Head),
            Some(Action::LineEnd) => return mv(f, CursorMove::End),
            Some(Action::WordLeft) => return mv(f, CursorMove::WordBack),
            Some(Action::WordRight) => return mv(f, CursorMove::WordForward),
            Some(Action::ChoicePrev) if ev.code == KeyCode::Left => return mv(f, CursorMove::Back),
            Some(Action::ChoiceNext) if ev.code == KeyCode::Right => return mv(f, CursorMove::Forward),
            Some(Action::Up) => return mv(f, CursorMove::Up),
            Some(Action::Down) => return mv(f, CursorMove::Down),
            Some(Action::Undo) => {
                f.fresh = false;
                f.text.undo()
            }
            Some(Action::Redo) => {
                f.fresh = false;
                f.text.redo()
            }
            Some(Action::DeleteBack) => delete(f, TextArea::delete_char),
            Some(Action::DeleteForward) => delete(f, TextArea::delete_next_char),
            Some(Action::DeleteWordBack) => delete(f, TextArea::delete_word),
            Some(Action::DeleteWordForward) => delete(f, TextArea::delete_next_word),
            Some(Action::DeleteToStart) => delete(f, TextArea::delete_line_by_head),
            Some(Action::DeleteToEnd) => delete(f, TextArea::delete_line_by_end),
            // Enter in a text box (a one-line field moved on above)
            Some(Action::Enter) => match f.insert("\n") {
                Ok(did) => did,
                Err(m) => {
                    f.error = Some(m);
                    return FormEvent::Nothing;
                }
            },
            _ => match typed {
                Some(c) => match f.insert(&c.to_string()) {
                    Ok(did) => {
                        if did {
                            f.error = None;
                        }
                        did
                    }
                    Err(m) => {
                        f.error = Some(m);
                        return FormEvent::Nothing;
                    }
                },
                None => false,
            },
        };
        if did {
            f.edited = true;
            self.changed()
        } else {
            FormEvent::Nothing
        }
    }

    fn field_height(f: &Field, width: u16) -> u16 {
        let base = match &f.kind {
            FieldKind::Multiline { height, .. } => 1 + height + 2,
            _ => 1,
        };
        base + Self::below_lines(f, width).len() as u16 + Self::heading_height(f)
    }

    /// The message under a field (its error, or else its warning), wrapped to the width, at
    /// most three lines: a long message is read, not cut at the edge of the screen.
    fn below_lines(f: &Field, width: u16) -> Vec<(String, Style)> {
        let (text, style) = match (&f.error, &f.said, &f.warning) {
            (Some(err), _, _) => (format!("⚠ {}", display_safe(err)), theme::error()),
            (None, Some(s), _) => (format!("! {}", display_safe(s)), theme::warn()),
            (None, None, Some(w)) => (format!("! {}", display_safe(w)), theme::warn()),
            (None, None, None) => return Vec::new(),
        };
        let mut lines = crate::domain::text::wrap(&text, width.saturating_sub(2).max(10) as usize);
        if lines.len() > 3 {
            lines.truncate(3);
            if let Some(last) = lines.last_mut() {
                *last = crate::domain::text::fit(&format!("{last} …"), width.saturating_sub(2) as usize);
            }
        }
        lines.into_iter().map(|l| (l, style)).collect()
    }

    fn heading_height(f: &Field) -> u16 {
        if f.heading.is_some() {
            2
        } else {
            0
        }
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect) {
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" {}{} ", self.title, if self.dirty { " • unsaved" } else { "" }),
            theme::title(),
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 3 || inner.width < 20 {
            return;
        }
        // bottom: notice and the focused field's help
        let help_h = 2u16;
        let body = Rect { height: inner.height.saturating_sub(help_h), ..inner };
        let label_w =
            self.fields.iter().map(|f| f.label.chars().count() + 3).max().unwrap_or(10).min(34) as u16;

        let mut heights: Vec<u16> = self.fields.iter().map(|f| Self::field_height(f, body.width)).collect();
        // the last multi-line field takes the room left over (a note gets the whole screen)
        let used: u16 = heights.iter().sum();
        let mut grow = 0u16;
        if let Some(last) = self.fields.iter().rposition(|f| matches!(f.kind, FieldKind::Multiline { .. })) {
            if used < body.height {
                grow = body.height - used;
                heights[last] += grow;
            }
        }
        let grow_field = if grow > 0 {
            self.fields.iter().rposition(|f| matches!(f.kind, FieldKind::Multiline { .. }))
        } else {
            None
        };
        let focus_top: u16 = heights[..self.focus.min(heights.len())].iter().sum();
        let focus_bottom = focus_top + heights.get(self.focus).copied().unwrap_or(1);
        let scroll = focus_bottom.saturating_sub(body.height);

        let mut y: i32 = -(scroll as i32);
        for (i, f) in self.fields.iter().enumerate() {
            let h = heights[i] as i32;
            let start = y;
            y += h;
            let y = start;
            if y + h <= 0 {
                continue;
            }
            if y >= body.height as i32 {
                break;
            }
            // a section heading above the field
            let hh = Self::heading_height(f) as i32;
            if let Some(heading) = &f.heading {
                let hy = y + 1;
                if hy >= 0 && hy < body.height as i32 {
                    let r = Rect { x: body.x, y: body.y + hy as u16, width: body.width, height: 1 };
                    // as much of a long heading as the width allows, with an ellipsis
                    let safe = display_safe(heading);
                    let w = usize::from(body.width);
                    let text = if crate::domain::text::width(&safe) + 6 <= w {
                        format!("── {safe} ──")
                    } else {
                        format!("── {}", crate::domain::text::fit(&safe, w.saturating_sub(3)))
                    };
                    frame.render_widget(Paragraph::new(Span::styled(text, theme::title())), r);
                }
            }
            let y = y + hh;
            let top = body.y + y.max(0) as u16;
            let focused = i == self.focus;
            let marker = if focused { "▶ " } else { "  " };
            let label = format!("{marker}{}{}", f.label, if f.required { "*" } else { "" });
            let label_style = if focused { theme::focused() } else { Style::default() };
            let row = |dy: u16| Rect { x: body.x, y: top + dy, width: body.width, height: 1 };
            let mut dy = 0u16;
            if y >= 0 {
                match &f.kind {
                    FieldKind::Multiline { .. } => {
                        frame.render_widget(Paragraph::new(Span::styled(label, label_style)), row(0));
                    }
                    _ => {
                        let value_w = body.width.saturating_sub(label_w) as usize;
                        let (shown, cursor_x) = self.single_line_view(f, value_w.saturating_sub(1));
                        // a value the next key types over is shown selected
                        let value_style = match (focused, f.replaces()) {
                            (true, true) => theme::input_focused().add_modifier(Modifier::REVERSED),
                            (true, false) => theme::input_focused(),
                            _ => theme::input(),
                        };
                        let line = Line::from(vec![
                            Span::styled(format!("{:<w$}", label, w = label_w as usize), label_style),
                            Span::styled(shown, value_style),
                        ]);
                        frame.render_widget(Paragraph::new(line), row(0));
                        if focused && f.is_text_like() {
                            frame.set_cursor_position(Position { x: body.x + label_w + cursor_x, y: top });
                        }
                    }
                }
            }
            dy += 1;
            if let FieldKind::Multiline { height } = &f.kind {
                let ta = &f.text;
                let height = &(*height + if grow_field == Some(i) { grow } else { 0 });
                let box_top = body.y as i32 + y + 1;
                let box_h = (*height + 2) as i32;
                let visible_top = box_top.max(body.y as i32);
                let visible_bottom = (box_top + box_h).min((body.y + body.height) as i32);
                if visible_bottom - visible_top >= 3 {
                    let rect = Rect {
                        x: body.x + 2,
                        y: visible_top as u16,
                        width: body.width.saturating_sub(2),
                        height: (visible_bottom - visible_top) as u16,
                    };
                    let mut ta = ta.clone();
                    ta.set_block(Block::default().borders(Borders::ALL).border_style(if focused {
                        theme::focused()
                    } else {
                        theme::dim()
                    }));
                    ta.set_cursor_style(if focused {
                        Style::default().add_modifier(Modifier::REVERSED)
                    } else {
                        Style::default()
                    });
                    frame.render_widget(&ta, rect);
                }
                dy += height + 2;
            }
            for (n, (text, style)) in Self::below_lines(f, body.width).into_iter().enumerate() {
                let ey = body.y as i32 + y + dy as i32 + n as i32;
                if ey >= body.y as i32 && ey < (body.y + body.height) as i32 {
                    let r =
                        Rect { x: body.x + 2, y: ey as u16, width: body.width.saturating_sub(2), height: 1 };
                    frame.render_widget(Paragraph::new(Span::styled(text, style)), r);
                }
            }
        }

        let help_area = Rect { y: inner.y + inner.height.saturating_sub(help_h), height: help_h, ..inner };
        let mut lines = Vec::new();
        if let Some(n) = &self.notice {
            lines.push(Line::from(Span::styled(display_safe(n).into_owned(), theme::error())));
        }
        if let Some(f) = self.fields.get(self.focus) {
            let mut help = f.help.clone();
            if matches!(f.kind, FieldKind::Choice { .. }) && !f.picked {
                help = format!("←/→ or Space to choose, or type the first letter. {help}");
            }
            if !help.is_empty() {
                lines.push(Line::from(Span::styled(help, theme::dim())));
            }
        }
        // a long hint takes the second line when there is no notice, rather than being cut
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), help_area);
        if self.jump.is_some() {
            self.render_jump(frame, area);
        }
    }

    /// The "go to a field" list over the form.
    fn render_jump(&self, frame: &mut Frame<'_>, area: Rect) {
        let Some(jump) = &self.jump else { return };
        let matches = self.jump_matches();
        let rows = area.height.saturating_sub(6).clamp(1, 12) as usize;
        let width = area.width.saturating_sub(4).min(70);
        let inner_w = usize::from(width.saturating_sub(2));
        let mut lines = vec![Line::from(vec![
            Span::styled("Go to: ", theme::title()),
            Span::styled(format!("{}▏", display_safe(&jump.query)), theme::input_focused()),
        ])];
        // the selected match stays in view
        let first = jump.selected.saturating_sub(rows.saturating_sub(1));
        for (n, (i, name)) in matches.iter().enumerate().skip(first).take(rows) {
            let marker = if *i == self.focus { "• " } else { "  " };
            let text = crate::domain::text::fit(&format!("{marker}{}", display_safe(name)), inner_w);
            let style = if n == jump.selected { theme::selected() } else { Style::default() };
            lines.push(Line::from(Span::styled(text, style)));
        }
        if matches.is_empty() {
            lines.push(Line::from(Span::styled("No field by that name.", theme::dim())));
        }
        lines.push(Line::from(Span::styled(
            crate::domain::text::fit(
                &format!(
                    "{} go there · {}/{} choose · {} stay",
                    key_label(Context::Form, Action::Enter),
                    key_label(Context::Form, Action::Up),
                    key_label(Context::Form, Action::Down),
                    key_label(Context::Form, Action::Cancel)
                ),
                inner_w,
            ),
            theme::dim(),
        )));
        let rect = crate::ui::widgets::modal::centered(area, width, lines.len() as u16 + 2);
        frame.render_widget(ratatui::widgets::Clear, rect);
        let block =
            Block::default().borders(Borders::ALL).title(Span::styled(" Go to a field ", theme::title()));
        frame.render_widget(Paragraph::new(lines).block(block), rect);
    }

    /// The visible part of a one-line value and where the cursor sits in it (in cells).
    fn single_line_view(&self, f: &Field, width: usize) -> (String, u16) {
        match &f.kind {
            FieldKind::Choice { options, selected } => {
                let label = options.get(*selected).map(|o| o.1.as_str()).unwrap_or("");
                let label = if label.is_empty() { "(not recorded)" } else { label };
                // a long label (a directory service's) is cut to the row, its ends kept
                let shown = crate::domain::text::fit(&display_safe(label), width.saturating_sub(4).max(1));
                (format!("‹ {shown} ›"), 0)
            }
            _ => {
                let value = f.value();
                let chars: Vec<char> = value.chars().collect();
                let widths: Vec<usize> = chars.iter().map(|c| c.width().unwrap_or(0)).collect();
                let cursor = f.cursor().1.min(chars.len());
                // scroll so that the cursor stays visible
                let mut start = 0;
                let cursor_w = |s: usize| widths[s..cursor].iter().sum::<usize>();
                while start < cursor && cursor_w(start) >= width.max(1) {
                    start += 1;
                }
                let mut out = String::new();
                let mut used = 0;
                for (c, w) in chars[start..].iter().zip(&widths[start..]) {
                    if used + w > width {
                        break;
                    }
                    out.push(*c);
                    used += w;
                }
                (display_safe(&out).into_owned(), cursor_w(start) as u16)
            }
        }
    }
}

/// Why text did not go into a field that is full (or would be): what was typed, or a paste
/// and how much of it would fit. One limit for the form and the command line:
/// `MAX_FIELD_CHARS`, a line break counting as one character.
fn too_long(adding: usize, room: usize) -> String {
    let max = group_thousands(MAX_FIELD_CHARS);
    match (adding, room) {
        (1, _) => format!("Full: this field holds at most {max} characters; nothing more was typed."),
        (_, 0) => format!("Full: this field holds at most {max} characters; nothing was pasted."),
        _ => format!(
            "That paste is too large ({} characters); this field holds at most {max}, and {} more fit. Nothing was pasted.",
            group_thousands(adding),
            group_thousands(room)
        ),
    }
}

fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn form() -> Form {
        Form::new(
            "Test",
            vec![
                Field::text("name", "Name").required(),
                Field::date("due", "Due"),
                Field::choice("yn", "Yes/no", &[("", ""), ("yes", "Yes"), ("no", "No")]),
                Field::multiline("notes", "Notes", 3),
            ],
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        )
    }

    fn type_str(f: &mut Form, s: &str) {
        for c in s.chars() {
            f.handle_key(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn a_date_field_says_how_dates_are_typed_after_its_own_help() {
        let f = Field::date("due", "Due").help("When it is due.");
        assert!(f.help.starts_with("When it is due. "), "{}", f.help);
        for form in ["friday", "next monday", "+3m"] {
            assert!(f.help.contains(form), "{form}: {}", f.help);
        }
        assert!(Field::date("due", "Due").help.contains("last friday"));
        assert_eq!(Field::text("x", "X").help("Plain.").help, "Plain.");
    }

    #[test]
    fn typing_tab_and_values() {
        let mut f = form();
        type_str(&mut f, "Zoë 王");
        f.handle_key(key(KeyCode::Tab));
        type_str(&mut f, "+3d");
        f.handle_key(key(KeyCode::Tab));
        f.handle_key(key(KeyCode::Right));
        f.handle_key(key(KeyCode::Tab));
        type_str(&mut f, "line one");
        f.handle_key(key(KeyCode::Enter));
        type_str(&mut f, "two ");
        let v = f.values();
        assert_eq!(v["name"], "Zoë 王");
        assert_eq!(v["due"], "+3d");
        assert_eq!(v["yn"], "yes");
        assert_eq!(v["notes"], "line one\ntwo ");
        assert!(f.dirty);
        assert!(f.check_fields());
    }

    #[test]
    fn bad_dates_and_empty_required_fields_are_marked() {
        let mut f = form();
        f.handle_key(key(KeyCode::Tab));
        type_str(&mut f, "2026-02-30");
        f.handle_key(key(KeyCode::Tab));
        assert!(f.fields[1].error.as_deref().unwrap_or("").contains("does not exist"));
        assert!(!f.check_fields());
        assert_eq!(f.focus, 0);
        assert!(f.fields[0].error.is_some());
    }

    #[test]
    fn paste_strips_controls_and_refuses_huge_text() {
        let mut f = form();
        f.paste("\u{1b}[2JAda\tLove\nlace");
        assert_eq!(f.value("name"), "[2JAda Love lace");
        f.paste(&"x".repeat(5_000));
        assert!(f.fields[0].error.as_deref().unwrap_or("").contains("Too long"));
        assert_eq!(f.value("name"), "[2JAda Love lace");
        f.focus = 3;
        f.paste("one\r\ntwo\u{7}");
        assert_eq!(f.value("notes"), "one\ntwo");
        f.paste(&"y".repeat(MAX_FIELD_CHARS + 1));
        assert!(f.fields[3].error.is_some());
    }

    /// A text box takes exactly as much as the command line does, and says so when it is full
    /// (issue 16 point 6: it used to drop keystrokes silently one short of the command's limit).
    #[test]
    fn a_text_box_is_full_at_the_commands_limit_and_says_so() {
        let mut f = form();
        f.focus = 3;
        f.paste(&"y".repeat(MAX_FIELD_CHARS - 2));
        f.handle_key(key(KeyCode::Enter)); // a line break counts as one
        type_str(&mut f, "z");
        assert_eq!(f.value("notes").chars().count(), MAX_FIELD_CHARS);
        assert!(f.fields[3].error.is_none());
        type_str(&mut f, "!");
        assert_eq!(f.value("notes").chars().count(), MAX_FIELD_CHARS, "nothing past the limit");
        let said = f.fields[3].error.clone().unwrap_or_default();
        assert!(said.contains("Full") && said.contains("100,000"), "{said}");
        f.handle_key(key(KeyCode::Enter));
        assert_eq!(f.value("notes").chars().count(), MAX_FIELD_CHARS);
        f.handle_key(key(KeyCode::Backspace));
        f.handle_key(key(KeyCode::Backspace));
        f.paste("abc");
        let said = f.fields[3].error.clone().unwrap_or_default();
        assert!(said.contains("3 characters") && said.contains("2 more fit"), "{said}");
        assert_eq!(f.value("notes").chars().count(), MAX_FIELD_CHARS - 2);
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(999), "999");
    }

    #[test]
    fn undo_and_redo_in_one_line_and_multiline_fields() {
        let mut f = form();
        type_str(&mut f, "ab");
        f.handle_key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
        assert_eq!(f.value("name"), "a");
        f.handle_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::CONTROL));
        assert_eq!(f.value("name"), "ab");
        f.focus = 3;
        type_str(&mut f, "hello");
        f.handle_key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
        assert_ne!(f.value("notes"), "hello");
    }

    fn relation() -> Form {
        Form::new(
            "T",
            vec![
                Field::choice(
                    "r",
                    "Relation",
                    &[
                        ("", "(none)"),
                        ("parent", "parent"),
                        ("partner", "partner"),
                        ("professional", "professional"),
                    ],
                ),
                Field::text("after", "After"),
            ],
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        )
    }

    #[test]
    fn a_choice_takes_a_first_letter_and_cycles_on_the_same_letter() {
        let mut f = relation();
        type_str(&mut f, "p");
        assert_eq!(f.value("r"), "parent");
        type_str(&mut f, "p");
        assert_eq!(f.value("r"), "partner", "the same letter again goes on to the next");
        type_str(&mut f, "p");
        assert_eq!(f.value("r"), "professional");
        f.focus_next();
        f.focus_prev(); // back again: a first letter starts afresh
        type_str(&mut f, "p");
        assert_eq!(f.value("r"), "parent");
    }

    #[test]
    fn words_typed_into_a_choice_go_nowhere_and_say_so() {
        let mut f = relation();
        f.handle_key(key(KeyCode::Right));
        assert_eq!(f.value("r"), "parent");
        type_str(&mut f, "professional help");
        assert_eq!(f.value("r"), "parent", "the choice is what it was before the word");
        let said = f.fields[0].said.clone().unwrap_or_default();
        assert!(said.contains("was not taken") && said.contains("professiona"), "{said}");
        // the message is under the field, and the next key that is not a letter clears it
        assert!(Form::below_lines(&f.fields[0], 78).iter().any(|(l, _)| l.contains("not taken")));
        f.handle_key(key(KeyCode::Right));
        assert_eq!(f.value("r"), "partner");
        assert!(f.fields[0].said.is_none());
        type_str(&mut f, "z");
        assert!(f.fields[0].said.as_deref().unwrap_or("").contains("No choice starts with"));
        assert_eq!(f.value("r"), "partner");
    }

    #[test]
    fn typing_on_arrival_replaces_a_prefilled_value_and_a_move_keeps_it() {
        let mut f = form();
        f.set_value("due", "2026-12-03");
        f.handle_key(key(KeyCode::Tab)); // arrive at the prefilled date
        type_str(&mut f, "+90d");
        assert_eq!(f.value("due"), "+90d", "typed over, not appended to");
        // once typing has begun, it goes on at the cursor
        type_str(&mut f, "x");
        assert_eq!(f.value("due"), "+90dx");
        // arriving again and moving first keeps the value: typing goes where the cursor is
        f.set_value("due", "2026-12-03");
        f.handle_key(key(KeyCode::Tab));
        f.handle_key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
        f.handle_key(key(KeyCode::End));
        type_str(&mut f, "!");
        assert_eq!(f.value("due"), "2026-12-03!");
        // what was typed here is the user's: arriving back, typing goes on after it
        f.handle_key(key(KeyCode::Tab));
        f.handle_key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
        type_str(&mut f, "?");
        assert_eq!(f.value("due"), "2026-12-03!?");
        // Backspace on arrival clears a prefilled value, and undo brings it back
        f.set_value("due", "2026-12-03!");
        f.handle_key(key(KeyCode::Tab));
        f.handle_key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
        f.handle_key(key(KeyCode::Backspace));
        assert_eq!(f.value("due"), "");
        f.handle_key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
        assert_eq!(f.value("due"), "2026-12-03!");
        // a text box is never typed over
        f.set_value("notes", "kept");
        f.focus_field(3);
        type_str(&mut f, "x");
        assert_eq!(f.value("notes"), "xkept");
    }

    #[test]
    fn up_and_down_move_between_one_line_fields_and_between_lines_in_a_text_box() {
        let mut f = form();
        f.handle_key(key(KeyCode::Down));
        assert_eq!(f.focus, 1);
        f.handle_key(key(KeyCode::Down));
        assert_eq!(f.focus, 2, "a choice is a line of the list too");
        f.handle_key(key(KeyCode::Up));
        assert_eq!(f.focus, 1);
        f.handle_key(key(KeyCode::Enter));
        assert_eq!(f.focus, 2, "Enter in a one-line field moves on");
        f.handle_key(key(KeyCode::Down));
        assert_eq!(f.focus, 3);
        type_str(&mut f, "one");
        f.handle_key(key(KeyCode::Enter));
        type_str(&mut f, "two");
        f.handle_key(key(KeyCode::Up));
        assert_eq!(f.focus, 3, "↑ in a text box goes up a line");
        type_str(&mut f, "!");
        assert_eq!(f.value("notes"), "one!\ntwo");
    }

    /// The same keys edit a one-line field and a text box the same way.
    #[test]
    fn one_editing_model_for_one_line_fields_and_text_boxes() {
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        let alt = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT);
        let ctrl_code = |c| KeyEvent::new(c, KeyModifiers::CONTROL);
        for field in [0, 3] {
            let mut f = form();
            f.focus_field(field);
            let id = f.fields[field].id;
            type_str(&mut f, "alpha beta gamma");
            f.handle_key(ctrl('w'));
            assert_eq!(f.value(id), "alpha beta ", "Ctrl-W in {id}");
            f.handle_key(ctrl('a'));
            type_str(&mut f, ">");
            assert_eq!(f.value(id), ">alpha beta ", "Ctrl-A in {id}");
            f.handle_key(ctrl('e'));
            type_str(&mut f, "<");
            assert_eq!(f.value(id), ">alpha beta <", "Ctrl-E in {id}");
            f.handle_key(key(KeyCode::Home));
            f.handle_key(ctrl_code(KeyCode::Right));
            f.handle_key(ctrl_code(KeyCode::Right));
            type_str(&mut f, "X");
            assert_eq!(f.value(id), ">alpha Xbeta <", "Ctrl-→ in {id}");
            f.handle_key(alt('b'));
            f.handle_key(alt('d'));
            assert_eq!(f.value(id), ">alpha  <", "Alt-B, Alt-D in {id}");
            f.handle_key(key(KeyCode::End));
            f.handle_key(ctrl_code(KeyCode::Left));
            f.handle_key(ctrl('u'));
            assert_eq!(f.value(id), "<", "Ctrl-U deletes to the start of the line in {id}");
            f.handle_key(ctrl('z'));
            assert_eq!(f.value(id), ">alpha  <", "Ctrl-Z in {id}");
            f.handle_key(ctrl('y'));
            assert_eq!(f.value(id), "<", "Ctrl-Y in {id}");
            f.handle_key(key(KeyCode::Home));
            f.handle_key(ctrl('k'));
            assert_eq!(f.value(id), "", "Ctrl-K in {id}");
            assert!(f.dirty);
        }
    }

    #[test]
    fn go_to_a_field_by_part_of_its_name_or_section() {
        let mut f = Form::new(
            "Long",
            vec![
                Field::text("a", "Name"),
                Field::text("b", "Housing").heading("Needs"),
                Field::text("c", "Income"),
                Field::text("d", "Notes").heading("Risk"),
            ],
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        );
        let ctrl_g = KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL);
        f.handle_key(ctrl_g);
        assert!(f.jumping());
        type_str(&mut f, "inc");
        f.handle_key(key(KeyCode::Enter));
        assert!(!f.jumping());
        assert_eq!(f.focus, 2);
        // a section's name finds its fields; Esc leaves the focus where it was
        f.handle_key(ctrl_g);
        type_str(&mut f, "risk");
        f.handle_key(key(KeyCode::Esc));
        assert_eq!(f.focus, 2);
        f.handle_key(ctrl_g);
        type_str(&mut f, "needs");
        f.handle_key(key(KeyCode::Down));
        f.handle_key(key(KeyCode::Enter));
        assert_eq!(f.focus, 2, "the second field of Needs");
        // nothing typed while the list was open reached a field
        assert_eq!(f.values().values().filter(|v| !v.is_empty()).count(), 0);
    }

    #[test]
    fn a_draft_keeps_the_focus_and_the_cursor_and_old_drafts_still_restore() {
        let mut f = form();
        f.focus_field(3);
        type_str(&mut f, "first line");
        f.handle_key(key(KeyCode::Enter));
        type_str(&mut f, "second");
        f.handle_key(key(KeyCode::Left));
        f.handle_key(key(KeyCode::Left));
        let d = f.to_draft();
        let mut g = form();
        assert!(g.restore_draft(&d));
        assert_eq!(g.values(), f.values());
        assert_eq!(g.position(), Some(("notes".to_string(), 1, 4)));
        type_str(&mut g, "_");
        assert_eq!(g.value("notes"), "first line\nseco_nd");
        // a draft written before the cursor was kept: values, and the cursor at the end
        let old = r#"{"name":"Ada","notes":"one\ntwo"}"#;
        let mut h = form();
        assert!(h.restore_draft(old));
        assert_eq!(h.value("name"), "Ada");
        assert_eq!(h.position(), Some(("name".to_string(), 0, 3)));
        type_str(&mut h, "m");
        assert_eq!(h.value("name"), "Adam", "typing goes on after a restored value");
        // restored values are the user's: arriving back at one, typing goes on after it
        h.set_value("due", "2026-12-03");
        assert!(h.restore_draft(r#"{"name":"Ada","due":"+3d"}"#));
        h.focus_field(1);
        type_str(&mut h, "0");
        assert_eq!(h.value("due"), "+3d0");
    }

    #[test]
    fn drafts_round_trip() {
        let mut f = form();
        type_str(&mut f, "Ada");
        f.focus = 3;
        type_str(&mut f, "x");
        let d = f.to_draft();
        let mut g = form();
        assert!(g.restore_draft(&d));
        assert_eq!(g.values(), f.values());
        assert!(!g.restore_draft("not json"));
    }
}
