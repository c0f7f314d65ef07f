pub mod footer;
pub mod form;
pub mod genogram;
pub mod header;
pub mod help;
pub mod list;
pub mod modal;
pub mod picker;
