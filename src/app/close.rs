//! Closing, reopening and keeping the file: the close screen, the reopen form, a closure's
//! view, the post-closure follow-up, the retention list with its confirmed destruction, and
//! the export form.

use crate::app::{App, Message};
use crate::domain::closure::can_undo;
use crate::domain::dates::{format_local, from_db, local_offset_secs};
use crate::store::StoreError;
use crate::ui::screens::close_case::{CloseCaseScreen, CloseData};
use crate::ui::screens::closure::{ClosureScreen, ReopenData, ReopenScreen};
use crate::ui::screens::export_file::ExportScreen;
use crate::ui::screens::retention::RetentionScreen;

#[derive(Debug, Clone, PartialEq)]
pub enum CloseMsg {
    /// The closing steps for a client.
    Start(i64),
    /// The reopen form for a client.
    Reopen(i64),
    OpenClosure(i64),
    /// The post-closure follow-up of a closure is done.
    FollowUpDone(i64),
    /// The export form for a client.
    Export(i64),
    OpenRetention,
    /// Destroy a client's file; `confirm` is what was typed (it must be the reference).
    Destroy {
        client_id: i64,
        confirm: String,
    },
}

/// Draft kinds of these forms (see `App::resume_close_draft`).
pub fn is_close_draft(kind: &str) -> bool {
    matches!(kind, "close-case" | "reopen")
}

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
            CloseMsg::FollowUpDone(id) => {
                self.store.complete_closure_follow_up(id, self.now)?;
                self.invalidate_all();
                self.status = Some("Post-closure follow-up marked done.".into());
            }
            CloseMsg::Export(c) => {
                self.store.client(c)?;
                self.push_view(Box::new(ExportScreen::new(c, self.today)));
            }
            CloseMsg::OpenRetention => self.push_view(Box::new(RetentionScreen::new())),
            CloseMsg::Destroy { client_id, confirm } => {
                let by = self.settings.signature();
                let file = self.store.destroy_file(
                    client_id,
                    &confirm,
                    self.settings.retention_years,
                    &by,
                    self.today,
                    self.now,
                )?;
                self.invalidate_all();
                self.status = Some(format!(
                    "The file of {} was destroyed. Only its reference and dates are kept.",
                    file.reference
                ));
            }
        }
        Ok(())
    }

    /// Opens closures (timeline, search, Today) and the retention list (Today).
    pub(crate) fn open_close_record(&mut self, kind: &str, id: i64) -> Result<bool, StoreError> {
        match kind {
            "closure" => self.update_close(CloseMsg::OpenClosure(id))?,
            "retention" => self.update_close(CloseMsg::OpenRetention)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Reopens a closing or reopening left unsaved, over the client's file.
    pub(crate) fn resume_close_draft(
        &mut self,
        kind: &str,
        client_id: Option<i64>,
    ) -> Result<(), StoreError> {
        let Some(c) = client_id else { return Ok(()) };
        self.update(Message::OpenClient(c))?;
        match kind {
            "close-case" => self.update_close(CloseMsg::Start(c)),
            _ => self.update_close(CloseMsg::Reopen(c)),
        }
    }
}
