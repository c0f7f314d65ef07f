//! Messages of the assessment phase: assessments, screeners, safety flags and alerts, the
//! people around the client.

use super::message::AssessMsg;
use super::App;
use crate::store::StoreError;
use crate::ui::screens::assessment::{AssessmentFormScreen, AssessmentScreen, AssessmentsScreen};
use crate::ui::screens::people::{PeopleScreen, PersonFormScreen};
use crate::ui::screens::safety::{FlagReviewScreen, FlagsScreen, NoteKind, SafetyNoteScreen};
use crate::ui::screens::screeners::{AdministerScreen, ScreenersScreen, ScreeningScreen};

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
        }
        Ok(())
    }
}
