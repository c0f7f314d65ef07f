//! Giving a screener item by item from the keyboard.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use serde::{Deserialize, Serialize};

use super::screeners::has_total;
use crate::app::message::{AssessMsg, Message};
use crate::domain::client::client_ref;
use crate::domain::dates::{format_date, parse_date};
use crate::domain::draft::DraftKind;
use crate::domain::instruments::{score, Answer, Instrument, Item, ScoreResult};
use crate::domain::text::{display_safe, fit};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::screenings::summary;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{DraftInfo, Handled, SubmitCtx, Submitted, View};
use crate::ui::widgets::form::FormEvent;

/// What a screener being given keeps as its draft.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
struct AdminDraft {
    answers: Vec<Option<Answer>>,
    index: usize,
    date: String,
}

pub struct AdministerScreen {
    pub client_id: i64,
    pub instrument: Instrument,
    answers: Vec<Option<Answer>>,
    /// The item shown; `items.len()` is the summary.
    index: usize,
    /// Options ticked on a multi-select item, not yet confirmed.
    ticked: BTreeSet<usize>,
    date: NaiveDate,
    today: NaiveDate,
    /// Typing a date (`d`).
    date_input: Option<String>,
    message: Option<String>,
    result: ScoreResult,
    edits: u64,
}

/// The number key that chooses option `idx`: on summed instruments (PHQ-9, GAD-7) the
/// printed columns 0, 1, 2, 3 (the item's value); elsewhere the option's printed number 1, 2…
/// (or its value where values are printed, as on the AHC safety items).
pub fn option_key(inst: &Instrument, item: &Item, idx: usize) -> usize {
    if has_total(inst) {
        return idx;
    }
    match item.options.get(idx).and_then(|o| o.value) {
        Some(v) if item.options.iter().all(|o| o.value.is_some()) => v.max(0) as usize,
        _ => idx + 1,
    }
}

fn option_for_key(inst: &Instrument, item: &Item, key: usize) -> Option<usize> {
    (0..item.options.len()).find(|i| option_key(inst, item, *i) == key)
}

impl AdministerScreen {
    pub fn new(client_id: i64, instrument: Instrument, today: NaiveDate) -> Self {
        let n = instrument.items.len();
        let result = score(&instrument, &[]);
        AdministerScreen {
            client_id,
            instrument,
            answers: vec![None; n],
            index: 0,
            ticked: BTreeSet::new(),
            date: today,
            today,
            date_input: None,
            message: None,
            result,
            edits: 0,
        }
    }

    pub fn answers(&self) -> Vec<(String, Answer)> {
        self.instrument
            .items
            .iter()
            .zip(&self.answers)
            .filter_map(|(item, a)| a.clone().map(|a| (item.id.clone(), a)))
            .collect()
    }

    fn changed(&mut self) {
        self.edits += 1;
        self.result = score(&self.instrument, &self.answers());
    }

    fn advance(&mut self) {
        self.index = (self.index + 1).min(self.instrument.items.len());
        self.load_ticks();
    }

    fn load_ticks(&mut self) {
        self.ticked = match self.answers.get(self.index) {
            Some(Some(Answer::Multi(list))) => list.iter().copied().collect(),
            _ => BTreeSet::new(),
        };
    }

