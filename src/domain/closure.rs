//! Ending an episode of service and keeping the file (see `case-record.md` §7 and §8): the
//! reasons for closing, what may be done with each item still open, the closing details a
//! person types, the same-day undo and reopening rules, the retention date, and the closing
//! summary drafted from the record for the practitioner to edit and sign.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::assessment::{make_ref, parse_ref};
use super::client::FieldError;
use super::dates::{format_date, local_day_of, parse_date};
use super::record::RecordKind;
use super::text::{clean_line, clean_multiline};
use super::words::count;

/// Longest reason, outcome or follow-up plan typed at closure.
pub const TEXT_MAX: usize = 2_000;
/// Longest closing summary (it is edited in the multi-line editor).
pub const SUMMARY_MAX: usize = 50_000;

pub fn closure_ref(id: i64) -> String {
    make_ref("CL", id)
}

/// `CL-3`, `cl3` or `3`.
pub fn parse_closure_ref(s: &str) -> Option<i64> {
    parse_ref("CL", s)
}

/// Why a case is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClosureReason {
    GoalsMet,
    ClientWithdrew,
    MovedAway,
    Transferred,
    NoContact,
    Died,
    Other,
}

impl ClosureReason {
    pub const ALL: &'static [Self] = &[
        Self::GoalsMet,
        Self::ClientWithdrew,
        Self::MovedAway,
        Self::Transferred,
        Self::NoContact,
        Self::Died,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::GoalsMet => "goals-met",
            Self::ClientWithdrew => "client-withdrew",
            Self::MovedAway => "moved-away",
            Self::Transferred => "transferred",
            Self::NoContact => "no-contact",
            Self::Died => "died",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::GoalsMet => "Goals met",
            Self::ClientWithdrew => "Client withdrew",
            Self::MovedAway => "Moved away",
            Self::Transferred => "Transferred or referred elsewhere",
            Self::NoContact => "No contact",
            Self::Died => "Client died",
            Self::Other => "Other",
        }
    }

    /// The stored word or the label, in any case, with spaces or hyphens.
    pub fn parse(s: &str) -> Option<Self> {
        let key: String = s
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join("-");
        Self::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == key || r.label().to_lowercase().replace(' ', "-") == key)
            .or(match key.as_str() {
                "transfer" | "referred" | "referred-elsewhere" => Some(Self::Transferred),
                "withdrew" | "withdrawn" => Some(Self::ClientWithdrew),
                "moved" => Some(Self::MovedAway),
                "deceased" => Some(Self::Died),
                _ => None,
            })
    }
}

/// What is done at closure with an item still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Disposition {
    /// Completed, done, signed or acknowledged, as the item allows.
    Complete,
    /// Cancelled, with a reason.
    Cancel,
    /// Left as it is: it stays open (and shows again if the case is reopened).
    Leave,
}

impl Disposition {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Complete => "complete",
            Self::Cancel => "cancel",
            Self::Leave => "leave",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "complete" => Some(Self::Complete),
            "cancel" => Some(Self::Cancel),
            "leave" => Some(Self::Leave),
            _ => None,
        }
    }
}

/// One thing a person may choose for an item, in that item's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub disposition: Disposition,
    pub label: &'static str,
    /// The item's text field must say why (a cancellation) or what was done (an alert).
    pub needs_text: bool,
}

const LEAVE: Choice = Choice { disposition: Disposition::Leave, label: "Leave open", needs_text: false };
const CANCEL: Choice =
    Choice { disposition: Disposition::Cancel, label: "Cancel (say why)", needs_text: true };

/// Something still open when a case is closed: an active goal, an action item, an advocacy
/// item, an unacknowledged alert, an unsigned note, a referral.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenItem {
    /// The record kind, as the timeline names it.
    pub kind: RecordKind,
    pub id: i64,
    /// `G-3`, `AI-7`...
    pub reference: String,
    /// What it is, in a line: "Goal G-3 (active): Find a stable home".
    pub label: String,
    /// Allowed choices, "leave open" first (the safe default).
    pub choices: Vec<Choice>,
}

impl OpenItem {
    pub fn choice(&self, d: Disposition) -> Option<&Choice> {
        self.choices.iter().find(|c| c.disposition == d)
    }
}

/// Choices for a goal: only an active goal can be completed (the goal lifecycle).
pub fn goal_choices(status: super::goal::GoalStatus) -> Vec<Choice> {
    let mut c = vec![LEAVE];
    if status == super::goal::GoalStatus::Active {
        c.push(Choice { disposition: Disposition::Complete, label: "Complete", needs_text: false });
    }
    c.push(CANCEL);
    c
}

pub fn action_item_choices() -> Vec<Choice> {
    vec![LEAVE, Choice { disposition: Disposition::Complete, label: "Done", needs_text: false }, CANCEL]
}

/// An advocacy item is closed with its outcome (the text says how it ended).
pub fn advocacy_choices() -> Vec<Choice> {
    vec![
        LEAVE,
        Choice { disposition: Disposition::Complete, label: "Close with the outcome", needs_text: true },
        Choice { disposition: Disposition::Cancel, label: "Withdraw (say why)", needs_text: true },
    ]
}

