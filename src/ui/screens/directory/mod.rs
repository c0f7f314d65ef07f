//! The resource directory: services, their detail, adding one by hand, and importing HSDS.

pub mod import;
pub mod list;
pub mod service;
pub mod service_form;
