//! SMART goals: their lifecycle, how they are measured, and the checks the goal form makes
//! (see `case-record.md` §3 and §7).
//!
//! Lifecycle, kept to the reference:
//!
//! ```text
//! proposed → active ⇄ on-hold
//! proposed → cancelled
//! active   → completed | cancelled
//! on-hold  → cancelled            (resume it before completing it)
//! any state except entered-in-error → entered-in-error
//! ```
//!
//! Cancelling, putting on hold and marking entered-in-error need a reason. Completed, cancelled
//! and entered-in-error are final apart from correcting a record that was entered in error;
//! a goal taken up again is a new goal.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A goal whose target date is at most this many days after its start is short-term.
pub const SHORT_TERM_MAX_DAYS: i64 = 90;

use super::words::text_enum;
pub use super::words::UnknownWord as ParseError;

/// Where a goal stands in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum GoalStatus {
    #[default]
    Proposed,
    Active,
    OnHold,
    Completed,
    Cancelled,
    EnteredInError,
}

impl GoalStatus {
    pub const ALL: &'static [Self] =
        &[Self::Proposed, Self::Active, Self::OnHold, Self::Completed, Self::Cancelled, Self::EnteredInError];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Active => "active",
            Self::OnHold => "on-hold",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::EnteredInError => "entered-in-error",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Proposed => "Proposed",
            Self::Active => "Active",
            Self::OnHold => "On hold",
            Self::Completed => "Completed",
            Self::Cancelled => "Cancelled",
            Self::EnteredInError => "Entered in error",
        }
    }

    /// Still part of the work: proposed, active or on hold.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Proposed | Self::Active | Self::OnHold)
    }

    /// Moving into this state needs a written reason.
    pub fn requires_reason(self) -> bool {
        matches!(self, Self::OnHold | Self::Cancelled | Self::EnteredInError)
    }
}

text_enum!(GoalStatus, "goal status");

/// Why a goal cannot move to the state asked for.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransitionError {
    #[error("The goal is already \"{}\".", .0.label())]
    AlreadyThere(GoalStatus),
    #[error("A goal that is \"{}\" cannot be made \"{}\".", .from.label(), .to.label())]
    NotAllowed { from: GoalStatus, to: GoalStatus },
    #[error("{}", reason_prompt(*.0))]
    ReasonRequired(GoalStatus),
}

fn reason_prompt(to: GoalStatus) -> &'static str {
    match to {
        GoalStatus::OnHold => "Say why the goal is being put on hold.",
        GoalStatus::Cancelled => "Say why the goal is being cancelled.",
        GoalStatus::EnteredInError => "Say what was wrong with this goal record.",
        _ => "Say why the goal is changing.",
    }
}

fn check_move(from: GoalStatus, to: GoalStatus) -> Result<(), TransitionError> {
    use GoalStatus::*;
    if from == to {
        return Err(TransitionError::AlreadyThere(from));
    }
    let allowed = match from {
        Proposed => matches!(to, Active | Cancelled | EnteredInError),
        Active => matches!(to, OnHold | Completed | Cancelled | EnteredInError),
        OnHold => matches!(to, Active | Cancelled | EnteredInError),
        Completed | Cancelled => to == EnteredInError,
        EnteredInError => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(TransitionError::NotAllowed { from, to })
    }
}

/// Whether a goal may move from `from` to `to`. `reason` must be given (not blank) for
/// on-hold, cancelled and entered-in-error. An illegal move is reported before a missing reason.
pub fn check_transition(
    from: GoalStatus,
    to: GoalStatus,
    reason: Option<&str>,
) -> Result<(), TransitionError> {
    check_move(from, to)?;
    if to.requires_reason() && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(TransitionError::ReasonRequired(to));
    }
    Ok(())
}

/// The states a goal may move to next, in [`GoalStatus::ALL`] order, for menus (the reason a
/// move may need is not checked here).
pub fn allowed_next(from: GoalStatus) -> Vec<GoalStatus> {
    GoalStatus::ALL.iter().copied().filter(|&to| check_move(from, to).is_ok()).collect()
}

/// How the goal is going, set at review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Achievement {
    #[default]
    InProgress,
    Improving,
    Worsening,
    NoChange,
    Achieved,
    Sustaining,
    NotAchieved,
    NotAttainable,
}