/// A safety alert is acknowledged with a note of what was done; it is never cancelled.
pub fn alert_choices() -> Vec<Choice> {
    vec![
        LEAVE,
        Choice {
            disposition: Disposition::Complete,
            label: "Acknowledge (say what was done)",
            needs_text: true,
        },
    ]
}

/// An unsigned note can be signed now; a signed note is locked.
pub fn note_choices() -> Vec<Choice> {
    vec![
        Choice { disposition: Disposition::Leave, label: "Leave unsigned", needs_text: false },
        Choice { disposition: Disposition::Complete, label: "Sign it now", needs_text: false },
    ]
}

/// A referral still open at closure: completed only once the client is in service (the
/// referral state machine); cancelled from any open state, saying why.
pub fn referral_choices(status: super::referral::ReferralStatus) -> Vec<Choice> {
    let mut c = vec![LEAVE];
    if status == super::referral::ReferralStatus::InService {
        c.push(Choice {
            disposition: Disposition::Complete,
            label: "Completed (service received)",
            needs_text: false,
        });
    }
    c.push(CANCEL);
    c
}

/// A decision for one open item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub kind: RecordKind,
    pub id: i64,
    pub disposition: Disposition,
    pub text: String,
}

/// Reads the choice and text typed for each item (in the items' order). Errors are given by
/// item position with a message.
pub fn read_decisions(
    items: &[OpenItem],
    typed: &[(String, String)],
) -> Result<Vec<Decision>, Vec<(usize, String)>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let (choice, text) = typed.get(i).cloned().unwrap_or_default();
        let d = Disposition::parse(&choice).unwrap_or(Disposition::Leave);
        let Some(c) = item.choice(d) else {
            errors.push((i, format!("\"{}\" is not possible for this item.", d.as_str())));
            continue;
        };
        let text = clean_multiline(&text).trim().to_string();
        if c.needs_text && text.is_empty() {
            let msg = match (item.kind, d) {
                (RecordKind::Alert, _) => "Say what was done about the alert.",
                (RecordKind::Advocacy, Disposition::Complete) => {
                    "Say how it ended (won the appeal, repairs done...)."
                }
                _ => "Say why it is cancelled.",
            };
            errors.push((i, msg.to_string()));
            continue;
        }
        if text.chars().count() > TEXT_MAX {
            errors.push((i, format!("Too long: at most {TEXT_MAX} characters.")));
            continue;
        }
        out.push(Decision { kind: item.kind, id: item.id, disposition: d, text });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The closing details as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CloseInput {
    pub reason: String,
    pub reason_note: String,
    pub closed_on: String,
    pub follow_up_on: String,
    pub follow_up_plan: String,
}

/// The closing details, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CloseDetails {
    pub reason: ClosureReason,
    pub reason_note: String,
    pub closed_on: NaiveDate,
    pub follow_up_on: Option<NaiveDate>,
    pub follow_up_plan: String,
}

fn err(errors: &mut Vec<FieldError>, field: &'static str, message: impl Into<String>) {
    if !errors.iter().any(|e| e.field == field) {
        errors.push(FieldError { field, message: message.into() });
    }
}

/// Checks the closing details: a reason (and words for "other"), a closing date between the
/// episode's opening and today, a follow-up date not before the closing date.
pub fn read_close(
    input: &CloseInput,
    today: NaiveDate,
    opened_on: NaiveDate,
) -> Result<CloseDetails, Vec<FieldError>> {
    let mut errors = Vec::new();
    let reason = ClosureReason::parse(&input.reason);
    if reason.is_none() {
        let options: Vec<&str> = ClosureReason::ALL.iter().map(|r| r.as_str()).collect();
        err(
            &mut errors,
            "reason",
            if input.reason.trim().is_empty() {
                "Choose why the case is closing.".to_string()
            } else {
                format!(
                    "{} is not a reason for closing. Use one of: {}.",
                    crate::domain::text::quote(input.reason.trim()),
                    options.join(", ")
                )
            },
        );
    }
    let reason_note = clean_line(&input.reason_note).trim().to_string();
    if reason == Some(ClosureReason::Other) && reason_note.is_empty() {
        err(&mut errors, "reason_note", "Say why the case is closing (the reason is \"other\").");
    }
    if reason_note.chars().count() > TEXT_MAX {
        err(&mut errors, "reason_note", format!("Too long: at most {TEXT_MAX} characters."));
    }
    let closed_on = if input.closed_on.trim().is_empty() {
        Some(today)
    } else {
        match parse_date(&input.closed_on, today) {
            Ok(d) => Some(d),
            Err(m) => {
                err(&mut errors, "closed_on", m);
                None
            }
        }
    };
    if let Some(d) = closed_on {
        if d > today {
            err(&mut errors, "closed_on", "A case is closed on a day that has come: today or earlier.");
        } else if d < opened_on {
            err(
                &mut errors,
                "closed_on",
                format!("The episode opened on {}; it cannot close before that.", format_date(opened_on)),
            );
        }
    }
    let follow_up_on = if input.follow_up_on.trim().is_empty() {
        None
    } else {
        match parse_date(&input.follow_up_on, today) {
            Ok(d) => Some(d),
            Err(m) => {
                err(&mut errors, "follow_up_on", m);
                None
            }
        }
    };
    if let (Some(f), Some(c)) = (follow_up_on, closed_on) {
        if f < c {
            err(&mut errors, "follow_up_on", "The follow-up comes after the closing date.");
        }
    }
    let follow_up_plan = clean_multiline(&input.follow_up_plan).trim().to_string();
    if follow_up_plan.chars().count() > TEXT_MAX {
        err(&mut errors, "follow_up_plan", format!("Too long: at most {TEXT_MAX} characters."));
    }
    match (reason, closed_on, errors.is_empty()) {
        (Some(reason), Some(closed_on), true) => {
            Ok(CloseDetails { reason, reason_note, closed_on, follow_up_on, follow_up_plan })
        }
        _ => Err(errors),
    }
}

