pub mod assessment;
pub mod client_file;
pub mod client_list;

pub mod coordination;
pub mod directory;
pub mod directory_import;

pub mod intake;
pub mod note_detail;
pub mod note_form;
pub mod notes;

pub mod plan;
pub mod prompt;
pub mod referrals;

pub mod close;
pub mod search;
pub mod service_detail;
pub mod service_form;
pub mod settings;
pub mod time;
pub mod timeline;
pub mod today;
