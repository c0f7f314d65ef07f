pub mod client_file;
pub mod client_list;
pub mod intake;
pub mod settings;
