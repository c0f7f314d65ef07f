//! Screeners: a client's administrations with each instrument's trend against its bands,
//! giving one item by item from the keyboard, and one result in full.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Wrap};
use ratatui::Frame;
use serde::{Deserialize, Serialize};

use crate::app::message::{AssessMsg, Message};
use crate::domain::client::client_ref;
use crate::domain::dates::{format_date, parse_date};
use crate::domain::draft::DraftKind;
use crate::domain::instruments::{score, Answer, Instrument, Item, ScoreResult, Scoring};
use crate::domain::text::{display_safe, fit};
use crate::keymap::{lookup, Action, Context};
use crate::store::safety::Alert;
use crate::store::screenings::{summary, Screening, TrendPoint};
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{DraftInfo, Handled, SubmitCtx, Submitted, SyncCtx, View};
use crate::ui::widgets::form::FormEvent;
use crate::ui::widgets::list::ListCursor;

/// Instruments with a total, whose trend can be drawn.
fn has_total(i: &Instrument) -> bool {
    matches!(i.scoring, Scoring::Sum(_))
}

fn bands(i: &Instrument) -> Vec<(i32, i32, String)> {
    match &i.scoring {
        Scoring::Sum(s) => s.bands.iter().map(|b| (b.min, b.max, b.label.clone())).collect(),
        _ => Vec::new(),
    }
}

/// "PHQ-9 18 → 11, Moderately severe → Moderate" (first and last result with their bands).
pub fn change_phrase(short_name: &str, points: &[TrendPoint]) -> Option<String> {
    let (first, last) = (points.first()?, points.last()?);
    if points.len() == 1 {
        return Some(format!(
            "{short_name} {}{} (one result)",
            first.total,
            first.band.as_deref().map(|b| format!(", {b}")).unwrap_or_default()
        ));
    }
    let bands = match (&first.band, &last.band) {
        (Some(a), Some(b)) if a == b => format!(", still {b}"),
        (Some(a), Some(b)) => format!(", {a} → {}", b.to_lowercase()),
        _ => String::new(),
    };
    Some(format!(
        "{short_name} {} → {}{bands} ({} to {})",
        first.total,
        last.total,
        format_date(first.on),
        format_date(last.on)
    ))
}

// ---------------------------------------------------------------------------------------------
// The list and trends
// ---------------------------------------------------------------------------------------------

/// One instrument's totals over time, with its bands.
struct Trend {
    id: String,
    short: String,
    points: Vec<TrendPoint>,
    /// (min, max, label)
    bands: Vec<(i32, i32, String)>,
    max: i32,
}

pub struct ScreenersScreen {
    pub client_id: i64,
    list: Vec<Screening>,
    /// Screenings with a safety alert not yet acknowledged.
    open_alerts: Vec<i64>,
    trends: Vec<Trend>,
    trend_shown: usize,
    /// Picking which instrument to give.
    choosing: Option<usize>,
    names: Vec<(String, String)>,
    cursor: ListCursor,
    stale: bool,
}

impl ScreenersScreen {
    pub fn new(client_id: i64) -> Self {
        ScreenersScreen {
            client_id,
            list: Vec::new(),
            open_alerts: Vec::new(),
            trends: Vec::new(),
            trend_shown: 0,
            choosing: None,
            names: Vec::new(),
            cursor: ListCursor::default(),
            stale: true,
        }
    }

