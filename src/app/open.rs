//! Opening a record by its kind: the one place that knows which screen shows a timeline line,
//! a search hit or a Today item.

use super::message::{AssessMsg, CloseMsg, CoordMsg, CoordTab, Message, PlanMsg, RefMsg};
use super::App;
use crate::store::StoreError;

impl App {
    /// The message that opens the record `id` of `kind` (None: nothing shows that kind).
    pub(super) fn record_opener(&self, kind: &str, id: i64) -> Result<Option<Message>, StoreError> {
        let m = match kind {
            "note" | "addendum" => Message::OpenNote(id),
            "assessment" => Message::Assess(AssessMsg::OpenAssessment(id)),
            "screening" => Message::Assess(AssessMsg::OpenScreening(id)),
            "alert" => {
                let a = self.store.alert(id)?;
                Message::Assess(if a.acknowledged_at.is_some() {
                    AssessMsg::OpenScreening(a.screening_id)
                } else {
                    AssessMsg::AckAlert(id)
                })
            }
            "flag" => Message::Assess(AssessMsg::OpenFlags(self.store.risk_flag(id)?.client_id)),
            "screeners" => Message::Assess(AssessMsg::OpenScreeners(id)),
            "person" => Message::Assess(AssessMsg::OpenPeople(self.store.person(id)?.client_id)),
            "consent" => Message::Coord(CoordMsg::Open {
                client_id: self.store.consent(id)?.client_id,
                tab: CoordTab::Consents,
            }),
            "conference" => Message::Coord(CoordMsg::OpenConference(id)),
            "advocacy" => Message::Coord(CoordMsg::OpenAdvocacy(id)),
            "mandated-report" => Message::Coord(CoordMsg::OpenReport(id)),
            "transition" => {
                let client_id = self.store.transition_client_id(id)?;
                Message::Coord(CoordMsg::Open { client_id, tab: CoordTab::Transitions })
            }
            "referral" => Message::Referral(RefMsg::Open(id)),
            "closure" => Message::Close(CloseMsg::OpenClosure(id)),
            "retention" => Message::Close(CloseMsg::OpenRetention),
            "goal" | "goal-notes" => Message::Plan(PlanMsg::OpenGoal(id)),
            "evaluation" => Message::Plan(PlanMsg::OpenEvaluation(id)),
            "plan" => Message::Plan(PlanMsg::OpenPlan(id)),
            _ => return Ok(None),
        };
        Ok(Some(m))
    }

    pub(super) fn open_record(&mut self, kind: &str, id: i64) -> Result<(), StoreError> {
        match self.record_opener(kind, id)? {
            Some(m) => self.update(m),
            None => {
                self.status = Some("That record cannot be opened from here.".into());
                Ok(())
            }
        }
    }
}
