//! Closing, reopening and keeping the file: the close screen, the reopen form, a closure's
//! view, the post-closure follow-up, the retention list with its confirmed destruction, and
//! the export form.

use super::message::CloseMsg;
use super::App;
use crate::domain::closure::can_undo;
use crate::domain::dates::{format_local, from_db, local_offset_secs};
use crate::store::StoreError;
use crate::ui::screens::close_case::{CloseCaseScreen, CloseData};
use crate::ui::screens::closure::{ClosureScreen, ReopenData, ReopenScreen};
use crate::ui::screens::export_file::ExportScreen;
use crate::ui::screens::retention::RetentionScreen;

impl App {
    pub(crate) fn update_close(&mut self, m: CloseMsg) -> Result<(), StoreError> {
        match m {
            CloseMsg::Start(c) => {
                let client = self.store.client(c)?;
                if client.status.as_str() == "closed" {
                    self.status = Some(format!(
                        "The case of {} is closed: O reopens it; its closure opens from the history (h).",
                        client.reference
                    ));
                    return Ok(());
                }
                let facts = self.store.closure_facts(c, &self.instruments, self.now)?;
                let data = CloseData {
                    client_id: c,
                    client_name: client.display_name(),
                    facts,
                    signature: self.settings.signature(),
                    retention_years: self.settings.retention_years,
                };
                self.push_view(Box::new(CloseCaseScreen::new(data, self.today)));
            }
            CloseMsg::Reopen(c) => {
                let client = self.store.client(c)?;
                let Some(closure) = self.store.current_closure(c)? else {
                    self.status = Some(format!(
                        "The case of {} is open: there is nothing to reopen.",
                        client.reference
                    ));
                    return Ok(());
                };
                let data = ReopenData {
                    client_id: c,
                    closed_on: closure.closed_on,
                    episode: closure.episode,
                    undo_allowed: can_undo(&closure.recorded_at, self.now, local_offset_secs(self.now)),
                    recorded: from_db(&closure.recorded_at).map(format_local).unwrap_or_default(),
                };
                self.push_view(Box::new(ReopenScreen::new(data, self.today)));
            }
            CloseMsg::OpenClosure(id) => {
                let c = self.store.closure(id)?;
                self.push_view(Box::new(ClosureScreen::new(id, c.client_id)));
            }
            CloseMsg::Export(c) => {
                self.store.client(c)?;
                self.push_view(Box::new(ExportScreen::new(c, self.today)));
            }
            CloseMsg::OpenRetention => self.push_view(Box::new(RetentionScreen::new())),
        }
        Ok(())
    }
}
