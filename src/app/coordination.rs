//! Messages of coordination and advocacy: consents, conferences, transitions, advocacy and
//! mandated reports.

use super::message::{CoordForm, CoordMsg};
use super::App;
use crate::domain::dates::format_local;
use crate::store::StoreError;
use crate::ui::screens::coordination::{
    AdvocacyScreen, ConferenceScreen, CoordFormScreen, CoordinationScreen, ReportScreen,
};

impl App {
    pub(crate) fn update_coord(&mut self, msg: CoordMsg) -> Result<(), StoreError> {
        match msg {
            CoordMsg::Open { client_id, tab } => {
                self.store.client(client_id)?;
                self.push_view(Box::new(CoordinationScreen::new(client_id, tab)));
            }
            CoordMsg::Form(kind) => {
                let existing = match kind {
                    CoordForm::Conference { id: Some(id), .. } => Some(self.store.conference(id)?),
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
        }
        Ok(())
    }
}