/// Checks a summary before it is signed: something written, not too long.
pub fn read_summary(text: &str) -> Result<String, FieldError> {
    let s = clean_multiline(text).trim_end().to_string();
    if s.trim().is_empty() {
        return Err(FieldError {
            field: "summary",
            message: "Write the closing summary: it cannot be empty.".into(),
        });
    }
    if s.chars().count() > SUMMARY_MAX {
        return Err(FieldError {
            field: "summary",
            message: format!("Too long: at most {SUMMARY_MAX} characters."),
        });
    }
    Ok(s)
}

/// The day after which a closed file may be destroyed: the closing day, `years` later
/// (29 February becomes 28 February).
pub fn retain_until(closed_on: NaiveDate, years: u32) -> NaiveDate {
    let y = closed_on.year() + years as i32;
    NaiveDate::from_ymd_opt(y, closed_on.month(), closed_on.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, closed_on.month(), 28))
        .unwrap_or(NaiveDate::MAX)
}

/// True when the retention period has run out (the day itself counts as past).
pub fn past_retention(closed_on: NaiveDate, years: u32, today: NaiveDate) -> bool {
    retain_until(closed_on, years) <= today
}

/// A closure recorded today (local day) may be undone: it was a mistake, and the same episode
/// goes on. A later reopening starts a new episode.
pub fn can_undo(recorded_at: DateTime<Utc>, now: DateTime<Utc>, offset_secs: i64) -> bool {
    local_day_of(recorded_at, offset_secs) == local_day_of(now, offset_secs)
}

/// How a closed case is opened again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReopenMode {
    /// The closure was a mistake today: undone, the same episode goes on.
    Undo,
    /// The client is back: a new episode starts; the closed one stays as it was.
    NewEpisode,
}

impl ReopenMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Undo => "undo",
            Self::NewEpisode => "new-episode",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Undo => "Undo today's closure (same episode)",
            Self::NewEpisode => "Start a new episode",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "undo" => Some(Self::Undo),
            "new-episode" | "new" => Some(Self::NewEpisode),
            _ => None,
        }
    }
}

/// The ways a closed case may be opened again: undo only on the day the closure was recorded.
pub fn reopen_modes(undo_allowed: bool) -> Vec<ReopenMode> {
    if undo_allowed {
        vec![ReopenMode::Undo, ReopenMode::NewEpisode]
    } else {
        vec![ReopenMode::NewEpisode]
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReopenInput {
    pub mode: String,
    pub reason: String,
    pub opened_on: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reopen {
    pub mode: ReopenMode,
    pub reason: String,
    /// The new episode's first day (a new episode only).
    pub opened_on: NaiveDate,
}

/// Checks a reopening: an allowed mode, a reason, and for a new episode a start day between
/// the closing day and today.
pub fn read_reopen(
    input: &ReopenInput,
    today: NaiveDate,
    closed_on: NaiveDate,
    undo_allowed: bool,
) -> Result<Reopen, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mode = ReopenMode::parse(&input.mode);
    match mode {
        None => err(&mut errors, "mode", "Choose how to reopen the case."),
        Some(ReopenMode::Undo) if !undo_allowed => err(
            &mut errors,
            "mode",
            "A closure can be undone only on the day it was recorded; start a new episode instead.",
        ),
        _ => {}
    }
    let reason = clean_line(&input.reason).trim().to_string();
    if reason.is_empty() {
        err(
            &mut errors,
            "reason",
            if mode == Some(ReopenMode::Undo) {
                "Say why the closure is undone (e.g. closed the wrong client)."
            } else {
                "Say why the client is back (e.g. new referral from the GP)."
            },
        );
    } else if reason.chars().count() > TEXT_MAX {
        err(&mut errors, "reason", format!("Too long: at most {TEXT_MAX} characters."));
    }
    let opened_on = if input.opened_on.trim().is_empty() {
        Some(today)
    } else {
        match parse_date(&input.opened_on, today) {
            Ok(d) => Some(d),
            Err(m) => {
                err(&mut errors, "opened_on", m);
                None
            }
        }
    };
    if mode == Some(ReopenMode::NewEpisode) {
        if let Some(d) = opened_on {
            if d > today {
                err(&mut errors, "opened_on", "A new episode starts today or earlier.");
            } else if d < closed_on {
                err(
                    &mut errors,
                    "opened_on",
                    format!(
                        "The case closed on {}; the new episode starts after that.",
                        format_date(closed_on)
                    ),
                );
            }
        }
    }
    match (mode, opened_on, errors.is_empty()) {
        (Some(mode), Some(opened_on), true) => Ok(Reopen { mode, reason, opened_on }),
        _ => Err(errors),
    }
}

// ---------------------------------------------------------------------------------------------
// The closing summary
// ---------------------------------------------------------------------------------------------

/// A goal as the summary tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalFact {
    pub reference: String,
    pub statement: String,
    /// Its status now, in words ("active", "completed").
    pub status: String,
    /// How it was going at the last review ("improving").
    pub achievement: String,
    /// The outcome given at the latest evaluation, in words.
    pub outcome: Option<String>,
    /// Progress towards the target, when measured.
    pub progress: Option<String>,
}

/// A referral and where it ended (filled once referrals are recorded; see `store::closure`).
#[derive(Debug, Clone, PartialEq)]
pub struct ReferralFact {
    pub reference: String,
    /// The service or provider.
    pub to: String,
    /// Its last state, in words ("completed", "declined by provider").
    pub state: String,
    /// Since when (the last change), if known.
    pub since: Option<NaiveDate>,
    /// The reason or note given with the last change.
    pub note: String,
}

/// One result of a screener, as the summary tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenPoint {
    pub on: NaiveDate,
    pub total: Option<i32>,
    /// "14, moderate" or "needs: housing, food".
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScreenerFact {
    pub name: String,
    pub first: ScreenPoint,
    /// The last result, when there was more than one.
    pub last: Option<ScreenPoint>,
}

/// Contacts recorded in case notes during the episode (notes entered in error left out).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactFacts {
    pub notes: usize,
    /// (contact type in words, how many), most frequent first.
    pub by_type: Vec<(String, usize)>,
    pub minutes: i64,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

/// Everything the summary is drafted from; the store fills it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosureFacts {
    pub episode_number: i64,
    pub opened_on: NaiveDate,
    pub goals: Vec<GoalFact>,
    /// None while referrals are not recorded by this version.
    pub referrals: Option<Vec<ReferralFact>>,
    pub screeners: Vec<ScreenerFact>,
    pub contacts: ContactFacts,
    /// The items the closing checklist asks about.
    pub open_items: Vec<OpenItem>,
    /// Other things that stay as they are (open risk flags, transition follow-ups...), in words.
    pub also_open: Vec<String>,
    /// The latest evaluation of the episode (the plan's `v`), if one was recorded.
    pub evaluation: Option<EvaluationFact>,
}

