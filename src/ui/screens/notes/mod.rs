//! Monitoring: timestamped notes, their addenda and corrections, the timeline, search across
//! the record, and the minutes per client.

pub mod form;
pub mod list;
pub mod note;
pub mod prompt;
pub mod search;
pub mod time;
pub mod timeline;