impl Achievement {
    pub const ALL: &'static [Self] = &[
        Self::InProgress,
        Self::Improving,
        Self::Worsening,
        Self::NoChange,
        Self::Achieved,
        Self::Sustaining,
        Self::NotAchieved,
        Self::NotAttainable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "in-progress",
            Self::Improving => "improving",
            Self::Worsening => "worsening",
            Self::NoChange => "no-change",
            Self::Achieved => "achieved",
            Self::Sustaining => "sustaining",
            Self::NotAchieved => "not-achieved",
            Self::NotAttainable => "not-attainable",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::InProgress => "In progress",
            Self::Improving => "Improving",
            Self::Worsening => "Worsening",
            Self::NoChange => "No change",
            Self::Achieved => "Achieved",
            Self::Sustaining => "Sustaining",
            Self::NotAchieved => "Not achieved",
            Self::NotAttainable => "Not attainable",
        }
    }
}

text_enum!(Achievement, "achievement");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Priority {
    High,
    #[default]
    Medium,
    Low,
}

impl Priority {
    pub const ALL: &'static [Self] = &[Self::High, Self::Medium, Self::Low];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::High => "High",
            Self::Medium => "Medium",
            Self::Low => "Low",
        }
    }
}

text_enum!(Priority, "priority");

/// Short-term (target within [`SHORT_TERM_MAX_DAYS`] of the start) or long-term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Term {
    Short,
    Long,
}

impl Term {
    pub const ALL: &'static [Self] = &[Self::Short, Self::Long];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Short => "short",
            Self::Long => "long",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Short => "Short-term",
            Self::Long => "Long-term",
        }
    }
}

text_enum!(Term, "term");

/// Short-term when the target date is at most 90 days after the start (a target before the
/// start, which validation refuses, also counts as short).
pub fn derive_term(start: NaiveDate, target: NaiveDate) -> Term {
    if (target - start).num_days() <= SHORT_TERM_MAX_DAYS {
        Term::Short
    } else {
        Term::Long
    }
}

/// Who does a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum StepOwner {
    #[default]
    Client,
    Practitioner,
    FamilyMember,
    Provider,
}

impl StepOwner {
    pub const ALL: &'static [Self] = &[Self::Client, Self::Practitioner, Self::FamilyMember, Self::Provider];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Client => "client",
            Self::Practitioner => "practitioner",
            Self::FamilyMember => "family-member",
            Self::Provider => "provider",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Client => "Client",
            Self::Practitioner => "Practitioner",
            Self::FamilyMember => "Family member",
            Self::Provider => "Provider",
        }
    }
}

text_enum!(StepOwner, "step owner");

/// A goal's outcome, recorded at evaluation or closure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Achieved,
    Partly,
    NotAchieved,
}

impl Outcome {
    pub const ALL: &'static [Self] = &[Self::Achieved, Self::Partly, Self::NotAchieved];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Achieved => "achieved",
            Self::Partly => "partly",
            Self::NotAchieved => "not-achieved",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Achieved => "Achieved",
            Self::Partly => "Partly achieved",
            Self::NotAchieved => "Not achieved",
        }
    }
}

text_enum!(Outcome, "outcome");

/// The outcome to offer first at evaluation, from the last achievement recorded at review:
/// achieved / sustaining → achieved; improving / in progress → partly; otherwise not achieved.
pub fn suggested_outcome(last: Achievement) -> Outcome {
    match last {
        Achievement::Achieved | Achievement::Sustaining => Outcome::Achieved,
        Achievement::Improving | Achievement::InProgress => Outcome::Partly,
        Achievement::Worsening
        | Achievement::NoChange
        | Achievement::NotAchieved
        | Achievement::NotAttainable => Outcome::NotAchieved,
    }
}

/// How progress is measured: a number counted from a baseline to a target, or a yes/no
/// milestone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum MeasureKind {
    Numeric {
        /// What is counted, e.g. "nights in stable housing per month".
        what: String,
        unit: String,
        baseline: f64,
        target: f64,
    },
    Milestone,
}

/// Where progress values come from: typed in, or the totals of a screener (e.g. PHQ-9).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum MeasureSource {
    #[default]
    Manual,
    Screener {
        instrument: String,
    },
}

