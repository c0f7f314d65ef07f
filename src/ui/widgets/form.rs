//! The one form widget every screen uses: single-line, date, number, choice and multi-line
//! fields; focus; per-field validation messages; dirty tracking; drafts; undo.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use ratatui_textarea::{TextArea, WrapMode};
use unicode_width::UnicodeWidthChar;

use crate::domain::client::FieldError;
use crate::domain::dates::{parse_date, DATE_HELP};
use crate::domain::text::{
    clean_line, clean_multiline, display_safe, strip_controls_multiline, MAX_FIELD_CHARS,
};
use crate::keymap::{lookup, Action, Context};
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
        area: Box<TextArea<'static>>,
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
    value: String,
    cursor: usize,
    undo: Vec<(String, usize)>,
    redo: Vec<(String, usize)>,
}

impl Field {
    fn new(id: &'static str, label: &str, kind: FieldKind) -> Field {
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
            value: String::new(),
            cursor: 0,
            undo: Vec::new(),
            redo: Vec::new(),
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
        let mut area = TextArea::default();
        area.set_wrap_mode(WrapMode::WordOrGlyph);
        area.set_max_histories(200);
        area.set_cursor_line_style(Style::default());
        Field::new(id, label, FieldKind::Multiline { height, area: Box::new(area) })
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

    pub fn help(mut self, help: &str) -> Field {
        self.help = help.to_string();
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
            FieldKind::Multiline { area, .. } => area.lines().join("\n"),
            _ => self.value.clone(),
        }
    }

