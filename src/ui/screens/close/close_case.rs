//! Closing a case, in three steps on one screen: what is still open (a choice for each item),
//! the reason and dates, then the summary drafted from the record to edit and sign. Ctrl-S
//! goes on, Ctrl-B goes back; nothing is saved until the summary is signed, and the three
//! steps are kept together as one draft.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use serde::{Deserialize, Serialize};

use crate::app::message::Message;
use crate::domain::client::{client_ref, FieldError};
use crate::domain::closure::{
    draft_summary, read_close, read_decisions, read_summary, retain_until, CloseDetails, CloseInput,
    ClosureFacts, ClosureReason, Decision, Disposition, OpenItem, TEXT_MAX,
};
use crate::domain::dates::format_date;
use crate::domain::draft::DraftKind;
use crate::domain::text::display_safe;
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{refusal_to_form, DraftInfo, Handled, SubmitCtx, Submitted, View};
use crate::ui::widgets::form::{Field, Form, FormEvent};

pub const ITEM_FIELDS: [&str; 60] = [
    "item_1", "item_2", "item_3", "item_4", "item_5", "item_6", "item_7", "item_8", "item_9", "item_10",
    "item_11", "item_12", "item_13", "item_14", "item_15", "item_16", "item_17", "item_18", "item_19",
    "item_20", "item_21", "item_22", "item_23", "item_24", "item_25", "item_26", "item_27", "item_28",
    "item_29", "item_30", "item_31", "item_32", "item_33", "item_34", "item_35", "item_36", "item_37",
    "item_38", "item_39", "item_40", "item_41", "item_42", "item_43", "item_44", "item_45", "item_46",
    "item_47", "item_48", "item_49", "item_50", "item_51", "item_52", "item_53", "item_54", "item_55",
    "item_56", "item_57", "item_58", "item_59", "item_60",
];
pub const WHY_FIELDS: [&str; 60] = [
    "why_1", "why_2", "why_3", "why_4", "why_5", "why_6", "why_7", "why_8", "why_9", "why_10", "why_11",
    "why_12", "why_13", "why_14", "why_15", "why_16", "why_17", "why_18", "why_19", "why_20", "why_21",
    "why_22", "why_23", "why_24", "why_25", "why_26", "why_27", "why_28", "why_29", "why_30", "why_31",
    "why_32", "why_33", "why_34", "why_35", "why_36", "why_37", "why_38", "why_39", "why_40", "why_41",
    "why_42", "why_43", "why_44", "why_45", "why_46", "why_47", "why_48", "why_49", "why_50", "why_51",
    "why_52", "why_53", "why_54", "why_55", "why_56", "why_57", "why_58", "why_59", "why_60",
];

/// Why the summary was not signed: there is no name to sign with.
const NO_NAME: &str =
    "Not signed yet: the summary is signed with your name, and Settings has none. Add it, then sign.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Checklist,
    Details,
    Summary,
}

/// What the close screen needs, read by the app when it opens it.
pub struct CloseData {
    pub client_id: i64,
    pub client_name: String,
    pub facts: ClosureFacts,
    /// The practitioner's signature (Settings); empty means it cannot be signed yet.
    pub signature: String,
    pub retention_years: u32,
}

pub struct CloseCaseScreen {
    data: CloseData,
    /// The items the checklist asks about (at most `ITEM_FIELDS.len()`).
    items: Vec<OpenItem>,
    /// Items beyond what one checklist holds: left open.
    overflow: usize,
    pub step: Step,
    checklist: Form,
    details: Form,
    summary: Form,
    decisions: Vec<Decision>,
    close: Option<CloseDetails>,
}

/// The draft of all three steps: each item's choice by the item (never by position, so a
/// list that changed meanwhile never puts one item's choice on another).
#[derive(Serialize, Deserialize, Default)]
struct Payload {
    step: Option<Step>,
    items: BTreeMap<String, (String, String)>,
    details: BTreeMap<String, String>,
    summary: BTreeMap<String, String>,
    /// The field the cursor was in on that step, and where: (field id, line, column). Drafts
    /// written before it was kept have none.
    #[serde(default)]
    at: Option<(String, usize, usize)>,
}