/// A screener goal written as "under N" (e.g. "PHQ-9 total: 17 → under 10") is met when the
/// total is strictly below N.
pub fn goal_met_by_screener(target_below: f64, total: i32) -> bool {
    f64::from(total) < target_below
}

/// Whether `value` has reached the target, in the goal's direction: at or above it when the
/// target is above the baseline, at or below it when the target is below. Never true when the
/// target equals the baseline or a number is not finite.
pub fn target_reached(baseline: f64, target: f64, value: f64) -> bool {
    if !(baseline.is_finite() && target.is_finite() && value.is_finite()) {
        return false;
    }
    if target > baseline {
        value >= target
    } else if target < baseline {
        value <= target
    } else {
        false
    }
}

/// Progress as a percentage: (value − baseline) / (target − baseline) × 100. Works when the
/// target is below the baseline ("missed appointments 6 → 0": 3 is 50 %). Not clamped: going
/// backwards is negative, overshooting is above 100. `None` when there is nothing to measure
/// (target equals baseline) or a number is not finite.
pub fn progress_percent(baseline: f64, target: f64, value: f64) -> Option<f64> {
    if !(baseline.is_finite() && target.is_finite() && value.is_finite()) || target == baseline {
        return None;
    }
    let span = target - baseline;
    let p = (value - baseline) / span * 100.0;
    (span.is_finite() && p.is_finite()).then_some(p)
}

/// Progress for a gauge, as a ratio clamped to 0.0..=1.0 (what `ratatui::widgets::Gauge::ratio`
/// accepts).
pub fn gauge_ratio(baseline: f64, target: f64, value: f64) -> Option<f64> {
    progress_percent(baseline, target, value).map(|p| (p / 100.0).clamp(0.0, 1.0))
}

/// Progress for a gauge as a whole percentage clamped to 0..=100.
pub fn gauge_percent(baseline: f64, target: f64, value: f64) -> Option<u16> {
    progress_percent(baseline, target, value).map(|p| p.clamp(0.0, 100.0).round() as u16)
}

/// What the goal form holds before it is saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalDraft {
    /// What the client wants to achieve, in their words.
    pub statement: String,
    pub measure: MeasureKind,
    /// Who agreed to the goal (client, family, provider...), free text.
    pub who_agreed: String,
    pub why_it_matters: String,
    pub start: NaiveDate,
    pub target_date: Option<NaiveDate>,
    /// The practitioner's choice; `None` means derived from the dates.
    pub term: Option<Term>,
    pub priority: Priority,
    /// The life domain, e.g. "housing".
    pub domain: Option<String>,
    /// The assessed need it answers.
    pub need: Option<String>,
    pub has_steps: bool,
    /// Someone is named as responsible for the work (a step owner).
    pub has_owner: bool,
}

/// The term to show: the practitioner's choice, else derived from the dates, else unknown.
pub fn goal_term(draft: &GoalDraft) -> Option<Term> {
    draft.term.or_else(|| draft.target_date.map(|t| derive_term(draft.start, t)))
}

/// One finding of the SMART check, keyed by form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Issue {
    /// One of "statement", "measure", "baseline", "target", "target_date", "term", "steps",
    /// "owner", "who_agreed", "why_it_matters".
    pub field: &'static str,
    pub message: &'static str,
}

/// The result of [`validate_goal`]: errors refuse the save, warnings are shown but allowed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SmartCheck {
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

impl SmartCheck {
    /// No errors (warnings may remain).
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// The first error for a field, to show beside it.
    pub fn error_for(&self, field: &str) -> Option<&'static str> {
        self.errors.iter().find(|i| i.field == field).map(|i| i.message)
    }

    /// The first warning for a field.
    pub fn warning_for(&self, field: &str) -> Option<&'static str> {
        self.warnings.iter().find(|i| i.field == field).map(|i| i.message)
    }

    fn error(&mut self, field: &'static str, message: &'static str) {
        self.errors.push(Issue { field, message });
    }

    fn warn(&mut self, field: &'static str, message: &'static str) {
        self.warnings.push(Issue { field, message });
    }
}

