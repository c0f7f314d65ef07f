//! Messages of the assessment phase: assessments, screeners, safety flags and alerts, the
//! people around the client.

use super::{App, Message};
use crate::store::StoreError;
use crate::ui::screens::assessment::{AssessmentFormScreen, AssessmentScreen, AssessmentsScreen};
use crate::ui::screens::people::{PeopleScreen, PersonFormScreen};
use crate::ui::screens::safety::{FlagReviewScreen, FlagsScreen, NoteKind, SafetyNoteScreen};
use crate::ui::screens::screeners::{AdministerScreen, ScreenersScreen, ScreeningScreen};

#[derive(Debug, Clone, PartialEq)]
pub enum AssessMsg {
    OpenAssessments(i64),
    OpenAssessment(i64),
    /// A new assessment for a client; `from` starts a reassessment from that one.
    NewAssessment {
        client_id: i64,
        from: Option<i64>,
    },
    EditAssessment(i64),
    OpenScreeners(i64),
    Administer {
        client_id: i64,
        instrument: String,
    },
    OpenScreening(i64),
    ScreeningError(i64),
    OpenFlags(i64),
    ReviewFlag {
        id: i64,
        lower: bool,
    },
    AckAlert(i64),
    OpenPeople(i64),
    AddPerson(i64),
    EditPerson(i64),
    RemovePerson(i64),
}

impl App {
    pub(crate) fn update_assess(&mut self, msg: AssessMsg) -> Result<(), StoreError> {
        let today = self.today;
        match msg {
            AssessMsg::OpenAssessments(c) => {
                self.store.client(c)?;
                self.push_view(Box::new(AssessmentsScreen::new(c)));
            }
            AssessMsg::OpenAssessment(id) => {
                self.store.assessment(id)?;
                self.push_view(Box::new(AssessmentScreen::new(id)));
            }
            AssessMsg::NewAssessment { client_id, from } => {
                self.store.client(client_id)?;
                let base = from.map(|id| self.store.assessment(id)).transpose()?;
                let screen =
                    AssessmentFormScreen::new(client_id, base.as_ref().map(|b| &b.assessment), from, today);
                self.push_view(Box::new(screen));
            }
            AssessMsg::EditAssessment(id) => {
                let a = self.store.assessment(id)?;
                self.push_view(Box::new(AssessmentFormScreen::edit(&a, today)));
            }
            AssessMsg::OpenScreeners(c) => {
                self.store.client(c)?;
                self.push_view(Box::new(ScreenersScreen::new(c)));
            }
            AssessMsg::Administer { client_id, instrument } => {
                self.store.client(client_id)?;
                let Some(inst) = crate::domain::instruments::find(&self.instruments, &instrument).cloned()
                else {
                    self.status = Some(format!("There is no screener called {instrument}."));
                    return Ok(());
                };
                self.push_view(Box::new(AdministerScreen::new(client_id, inst, today)));
            }
            AssessMsg::OpenScreening(id) => {
                self.store.screening(id)?;
                self.push_view(Box::new(ScreeningScreen::new(id)));
            }
            AssessMsg::ScreeningError(id) => {
                let s = self.store.screening(id)?;
                if s.entered_in_error {
                    self.status = Some("It is already marked entered in error.".into());
                    return Ok(());
                }
                let kind = NoteKind::ScreeningError { screening_id: id, client_id: s.client_id };
                self.push_view(Box::new(SafetyNoteScreen::new(kind, "", today)));
            }
            AssessMsg::OpenFlags(c) => {
                self.store.client(c)?;
                self.push_view(Box::new(FlagsScreen::new(c)));
            }
            AssessMsg::ReviewFlag { id, lower } => {
                let flag = self.store.risk_flag(id)?;
                if !flag.is_open() {
                    self.status = Some(format!("Flag {} was lowered already.", flag.reference));
                    return Ok(());
                }
                self.push_view(Box::new(FlagReviewScreen::new(flag, lower, today)));
            }
            AssessMsg::AckAlert(id) => {
                let alert = self.store.alert(id)?;
                if alert.acknowledged_at.is_some() {
                    self.status = Some(format!("Alert {} was acknowledged already.", alert.reference));
                    return Ok(());
                }
                let kind = NoteKind::AckAlert { alert_id: id, client_id: alert.client_id };
                self.push_view(Box::new(SafetyNoteScreen::new(kind, &alert.message, today)));
            }
            AssessMsg::OpenPeople(c) => {
                self.store.client(c)?;
                self.push_view(Box::new(PeopleScreen::new(c)));
            }
            AssessMsg::AddPerson(c) => {
                self.store.self_person(c, self.now)?;
                let people = self.store.people(c)?;
                let partners = self.store.partnerships(c)?;
                self.push_view(Box::new(PersonFormScreen::new(c, None, &people, &partners, today)));
            }
            AssessMsg::EditPerson(id) => {
                let p = self.store.person(id)?;
                let people = self.store.people(p.client_id)?;
                let partners = self.store.partnerships(p.client_id)?;
                self.push_view(Box::new(PersonFormScreen::new(
                    p.client_id,
                    Some(&p),
                    &people,
                    &partners,
                    today,
                )));
            }
            AssessMsg::RemovePerson(id) => {
                let p = self.store.person(id)?;
                self.store.remove_person(id, self.now)?;
                self.invalidate_all();
                self.status = Some(format!("Removed {}.", crate::domain::text::display_safe(&p.name)));
            }
        }
        Ok(())
    }

