//! Linking: referrals to services, tracked to a closed loop.

pub mod appointment_form;
pub mod form;
pub mod list;
pub mod referral;

pub mod status_form;

use crate::app::message::RefMsg;
use crate::store::Result;
use crate::ui::view::{Opened, SubmitCtx};
use appointment_form::AppointmentForm;
use form::ReferralForm;
use list::ReferralsScreen;
use referral::ReferralScreen;
use status_form::StatusForm;

/// Opens the screen a referral message asks for.
pub fn open(ctx: &mut SubmitCtx<'_>, msg: RefMsg) -> Result<Opened> {
    let today = ctx.today;
    match msg {
        RefMsg::List(c) => {
            ctx.store.client(c)?;
            Opened::screen(ReferralsScreen::for_client(c))
        }
        RefMsg::Board => Opened::screen(ReferralsScreen::board()),
        RefMsg::Open(id) => {
            ctx.store.referral(id)?;
            Opened::screen(ReferralScreen::new(id))
        }
        RefMsg::New(c) => {
            ctx.store.client(c)?;
            Opened::screen(ReferralForm::load(ctx, c, None)?)
        }
        RefMsg::NewTo { client_id, service_id } => {
            ctx.store.client(client_id)?;
            Opened::screen(ReferralForm::load_to(ctx, client_id, service_id)?)
        }
        RefMsg::Edit(id) => {
            let r = ctx.store.referral(id)?;
            if r.status.is_terminal() {
                return Opened::refused("This referral is closed; its record stays as it was.");
            }
            Opened::screen(ReferralForm::load(ctx, r.client_id, Some(&r))?)
        }
        RefMsg::Status(id) => {
            let r = ctx.store.referral(id)?;
            if r.status.is_terminal() {
                return Opened::refused(
                    "This referral is closed: nothing follows. Make a new referral instead.",
                );
            }
            Opened::screen(StatusForm::new(r, today))
        }
        RefMsg::Appointment(id) => {
            let r = ctx.store.referral(id)?;
            if r.status.is_terminal() {
                return Opened::refused("This referral is closed; its appointments stay as they were.");
            }
            Opened::screen(AppointmentForm::new(r, None, today))
        }
        RefMsg::EditAppointment(id) => {
            let a = ctx.store.appointment(id)?;
            let r = ctx.store.referral(a.referral_id)?;
            if r.status.is_terminal() {
                return Opened::refused("This referral is closed; its appointments stay as they were.");
            }
            Opened::screen(AppointmentForm::new(r, Some(&a), today))
        }
    }
}
