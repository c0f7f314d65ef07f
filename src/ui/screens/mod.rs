//! Every screen, grouped by the phase of case management it serves; one screen per file.
//! An area's `mod.rs` opens its screens for the messages that ask for them.

pub mod assessment;
pub mod clients;
pub mod close;
pub mod coordination;
pub mod directory;
pub mod notes;
pub mod plan;
pub mod referrals;
pub mod settings;
pub mod snooze;
pub mod today;
