//! The caseload itself: the client list, a client's file, and intake.

pub mod file;
pub mod intake;
pub mod list;
pub mod visit_form;
