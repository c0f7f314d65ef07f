//! Intake & assessment: assessments, screeners, safety flags and alerts, and the people around
//! the client.

pub mod administer;
pub mod assessment_form;
pub mod assessment_view;
pub mod assessments;
pub mod flag_review;
pub mod flags;
pub mod people;
pub mod person_form;
pub mod safety_note;
pub mod screeners;
pub mod screening;

use crate::app::message::AssessMsg;
use crate::store::Result;
use crate::ui::view::{Opened, SubmitCtx};
use administer::AdministerScreen;
use assessment_form::AssessmentForm;
use assessment_view::AssessmentScreen;
use assessments::AssessmentsScreen;
use flag_review::FlagReview;
use flags::FlagsScreen;
use people::PeopleScreen;
use person_form::PersonForm;
use safety_note::{NoteKind, SafetyNote};
use screeners::ScreenersScreen;
use screening::ScreeningScreen;

/// Opens the screen an assessment-phase message asks for.
pub fn open(ctx: &mut SubmitCtx<'_>, msg: AssessMsg) -> Result<Opened> {
    let today = ctx.today;
    match msg {
        AssessMsg::OpenAssessments(c) => {
            ctx.store.client(c)?;
            Opened::screen(AssessmentsScreen::new(c))
        }
        AssessMsg::OpenAssessment(id) => {
            ctx.store.assessment(id)?;
            Opened::screen(AssessmentScreen::new(id))
        }
        AssessMsg::NewAssessment { client_id, from } => {
            ctx.store.client(client_id)?;
            let base = from.map(|id| ctx.store.assessment(id)).transpose()?;
            let screen = AssessmentForm::new(client_id, base.as_ref().map(|b| &b.assessment), from, today);
            Opened::screen(screen)
        }
        AssessMsg::EditAssessment(id) => {
            let a = ctx.store.assessment(id)?;
            Opened::screen(AssessmentForm::edit(&a, today))
        }
        AssessMsg::OpenScreeners(c) => {
            ctx.store.client(c)?;
            Opened::screen(ScreenersScreen::new(c))
        }
        AssessMsg::Administer { client_id, instrument } => {
            ctx.store.client(client_id)?;
            let Some(inst) = crate::domain::instruments::find(ctx.instruments, &instrument).cloned() else {
                return Opened::refused(format!("There is no screener called {instrument}."));
            };
            Opened::screen(AdministerScreen::new(client_id, inst, today))
        }
        AssessMsg::OpenScreening(id) => {
            ctx.store.screening(id)?;
            Opened::screen(ScreeningScreen::new(id))
        }
        AssessMsg::ScreeningError(id) => {
            let s = ctx.store.screening(id)?;
            if s.entered_in_error {
                return Opened::refused("It is already marked entered in error.");
            }
            let kind = NoteKind::ScreeningError { screening_id: id, client_id: s.client_id };
            Opened::screen(SafetyNote::new(kind, "", today))
        }
        AssessMsg::OpenFlags(c) => {
            ctx.store.client(c)?;
            Opened::screen(FlagsScreen::new(c))
        }
        AssessMsg::ReviewFlag { id, lower } => {
            let flag = ctx.store.risk_flag(id)?;
            if !flag.is_open() {
                return Opened::refused(format!("Flag {} was lowered already.", flag.reference));
            }
            Opened::screen(FlagReview::new(flag, lower, today))
        }
        AssessMsg::AckAlert(id) => {
            let alert = ctx.store.alert(id)?;
            if alert.acknowledged_at.is_some() {
                return Opened::refused(format!("Alert {} was acknowledged already.", alert.reference));
            }
            let kind = NoteKind::AckAlert { alert_id: id, client_id: alert.client_id };
            Opened::screen(SafetyNote::new(kind, &alert.message, today))
        }
        AssessMsg::OpenPeople(c) => {
            ctx.store.client(c)?;
            Opened::screen(PeopleScreen::new(c))
        }
        AssessMsg::AddPerson(c) => {
            ctx.store.self_person(c, ctx.now)?;
            let people = ctx.store.people(c)?;
            let partners = ctx.store.partnerships(c)?;
            Opened::screen(PersonForm::new(c, None, &people, &partners, today))
        }
        AssessMsg::EditPerson(id) => {
            let p = ctx.store.person(id)?;
            let people = ctx.store.people(p.client_id)?;
            let partners = ctx.store.partnerships(p.client_id)?;
            Opened::screen(PersonForm::new(p.client_id, Some(&p), &people, &partners, today))
        }
    }
}
