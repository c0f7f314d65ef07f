//! Messages of coordination and advocacy: consents, conferences, transitions, advocacy and
//! mandated reports.

use super::{App, Message};
use crate::domain::dates::format_local;
use crate::store::StoreError;
use crate::ui::screens::coordination::{
    AdvocacyScreen, ConferenceScreen, CoordFormScreen, CoordinationScreen, FormKind, ReportScreen, Tab,
};

#[derive(Debug, Clone, PartialEq)]
pub enum CoordMsg {
    Open { client_id: i64, tab: Tab },
    Form(FormKind),
    OpenConference(i64),
    OpenAdvocacy(i64),
    OpenReport(i64),
    ActionDone(i64),
    TransitionDone(i64),
    LapseConsent(i64),
}

impl App {
    pub(crate) fn update_coord(&mut self, msg: CoordMsg) -> Result<(), StoreError> {
        match msg {
            CoordMsg::Open { client_id, tab } => {
                self.store.client(client_id)?;
                self.push_view(Box::new(CoordinationScreen::new(client_id, tab)));
            }
            CoordMsg::Form(kind) => {
                let existing = match kind {
                    FormKind::Conference { id: Some(id), .. } => Some(self.store.conference(id)?),
                    _ => None,
                };
                let by = self.settings.signature();
                let screen =
                    CoordFormScreen::new(kind, self.today, &format_local(self.now), existing.as_ref(), &by);
                self.push_view(Box::new(screen));
            }
            CoordMsg::OpenConference(id) => {
                self.store.conference(id)?;
                self.push_view(Box::new(ConferenceScreen::new(id)));
            }
            CoordMsg::OpenAdvocacy(id) => {
                self.store.advocacy_item(id)?;
                self.push_view(Box::new(AdvocacyScreen::new(id)));
            }
            CoordMsg::OpenReport(id) => {
                self.store.mandated_report(id)?;
                self.push_view(Box::new(ReportScreen::new(id)));
            }
            CoordMsg::ActionDone(id) => {
                self.store.complete_action(id, self.now)?;
                self.invalidate_all();
                self.status = Some("Action item done.".into());
            }
            CoordMsg::TransitionDone(id) => {
                self.store.complete_transition_follow_up(id, self.now)?;
                self.invalidate_all();
                self.status = Some("Transition followed up.".into());
            }
            CoordMsg::LapseConsent(id) => {
                let c = self.store.consent(id)?;
                let v = c.validity(self.today, 0);
                if c.lapsed_on.is_some() || c.revoked_on.is_some() {
                    self.status = Some("That consent is no longer in play already.".into());
                } else if !matches!(v, crate::domain::consent::Validity::Expired { .. }) {
                    self.status = Some(
                        "Only an expired consent can be left unrenewed; to stop sharing now, record the withdrawal (w)."
                            .into(),
                    );
                } else {
                    self.store.let_consent_lapse(id, self.now)?;
                    self.invalidate_all();
                    self.status = Some(format!("Consent {} left expired; it leaves Today.", c.reference));
                }
            }
        }
        Ok(())
    }

    /// Records of this phase that a timeline line, search hit or Today item opens.
    pub(crate) fn open_coord_record(&mut self, kind: &str, id: i64) -> Result<bool, StoreError> {
        let msg = match kind {
            "consent" => CoordMsg::Open { client_id: self.store.consent(id)?.client_id, tab: Tab::Consents },
            "conference" => CoordMsg::OpenConference(id),
            "advocacy" => CoordMsg::OpenAdvocacy(id),
            "mandated-report" => CoordMsg::OpenReport(id),
            "transition" => {
                let client_id = self.store.transition_client_id(id)?;
                CoordMsg::Open { client_id, tab: Tab::Transitions }
            }
            _ => return Ok(false),
        };
        self.update(Message::Coord(msg))?;
        Ok(true)
    }

    /// Reopens a coordination form left as a draft.
    pub(crate) fn resume_coord_draft(&mut self, kind: &str, key: &str) -> Result<bool, StoreError> {
        if kind != "coordination" {
            return Ok(false);
        }
        let Some(form) = FormKind::from_draft_key(key) else { return Ok(true) };
        self.update(Message::OpenClient(form.client()))?;
        self.update(Message::Coord(CoordMsg::Form(form)))?;
        Ok(true)
    }
}
