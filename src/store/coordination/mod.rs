//! Coordination and advocacy, one file per aggregate: consents to share, case conferences
//! with action items, transitions, the advocacy log and mandated reports. Every save is one
//! transaction and leaves a line on the timeline. (Ties of the ecomap are on people rows:
//! `store::people`.) This file only names the parts.

mod advocacy;
mod conferences;
mod consents;
mod reports;
mod transitions;

pub(crate) use advocacy::insert_advocacy;
pub use advocacy::{AdvocacyAction, AdvocacyItem};
pub(crate) use conferences::insert_conference;
pub use conferences::{ActionItem, Attendee, Conference};
pub(crate) use consents::insert_consent;
pub use consents::StoredConsent;
pub use reports::{MandatedReport, ReportAddendum};
pub use transitions::Transition;