    fn render_chart(&self, frame: &mut Frame<'_>, area: Rect) {
        let Some(Trend { short, points, bands, max, .. }) = self.trends.get(self.trend_shown) else { return };
        let phrase =
            change_phrase(short, points).unwrap_or_else(|| format!("{short}: no complete results yet"));
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Trend: {} ", fit(&phrase, area.width.saturating_sub(12) as usize)),
            theme::title(),
        ));
        if points.is_empty() || area.height < 6 {
            frame.render_widget(
                Paragraph::new(Span::styled("No complete results to draw.", theme::dim())).block(block),
                area,
            );
            return;
        }
        let x0 = points.first().map(|p| p.on).unwrap_or_default();
        let x_of = |d: NaiveDate| (d - x0).num_days() as f64;
        let span = points.last().map(|p| x_of(p.on)).unwrap_or(0.0).max(1.0);
        let data: Vec<(f64, f64)> = points.iter().map(|p| (x_of(p.on), f64::from(p.total))).collect();
        // band thresholds as dotted level lines (a dot every few cells), so where a result falls
        // is visible without colour; the legend under the chart names the bands
        let dots = (area.width / 3).max(2) as usize;
        let thresholds: Vec<Vec<(f64, f64)>> = bands
            .iter()
            .skip(1)
            .map(|(min, _, _)| {
                (0..=dots).map(|k| (span * k as f64 / dots as f64, f64::from(*min) - 0.5)).collect()
            })
            .collect();
        let mut sets: Vec<Dataset<'_>> = thresholds
            .iter()
            .map(|t| {
                Dataset::default()
                    .marker(Marker::Dot)
                    .graph_type(GraphType::Scatter)
                    .style(theme::dim())
                    .data(t)
            })
            .collect();
        sets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme::focused())
                .data(&data),
        );
        sets.push(
            Dataset::default()
                .marker(Marker::Block)
                .graph_type(GraphType::Scatter)
                .style(theme::title())
                .data(&data),
        );
        let last = points.last().map(|p| p.on).unwrap_or(x0);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let chart_area = Rect { height: inner.height.saturating_sub(1), ..inner };
        let legend_area = Rect { y: inner.y + inner.height.saturating_sub(1), height: 1, ..inner };
        let chart = Chart::new(sets)
            .x_axis(
                Axis::default()
                    .bounds([0.0, span])
                    .labels(vec![Span::raw(format_date(x0)), Span::raw(format_date(last))]),
            )
            .y_axis(
                Axis::default()
                    .bounds([0.0, f64::from(*max)])
                    .labels(vec![Span::raw("0"), Span::raw(max.to_string())]),
            );
        let legend: Vec<String> = bands.iter().map(|(a, b, l)| format!("{a}–{b} {l}")).collect();
        frame.render_widget(
            Paragraph::new(Span::styled(
                fit(
                    &format!("█ result · ···· band edges: {}", legend.join(" · ")),
                    legend_area.width as usize,
                ),
                theme::dim(),
            )),
            legend_area,
        );
        frame.render_widget(chart, chart_area);
    }
}

