//! Plain types and rules with no I/O.

pub mod assessment;
pub mod client;
pub mod closure;
pub mod consent;
pub mod coordination;
pub mod dates;
pub mod directory;
pub mod draft;
pub mod due;
pub mod ecomap;
pub mod genogram;
pub mod goal;
pub mod instruments;
pub mod note;
pub mod people;
pub mod plan;
pub mod record;
pub mod referral;
pub mod search;
pub mod settings;
pub mod synonyms;
pub mod text;
pub mod visit;
pub mod words;