    pub fn set_value(&mut self, v: &str) {
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
            FieldKind::Multiline { area, .. } => {
                let text = clean_multiline(v);
                let mut fresh = TextArea::new(text.split('\n').map(str::to_string).collect());
                fresh.set_wrap_mode(WrapMode::WordOrGlyph);
                fresh.set_max_histories(200);
                fresh.set_cursor_line_style(Style::default());
                **area = fresh;
            }
            _ => {
                self.value = clean_line(v);
                self.cursor = self.value.chars().count();
            }
        }
    }

    fn is_text_like(&self) -> bool {
        matches!(self.kind, FieldKind::Text { .. } | FieldKind::Date | FieldKind::Number)
    }

    fn byte_at(&self, char_idx: usize) -> usize {
        self.value.char_indices().nth(char_idx).map(|(i, _)| i).unwrap_or(self.value.len())
    }

    fn remember(&mut self) {
        self.undo.push((self.value.clone(), self.cursor));
        if self.undo.len() > 200 {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// Inserts text at the cursor, refusing what would exceed the field's limit.
    fn insert(&mut self, text: &str) -> Result<bool, String> {
        match &mut self.kind {
            FieldKind::Multiline { area, .. } => {
                let clean = strip_controls_multiline(text);
                let current: usize = area.lines().iter().map(|l| l.chars().count() + 1).sum();
                if current + clean.chars().count() > MAX_FIELD_CHARS {
                    return Err(format!(
                        "That paste is too large ({} characters); this field holds at most {MAX_FIELD_CHARS}.",
                        clean.chars().count()
                    ));
                }
                Ok(area.insert_str(clean))
            }
            FieldKind::Choice { .. } => Ok(false),
            _ => {
                let clean: String = clean_line(&text.replace(['\n', '\r', '\t'], " "));
                let clean =
                    if text.starts_with(' ') && !clean.is_empty() { format!(" {clean}") } else { clean };
                let clean = if text == " " { " ".to_string() } else { clean };
                if clean.is_empty() {
                    return Ok(false);
                }
                let max = self.max_chars();
                if self.value.chars().count() + clean.chars().count() > max {
                    return Err(format!("Too long: this field holds at most {max} characters."));
                }
                self.remember();
                let at = self.byte_at(self.cursor);
                self.value.insert_str(at, &clean);
                self.cursor += clean.chars().count();
                Ok(true)
            }
        }
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    Nothing,
    Changed,
    Save,
    Cancel,
}

pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Changes since the form was opened or last saved.
    pub dirty: bool,
    /// Counts edits so the app knows whether the draft on disk is current.
    pub edits: u64,
    pub today: NaiveDate,
    /// A message for the whole form (e.g. "fix the fields marked ⚠").
    pub notice: Option<String>,
}

impl Form {
    pub fn new(title: &str, fields: Vec<Field>, today: NaiveDate) -> Form {
        Form { title: title.to_string(), fields, focus: 0, dirty: false, edits: 0, today, notice: None }
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

    /// Puts the text cursor of a multi-line field at `row`, `col` (clamped to the text).
    pub fn place_cursor(&mut self, id: &str, row: usize, col: usize) {
        if let Some(Field { kind: FieldKind::Multiline { area, .. }, .. }) =
            self.fields.iter_mut().find(|f| f.id == id)
        {
            let (row, col) = (u16::try_from(row).unwrap_or(u16::MAX), u16::try_from(col).unwrap_or(u16::MAX));
            area.move_cursor(ratatui_textarea::CursorMove::Jump(row, col));
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

    pub fn to_draft(&self) -> String {
        serde_json::to_string(&self.values()).unwrap_or_else(|_| "{}".into())
    }

    /// Restores a draft; unknown keys are ignored, a damaged draft restores nothing.
    pub fn restore_draft(&mut self, payload: &str) -> bool {
        match serde_json::from_str::<BTreeMap<String, String>>(payload) {
            Ok(v) => {
                self.set_values(&v);
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
            self.focus = i;
            self.notice = Some("Nothing was saved. Fix the fields marked ⚠ and press Ctrl-S again.".into());
        } else if let Some(e) = errors.first() {
            self.notice = Some(e.message.clone());
        }
    }

    /// Adds errors to fields that have none yet (e.g. the domain's checks after the form's own).
    pub fn add_errors(&mut self, errors: &[FieldError]) {
        for f in &mut self.fields {
            if f.error.is_none() {
                f.error = errors.iter().find(|e| e.field == f.id).map(|e| e.message.clone());
            }
        }
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = i;
            self.notice = Some("Nothing was saved. Fix the fields marked ⚠ and press Ctrl-S again.".into());
        }
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
                self.focus = i;
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
            if let FieldKind::Choice { .. } = f.kind {
                f.value.clear(); // the type-ahead starts afresh next time
            }
            if let Some(check) = f.validator {
                f.error = check(&f.value(), today).err();
            }
        }
    }

    pub fn focus_next(&mut self) {
        self.leave_field();
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn focus_prev(&mut self) {
        self.leave_field();
        self.focus = (self.focus + self.fields.len().max(1) - 1) % self.fields.len().max(1);
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
        self.leave_field();
        self.focus = if forward {
            starts.iter().copied().find(|i| *i > self.focus).unwrap_or(starts[0])
        } else {
            starts.iter().rev().copied().find(|i| *i < self.focus).unwrap_or(starts[starts.len() - 1])
        };
    }

    pub fn paste(&mut self, text: &str) -> FormEvent {
        let Some(f) = self.fields.get_mut(self.focus) else { return FormEvent::Nothing };
        match f.insert(text) {
            Ok(true) => {
                f.error = None;
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
        let action = lookup(&[Context::Form], &ev);
        let is_choice =
            matches!(self.fields.get(self.focus).map(|f| &f.kind), Some(FieldKind::Choice { .. }));
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
            Some(Action::NextSection) | Some(Action::PrevSection) => {
                self.jump_section(action == Some(Action::NextSection));
                return FormEvent::Nothing;
            }
            Some(Action::ChoiceNext) | Some(Action::ChoicePrev) if is_choice => {
                let fwd = action == Some(Action::ChoiceNext);
                if let Some(Field { kind: FieldKind::Choice { options, selected }, .. }) =
                    self.fields.get_mut(self.focus)
                {
                    let n = options.len().max(1);
                    *selected = if fwd { (*selected + 1) % n } else { (*selected + n - 1) % n };
                }
                return self.changed();
            }
            Some(Action::Undo) | Some(Action::Redo) => {
                let undo = action == Some(Action::Undo);
                let Some(f) = self.fields.get_mut(self.focus) else { return FormEvent::Nothing };
                let did = match &mut f.kind {
                    FieldKind::Multiline { area, .. } => {
                        if undo {
                            area.undo()
                        } else {
                            area.redo()
                        }
                    }
                    FieldKind::Choice { .. } => false,
                    _ => {
                        let (from, to) =
                            if undo { (&mut f.undo, &mut f.redo) } else { (&mut f.redo, &mut f.undo) };
                        match from.pop() {
                            Some((v, c)) => {
                                to.push((std::mem::replace(&mut f.value, v), f.cursor));
                                f.cursor = c;
                                true
                            }
                            None => false,
                        }
                    }
                };
                return if did { self.changed() } else { FormEvent::Nothing };
            }
            _ => {}
        }
        let Some(f) = self.fields.get_mut(self.focus) else { return FormEvent::Nothing };
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL) || ev.modifiers.contains(KeyModifiers::ALT);
        match &mut f.kind {
            FieldKind::Multiline { area, .. } => {
                if let KeyCode::Char(c) = ev.code {
                    if !ctrl {
                        return match f.insert(&c.to_string()) {
                            Ok(true) => self.changed(),
                            Ok(false) => FormEvent::Nothing,
                            Err(m) => {
                                f.error = Some(m);
                                FormEvent::Nothing
                            }
                        };
                    }
                }
                if area.input(ev) {
                    self.changed()
                } else {
                    FormEvent::Nothing
                }
            }
            FieldKind::Choice { options, selected } => {
                if let KeyCode::Char(c) = ev.code {
                    let c = c.to_lowercase().next().unwrap_or(c);
                    let n = options.len();
                    // What was typed since the field got focus picks the first option it starts
                    // ("pro" → professional); a letter that continues no option jumps to the
                    // next option starting with it (typing "p" again cycles through them).
                    let typed = format!("{}{c}", f.value);
                    if let Some(i) = (0..n).find(|i| options[*i].1.to_lowercase().starts_with(&typed)) {
                        f.value = typed;
                        *selected = i;
                        return self.changed();
                    }
                    if let Some(i) = (1..=n)
                        .map(|d| (*selected + d) % n)
                        .find(|i| options[*i].1.to_lowercase().starts_with(c))
                    {
                        f.value = c.to_string();
                        *selected = i;
                        return self.changed();
                    }
                }
                if ev.code == KeyCode::Enter {
                    self.focus_next();
                }
                FormEvent::Nothing
            }
            _ => {
                let len = f.value.chars().count();
                match ev.code {
                    KeyCode::Char(c) if !ctrl => match f.insert(&c.to_string()) {
                        Ok(true) => {
                            f.error = None;
                            self.changed()
                        }
                        Ok(false) => FormEvent::Nothing,
                        Err(m) => {
                            f.error = Some(m);
                            FormEvent::Nothing
                        }
                    },
                    KeyCode::Backspace if f.cursor > 0 => {
                        f.remember();
                        let at = f.byte_at(f.cursor - 1);
                        f.value.remove(at);
                        f.cursor -= 1;
                        self.changed()
                    }
                    KeyCode::Delete if f.cursor < len => {
                        f.remember();
                        let at = f.byte_at(f.cursor);
                        f.value.remove(at);
                        self.changed()
                    }
                    KeyCode::Char('u')
                        if ev.modifiers.contains(KeyModifiers::CONTROL) && !f.value.is_empty() =>
                    {
                        f.remember();
                        f.value.clear();
                        f.cursor = 0;
                        self.changed()
                    }
                    KeyCode::Left => {
                        f.cursor = f.cursor.saturating_sub(1);
                        FormEvent::Nothing
                    }
                    KeyCode::Right => {
                        f.cursor = (f.cursor + 1).min(len);
                        FormEvent::Nothing
                    }
                    KeyCode::Home => {
                        f.cursor = 0;
                        FormEvent::Nothing
                    }
                    KeyCode::End => {
                        f.cursor = len;
                        FormEvent::Nothing
                    }
                    KeyCode::Enter => {
                        self.focus_next();
                        FormEvent::Nothing
                    }
                    _ => FormEvent::Nothing,
                }
            }
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
        let (text, style) = match (&f.error, &f.warning) {
            (Some(err), _) => (format!("⚠ {}", display_safe(err)), theme::error()),
            (None, Some(w)) => (format!("! {}", display_safe(w)), theme::warn()),
            (None, None) => return Vec::new(),
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
                        let value_style = if focused { theme::input_focused() } else { theme::input() };
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
            if let FieldKind::Multiline { height, area: ta } = &f.kind {
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
                    let mut ta = (**ta).clone();
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
            if let FieldKind::Choice { .. } = f.kind {
                help = format!("←/→ or Space to choose, or type the first letter. {help}");
            }
            if !help.is_empty() {
                lines.push(Line::from(Span::styled(help, theme::dim())));
            }
        }
        // a long hint takes the second line when there is no notice, rather than being cut
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), help_area);
    }

    /// The visible part of a one-line value and where the cursor sits in it (in cells).
    fn single_line_view(&self, f: &Field, width: usize) -> (String, u16) {
        match &f.kind {
            FieldKind::Choice { options, selected } => {
                let label = options.get(*selected).map(|o| o.1.as_str()).unwrap_or("");
                let label = if label.is_empty() { "(not recorded)" } else { label };
                (format!("‹ {} ›", display_safe(label)), 0)
            }
            _ => {
                let chars: Vec<char> = f.value.chars().collect();
                let widths: Vec<usize> = chars.iter().map(|c| c.width().unwrap_or(0)).collect();
                // scroll so that the cursor stays visible
                let mut start = 0;
                let cursor_w = |s: usize| widths[s..f.cursor.min(chars.len())].iter().sum::<usize>();
                while start < f.cursor && cursor_w(start) >= width.max(1) {
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

    #[test]
    fn typing_in_a_choice_picks_by_prefix_and_cycles_by_letter() {
        let mut f = Form::new(
            "T",
            vec![Field::choice(
                "r",
                "Relation",
                &[
                    ("", "(none)"),
                    ("parent", "parent"),
                    ("partner", "partner"),
                    ("professional", "professional"),
                ],
            )],
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        );
        type_str(&mut f, "pro");
        assert_eq!(f.value("r"), "professional");
        f.focus_next(); // leaving the field starts the type-ahead afresh
        type_str(&mut f, "p");
        assert_eq!(f.value("r"), "parent");
        type_str(&mut f, "p");
        assert_eq!(f.value("r"), "partner", "the same letter again cycles");
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