fn item_key(i: &OpenItem) -> String {
    format!("{}:{}", i.kind, i.id)
}

fn checklist_form(items: &[OpenItem], today: NaiveDate) -> Form {
    let mut fields = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let options: Vec<(&str, &str)> =
            item.choices.iter().map(|c| (c.disposition.as_str(), c.label)).collect();
        let needs: Vec<&str> = item.choices.iter().filter(|c| c.needs_text).map(|c| c.label).collect();
        let help = if needs.is_empty() {
            "Left open, it comes back if the case is reopened.".to_string()
        } else {
            format!("{} needs words below.", needs.join(" / "))
        };
        fields.push(Field::choice(ITEM_FIELDS[i], "What to do", &options).heading(&item.label).help(&help));
        fields.push(Field::text(WHY_FIELDS[i], "Why / what was done").max(TEXT_MAX).help(
            "Why it is cancelled, how it ended, or what was done about the alert; kept in the record.",
        ));
    }
    let mut f = Form::new("What is still open", fields, today);
    f.dirty = false;
    f
}

fn details_form(today: NaiveDate) -> Form {
    let mut reasons: Vec<(&str, &str)> = vec![("", "(choose a reason)")];
    reasons.extend(ClosureReason::ALL.iter().map(|r| (r.as_str(), r.label())));
    let mut f = Form::new(
        "Closing the case",
        vec![
            Field::choice("reason", "Reason for closing", &reasons).required(),
            Field::text("reason_note", "In a few words")
                .max(TEXT_MAX)
                .help("Needed for \"other\"; optional otherwise."),
            Field::date("closed_on", "Closing date"),
            Field::date("follow_up_on", "Post-closure follow-up")
                .help("A day to check in after closing; it shows on Today. Leave empty for none."),
            Field::multiline("follow_up_plan", "Follow-up plan", 3)
                .help("What the follow-up is for, who does it."),
        ],
        today,
    );
    f.set_value("closed_on", &format_date(today));
    f.dirty = false;
    f
}

fn summary_form(today: NaiveDate) -> Form {
    let mut f = Form::new(
        "Closing summary",
        vec![Field::multiline(
            "summary",
            "Closing summary (drafted from the record: read it, edit it, sign it)",
            10,
        )],
        today,
    );
    f.dirty = false;
    f
}

impl CloseCaseScreen {
    pub fn new(data: CloseData, today: NaiveDate) -> Self {
        let max = ITEM_FIELDS.len();
        let items: Vec<OpenItem> = data.facts.open_items.iter().take(max).cloned().collect();
        let overflow = data.facts.open_items.len().saturating_sub(max);
        let step = if items.is_empty() { Step::Details } else { Step::Checklist };
        CloseCaseScreen {
            checklist: checklist_form(&items, today),
            details: details_form(today),
            summary: summary_form(today),
            items,
            overflow,
            step,
            decisions: Vec::new(),
            close: None,
            data,
        }
    }

    fn active(&self) -> &Form {
        match self.step {
            Step::Checklist => &self.checklist,
            Step::Details => &self.details,
            Step::Summary => &self.summary,
        }
    }

    fn active_mut(&mut self) -> &mut Form {
        match self.step {
            Step::Checklist => &mut self.checklist,
            Step::Details => &mut self.details,
            Step::Summary => &mut self.summary,
        }
    }

    /// The summary as drafted now (for tests and the first view of step 3).
    pub fn summary_text(&self) -> String {
        self.summary.value("summary")
    }

    fn typed_decisions(&self) -> Vec<(String, String)> {
        (0..self.items.len())
            .map(|i| (self.checklist.value(ITEM_FIELDS[i]), self.checklist.value(WHY_FIELDS[i])))
            .collect()
    }

