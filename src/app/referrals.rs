//! Messages of referrals: the client's list, the board, one referral and its forms.

use super::{App, Message};
use crate::store::StoreError;
use crate::ui::screens::referrals::{
    AppointmentFormScreen, ReferralFormScreen, ReferralScreen, ReferralsScreen, StatusFormScreen,
};

#[derive(Debug, Clone, PartialEq)]
pub enum RefMsg {
    /// A client's referrals.
    List(i64),
    /// Every open referral across the caseload.
    Board,
    Open(i64),
    New(i64),
    Edit(i64),
    Status(i64),
    Appointment(i64),
}

impl App {
    pub(crate) fn update_referral(&mut self, msg: RefMsg) -> Result<(), StoreError> {
        let today = self.today;
        match msg {
            RefMsg::List(c) => {
                self.store.client(c)?;
                self.push_view(Box::new(ReferralsScreen::for_client(c)));
            }
            RefMsg::Board => self.push_view(Box::new(ReferralsScreen::board())),
            RefMsg::Open(id) => {
                self.store.referral(id)?;
                self.push_view(Box::new(ReferralScreen::new(id)));
            }
            RefMsg::New(c) => {
                self.store.client(c)?;
                let screen = self.referral_form(c, None)?;
                self.push_view(Box::new(screen));
            }
            RefMsg::Edit(id) => {
                let r = self.store.referral(id)?;
                if r.status.is_terminal() {
                    self.status = Some("This referral is closed; its record stays as it was.".into());
                    return Ok(());
                }
                let screen = self.referral_form(r.client_id, Some(&r))?;
                self.push_view(Box::new(screen));
            }
            RefMsg::Status(id) => {
                let r = self.store.referral(id)?;
                if r.status.is_terminal() {
                    self.status =
                        Some("This referral is closed: nothing follows. Make a new referral instead.".into());
                    return Ok(());
                }
                self.push_view(Box::new(StatusFormScreen::new(r, today)));
            }
            RefMsg::Appointment(id) => {
                let r = self.store.referral(id)?;
                self.push_view(Box::new(AppointmentFormScreen::new(r, today)));
            }
        }
        Ok(())
    }

    fn referral_form(
        &self,
        client_id: i64,
        existing: Option<&crate::store::referrals::Referral>,
    ) -> Result<ReferralFormScreen, StoreError> {
        let needs = self.store.current_needs(client_id)?;
        let goals = self
            .store
            .goals(client_id, false)?
            .into_iter()
            .map(|g| (g.id, g.statement.clone(), g.life_domain.clone()))
            .collect();
        let people = self.store.people(client_id)?;
        Ok(ReferralFormScreen::new(client_id, existing, needs, goals, people, self.today))
    }

    pub(crate) fn open_referral_record(&mut self, kind: &str, id: i64) -> Result<bool, StoreError> {
        if kind != "referral" {
            return Ok(false);
        }
        self.update(Message::Referral(RefMsg::Open(id)))?;
        Ok(true)
    }

    pub(crate) fn resume_referral_draft(
        &mut self,
        kind: &str,
        key: &str,
        client_id: Option<i64>,
    ) -> Result<bool, StoreError> {
        if kind != "referral" {
            return Ok(false);
        }
        let parts: Vec<&str> = key.split(':').collect();
        let msg = match (parts.get(1), client_id) {
            (Some(&"new"), Some(c)) => RefMsg::New(c),
            (Some(id), _) => match id.parse::<i64>() {
                Ok(id) => RefMsg::Edit(id),
                Err(_) => return Ok(true),
            },
            _ => return Ok(true),
        };
        if let Some(c) = client_id {
            self.update(Message::OpenClient(c))?;
        }
        self.update(Message::Referral(msg))?;
        Ok(true)
    }
}
