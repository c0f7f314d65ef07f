//! Messages of referrals: the client's list, the board, one referral and its forms.

use super::message::RefMsg;
use super::App;
use crate::store::StoreError;
use crate::ui::screens::referrals::{
    AppointmentFormScreen, ReferralFormScreen, ReferralScreen, ReferralsScreen, StatusFormScreen,
};

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
}
