//! Coordination & advocacy: consents to share, case conferences, transitions, advocacy items and
//! mandated reports.

pub mod advocacy;
pub mod conference;
pub mod form;
pub mod hub;
pub mod report;

use crate::app::message::{CoordForm, CoordMsg};
use crate::domain::dates::format_local;
use crate::store::Result;
use crate::ui::view::{Opened, SubmitCtx};
use advocacy::AdvocacyScreen;
use conference::ConferenceScreen;
use form::CoordinationForm;
use hub::CoordinationScreen;
use report::ReportScreen;

/// Opens the screen a coordination message asks for.
pub fn open(ctx: &mut SubmitCtx<'_>, msg: CoordMsg) -> Result<Opened> {
    match msg {
        CoordMsg::Open { client_id, tab } => {
            ctx.store.client(client_id)?;
            Opened::screen(CoordinationScreen::new(client_id, tab))
        }
        CoordMsg::Form(kind) => {
            let existing = match kind {
                CoordForm::Conference { id: Some(id), .. } => Some(ctx.store.conference(id)?),
                _ => None,
            };
            let by = ctx.settings.signature();
            let screen =
                CoordinationForm::new(kind, ctx.today, &format_local(ctx.now), existing.as_ref(), &by);
            Opened::screen(screen)
        }
        CoordMsg::OpenConference(id) => {
            ctx.store.conference(id)?;
            Opened::screen(ConferenceScreen::new(id))
        }
        CoordMsg::OpenAdvocacy(id) => {
            ctx.store.advocacy_item(id)?;
            Opened::screen(AdvocacyScreen::new(id))
        }
        CoordMsg::OpenReport(id) => {
            ctx.store.mandated_report(id)?;
            Opened::screen(ReportScreen::new(id))
        }
    }
}