    fn read_checklist(&mut self) -> bool {
        match read_decisions(&self.items, &self.typed_decisions()) {
            Ok(d) => {
                self.decisions = d;
                self.checklist.clear_errors();
                true
            }
            Err(errors) => {
                let errors: Vec<FieldError> = errors
                    .into_iter()
                    .map(|(i, message)| FieldError { field: WHY_FIELDS[i], message })
                    .collect();
                self.checklist.set_errors(&errors);
                false
            }
        }
    }

    fn close_input(&self) -> CloseInput {
        CloseInput {
            reason: self.details.value("reason"),
            reason_note: self.details.value("reason_note"),
            closed_on: self.details.value("closed_on"),
            follow_up_on: self.details.value("follow_up_on"),
            follow_up_plan: self.details.value("follow_up_plan"),
        }
    }

    fn read_details(&mut self, today: NaiveDate) -> bool {
        if !self.details.check_fields() {
            return false;
        }
        let read = read_close(&self.close_input(), today, self.data.facts.opened_on).and_then(|d| {
            crate::domain::closure::check_consents_kept(&self.decisions, &d).map(|_| d).map_err(|e| vec![e])
        });
        match read {
            Ok(d) => {
                self.details.clear_errors();
                self.close = Some(d);
                true
            }
            Err(errors) => {
                self.details.set_errors(&errors);
                false
            }
        }
    }

    /// Drafts the summary unless the practitioner has already edited it.
    fn draft(&mut self) {
        if self.summary.dirty {
            self.summary.notice = Some("Your edits to the summary are kept.".into());
            return;
        }
        if let Some(d) = &self.close {
            let text = draft_summary(&self.data.facts, &self.decisions, d);
            self.summary.set_value("summary", &text);
            self.summary.place_cursor("summary", 0, 0);
            self.summary.dirty = false;
        }
    }

    fn step_title(&self) -> String {
        let who = format!("{} {}", display_safe(&self.data.client_name), client_ref(self.data.client_id));
        let (n, what) = match self.step {
            Step::Checklist => (1, "what is still open"),
            Step::Details => (2, "reason and dates"),
            Step::Summary => (3, "the closing summary"),
        };
        format!(" Closing the case of {who} · step {n} of 3: {what} ")
    }

    fn aside(&self) -> Vec<Line<'static>> {
        let mut out: Vec<Line<'static>> = Vec::new();
        let dim = |s: String| Line::from(Span::styled(s, theme::dim()));
        match self.step {
            Step::Checklist => {
                out.push(Line::from("Choose for each item what closing does with it."));
                out.push(dim("Nothing changes until the summary is signed.".into()));
                if self.overflow > 0 {
                    out.push(Line::from(Span::styled(
                        format!(
                            "{} more items are left open; deal with them from their screens.",
                            self.overflow
                        ),
                        theme::warn(),
                    )));
                }
                let raised: Vec<String> = self
                    .data
                    .facts
                    .risks
                    .iter()
                    .filter(|r| r.lowered_on.is_none())
                    .map(|r| format!("Risk flag {} ({}, {}) is still raised", r.reference, r.area, r.level))
                    .collect();
                if !self.data.facts.also_open.is_empty() || !raised.is_empty() {
                    out.push(Line::from(""));
                    out.push(Line::from("These stay as they are:"));
                    for a in raised.iter().chain(&self.data.facts.also_open) {
                        out.push(dim(format!("  {}", display_safe(a))));
                    }
                }
            }
            Step::Details => {
                out.push(Line::from(format!(
                    "Episode {} opened {}.",
                    self.data.facts.episode_number,
                    format_date(self.data.facts.opened_on)
                )));
                let changes = self.decisions.iter().filter(|d| d.disposition != Disposition::Leave).count();
                let left = self.items.len() + self.overflow - changes;
                let n = |k: usize| crate::domain::words::count(k, "item", "items");
                out.push(dim(format!("{} dealt with at closure, {} left open.", n(changes), n(left))));
                out.push(dim(format!(
                    "The file may be destroyed {} after the closing date (Settings).",
                    crate::domain::words::count(self.data.retention_years, "year", "years")
                )));
                match &self.data.facts.evaluation {
                    Some(e) if e.occasion == "closure" => out.push(dim(format!(
                        "Evaluated at closure on {} ({}): the summary includes it.",
                        format_date(e.on),
                        e.reference
                    ))),
                    _ => out.push(dim(
                        "No evaluation at closure yet: on the case plan (g), v records each goal's \
                         outcome and the client's feedback."
                            .into(),
                    )),
                }
            }
            Step::Summary => {
                if let Some(d) = &self.close {
                    out.push(Line::from(format!(
                        "Closing {} ({}).",
                        format_date(d.closed_on),
                        d.reason.label().to_lowercase()
                    )));
                    out.push(dim(format!(
                        "Kept at least until {}.",
                        format_date(retain_until(d.closed_on, self.data.retention_years))
                    )));
                }
                if self.data.signature.trim().is_empty() {
                    out.push(Line::from(Span::styled(
                        format!(
                            "Your name is not set yet: the summary is signed with it. {} asks for it.",
                            key_label(Context::CloseCase, Action::Save)
                        ),
                        theme::error(),
                    )));
                } else {
                    out.push(Line::from(format!(
                        "Ctrl-S signs it as {} and closes the case.",
                        display_safe(&self.data.signature)
                    )));
                }
            }
        }
        out
    }
}

