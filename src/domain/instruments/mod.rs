//! Standardized screeners (PHQ-9 with derived PHQ-2, GAD-7, AHC HRSN core) as data, and one
//! pure scoring engine for all of them.
//!
//! Definitions live in `assets/instruments/*.json`; every result carries the instrument id and
//! version so a later wording fix never rewrites history. Missing answers are never scored as 0.

mod answers;
mod catalog;
mod error;
mod loinc;
mod model;
mod needs;
mod scoring;
mod validation;

#[cfg(test)]
mod tests;

pub use answers::*;
pub use catalog::*;
pub use error::InstrumentError;
pub use loinc::*;
pub use model::*;
pub use needs::*;
pub use scoring::*;
