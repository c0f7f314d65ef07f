//! Plain types and rules with no I/O.

pub mod client;
pub mod consent;
pub mod dates;
pub mod goal;
pub mod instruments;
pub mod referral;
pub mod settings;
pub mod text;