pub const MSG_NO_STATEMENT: &str = "Say what the client wants to achieve, in their words.";
pub const MSG_NO_WHAT: &str = "Say what is counted, for example \"nights in stable housing per month\".";
pub const MSG_BAD_BASELINE: &str = "The baseline must be a number.";
pub const MSG_BAD_TARGET: &str = "The target must be a number.";
pub const MSG_TARGET_IS_BASELINE: &str =
    "The target must differ from the baseline, or there is nothing to measure.";
pub const MSG_NO_TARGET_DATE: &str = "A target date makes this goal time-bound.";
pub const MSG_TARGET_DATE_NOT_AFTER_START: &str = "The target date must be after the start date.";
pub const MSG_NO_STEPS: &str = "No steps yet: a goal is more achievable with at least one step.";
pub const MSG_NO_OWNER: &str = "Nobody is named as responsible yet: say who will do each step.";
pub const MSG_NO_AGREEMENT: &str =
    "Note who agreed to this goal: a goal the client has agreed to is more achievable.";
pub const MSG_NO_WHY: &str = "Say why this goal matters to the client.";
pub const MSG_SHORT_BUT_LONG: &str =
    "Marked short-term, but the target date is more than 90 days after the start.";
pub const MSG_LONG_BUT_SHORT: &str = "Marked long-term, but the target date is within 90 days of the start.";

/// The SMART check of the goal form.
///
/// Errors (refuse): no statement; a numeric measure without what is counted, with a baseline or
/// target that is not a number, or with target equal to baseline; no target date; a target date
/// on or before the start date.
///
/// Warnings: no steps; nobody responsible; nobody noted as agreeing; no reason why it matters;
/// a chosen term that contradicts the dates.
pub fn validate_goal(draft: &GoalDraft) -> SmartCheck {
    let mut check = SmartCheck::default();

    if draft.statement.trim().is_empty() {
        check.error("statement", MSG_NO_STATEMENT);
    }

    if let MeasureKind::Numeric { what, baseline, target, .. } = &draft.measure {
        if what.trim().is_empty() {
            check.error("measure", MSG_NO_WHAT);
        }
        if !baseline.is_finite() {
            check.error("baseline", MSG_BAD_BASELINE);
        }
        if !target.is_finite() {
            check.error("target", MSG_BAD_TARGET);
        } else if target == baseline {
            check.error("target", MSG_TARGET_IS_BASELINE);
        }
    }

    match draft.target_date {
        None => check.error("target_date", MSG_NO_TARGET_DATE),
        Some(t) if t <= draft.start => check.error("target_date", MSG_TARGET_DATE_NOT_AFTER_START),
        Some(t) => match (draft.term, derive_term(draft.start, t)) {
            (Some(Term::Short), Term::Long) => check.warn("term", MSG_SHORT_BUT_LONG),
            (Some(Term::Long), Term::Short) => check.warn("term", MSG_LONG_BUT_SHORT),
            _ => {}
        },
    }

    if !draft.has_steps {
        check.warn("steps", MSG_NO_STEPS);
    }
    if !draft.has_owner {
        check.warn("owner", MSG_NO_OWNER);
    }
    if draft.who_agreed.trim().is_empty() {
        check.warn("who_agreed", MSG_NO_AGREEMENT);
    }
    if draft.why_it_matters.trim().is_empty() {
        check.warn("why_it_matters", MSG_NO_WHY);
    }
    check
}

#[cfg(test)]
mod tests {
    use super::GoalStatus::*;
    use super::*;
    use serde::de::value::{Error as DeError, StrDeserializer};
    use serde::de::IntoDeserializer;
    use std::fmt;
    use std::str::FromStr;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Every (from, to) pair: `x` allowed, `.` refused. Columns follow `ALL`.
    const MATRIX: &str = "
                          to: Pr Ac OH Co Ca EE
        proposed                 .  x  .  .  x  x
        active                   .  .  x  x  x  x
        on-hold                  .  x  .  .  x  x
        completed                .  .  .  .  .  x
        cancelled                .  .  .  .  .  x
        entered-in-error         .  .  .  .  .  .
    ";

