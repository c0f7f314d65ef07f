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
    /// What it is, in a line: "Goal G-3 (active): Find a stable home" (long text shortened).
    pub label: String,
    /// The same in full, never shortened: what the closing summary says of it.
    pub full: String,
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

/// A consent to share that is still valid at closure: let it run to its end date (the safe
/// default: nothing changes), end it at closure (its last valid day becomes the closing day),
/// or keep it because of the post-closure follow-up (which then needs a date).
pub fn consent_choices(has_end_date: bool) -> Vec<Choice> {
    vec![
        Choice {
            disposition: Disposition::Leave,
            label: if has_end_date {
                "Let it run to its end date"
            } else {
                "Let it run (it has no end date)"
            },
            needs_text: false,
        },
        Choice { disposition: Disposition::Cancel, label: "End it at closure", needs_text: false },
        Choice {
            disposition: Disposition::Complete,
            label: "Keep it for the post-closure follow-up",
            needs_text: false,
        },
    ]
}

/// A consent kept for the post-closure follow-up needs a follow-up to be kept for: the
/// refusal for the follow-up date when none is set.
pub fn check_consents_kept(decisions: &[Decision], details: &CloseDetails) -> Result<(), FieldError> {
    let kept =
        decisions.iter().any(|d| d.kind == RecordKind::Consent && d.disposition == Disposition::Complete);
    if kept && details.follow_up_on.is_none() {
        return Err(FieldError {
            field: "follow_up_on",
            message: "A consent is kept for the post-closure follow-up: give the follow-up date, or let the consent run or end it."
                .into(),
        });
    }
    Ok(())
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
mod summary;
pub use summary::*;

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
        OpenItem {
            kind,
            id,
            reference: format!("X-{id}"),
            label: format!("{kind} X-{id}"),
            full: format!("{kind} X-{id}"),
            choices,
        }
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

    #[test]
    fn summaries_must_say_something() {
        assert!(read_summary(" \n ").is_err());
        assert!(read_summary(&"x".repeat(SUMMARY_MAX + 1)).is_err());
        assert_eq!(read_summary("ok\u{7}\n").unwrap(), "ok");
    }
}