impl View for CloseCaseScreen {
    fn title(&self) -> &'static str {
        "Close case"
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::CloseCase, Context::Form]
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::PrevStep, Action::NextField, Action::ChoiceNext, Action::Cancel]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.data.client_id)
    }

    fn signs(&self) -> bool {
        true
    }

    fn settings_changed(&mut self, settings: &crate::domain::settings::Settings) {
        self.data.signature = settings.signature();
        // the reason it could not sign is gone with the name
        if !self.data.signature.is_empty() && self.summary.notice.as_deref() == Some(NO_NAME) {
            self.summary.notice = None;
        }
    }

    fn form(&self) -> Option<&Form> {
        Some(self.active())
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        Some(self.active_mut())
    }

    fn dirty(&self) -> bool {
        self.checklist.dirty || self.details.dirty || self.summary.dirty
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if lookup(&[Context::CloseCase], &ev) == Some(Action::PrevStep) {
            self.step = match self.step {
                Step::Summary => Step::Details,
                Step::Details if !self.items.is_empty() => Step::Checklist,
                other => other,
            };
            return Handled::Yes(vec![]);
        }
        let e = self.active_mut().handle_key(ev);
        Handled::Form(e)
    }

    fn paste(&mut self, text: &str) -> bool {
        self.active_mut().paste(text) == FormEvent::Changed
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        frame.render_widget(Paragraph::new(Span::styled(self.step_title(), theme::title())), top);
        let aside = self.aside();
        let block =
            Block::default().borders(Borders::ALL).title(Span::styled(" About this step ", theme::title()));
        if body.width >= 120 {
            let [form, panel] = Layout::horizontal([Constraint::Min(70), Constraint::Length(46)]).areas(body);
            self.active().render(frame, form);
            frame.render_widget(Paragraph::new(aside).block(block).wrap(Wrap { trim: false }), panel);
        } else {
            let h = (aside.len() as u16 + 2).min(body.height / 4 + 1).max(3);
            let [form, panel] = Layout::vertical([Constraint::Min(6), Constraint::Length(h)]).areas(body);
            self.active().render(frame, form);
            frame.render_widget(Paragraph::new(aside).block(block).wrap(Wrap { trim: false }), panel);
        }
    }

    fn draft(&self) -> Option<DraftInfo> {
        Some(DraftInfo {
            key: format!("close-case:{}", self.data.client_id),
            kind: DraftKind::CloseCase,
            client_id: Some(self.data.client_id),
            title: format!("Closing the case of {}", client_ref(self.data.client_id)),
        })
    }

    fn draft_payload(&self) -> Option<(String, u64)> {
        if !self.dirty() {
            return None;
        }
        let mut p = Payload { step: Some(self.step), ..Default::default() };
        for (i, item) in self.items.iter().enumerate() {
            p.items.insert(
                item_key(item),
                (self.checklist.value(ITEM_FIELDS[i]), self.checklist.value(WHY_FIELDS[i])),
            );
        }
        p.details = self.details.values();
        if self.summary.dirty {
            p.summary = self.summary.values();
        }
        p.at = self.active().position();
        let forms = [&self.checklist, &self.details, &self.summary];
        let edits = forms.iter().map(|f| f.edits + f.moves).sum();
        Some((serde_json::to_string(&p).unwrap_or_default(), edits))
    }

    fn restore_draft(&mut self, payload: &str) -> bool {
        let Ok(p) = serde_json::from_str::<Payload>(payload) else { return false };
        for (i, item) in self.items.iter().enumerate() {
            if let Some((choice, why)) = p.items.get(&item_key(item)) {
                let kept = BTreeMap::from([
                    (ITEM_FIELDS[i].to_string(), choice.clone()),
                    (WHY_FIELDS[i].to_string(), why.clone()),
                ]);
                self.checklist.restore_values(&kept);
                self.checklist.dirty = true;
            }
        }
        if !p.details.is_empty() {
            self.details.restore_values(&p.details);
            self.details.dirty = true;
        }
        if !p.summary.is_empty() {
            self.summary.restore_values(&p.summary);
            self.summary.dirty = true;
        }
        // walk forward again only as far as the restored steps still hold
        let today = self.details.today;
        let want = p.step.unwrap_or(Step::Checklist);
        if want != Step::Checklist && (self.items.is_empty() || self.read_checklist()) {
            self.step = Step::Details;
            if want == Step::Summary && self.read_details(today) {
                self.draft();
                self.step = Step::Summary;
            }
        }
        self.checklist.clear_errors();
        if let Some((id, row, col)) = &p.at {
            self.active_mut().set_position(id, *row, *col);
        }
        self.active_mut().notice = Some("Restored what you had not saved.".into());
        true
    }

    fn submit(&mut self, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        match self.step {
            // a step that goes on is no refusal: nothing is saved until the summary is signed
            Step::Checklist => {
                if !self.read_checklist() {
                    return Ok(Submitted::Stay);
                }
                self.step = Step::Details;
                Ok(Submitted::Then(vec![]))
            }
            Step::Details => {
                if !self.read_details(ctx.today) {
                    return Ok(Submitted::Stay);
                }
                self.draft();
                self.step = Step::Summary;
                Ok(Submitted::Then(vec![]))
            }
            Step::Summary => {
                let text = match read_summary(&self.summary.value("summary")) {
                    Ok(t) => t,
                    Err(e) => {
                        self.summary.set_errors(&[e]);
                        return Ok(Submitted::Stay);
                    }
                };
                let Some(details) = self.close.clone() else {
                    self.step = Step::Details;
                    self.details.notice =
                        Some("Nothing was signed: check the reason and dates again, then go on.".into());
                    return Ok(Submitted::Stay);
                };
                let by = ctx.settings.signature();
                if by.trim().is_empty() {
                    // the closure waits (nothing is lost): ask for the name, then Ctrl-S again
                    let why = NO_NAME.to_string();
                    self.summary.notice = Some(why.clone());
                    return Ok(Submitted::Then(vec![Message::Status(why), Message::AskName]));
                }
                match ctx.store.close_case(
                    self.data.client_id,
                    &details,
                    &self.decisions,
                    &text,
                    &by,
                    ctx.now,
                ) {
                    Ok(id) => Ok(Submitted::Done {
                        status: format!(
                            "Case of {} closed ({}), summary signed. {} on the file reopens it.",
                            client_ref(self.data.client_id),
                            crate::domain::closure::closure_ref(id),
                            key_label(Context::ClientFile, Action::Reopen)
                        ),
                        then: vec![],
                    }),
                    Err(e) => refusal_to_form(&mut self.summary, e),
                }
            }
        }
    }
}