    fn key(&mut self, ev: KeyEvent) -> Handled {
        self.message = None;
        if let Some(text) = &mut self.date_input {
            match ev.code {
                KeyCode::Esc => self.date_input = None,
                KeyCode::Enter => match parse_date(text, self.today) {
                    Ok(d) if d > self.today => self.message = Some("The date is in the future.".into()),
                    Ok(d) => {
                        self.date = d;
                        self.date_input = None;
                        self.changed();
                    }
                    Err(m) => self.message = Some(m),
                },
                KeyCode::Backspace => {
                    text.pop();
                }
                KeyCode::Char(c) if !c.is_control() && text.chars().count() < 40 => text.push(c),
                _ => {}
            }
            return Handled::Yes(vec![]);
        }
        let Some(action) = lookup(&[Context::Administer], &ev) else {
            // every other key is swallowed: a stray letter must not leave a screener half-given
            return Handled::Yes(vec![]);
        };
        let n = self.instrument.items.len();
        match action {
            Action::Save => return Handled::Form(FormEvent::Save),
            Action::Cancel => return Handled::Form(FormEvent::Cancel),
            Action::Edit if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                self.date_input = Some(format_date(self.date));
            }
            Action::AnswerBack => {
                self.index = self.index.saturating_sub(1);
                self.load_ticks();
            }
            Action::NextField => {
                if let Some(item) = self.instrument.items.get(self.index) {
                    if item.multi_select && !self.ticked.is_empty() {
                        let mut chosen: Vec<usize> = self.ticked.iter().copied().collect();
                        chosen.sort_unstable();
                        if let Some(i) = chosen.iter().find(|i| item.options[**i].exclusive) {
                            if chosen.len() > 1 {
                                self.message = Some(format!(
                                    "\"{}\" cannot be combined with other choices.",
                                    item.options[*i].label
                                ));
                                return Handled::Yes(vec![]);
                            }
                        }
                        self.answers[self.index] = Some(Answer::Multi(chosen));
                        self.changed();
                    }
                }
                self.advance();
            }
            Action::Decline if self.index < n => {
                self.answers[self.index] = Some(Answer::Declined);
                self.changed();
                self.advance();
            }
            Action::Answer if self.index < n => {
                let KeyCode::Char(c) = ev.code else { return Handled::Yes(vec![]) };
                let digit = c.to_digit(10).unwrap_or(99) as usize;
                let inst = &self.instrument;
                let item = &inst.items[self.index];
                match option_for_key(inst, item, digit) {
                    None => {
                        let keys: Vec<String> =
                            (0..item.options.len()).map(|i| option_key(inst, item, i).to_string()).collect();
                        self.message = Some(format!("Choose one of {}.", keys.join(", ")));
                    }
                    Some(i) if item.multi_select => {
                        if !self.ticked.remove(&i) {
                            self.ticked.insert(i);
                        }
                    }
                    Some(i) => {
                        self.answers[self.index] = Some(Answer::Value(i));
                        self.changed();
                        self.advance();
                    }
                }
            }
            _ => {}
        }
        Handled::Yes(vec![])
    }

    fn answered(&self) -> usize {
        self.answers.iter().filter(|a| a.is_some()).count()
    }

    pub(super) fn answer_text(inst: &Instrument, item: &Item, a: &Option<Answer>) -> String {
        match a {
            None => "—".into(),
            Some(Answer::Declined) => "declined".into(),
            Some(Answer::NotAsked) => "not asked".into(),
            Some(Answer::Value(i)) => item
                .options
                .get(*i)
                .map(|o| format!("{} {}", option_key(inst, item, *i), o.label))
                .unwrap_or_default(),
            Some(Answer::Multi(list)) => list
                .iter()
                .filter_map(|i| item.options.get(*i).map(|o| o.label.clone()))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    pub(super) fn result_lines(result: &ScoreResult) -> Vec<Line<'static>> {
        let mut lines =
            vec![Line::from(Span::styled(format!("Result: {}", summary(result)), theme::title()))];
        if !result.complete {
            lines.push(Line::from(Span::styled(
                format!(
                    "Incomplete: item{} {} not answered — missing answers are never counted as 0.",
                    if result.missing_items.len() == 1 { "" } else { "s" },
                    result.missing_items.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")
                ),
                theme::warn(),
            )));
        }
        for d in &result.derived {
            if let Some(t) = d.total {
                lines.push(Line::from(format!(
                    "{} (from the first two items): {t}{}",
                    d.short_name,
                    match d.positive {
                        Some(true) => ", positive",
                        Some(false) => ", negative",
                        None => "",
                    }
                )));
            }
        }
        for d in &result.domains {
            let state = match d.positive {
                Some(true) if d.positive_on_answered() => {
                    format!("POSITIVE on the items answered ({})", d.missing_words())
                }
                Some(true) => "POSITIVE".to_string(),
                Some(false) => "negative".to_string(),
                None => format!("not scored: {}", d.missing_words()),
            };
            let sum = d.sum.map(|s| format!(" (score {s})")).unwrap_or_default();
            lines.push(Line::from(format!("  {:<22} {state}{sum}", d.label)));
        }
        for f in &result.flags {
            let style = if f.safety { theme::flag() } else { theme::warn() };
            lines.push(Line::from(Span::styled(
                format!("{} {}", if f.safety { "⚑ ALERT" } else { "•" }, display_safe(&f.message)),
                style,
            )));
        }
        lines
    }
}

