//! Plain types and rules with no I/O.

pub mod client;
pub mod dates;
pub mod settings;
pub mod text;