    /// Records of this phase that a timeline line, search hit or Today item opens.
    pub(crate) fn open_assess_record(&mut self, kind: &str, id: i64) -> Result<bool, StoreError> {
        let msg = match kind {
            "assessment" => AssessMsg::OpenAssessment(id),
            "screening" => AssessMsg::OpenScreening(id),
            "alert" => {
                let a = self.store.alert(id)?;
                if a.acknowledged_at.is_some() {
                    AssessMsg::OpenScreening(a.screening_id)
                } else {
                    AssessMsg::AckAlert(id)
                }
            }
            "flag" => AssessMsg::OpenFlags(self.store.risk_flag(id)?.client_id),
            "screeners" => AssessMsg::OpenScreeners(id),
            "person" => AssessMsg::OpenPeople(self.store.person(id)?.client_id),
            _ => return Ok(false),
        };
        self.update(Message::Assess(msg))?;
        Ok(true)
    }

    /// Reopens a form of this phase left as a draft; false when the kind is not this phase's.
    pub(crate) fn resume_assess_draft(
        &mut self,
        kind: &str,
        key: &str,
        client_id: Option<i64>,
    ) -> Result<bool, StoreError> {
        let parts: Vec<&str> = key.split(':').collect();
        let num = |i: usize| parts.get(i).and_then(|s| s.parse::<i64>().ok());
        let msg = match (kind, client_id) {
            ("assessment-new", Some(c)) => AssessMsg::NewAssessment { client_id: c, from: num(4) },
            ("assessment-edit", _) => match num(1) {
                Some(id) => AssessMsg::EditAssessment(id),
                None => return Ok(true),
            },
            ("screening-new", Some(c)) => {
                AssessMsg::Administer { client_id: c, instrument: parts.get(3).unwrap_or(&"").to_string() }
            }
            ("flag-review", _) => match num(1) {
                Some(id) => AssessMsg::ReviewFlag { id, lower: parts.get(2) == Some(&"lower") },
                None => return Ok(true),
            },
            ("alert-ack", _) => match num(1) {
                Some(id) => AssessMsg::AckAlert(id),
                None => return Ok(true),
            },
            ("person-new", Some(c)) => AssessMsg::AddPerson(c),
            ("person-edit", _) => match num(1) {
                Some(id) => AssessMsg::EditPerson(id),
                None => return Ok(true),
            },
            _ => return Ok(false),
        };
        if let Some(c) = client_id {
            self.update(Message::OpenClient(c))?;
        }
        self.update(Message::Assess(msg))?;
        Ok(true)
    }
}