/// The client's view at the latest evaluation of the episode, for the closing summary.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EvaluationFact {
    pub reference: String,
    pub on: NaiveDate,
    /// "review" or "closure".
    pub occasion: String,
    /// 1–5, when the client gave one.
    pub satisfaction: Option<i64>,
    /// The client's words.
    pub feedback: String,
}

/// "3 h 05 min", "45 min".
pub fn hours_minutes(minutes: i64) -> String {
    if minutes < 60 {
        format!("{minutes} min")
    } else {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    }
}

/// "about 7 months", "12 days".
fn duration_words(from: NaiveDate, to: NaiveDate) -> String {
    let days = (to - from).num_days().max(0);
    match days {
        0 => "the same day".to_string(),
        1..=59 => count(days, "day", "days"),
        60..=729 => format!("about {} months", (days as f64 / 30.44).round() as i64),
        _ => format!("about {} years", (days as f64 / 365.25 * 10.0).round() / 10.0),
    }
}

/// A line without the full stop (or colon) it may end with, to go on with more words.
fn unstop(s: &str) -> &str {
    s.trim_end().trim_end_matches(['.', ':', ';', ','])
}

/// What a decision does to an item, in the summary's words.
fn decided(item: &OpenItem, d: &Decision) -> String {
    let text = if d.text.is_empty() { String::new() } else { format!(": {}", d.text) };
    match (item.kind, d.disposition) {
        (_, Disposition::Leave) => "left open".to_string(),
        (RecordKind::Note, Disposition::Complete) => "signed at closure".to_string(),
        (RecordKind::Alert, Disposition::Complete) => format!("acknowledged at closure{text}"),
        (RecordKind::Advocacy, Disposition::Complete) => format!("closed at closure{text}"),
        (RecordKind::Advocacy, Disposition::Cancel) => format!("withdrawn at closure{text}"),
        (RecordKind::ActionItem, Disposition::Complete) => "done at closure".to_string(),
        (_, Disposition::Complete) => "completed at closure".to_string(),
        (_, Disposition::Cancel) => format!("cancelled at closure{text}"),
    }
}

/// A goal's or referral's state with what closing does to it: "active, left open",
/// "cancelled at closure: moved away (was active)".
fn with_decision(state: &str, item: &OpenItem, d: &Decision) -> String {
    match d.disposition {
        Disposition::Leave => format!("{state}, left open"),
        _ => format!("{} (was {state})", decided(item, d)),
    }
}

