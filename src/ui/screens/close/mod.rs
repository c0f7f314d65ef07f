//! Evaluation & termination, and the whole file: closing a case, its closure, reopening,
//! retention, and exporting the file.

pub mod close_case;
pub mod closure;
pub mod export;
pub mod reopen;
pub mod retention;

use crate::app::message::CloseMsg;
use crate::domain::closure::can_undo;
use crate::domain::dates::{format_local, local_offset_secs};
use crate::keymap::{key_label, Action, Context};
use crate::store::Result;
use crate::ui::view::{Opened, SubmitCtx};
use close_case::{CloseCaseScreen, CloseData};
use closure::ClosureScreen;
use export::ExportForm;
use reopen::{ReopenData, ReopenForm};
use retention::RetentionScreen;

/// Opens the screen a closing message asks for.
pub fn open(ctx: &mut SubmitCtx<'_>, m: CloseMsg) -> Result<Opened> {
    match m {
        CloseMsg::Start(c) => {
            let client = ctx.store.client(c)?;
            if client.status.as_str() == "closed" {
                return Opened::refused(format!(
                    "The case of {} is closed: {} reopens it; its closure opens from the history ({}).",
                    client.reference,
                    key_label(Context::ClientFile, Action::Reopen),
                    key_label(Context::ClientFile, Action::OpenTimeline)
                ));
            }
            let facts = ctx.store.closure_facts(c, ctx.instruments, ctx.now)?;
            let data = CloseData {
                client_id: c,
                client_name: client.display_name(),
                facts,
                signature: ctx.settings.signature(),
                retention_years: ctx.settings.retention_years,
            };
            Opened::screen(CloseCaseScreen::new(data, ctx.today))
        }
        CloseMsg::Reopen(c) => {
            let client = ctx.store.client(c)?;
            let Some(closure) = ctx.store.current_closure(c)? else {
                return Opened::refused(format!(
                    "The case of {} is open: there is nothing to reopen.",
                    client.reference
                ));
            };
            let data = ReopenData {
                client_id: c,
                closed_on: closure.closed_on,
                episode: closure.episode,
                undo_allowed: can_undo(closure.recorded_at, ctx.now, local_offset_secs(ctx.now)),
                recorded: format_local(closure.recorded_at),
            };
            Opened::screen(ReopenForm::new(data, ctx.today))
        }
        CloseMsg::OpenClosure(id) => {
            let c = ctx.store.closure(id)?;
            Opened::screen(ClosureScreen::new(id, c.client_id))
        }
        CloseMsg::Export(c) => {
            ctx.store.client(c)?;
            Opened::screen(ExportForm::new(c, ctx.today))
        }
        CloseMsg::OpenRetention => Opened::screen(RetentionScreen::new()),
    }
}