impl View for AdministerScreen {
    fn title(&self) -> &'static str {
        "Screener"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Administer]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Answer, Action::Decline, Action::AnswerBack, Action::Save, Action::Cancel]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn captures_text(&self) -> bool {
        true
    }
    fn dirty(&self) -> bool {
        self.edits > 0
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let before = self.edits;
        let h = self.key(ev);
        if self.edits != before {
            if let Handled::Yes(msgs) = h {
                return Handled::Form(if msgs.is_empty() { FormEvent::Changed } else { FormEvent::Nothing });
            }
        }
        h
    }
    fn draft(&self) -> Option<DraftInfo> {
        Some(DraftInfo {
            key: format!("screening:new:{}:{}", self.client_id, self.instrument.id),
            kind: DraftKind::ScreeningNew,
            client_id: Some(self.client_id),
            title: format!("{} for {}", self.instrument.short_name, client_ref(self.client_id)),
        })
    }
    fn draft_payload(&self) -> Option<(String, u64)> {
        if self.edits == 0 {
            return None;
        }
        let d = AdminDraft { answers: self.answers.clone(), index: self.index, date: format_date(self.date) };
        serde_json::to_string(&d).ok().map(|p| (p, self.edits))
    }
    fn restore_draft(&mut self, payload: &str) -> bool {
        let Ok(d) = serde_json::from_str::<AdminDraft>(payload) else { return false };
        if d.answers.len() != self.answers.len() {
            return false;
        }
        self.answers = d.answers;
        self.index = d.index.min(self.answers.len());
        if let Ok(date) = parse_date(&d.date, self.today) {
            self.date = date;
        }
        self.edits = 1;
        self.result = score(&self.instrument, &self.answers());
        self.load_ticks();
        self.message = Some("Restored the answers you had not saved.".into());
        true
    }
    fn refusal(&self) -> Option<String> {
        self.message.clone()
    }
    fn submit(&mut self, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if self.answered() == 0 {
            self.message = Some("No item is answered yet: nothing to save.".into());
            return Ok(Submitted::Stay);
        }
        let answers = self.answers();
        match ctx.store.add_screening(self.client_id, &self.instrument, &answers, self.date, "", ctx.now) {
            Ok((id, result)) => {
                let alerts = result.flags.iter().filter(|f| f.safety).count();
                let mut status = format!(
                    "Saved {} {}: {}.",
                    self.instrument.short_name,
                    crate::store::screenings::screening_ref(id),
                    summary(&result)
                );
                if alerts > 0 {
                    status.push_str(&format!(
                        " SAFETY ALERT raised: acknowledge it with a note ({}).",
                        key_label(Context::Screening, Action::Acknowledge)
                    ));
                }
                Ok(Submitted::Done { status, then: vec![Message::Assess(AssessMsg::OpenScreening(id))] })
            }
            Err(crate::store::StoreError::Invalid(e)) => {
                self.message = Some(e.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; "));
                Ok(Submitted::Stay)
            }
            Err(e) => Err(e),
        }
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let inst = &self.instrument;
        let n = inst.items.len();
        let title = format!(
            " {} — {} of {} · given {} (d changes) ",
            inst.short_name,
            (self.index + 1).min(n),
            n,
            format_date(self.date)
        );
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let mut lines: Vec<Line<'static>> = Vec::new();
        if let Some(text) = &self.date_input {
            lines.push(Line::from(vec![
                Span::styled("Date given: ", theme::title()),
                Span::styled(format!("{}▏", display_safe(text)), theme::input_focused()),
            ]));
            lines.push(Line::from(Span::styled(
                "YYYY-MM-DD, today, yesterday, last friday, -3d · Enter to set, Esc to keep",
                theme::dim(),
            )));
        }
        if let Some(item) = inst.items.get(self.index) {
            let stem = if item.scored {
                item.instruction.as_ref().or(inst.stem.as_ref())
            } else {
                item.instruction.as_ref()
            };
            if let Some(stem) = stem {
                lines.push(Line::from(Span::styled(display_safe(stem).into_owned(), theme::dim())));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                format!("{}. {}", item.number, display_safe(&item.text)),
                theme::title(),
            )));
            if !item.scored {
                lines.push(Line::from(Span::styled("(not scored)", theme::dim())));
            }
            if item.multi_select {
                lines.push(Line::from(Span::styled(
                    "Choose all that apply (numbers tick and untick), then Enter.",
                    theme::dim(),
                )));
            }
            lines.push(Line::from(""));
            let current = self.answers.get(self.index).cloned().flatten();
            for (i, o) in item.options.iter().enumerate() {
                let chosen = match &current {
                    Some(Answer::Value(v)) => *v == i,
                    _ => false,
                } || (item.multi_select && self.ticked.contains(&i));
                let mark = if item.multi_select {
                    if self.ticked.contains(&i) {
                        "[x]"
                    } else {
                        "[ ]"
                    }
                } else if chosen {
                    "▶"
                } else {
                    " "
                };
                let style = if chosen { theme::selected() } else { Style::default() };
                lines.push(Line::from(Span::styled(
                    format!("  {mark} {}  {}", option_key(inst, item, i), display_safe(&o.label)),
                    style,
                )));
            }
            if matches!(current, Some(Answer::Declined)) {
                lines.push(Line::from(Span::styled("  (declined)", theme::warn())));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                "- declined · Backspace previous · Enter next · Ctrl-S save now (incomplete is kept as incomplete)",
                theme::dim(),
            )));
        } else {
            lines.push(Line::from(Span::styled(
                format!(
                    "All {n} items seen — {} answered. Ctrl-S saves; Backspace goes back.",
                    self.answered()
                ),
                theme::title(),
            )));
            lines.push(Line::from(""));
            let text_w = (area.width as usize).saturating_sub(34).max(20);
            for (item, a) in inst.items.iter().zip(&self.answers) {
                lines.push(Line::from(format!(
                    "  {:>2}. {:<text_w$} {}",
                    item.number,
                    fit(&display_safe(&item.text), text_w),
                    Self::answer_text(inst, item, a)
                )));
            }
            lines.push(Line::from(""));
            lines.extend(Self::result_lines(&self.result));
        }
        if let Some(m) = &self.message {
            lines.push(Line::from(Span::styled(display_safe(m).into_owned(), theme::error())));
        }
        // the owner's attribution goes with the form and its result (PHQ-9, GAD-7)
        if !inst.licence.attribution.is_empty() {
            lines.push(Line::from(""));
        }
        for line in &inst.licence.attribution {
            lines.push(Line::from(Span::styled(display_safe(line).into_owned(), theme::dim())));
        }
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    }
}
