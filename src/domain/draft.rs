//! What kind of form a draft belongs to: the word stored with each draft, and what the app
//! reopens from it after a crash.

/// Every kind of form that keeps a draft. `as_str` is what the database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DraftKind {
    IntakeNew,
    IntakeEdit,
    Settings,
    NoteNew,
    NoteEdit,
    Addendum,
    ServiceNew,
    ServiceEdit,
    AssessmentNew,
    AssessmentEdit,
    ScreeningNew,
    FlagReview,
    AlertAck,
    PersonNew,
    PersonEdit,
    Coordination,
    Referral,
    GoalNew,
    GoalEdit,
    GoalStepNew,
    GoalStepEdit,
    GoalProgress,
    GoalStatus,
    GoalAchievement,
    PlanReview,
    EvaluationNew,
    CloseCase,
    Reopen,
    VisitNew,
}

impl DraftKind {
    pub const ALL: [DraftKind; 29] = [
        DraftKind::IntakeNew,
        DraftKind::IntakeEdit,
        DraftKind::Settings,
        DraftKind::NoteNew,
        DraftKind::NoteEdit,
        DraftKind::Addendum,
        DraftKind::ServiceNew,
        DraftKind::ServiceEdit,
        DraftKind::AssessmentNew,
        DraftKind::AssessmentEdit,
        DraftKind::ScreeningNew,
        DraftKind::FlagReview,
        DraftKind::AlertAck,
        DraftKind::PersonNew,
        DraftKind::PersonEdit,
        DraftKind::Coordination,
        DraftKind::Referral,
        DraftKind::GoalNew,
        DraftKind::GoalEdit,
        DraftKind::GoalStepNew,
        DraftKind::GoalStepEdit,
        DraftKind::GoalProgress,
        DraftKind::GoalStatus,
        DraftKind::GoalAchievement,
        DraftKind::PlanReview,
        DraftKind::EvaluationNew,
        DraftKind::CloseCase,
        DraftKind::Reopen,
        DraftKind::VisitNew,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DraftKind::IntakeNew => "intake-new",
            DraftKind::IntakeEdit => "intake-edit",
            DraftKind::Settings => "settings",
            DraftKind::NoteNew => "note-new",
            DraftKind::NoteEdit => "note-edit",
            DraftKind::Addendum => "addendum",
            DraftKind::ServiceNew => "service-new",
            DraftKind::ServiceEdit => "service-edit",
            DraftKind::AssessmentNew => "assessment-new",
            DraftKind::AssessmentEdit => "assessment-edit",
            DraftKind::ScreeningNew => "screening-new",
            DraftKind::FlagReview => "flag-review",
            DraftKind::AlertAck => "alert-ack",
            DraftKind::PersonNew => "person-new",
            DraftKind::PersonEdit => "person-edit",
            DraftKind::Coordination => "coordination",
            DraftKind::Referral => "referral",
            DraftKind::GoalNew => "goal-new",
            DraftKind::GoalEdit => "goal-edit",
            DraftKind::GoalStepNew => "goal-step-new",
            DraftKind::GoalStepEdit => "goal-step-edit",
            DraftKind::GoalProgress => "goal-progress",
            DraftKind::GoalStatus => "goal-status",
            DraftKind::GoalAchievement => "goal-achievement",
            DraftKind::PlanReview => "plan-review",
            DraftKind::EvaluationNew => "evaluation-new",
            DraftKind::CloseCase => "close-case",
            DraftKind::Reopen => "reopen",
            DraftKind::VisitNew => "visit-new",
        }
    }

    /// The kind a stored word names (None: a newer caseload's form).
    pub fn parse(s: &str) -> Option<DraftKind> {
        DraftKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_word() {
        for k in DraftKind::ALL {
            assert_eq!(DraftKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(DraftKind::parse("from-the-future"), None);
    }
}