impl View for ScreenersScreen {
    fn title(&self) -> &'static str {
        "Screeners"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Screeners, Context::Nav, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Open, Action::Administer, Action::SwitchView, Action::Back, Action::Help]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn captures_text(&self) -> bool {
        self.choosing.is_some()
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn set_area(&mut self, body: Rect) {
        self.cursor.height = (body.height as usize / 2).saturating_sub(3).max(2);
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.list = ctx.store.screenings(self.client_id)?;
            self.open_alerts = ctx
                .store
                .alerts(self.client_id)?
                .iter()
                .filter(|a| a.acknowledged_at.is_none())
                .map(|a| a.screening_id)
                .collect();
            self.names = ctx.instruments.iter().map(|i| (i.id.clone(), i.short_name.clone())).collect();
            self.trends.clear();
            for i in ctx.instruments.iter().filter(|i| has_total(i)) {
                let max = match &i.scoring {
                    Scoring::Sum(s) => s.range.max,
                    _ => 0,
                };
                self.trends.push(Trend {
                    id: i.id.clone(),
                    short: i.short_name.clone(),
                    points: ctx.store.trend(self.client_id, &i.id)?,
                    bands: bands(i),
                    max,
                });
            }
            // show first the instrument given most recently
            if let Some(latest) = self.list.iter().find(|s| s.total.is_some()) {
                if let Some(i) = self.trends.iter().position(|t| t.id == latest.instrument) {
                    self.trend_shown = i;
                }
            }
            self.stale = false;
        }
        self.cursor.clamp(self.list.len());
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if let Some(sel) = self.choosing {
            let n = self.names.len();
            match ev.code {
                KeyCode::Esc => self.choosing = None,
                KeyCode::Up | KeyCode::Char('k') => self.choosing = Some(sel.saturating_sub(1)),
                KeyCode::Down | KeyCode::Char('j') => {
                    self.choosing = Some((sel + 1).min(n.saturating_sub(1)))
                }
                KeyCode::Char(c) if c.is_ascii_digit() => {
                    let i = c.to_digit(10).unwrap_or(0) as usize;
                    if (1..=n).contains(&i) {
                        self.choosing = None;
                        let instrument = self.names[i - 1].0.clone();
                        return Handled::Yes(vec![Message::Assess(AssessMsg::Administer {
                            client_id: self.client_id,
                            instrument,
                        })]);
                    }
                }
                KeyCode::Enter => {
                    self.choosing = None;
                    if let Some((id, _)) = self.names.get(sel) {
                        return Handled::Yes(vec![Message::Assess(AssessMsg::Administer {
                            client_id: self.client_id,
                            instrument: id.clone(),
                        })]);
                    }
                }
                _ => {}
            }
            return Handled::Yes(vec![]);
        }
        let Some(action) = lookup(&[Context::Screeners, Context::Nav], &ev) else { return Handled::No };
        if self.cursor.apply(action, self.list.len()) {
            return Handled::Yes(vec![]);
        }
        match action {
            Action::Open => {
                return Handled::Yes(
                    self.list
                        .get(self.cursor.selected)
                        .map(|s| Message::Assess(AssessMsg::OpenScreening(s.id)))
                        .into_iter()
                        .collect(),
                )
            }
            Action::Administer => self.choosing = Some(0),
            Action::SwitchView => {
                if !self.trends.is_empty() {
                    self.trend_shown = (self.trend_shown + 1) % self.trends.len();
                }
            }
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        }
        Handled::Yes(vec![])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let list_h = (area.height / 2).max(6);
        let top = Rect { height: list_h, ..area };
        let bottom = Rect { y: area.y + list_h, height: area.height.saturating_sub(list_h), ..area };
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" Screeners — {} given ", self.list.len()), theme::title()));
        let inner = block.inner(top);
        frame.render_widget(block, top);
        let mut lines = Vec::new();
        if let Some(sel) = self.choosing {
            lines.push(Line::from(Span::styled(
                "Which screener? (number or Enter; Esc cancels)",
                theme::title(),
            )));
            for (i, (_, name)) in self.names.iter().enumerate() {
                let style = if i == sel { theme::selected() } else { Style::default() };
                lines.push(Line::from(Span::styled(format!("  {}  {}", i + 1, name), style)));
            }
            frame.render_widget(Paragraph::new(lines), inner);
            self.render_chart(frame, bottom);
            return;
        }
        if self.list.is_empty() {
            lines.push(Line::from(Span::styled("None given yet. Press n to give a screener.", theme::dim())));
        }
        let name_of = |id: &str| {
            self.names.iter().find(|(i, _)| i == id).map(|(_, n)| n.clone()).unwrap_or_else(|| id.to_string())
        };
        let w = inner.width as usize;
        let mut cursor = self.cursor;
        cursor.height = inner.height as usize;
        for i in cursor.visible(self.list.len()) {
            let s = &self.list[i];
            let selected = i == self.cursor.selected;
            let style = if selected { theme::selected() } else { Style::default() };
            let alert = if self.open_alerts.contains(&s.id) { "ALERT OPEN " } else { "" };
            let state = if s.entered_in_error { "IN ERROR " } else { "" };
            lines.push(Line::from(Span::styled(
                fit(
                    &format!(
                        "{}{:<7} {}  {:<9} {state}{alert}{}",
                        if selected { "▶ " } else { "  " },
                        s.reference,
                        format_date(s.administered_on),
                        name_of(&s.instrument),
                        summary(&s.result)
                    ),
                    w,
                ),
                style,
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
        self.render_chart(frame, bottom);
    }
}

// ---------------------------------------------------------------------------------------------
// Giving a screener
// ---------------------------------------------------------------------------------------------

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

    fn answer_text(inst: &Instrument, item: &Item, a: &Option<Answer>) -> String {
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

    fn result_lines(result: &ScoreResult) -> Vec<Line<'static>> {
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
                Some(true) => "POSITIVE",
                Some(false) => "negative",
                None => "not answered",
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
                    status.push_str(" SAFETY ALERT raised: acknowledge it with a note (a).");
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
                "YYYY-MM-DD, today, yesterday, -3d · Enter to set, Esc to keep",
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
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    }
}

// ---------------------------------------------------------------------------------------------
// One result
// ---------------------------------------------------------------------------------------------

pub struct ScreeningScreen {
    pub id: i64,
    s: Option<Screening>,
    alerts: Vec<Alert>,
    instrument: Option<Instrument>,
    scroll: u16,
    stale: bool,
}

impl ScreeningScreen {
    pub fn new(id: i64) -> Self {
        ScreeningScreen { id, s: None, alerts: Vec::new(), instrument: None, scroll: 0, stale: true }
    }
}

impl View for ScreeningScreen {
    fn title(&self) -> &'static str {
        "Screener result"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Screening, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        if self.alerts.iter().any(|a| a.acknowledged_at.is_none()) {
            &[Action::Acknowledge, Action::Down, Action::Back, Action::Help]
        } else {
            &[Action::Down, Action::MarkError, Action::Back, Action::Help]
        }
    }
    fn client_id(&self) -> Option<i64> {
        self.s.as_ref().map(|s| s.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            let s = ctx.store.screening(self.id)?;
            self.alerts = ctx.store.alerts_for_screening(self.id)?;
            self.instrument = crate::domain::instruments::find(ctx.instruments, &s.instrument).cloned();
            self.s = Some(s);
            self.stale = false;
        }
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Screening], &ev) else { return Handled::No };
        match action {
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(500),
            Action::Acknowledge => {
                return Handled::Yes(match self.alerts.iter().find(|a| a.acknowledged_at.is_none()) {
                    Some(a) => vec![Message::Assess(AssessMsg::AckAlert(a.id))],
                    None => vec![Message::Status("No open alert on this result.".into())],
                })
            }
            Action::MarkError => {
                return Handled::Yes(vec![Message::Assess(AssessMsg::ScreeningError(self.id))])
            }
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        }
        Handled::Yes(vec![])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let Some(s) = &self.s else { return };
        let name =
            self.instrument.as_ref().map(|i| i.short_name.clone()).unwrap_or_else(|| s.instrument.clone());
        let title = format!(" {} {} — given {} ", name, s.reference, format_date(s.administered_on));
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let mut lines = Vec::new();
        if s.entered_in_error {
            lines.push(Line::from(Span::styled("ENTERED IN ERROR — left out of trends", theme::warn())));
        }
        for a in &self.alerts {
            match (&a.acknowledged_at, &a.ack_note) {
                (Some(at), note) => lines.push(Line::from(Span::styled(
                    format!(
                        "Alert acknowledged {}{}: {}",
                        crate::domain::dates::from_db(at)
                            .map(crate::domain::dates::format_local)
                            .unwrap_or_default(),
                        a.ack_by
                            .as_deref()
                            .filter(|b| !b.is_empty())
                            .map(|b| format!(" by {b}"))
                            .unwrap_or_default(),
                        display_safe(note.as_deref().unwrap_or(""))
                    ),
                    theme::ok(),
                ))),
                (None, _) => lines.push(Line::from(Span::styled(
                    "⚑ SAFETY ALERT OPEN — press a to acknowledge it with a note of what was done",
                    theme::flag(),
                ))),
            }
        }
        lines.extend(AdministerScreen::result_lines(&s.result));
        lines.push(Line::from(""));
        if let Some(inst) = &self.instrument {
            lines.push(Line::from(Span::styled("Answers", theme::title())));
            let text_w = (area.width as usize).saturating_sub(34).max(20);
            for item in &inst.items {
                let a = s.answers.iter().find(|(id, _)| *id == item.id).map(|(_, a)| a.clone());
                lines.push(Line::from(format!(
                    "  {:>2}. {:<text_w$} {}",
                    item.number,
                    fit(&display_safe(&item.text), text_w),
                    AdministerScreen::answer_text(inst, item, &a)
                )));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                format!(
                    "LOINC panel {}{} · scored with {} version {}",
                    inst.loinc.panel,
                    inst.loinc.total.as_deref().map(|t| format!(", total {t}")).unwrap_or_default(),
                    inst.short_name,
                    s.instrument_version
                ),
                theme::dim(),
            )));
            lines
                .push(Line::from(Span::styled(display_safe(&inst.licence.terms).into_owned(), theme::dim())));
        }
        frame.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((self.scroll, 0)),
            area,
        );
    }
}