    fn matrix() -> Vec<(GoalStatus, Vec<bool>)> {
        let rows: Vec<_> = MATRIX
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("to:"))
            .map(|l| {
                let mut cells = l.split_whitespace();
                let from: GoalStatus = cells.next().unwrap().parse().unwrap();
                let flags: Vec<bool> = cells
                    .map(|c| match c {
                        "x" => true,
                        "." => false,
                        other => panic!("bad cell {other}"),
                    })
                    .collect();
                assert_eq!(flags.len(), 6, "{from:?}");
                (from, flags)
            })
            .collect();
        let froms: Vec<_> = rows.iter().map(|r| r.0).collect();
        assert_eq!(froms, GoalStatus::ALL, "matrix rows follow ALL");
        rows
    }

    #[test]
    fn every_pair_of_the_matrix() {
        let mut checked = 0;
        for (from, flags) in matrix() {
            for (&to, allowed) in GoalStatus::ALL.iter().zip(flags) {
                let got = check_transition(from, to, Some("a reason"));
                assert_eq!(got.is_ok(), allowed, "{from:?} -> {to:?}: {got:?}");
                assert_eq!(allowed_next(from).contains(&to), allowed, "{from:?} -> {to:?}");
                if !allowed {
                    let want = if from == to {
                        TransitionError::AlreadyThere(from)
                    } else {
                        TransitionError::NotAllowed { from, to }
                    };
                    assert_eq!(got, Err(want));
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 36);
    }

    #[test]
    fn reasons_required_where_they_matter() {
        for (from, flags) in matrix() {
            for (&to, allowed) in GoalStatus::ALL.iter().zip(flags) {
                if !allowed {
                    continue;
                }
                for blank in [None, Some(""), Some("  \t")] {
                    let got = check_transition(from, to, blank);
                    if matches!(to, OnHold | Cancelled | EnteredInError) {
                        assert_eq!(got, Err(TransitionError::ReasonRequired(to)), "{from:?}");
                    } else {
                        assert_eq!(got, Ok(()), "{from:?} -> {to:?}");
                    }
                }
            }
        }
        assert_eq!(
            TransitionError::ReasonRequired(Cancelled).to_string(),
            "Say why the goal is being cancelled."
        );
        assert_eq!(
            TransitionError::ReasonRequired(OnHold).to_string(),
            "Say why the goal is being put on hold."
        );
        assert_eq!(
            TransitionError::ReasonRequired(EnteredInError).to_string(),
            "Say what was wrong with this goal record."
        );
        // An illegal move is reported before the missing reason.
        assert_eq!(
            check_transition(OnHold, Completed, None),
            Err(TransitionError::NotAllowed { from: OnHold, to: Completed })
        );
        assert_eq!(
            TransitionError::NotAllowed { from: OnHold, to: Completed }.to_string(),
            "A goal that is \"On hold\" cannot be made \"Completed\"."
        );
        assert_eq!(TransitionError::AlreadyThere(Active).to_string(), "The goal is already \"Active\".");
    }

    #[test]
    fn lifecycle_helpers() {
        assert_eq!(allowed_next(Proposed), vec![Active, Cancelled, EnteredInError]);
        assert_eq!(allowed_next(OnHold), vec![Active, Cancelled, EnteredInError]);
        assert!(allowed_next(EnteredInError).is_empty());
        for s in GoalStatus::ALL {
            assert_eq!(s.requires_reason(), matches!(s, OnHold | Cancelled | EnteredInError));
            assert_eq!(s.is_open(), matches!(s, Proposed | Active | OnHold));
        }
    }

    fn round_trip<T>(all: &[T], strs: &[&str])
    where
        T: Copy + PartialEq + fmt::Debug + FromStr + fmt::Display + for<'de> Deserialize<'de>,
        <T as FromStr>::Err: fmt::Debug,
    {
        assert_eq!(all.len(), strs.len());
        for (v, s) in all.iter().zip(strs) {
            assert_eq!(s.parse::<T>().unwrap(), *v, "{s}");
            assert_eq!(s.to_uppercase().parse::<T>().unwrap(), *v, "{s}");
            assert_eq!(s.replace('-', " ").parse::<T>().unwrap(), *v, "{s}");
            assert_eq!(s.replace('-', "_").parse::<T>().unwrap(), *v, "{s}");
            assert_eq!(v.to_string().parse::<T>().unwrap(), *v, "label of {s}");
            let de: StrDeserializer<DeError> = s.into_deserializer();
            assert_eq!(T::deserialize(de).unwrap(), *v, "serde {s}");
        }
        assert!("nonsense".parse::<T>().is_err());
        assert!("".parse::<T>().is_err());
    }

    #[test]
    fn text_forms() {
        round_trip(
            GoalStatus::ALL,
            &["proposed", "active", "on-hold", "completed", "cancelled", "entered-in-error"],
        );
        assert_eq!(
            GoalStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            ["proposed", "active", "on-hold", "completed", "cancelled", "entered-in-error"]
        );
        let ach = [
            "in-progress",
            "improving",
            "worsening",
            "no-change",
            "achieved",
            "sustaining",
            "not-achieved",
            "not-attainable",
        ];
        round_trip(Achievement::ALL, &ach);
        assert_eq!(Achievement::ALL.iter().map(|a| a.as_str()).collect::<Vec<_>>(), ach);
        round_trip(Priority::ALL, &["high", "medium", "low"]);
        round_trip(Term::ALL, &["short", "long"]);
        assert_eq!("short-term".parse(), Ok(Term::Short));
        assert_eq!("Long term".parse(), Ok(Term::Long));
        round_trip(StepOwner::ALL, &["client", "practitioner", "family-member", "provider"]);
        round_trip(Outcome::ALL, &["achieved", "partly", "not-achieved"]);
        assert_eq!("Partly achieved".parse(), Ok(Outcome::Partly));
        for (v, s) in Outcome::ALL.iter().zip(["achieved", "partly", "not-achieved"]) {
            assert_eq!(v.as_str(), s);
        }
        assert_eq!(StepOwner::FamilyMember.as_str(), "family-member");
        assert_eq!(StepOwner::FamilyMember.label(), "Family member");
        assert_eq!(Achievement::NoChange.label(), "No change");
        assert_eq!(Priority::default(), Priority::Medium);
        assert_eq!(GoalStatus::default(), Proposed);
        let err = "urgent".parse::<Priority>().unwrap_err();
        assert_eq!(err.to_string(), "\"urgent\" is not a known priority. Use one of: high, medium, low.");
    }

    #[test]
    fn outcomes_suggested_from_achievement() {
        use Achievement as A;
        let want = [
            (A::InProgress, Outcome::Partly),
            (A::Improving, Outcome::Partly),
            (A::Worsening, Outcome::NotAchieved),
            (A::NoChange, Outcome::NotAchieved),
            (A::Achieved, Outcome::Achieved),
            (A::Sustaining, Outcome::Achieved),
            (A::NotAchieved, Outcome::NotAchieved),
            (A::NotAttainable, Outcome::NotAchieved),
        ];
        assert_eq!(want.len(), Achievement::ALL.len());
        for (a, o) in want {
            assert_eq!(suggested_outcome(a), o, "{a:?}");
        }
    }

    #[test]
    fn term_from_dates() {
        let start = d("2026-01-01");
        assert_eq!(derive_term(start, d("2026-01-02")), Term::Short);
        assert_eq!(derive_term(start, d("2026-04-01")), Term::Short); // 90 days
        assert_eq!(derive_term(start, d("2026-04-02")), Term::Long); // 91 days
        assert_eq!(derive_term(start, d("2027-01-01")), Term::Long);
        assert_eq!(derive_term(start, start), Term::Short);
        let mut g = good();
        g.start = start;
        g.target_date = Some(d("2026-04-02"));
        assert_eq!(goal_term(&g), Some(Term::Long));
        g.term = Some(Term::Short);
        assert_eq!(goal_term(&g), Some(Term::Short));
        g.term = None;
        g.target_date = None;
        assert_eq!(goal_term(&g), None);
    }

    #[test]
    fn progress_maths() {
        // Upwards: nights in stable housing 0 → 30.
        assert_eq!(progress_percent(0.0, 30.0, 15.0), Some(50.0));
        assert_eq!(progress_percent(0.0, 30.0, 0.0), Some(0.0));
        assert_eq!(progress_percent(0.0, 30.0, 30.0), Some(100.0));
        // Downwards: missed appointments 6 → 0.
        assert_eq!(progress_percent(6.0, 0.0, 3.0), Some(50.0));
        assert_eq!(progress_percent(6.0, 0.0, 0.0), Some(100.0));
        assert_eq!(progress_percent(6.0, 0.0, 6.0), Some(0.0));
        // PHQ-9 17 → 9.
        assert_eq!(progress_percent(17.0, 9.0, 13.0), Some(50.0));
        // Raw keeps overshoot and going backwards.
        assert_eq!(progress_percent(0.0, 30.0, 45.0), Some(150.0));
        assert_eq!(progress_percent(6.0, 0.0, 9.0), Some(-50.0));
        // Nothing to measure, or not a number.
        assert_eq!(progress_percent(5.0, 5.0, 5.0), None);
        assert_eq!(progress_percent(0.0, 0.0, 3.0), None);
        assert_eq!(progress_percent(f64::NAN, 1.0, 0.5), None);
        assert_eq!(progress_percent(0.0, f64::INFINITY, 0.5), None);
        assert_eq!(progress_percent(0.0, 1.0, f64::NAN), None);
        assert_eq!(progress_percent(-f64::MAX, f64::MAX, 0.0), None);

        assert_eq!(gauge_ratio(0.0, 30.0, 15.0), Some(0.5));
        assert_eq!(gauge_ratio(0.0, 30.0, 45.0), Some(1.0));
        assert_eq!(gauge_ratio(6.0, 0.0, 9.0), Some(0.0));
        assert_eq!(gauge_ratio(6.0, 0.0, 3.0), Some(0.5));
        assert_eq!(gauge_ratio(5.0, 5.0, 1.0), None);
        assert_eq!(gauge_percent(0.0, 3.0, 1.0), Some(33));
        assert_eq!(gauge_percent(0.0, 3.0, 2.0), Some(67));
        assert_eq!(gauge_percent(0.0, 30.0, 45.0), Some(100));
        assert_eq!(gauge_percent(6.0, 0.0, 9.0), Some(0));
        assert_eq!(gauge_percent(1.0, 1.0, 1.0), None);
    }

    #[test]
    fn reaching_the_target() {
        assert!(target_reached(0.0, 30.0, 30.0));
        assert!(target_reached(0.0, 30.0, 31.0));
        assert!(!target_reached(0.0, 30.0, 29.0));
        assert!(target_reached(6.0, 0.0, 0.0));
        assert!(!target_reached(6.0, 0.0, 1.0));
        assert!(!target_reached(5.0, 5.0, 5.0));
        assert!(!target_reached(0.0, 1.0, f64::NAN));
        // PHQ-9 "under 10".
        assert!(goal_met_by_screener(10.0, 9));
        assert!(!goal_met_by_screener(10.0, 10));
        assert!(!goal_met_by_screener(10.0, 17));
        assert!(!goal_met_by_screener(f64::NAN, 0));
        assert_eq!(MeasureSource::default(), MeasureSource::Manual);
    }

    fn good() -> GoalDraft {
        GoalDraft {
            statement: "I want my own place".into(),
            measure: MeasureKind::Numeric {
                what: "nights in stable housing per month".into(),
                unit: "nights".into(),
                baseline: 0.0,
                target: 30.0,
            },
            who_agreed: "client".into(),
            why_it_matters: "to have the children visit".into(),
            start: d("2026-01-01"),
            target_date: Some(d("2026-06-30")),
            term: None,
            priority: Priority::High,
            domain: Some("housing".into()),
            need: None,
            has_steps: true,
            has_owner: true,
        }
    }

    #[test]
    fn a_good_goal_passes_clean() {
        let c = validate_goal(&good());
        assert!(c.is_ok());
        assert_eq!(c, SmartCheck::default());
        let mut m = good();
        m.measure = MeasureKind::Milestone;
        assert_eq!(validate_goal(&m), SmartCheck::default());
    }

    #[test]
    fn smart_refusals() {
        let mut g = good();
        g.statement = "  ".into();
        let c = validate_goal(&g);
        assert!(!c.is_ok());
        assert_eq!(c.errors.len(), 1);
        assert_eq!(c.error_for("statement"), Some("Say what the client wants to achieve, in their words."));

        let mut g = good();
        g.target_date = None;
        let c = validate_goal(&g);
        assert_eq!(
            c.errors,
            vec![Issue { field: "target_date", message: "A target date makes this goal time-bound." }]
        );

        for t in ["2025-12-31", "2026-01-01"] {
            let mut g = good();
            g.target_date = Some(d(t));
            let c = validate_goal(&g);
            assert_eq!(
                c.error_for("target_date"),
                Some("The target date must be after the start date."),
                "{t}"
            );
            assert_eq!(c.errors.len(), 1);
        }
        let mut g = good();
        g.target_date = Some(d("2026-01-02"));
        assert!(validate_goal(&g).is_ok());

        let numeric = |what: &str, baseline: f64, target: f64| {
            let mut g = good();
            g.measure = MeasureKind::Numeric { what: what.into(), unit: String::new(), baseline, target };
            validate_goal(&g)
        };
        let c = numeric("missed appointments", 6.0, 6.0);
        assert_eq!(
            c.error_for("target"),
            Some("The target must differ from the baseline, or there is nothing to measure.")
        );
        assert_eq!(c.errors.len(), 1);
        let c = numeric(" ", 0.0, 30.0);
        assert_eq!(c.error_for("measure"), Some(MSG_NO_WHAT));
        assert_eq!(c.errors.len(), 1);
        let c = numeric("x", f64::NAN, 3.0);
        assert_eq!(c.error_for("baseline"), Some(MSG_BAD_BASELINE));
        assert_eq!(c.errors.len(), 1);
        let c = numeric("x", 1.0, f64::INFINITY);
        assert_eq!(c.error_for("target"), Some(MSG_BAD_TARGET));
        assert_eq!(c.errors.len(), 1);
        // Target below baseline is fine (reducing something).
        assert!(numeric("missed appointments", 6.0, 0.0).is_ok());

        // All at once, in form order.
        let g = GoalDraft {
            statement: String::new(),
            measure: MeasureKind::Numeric {
                what: String::new(),
                unit: String::new(),
                baseline: 2.0,
                target: 2.0,
            },
            target_date: None,
            ..good()
        };
        let fields: Vec<_> = validate_goal(&g).errors.iter().map(|i| i.field).collect();
        assert_eq!(fields, ["statement", "measure", "target", "target_date"]);
    }

    #[test]
    fn smart_warnings() {
        let mut g = good();
        g.has_steps = false;
        let c = validate_goal(&g);
        assert!(c.is_ok(), "warnings do not refuse");
        assert_eq!(
            c.warnings,
            vec![Issue {
                field: "steps",
                message: "No steps yet: a goal is more achievable with at least one step."
            }]
        );

        let mut g = good();
        g.has_owner = false;
        assert_eq!(validate_goal(&g).warning_for("owner"), Some(MSG_NO_OWNER));

        let mut g = good();
        g.who_agreed = " ".into();
        g.why_it_matters = String::new();
        let c = validate_goal(&g);
        assert_eq!(c.warning_for("who_agreed"), Some(MSG_NO_AGREEMENT));
        assert_eq!(c.warning_for("why_it_matters"), Some(MSG_NO_WHY));
        assert_eq!(c.warnings.len(), 2);

        // A chosen term that contradicts the dates.
        let mut g = good();
        g.term = Some(Term::Short); // 180 days
        assert_eq!(validate_goal(&g).warning_for("term"), Some(MSG_SHORT_BUT_LONG));
        g.term = Some(Term::Long);
        assert!(validate_goal(&g).warnings.is_empty());
        g.target_date = Some(d("2026-04-01")); // 90 days
        assert_eq!(validate_goal(&g).warning_for("term"), Some(MSG_LONG_BUT_SHORT));
        // No term warning when the dates are already wrong.
        g.target_date = Some(d("2025-01-01"));
        assert_eq!(validate_goal(&g).warning_for("term"), None);

        let g = GoalDraft {
            has_steps: false,
            has_owner: false,
            who_agreed: String::new(),
            why_it_matters: String::new(),
            ..good()
        };
        let fields: Vec<_> = validate_goal(&g).warnings.iter().map(|i| i.field).collect();
        assert_eq!(fields, ["steps", "owner", "who_agreed", "why_it_matters"]);
    }
}
