//! Opening a record by its kind: the one place that knows which screen shows a timeline line,
//! a search hit or a Today item.

use super::message::{AssessMsg, CloseMsg, CoordMsg, CoordTab, Message, PlanMsg, RefMsg};
use super::App;
use crate::domain::record::RecordKind;
use crate::store::StoreError;

impl App {
    /// The message that opens the record `id` of `kind` (None: no screen shows that kind by
    /// itself — an action item shows on its conference).
    pub(super) fn record_opener(&self, kind: RecordKind, id: i64) -> Result<Option<Message>, StoreError> {
        use RecordKind as K;
        let m = match kind {
            K::Note => Message::OpenNote(id),
            K::Assessment => Message::Assess(AssessMsg::OpenAssessment(id)),
            K::Screening => Message::Assess(AssessMsg::OpenScreening(id)),
            K::Alert => {
                let a = self.store.alert(id)?;
                Message::Assess(if a.acknowledged_at.is_some() {
                    AssessMsg::OpenScreening(a.screening_id)
                } else {
                    AssessMsg::AckAlert(id)
                })
            }
            K::Flag => Message::Assess(AssessMsg::OpenFlags(self.store.risk_flag(id)?.client_id)),
            K::Screeners => Message::Assess(AssessMsg::OpenScreeners(id)),
            K::Person => Message::Assess(AssessMsg::OpenPeople(self.store.person(id)?.client_id)),
            K::Consent => Message::Coord(CoordMsg::Open {
                client_id: self.store.consent(id)?.client_id,
                tab: CoordTab::Consents,
            }),
            K::Conference => Message::Coord(CoordMsg::OpenConference(id)),
            K::Advocacy => Message::Coord(CoordMsg::OpenAdvocacy(id)),
            K::MandatedReport => Message::Coord(CoordMsg::OpenReport(id)),
            K::Transition => {
                let client_id = self.store.transition_client_id(id)?;
                Message::Coord(CoordMsg::Open { client_id, tab: CoordTab::Transitions })
            }
            K::Referral => Message::Referral(RefMsg::Open(id)),
            K::Closure => Message::Close(CloseMsg::OpenClosure(id)),
            K::Retention => Message::Close(CloseMsg::OpenRetention),
            K::Goal => Message::Plan(PlanMsg::OpenGoal(id)),
            K::Evaluation => Message::Plan(PlanMsg::OpenEvaluation(id)),
            K::Plan => Message::Plan(PlanMsg::OpenPlan(id)),
            K::ActionItem => return Ok(None),
        };
        Ok(Some(m))
    }

    pub(super) fn open_record(&mut self, kind: RecordKind, id: i64) -> Result<(), StoreError> {
        match self.record_opener(kind, id)? {
            Some(m) => self.update(m),
            None => {
                self.status = Some("That record cannot be opened from here.".into());
                Ok(())
            }
        }
    }
}