/// The closing summary drafted from the record, for the practitioner to edit and sign. It
/// takes the decisions about the open items as planned (not yet saved), so the text says what
/// closing will do.
pub fn draft_summary(facts: &ClosureFacts, decisions: &[Decision], details: &CloseDetails) -> String {
    let mut out: Vec<String> = Vec::new();
    let decision_for = |kind: RecordKind, reference: &str| -> Option<(&OpenItem, &Decision)> {
        let item = facts.open_items.iter().find(|i| i.kind == kind && i.reference == reference)?;
        let d = decisions.iter().find(|d| d.kind == item.kind && d.id == item.id)?;
        Some((item, d))
    };

    out.push(format!(
        "Episode {} opened {} and closed {} ({}).",
        facts.episode_number,
        format_date(facts.opened_on),
        format_date(details.closed_on),
        duration_words(facts.opened_on, details.closed_on)
    ));
    let note =
        if details.reason_note.is_empty() { String::new() } else { format!(": {}", details.reason_note) };
    out.push(format!("Reason for closing: {}{note}.", details.reason.label()));
    out.push(String::new());

    // contacts
    let c = &facts.contacts;
    if c.notes == 0 {
        out.push("Contacts: no case notes were recorded in this episode.".into());
    } else {
        let kinds: Vec<String> = c.by_type.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let span = match (c.first, c.last) {
            (Some(f), Some(l)) if f != l => format!(", from {} to {}", format_date(f), format_date(l)),
            (Some(f), _) => format!(", on {}", format_date(f)),
            _ => String::new(),
        };
        out.push(format!(
            "Contacts: {} ({}){span}; {} recorded.",
            count(c.notes, "case note", "case notes"),
            kinds.join(", "),
            hours_minutes(c.minutes)
        ));
    }
    out.push(String::new());

    // goals
    if facts.goals.is_empty() {
        out.push("Goals: no goals were set in this episode.".into());
    } else {
        out.push("Goals and outcomes:".into());
        for g in &facts.goals {
            let mut parts = vec![g.status.clone()];
            if let Some((item, d)) = decision_for(RecordKind::Goal, &g.reference) {
                parts = vec![with_decision(&g.status, item, d)];
            }
            if !g.achievement.is_empty() && g.achievement != "in progress" {
                parts.push(format!("last assessed as {}", g.achievement));
            }
            if let Some(o) = &g.outcome {
                parts.push(format!("evaluated as {o}"));
            }
            if let Some(p) = &g.progress {
                parts.push(p.clone());
            }
            out.push(format!("- {} {}: {}.", g.reference, g.statement, parts.join("; ")));
        }
    }
    out.push(String::new());

    // referrals (once they are recorded)
    if let Some(referrals) = &facts.referrals {
        if referrals.is_empty() {
            out.push("Referrals: none were made in this episode.".into());
        } else {
            out.push("Referrals and where they ended:".into());
            for r in referrals {
                let since = r.since.map(|d| format!(" since {}", format_date(d))).unwrap_or_default();
                let note = if r.note.is_empty() { String::new() } else { format!(" ({})", r.note) };
                let mut state = format!("{}{since}{note}", r.state);
                if let Some((item, d)) = decision_for(RecordKind::Referral, &r.reference) {
                    state = with_decision(&state, item, d);
                }
                out.push(format!("- {} to {}: {state}.", r.reference, r.to));
            }
        }
        out.push(String::new());
    }

    // screeners
    if facts.screeners.is_empty() {
        out.push("Screeners: none were given in this episode.".into());
    } else {
        out.push("Screeners (first and last result in this episode):".into());
        for s in &facts.screeners {
            match &s.last {
                None => out.push(format!(
                    "- {}: {} on {}, given once.",
                    s.name,
                    s.first.text,
                    format_date(s.first.on)
                )),
                Some(l) => {
                    let change = match (s.first.total, l.total) {
                        (Some(a), Some(b)) if b < a => format!(", down {}", a - b),
                        (Some(a), Some(b)) if b > a => format!(", up {}", b - a),
                        (Some(_), Some(_)) => ", no change".to_string(),
                        _ => String::new(),
                    };
                    out.push(format!(
                        "- {}: {} on {}, then {} on {}{change}.",
                        s.name,
                        s.first.text,
                        format_date(s.first.on),
                        l.text,
                        format_date(l.on)
                    ));
                }
            }
        }
    }
    out.push(String::new());

    // the client's view, from the latest evaluation
    if let Some(e) = &facts.evaluation {
        let at = if e.occasion == "closure" { "at closure" } else { "at a review" };
        let mut view = Vec::new();
        if let Some(n) = e.satisfaction {
            view.push(format!("satisfaction {n} of 5"));
        }
        let words = e.feedback.trim();
        if !words.is_empty() {
            view.push(format!("\"{}\"", words.replace('\n', " ")));
        }
        if view.is_empty() {
            view.push("no feedback given".into());
        }
        out.push(format!("Evaluation {} {at} on {}: {}.", e.reference, format_date(e.on), view.join("; ")));
        out.push(String::new());
    }

    // what stays open
    let mut remaining: Vec<String> = Vec::new();
    let mut done_now: Vec<String> = Vec::new();
    for item in &facts.open_items {
        if item.kind == RecordKind::Goal || item.kind == RecordKind::Referral {
            // told with the goals and referrals above
            if let Some(d) = decisions.iter().find(|d| d.kind == item.kind && d.id == item.id) {
                if d.disposition == Disposition::Leave {
                    remaining.push(item.label.clone());
                }
            }
            continue;
        }
        match decisions.iter().find(|d| d.kind == item.kind && d.id == item.id) {
            Some(d) if d.disposition != Disposition::Leave => {
                done_now.push(format!("{}: {}", unstop(&item.label), decided(item, d)))
            }
            _ => remaining.push(item.label.clone()),
        }
    }
    remaining.extend(facts.also_open.iter().cloned());
    let remaining: Vec<String> = remaining.iter().map(|l| unstop(l).to_string()).collect();
    if !done_now.is_empty() {
        out.push("Dealt with at closure:".into());
        out.extend(done_now.iter().map(|l| format!("- {l}.")));
        out.push(String::new());
    }
    if remaining.is_empty() {
        out.push("Nothing remains open.".into());
    } else {
        out.push("Still open after closure:".into());
        out.extend(remaining.iter().map(|l| format!("- {l}.")));
    }
    out.push(String::new());

    let plan = if details.follow_up_plan.is_empty() {
        String::new()
    } else {
        format!(" {}", details.follow_up_plan)
    };
    match details.follow_up_on {
        Some(d) => out.push(format!("Follow-up: a post-closure check on {}.{plan}", format_date(d))),
        None if !plan.is_empty() => out.push(format!("Follow-up:{plan}")),
        None => out.push("Follow-up: none planned.".into()),
    }
    let mut text = out.join("\n");
    // punctuation doubled by text that already ended a sentence
    for (from, to) in [("..", "."), ("!.", "!"), ("?.", "?")] {
        text = text.replace(from, to);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::goal::GoalStatus;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn input(reason: &str, closed: &str, follow: &str) -> CloseInput {
        CloseInput {
            reason: reason.into(),
            reason_note: String::new(),
            closed_on: closed.into(),
            follow_up_on: follow.into(),
            follow_up_plan: String::new(),
        }
    }

    #[test]
    fn reasons_read_their_words_and_labels() {
        for r in ClosureReason::ALL {
            assert_eq!(ClosureReason::parse(r.as_str()), Some(*r));
            assert_eq!(ClosureReason::parse(r.label()), Some(*r));
        }
        assert_eq!(ClosureReason::parse("  Goals MET "), Some(ClosureReason::GoalsMet));
        assert_eq!(ClosureReason::parse("moved_away"), Some(ClosureReason::MovedAway));
        assert_eq!(ClosureReason::parse("referred elsewhere"), Some(ClosureReason::Transferred));
        assert_eq!(ClosureReason::parse("bored"), None);
    }

    #[test]
    fn closing_details_are_checked_field_by_field() {
        let today = d("2026-11-23");
        let opened = d("2026-01-10");
        let ok = read_close(&input("goals-met", "", "+30d"), today, opened).unwrap();
        assert_eq!(ok.closed_on, today);
        assert_eq!(ok.follow_up_on, Some(d("2026-12-23")));

        let e = read_close(&input("", "tomorrow", ""), today, opened).unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["reason", "closed_on"]);

        let e = read_close(&input("other", "2025-12-31", "2025-12-01"), today, opened).unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["reason_note", "closed_on", "follow_up_on"], "{e:?}");
        assert!(e[1].message.contains("2026-01-10"));

        let e = read_close(&input("died", "2026-11-01", "2026-10-01"), today, opened).unwrap_err();
        assert_eq!(e[0].field, "follow_up_on");

        let long = CloseInput { reason_note: "x".repeat(TEXT_MAX + 1), ..input("other", "", "") };
        assert!(read_close(&long, today, opened).unwrap_err()[0].message.contains("Too long"));
        // an unknown reason is not repeated back at length
        let e = read_close(&input(&"z".repeat(500), "", ""), today, opened).unwrap_err();
        assert!(e[0].message.chars().count() < 200, "{}", e[0].message);
    }

    #[test]
    fn choices_follow_each_kind_of_item() {
        assert!(goal_choices(GoalStatus::Active).iter().any(|c| c.disposition == Disposition::Complete));
        assert!(!goal_choices(GoalStatus::Proposed).iter().any(|c| c.disposition == Disposition::Complete));
        assert!(!goal_choices(GoalStatus::OnHold).iter().any(|c| c.disposition == Disposition::Complete));
        assert!(!alert_choices().iter().any(|c| c.disposition == Disposition::Cancel));
        assert!(!note_choices().iter().any(|c| c.disposition == Disposition::Cancel));
        for c in [
            goal_choices(GoalStatus::Active),
            action_item_choices(),
            advocacy_choices(),
            alert_choices(),
            note_choices(),
        ] {
            assert_eq!(c[0].disposition, Disposition::Leave, "leave open is the default");
        }
    }

    fn item(kind: RecordKind, id: i64, choices: Vec<Choice>) -> OpenItem {
        OpenItem { kind, id, reference: format!("X-{id}"), label: format!("{kind} X-{id}"), choices }
    }

    #[test]
    fn decisions_need_their_reasons_and_allowed_choices() {
        let items = vec![
            item(RecordKind::Goal, 1, goal_choices(GoalStatus::Proposed)),
            item(RecordKind::Alert, 2, alert_choices()),
            item(RecordKind::ActionItem, 3, action_item_choices()),
        ];
        let typed = vec![
            ("complete".to_string(), String::new()),
            ("complete".to_string(), "  ".to_string()),
            ("cancel".to_string(), String::new()),
        ];
        let e = read_decisions(&items, &typed).unwrap_err();
        assert_eq!(e.iter().map(|e| e.0).collect::<Vec<_>>(), vec![0, 1, 2]);
        assert!(e[1].1.contains("alert"));
        let typed = vec![
            ("cancel".to_string(), "client moved \u{1b}[31m".to_string()),
            ("complete".to_string(), "crisis team called".to_string()),
            (String::new(), String::new()),
        ];
        let ok = read_decisions(&items, &typed).unwrap();
        assert_eq!(ok[0].disposition, Disposition::Cancel);
        assert!(!ok[0].text.contains('\u{1b}'));
        assert_eq!(ok[2].disposition, Disposition::Leave, "nothing chosen leaves it open");
    }

    #[test]
    fn retention_runs_from_the_closing_day() {
        assert_eq!(retain_until(d("2019-03-01"), 7), d("2026-03-01"));
        assert_eq!(retain_until(d("2020-02-29"), 1), d("2021-02-28"));
        assert!(past_retention(d("2019-11-23"), 7, d("2026-11-23")));
        assert!(!past_retention(d("2019-11-24"), 7, d("2026-11-23")));
    }

    #[test]
    fn undo_is_for_the_day_the_closure_was_recorded() {
        let now = DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap().with_timezone(&Utc);
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert!(can_undo(at("2026-11-23T08:00:00Z"), now, 0));
        assert!(!can_undo(at("2026-11-22T23:00:00Z"), now, 0));
        // in UTC+2 the evening before in UTC is already the same local day
        assert!(can_undo(at("2026-11-22T23:00:00Z"), now, 2 * 3600));
        // a stored moment that does not read as one is no closure of today
        assert!(crate::domain::dates::from_db("garbage").is_none_or(|t| !can_undo(t, now, 0)));
        assert_eq!(reopen_modes(false), vec![ReopenMode::NewEpisode]);
    }

    #[test]
    fn reopening_is_checked() {
        let today = d("2026-11-23");
        let closed = d("2026-11-01");
        let i = |mode: &str, reason: &str, on: &str| ReopenInput {
            mode: mode.into(),
            reason: reason.into(),
            opened_on: on.into(),
        };
        assert!(read_reopen(&i("new-episode", "new referral", ""), today, closed, false).is_ok());
        let e = read_reopen(&i("undo", "", ""), today, closed, false).unwrap_err();
        assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), vec!["mode", "reason"]);
        let e = read_reopen(&i("new-episode", "back", "2026-10-01"), today, closed, true).unwrap_err();
        assert_eq!(e[0].field, "opened_on");
        assert!(read_reopen(&i("undo", "wrong client", ""), today, closed, true).is_ok());
    }

    fn facts() -> ClosureFacts {
        ClosureFacts {
            episode_number: 1,
            opened_on: d("2025-03-04"),
            goals: vec![
                GoalFact {
                    reference: "G-1".into(),
                    statement: "Find a stable home".into(),
                    status: "completed".into(),
                    achievement: "achieved".into(),
                    outcome: Some("achieved".into()),
                    progress: None,
                },
                GoalFact {
                    reference: "G-2".into(),
                    statement: "Pay off the rent arrears".into(),
                    status: "active".into(),
                    achievement: "improving".into(),
                    outcome: None,
                    progress: Some("60 % of the way (latest 300 on 2026-10-01)".into()),
                },
            ],
            referrals: None,
            screeners: vec![
                ScreenerFact {
                    name: "PHQ-9".into(),
                    first: ScreenPoint {
                        on: d("2025-03-05"),
                        total: Some(17),
                        text: "17, moderately severe".into(),
                    },
                    last: Some(ScreenPoint { on: d("2026-10-01"), total: Some(8), text: "8, mild".into() }),
                },
                ScreenerFact {
                    name: "GAD-7".into(),
                    first: ScreenPoint { on: d("2025-03-05"), total: Some(12), text: "12, moderate".into() },
                    last: None,
                },
            ],
            contacts: ContactFacts {
                notes: 14,
                by_type: vec![("home visit".into(), 9), ("phone".into(), 5)],
                minutes: 695,
                first: Some(d("2025-03-05")),
                last: Some(d("2026-11-20")),
            },
            open_items: vec![
                OpenItem {
                    kind: RecordKind::Goal,
                    id: 2,
                    reference: "G-2".into(),
                    label: "Goal G-2 (active): Pay off the rent arrears".into(),
                    choices: goal_choices(GoalStatus::Active),
                },
                OpenItem {
                    kind: RecordKind::ActionItem,
                    id: 5,
                    reference: "AI-5".into(),
                    label: "Action item AI-5: Send the tenancy letter".into(),
                    choices: action_item_choices(),
                },
                OpenItem {
                    kind: RecordKind::Note,
                    id: 9,
                    reference: "N-9".into(),
                    label: "Unsigned note N-9 (phone, 2026-11-20)".into(),
                    choices: note_choices(),
                },
            ],
            also_open: vec!["Risk flag F-1: risk to self MEDIUM".into()],
            evaluation: Some(EvaluationFact {
                reference: "EV-3".into(),
                on: d("2026-11-20"),
                occasion: "closure".into(),
                satisfaction: Some(4),
                feedback: "You listened.\nThe flat is warm now.".into(),
            }),
        }
    }

    #[test]
    fn the_summary_tells_the_episode_from_the_record() {
        let details = CloseDetails {
            reason: ClosureReason::GoalsMet,
            reason_note: String::new(),
            closed_on: d("2026-11-23"),
            follow_up_on: Some(d("2027-02-21")),
            follow_up_plan: "Phone call to check the tenancy holds.".into(),
        };
        let decisions = vec![
            Decision {
                kind: RecordKind::Goal,
                id: 2,
                disposition: Disposition::Cancel,
                text: "client moved".into(),
            },
            Decision {
                kind: RecordKind::ActionItem,
                id: 5,
                disposition: Disposition::Leave,
                text: String::new(),
            },
            Decision {
                kind: RecordKind::Note,
                id: 9,
                disposition: Disposition::Complete,
                text: String::new(),
            },
        ];
        let s = draft_summary(&facts(), &decisions, &details);
        assert!(s.starts_with("Episode 1 opened 2025-03-04 and closed 2026-11-23 (about 21 months)."), "{s}");
        assert!(s.contains("Reason for closing: Goals met."));
        assert!(s.contains("Contacts: 14 case notes (9 home visit, 5 phone), from 2025-03-05 to 2026-11-20; 11 h 35 min recorded."), "{s}");
        assert!(
            s.contains(
                "- G-1 Find a stable home: completed; last assessed as achieved; evaluated as achieved."
            ),
            "{s}"
        );
        assert!(s.contains("- G-2 Pay off the rent arrears: cancelled at closure: client moved (was active); last assessed as improving; 60 %"), "{s}");
        assert!(
            s.contains("- PHQ-9: 17, moderately severe on 2025-03-05, then 8, mild on 2026-10-01, down 9."),
            "{s}"
        );
        assert!(s.contains("- GAD-7: 12, moderate on 2025-03-05, given once."));
        assert!(
            s.contains("Dealt with at closure:\n- Unsigned note N-9 (phone, 2026-11-20): signed at closure."),
            "{s}"
        );
        assert!(
            s.contains(
                "Still open after closure:\n- Action item AI-5: Send the tenancy letter.\n- Risk flag F-1"
            ),
            "{s}"
        );
        assert!(
            s.ends_with(
                "Follow-up: a post-closure check on 2027-02-21. Phone call to check the tenancy holds."
            ),
            "{s}"
        );
        assert!(!s.contains("Referrals"), "no referral section while referrals are not recorded");
        assert!(
            s.contains("Evaluation EV-3 at closure on 2026-11-20: satisfaction 4 of 5; \"You listened. The flat is warm now.\"."),
            "{s}"
        );
    }

    #[test]
    fn referrals_are_told_when_recorded() {
        let mut f = facts();
        f.referrals = Some(vec![ReferralFact {
            reference: "R-4".into(),
            to: "Springfield Food Bank".into(),
            state: "in service".into(),
            since: Some(d("2026-09-01")),
            note: String::new(),
        }]);
        f.open_items.push(OpenItem {
            kind: RecordKind::Referral,
            id: 4,
            reference: "R-4".into(),
            label: "Referral R-4 (in service) to Springfield Food Bank".into(),
            choices: vec![LEAVE, CANCEL],
        });
        let details = CloseDetails {
            reason: ClosureReason::MovedAway,
            reason_note: "to Shelbyville".into(),
            closed_on: d("2026-11-23"),
            follow_up_on: None,
            follow_up_plan: String::new(),
        };
        let decisions = vec![Decision {
            kind: RecordKind::Referral,
            id: 4,
            disposition: Disposition::Cancel,
            text: "moved away".into(),
        }];
        let s = draft_summary(&f, &decisions, &details);
        assert!(s.contains("Reason for closing: Moved away: to Shelbyville."));
        assert!(s.contains("- R-4 to Springfield Food Bank: cancelled at closure: moved away (was in service since 2026-09-01)."), "{s}");
        assert!(s.ends_with("Follow-up: none planned."));
        f.referrals = Some(vec![]);
        assert!(draft_summary(&f, &[], &details).contains("Referrals: none were made in this episode."));
    }

    #[test]
    fn an_empty_episode_still_reads_well() {
        let f = ClosureFacts {
            episode_number: 2,
            opened_on: d("2026-11-23"),
            goals: vec![],
            referrals: None,
            screeners: vec![],
            contacts: ContactFacts::default(),
            open_items: vec![],
            also_open: vec![],
            evaluation: None,
        };
        let details = CloseDetails {
            reason: ClosureReason::NoContact,
            reason_note: String::new(),
            closed_on: d("2026-11-23"),
            follow_up_on: None,
            follow_up_plan: "Letter sent.".into(),
        };
        let s = draft_summary(&f, &[], &details);
        assert!(s.contains("(the same day)"));
        assert!(s.contains("no case notes were recorded"));
        assert!(s.contains("Nothing remains open."));
        assert!(s.ends_with("Follow-up: Letter sent."), "{s}");
    }

    #[test]
    fn summaries_must_say_something() {
        assert!(read_summary(" \n ").is_err());
        assert!(read_summary(&"x".repeat(SUMMARY_MAX + 1)).is_err());
        assert_eq!(read_summary("ok\u{7}\n").unwrap(), "ok");
    }
}
