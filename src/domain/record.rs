//! The kinds of record, in one list: what a timeline line, a closing-list item or a Today line
//! points at (`RecordKind`), and which part of a record a search row holds (`SearchKind`).
//! The words are those stored in the database (`events.record_kind`, `closure_items.record_kind`,
//! `search_index.kind`); `as_str` and `parse` are the only places that spell them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A kind of record a line can open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordKind {
    Note,
    Assessment,
    Screening,
    /// A safety alert raised by a screener result.
    Alert,
    /// A risk flag raised by an assessment.
    Flag,
    Person,
    Consent,
    Conference,
    ActionItem,
    Transition,
    Advocacy,
    MandatedReport,
    Goal,
    Referral,
    Evaluation,
    Closure,
    /// A client's case plan, named by the client's id.
    Plan,
    /// A client's screeners (one is due again), named by the client's id; never stored.
    Screeners,
    /// The list of closed files past their retention date (id 0); never stored.
    Retention,
}

impl RecordKind {
    pub const ALL: &'static [Self] = &[
        Self::Note,
        Self::Assessment,
        Self::Screening,
        Self::Alert,
        Self::Flag,
        Self::Person,
        Self::Consent,
        Self::Conference,
        Self::ActionItem,
        Self::Transition,
        Self::Advocacy,
        Self::MandatedReport,
        Self::Goal,
        Self::Referral,
        Self::Evaluation,
        Self::Closure,
        Self::Plan,
        Self::Screeners,
        Self::Retention,
    ];

    /// The word stored in the database.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Assessment => "assessment",
            Self::Screening => "screening",
            Self::Alert => "alert",
            Self::Flag => "flag",
            Self::Person => "person",
            Self::Consent => "consent",
            Self::Conference => "conference",
            Self::ActionItem => "action-item",
            Self::Transition => "transition",
            Self::Advocacy => "advocacy",
            Self::MandatedReport => "mandated-report",
            Self::Goal => "goal",
            Self::Referral => "referral",
            Self::Evaluation => "evaluation",
            Self::Closure => "closure",
            Self::Plan => "plan",
            Self::Screeners => "screeners",
            Self::Retention => "retention",
        }
    }

    /// Reads the stored word; None for a word this version does not know.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which part of a record a search row holds (`search_index.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SearchKind {
    Note,
    /// An addendum to a note (the row's record id is the note's).
    Addendum,
    Assessment,
    /// One presenting need of an assessment (the row's record id is the assessment's).
    Need,
    Screening,
    Referral,
    /// A goal's statement, measure and reasons.
    Goal,
    /// A goal's steps and progress notes (the row's record id is the goal's).
    GoalNotes,
    Evaluation,
    Person,
    Conference,
    Advocacy,
    MandatedReport,
    Transition,
    Closure,
}

impl SearchKind {
    pub const ALL: &'static [Self] = &[
        Self::Note,
        Self::Addendum,
        Self::Assessment,
        Self::Need,
        Self::Screening,
        Self::Referral,
        Self::Goal,
        Self::GoalNotes,
        Self::Evaluation,
        Self::Person,
        Self::Conference,
        Self::Advocacy,
        Self::MandatedReport,
        Self::Transition,
        Self::Closure,
    ];

    /// The word stored in the search index.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Addendum => "addendum",
            Self::Assessment => "assessment",
            Self::Need => "need",
            Self::Screening => "screening",
            Self::Referral => "referral",
            Self::Goal => "goal",
            Self::GoalNotes => "goal-notes",
            Self::Evaluation => "evaluation",
            Self::Person => "person",
            Self::Conference => "conference",
            Self::Advocacy => "advocacy",
            Self::MandatedReport => "mandated-report",
            Self::Transition => "transition",
            Self::Closure => "closure",
        }
    }

    /// Reads the stored word; None for a word this version does not know.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// The record a hit opens: an addendum opens its note, a need its assessment, a goal's
    /// notes the goal.
    pub fn record(self) -> RecordKind {
        match self {
            Self::Note | Self::Addendum => RecordKind::Note,
            Self::Assessment | Self::Need => RecordKind::Assessment,
            Self::Screening => RecordKind::Screening,
            Self::Referral => RecordKind::Referral,
            Self::Goal | Self::GoalNotes => RecordKind::Goal,
            Self::Evaluation => RecordKind::Evaluation,
            Self::Person => RecordKind::Person,
            Self::Conference => RecordKind::Conference,
            Self::Advocacy => RecordKind::Advocacy,
            Self::MandatedReport => RecordKind::MandatedReport,
            Self::Transition => RecordKind::Transition,
            Self::Closure => RecordKind::Closure,
        }
    }
}

impl fmt::Display for SearchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_words_round_trip_and_match_serde() {
        for k in RecordKind::ALL {
            assert_eq!(RecordKind::parse(k.as_str()), Some(*k));
            assert_eq!(serde_json::to_value(k).ok(), Some(serde_json::Value::from(k.as_str())));
        }
        for k in SearchKind::ALL {
            assert_eq!(SearchKind::parse(k.as_str()), Some(*k));
            assert_eq!(serde_json::to_value(k).ok(), Some(serde_json::Value::from(k.as_str())));
        }
        assert_eq!(RecordKind::parse("Note"), None);
        assert_eq!(SearchKind::parse("goal-notes").map(SearchKind::record), Some(RecordKind::Goal));
    }

    #[test]
    fn every_search_kind_opens_a_record_of_the_same_name_or_its_parent() {
        for k in SearchKind::ALL {
            let r = k.record();
            let same = RecordKind::parse(k.as_str()) == Some(r);
            let part = matches!(k, SearchKind::Addendum | SearchKind::Need | SearchKind::GoalNotes);
            assert!(same != part, "{k}");
        }
    }
}
