//! What a per-domain result means for the case: its positive need domains and the app life
//! domains they file under.

use super::model::{Instrument, Scoring};
use super::scoring::ScoreResult;

/// Ids of the positive need domains (AHC: housing, food, transportation, utilities, safety).
pub fn positive_need_domains(result: &ScoreResult) -> Vec<String> {
    result.domains.iter().filter(|d| d.positive == Some(true)).map(|d| d.id.clone()).collect()
}

/// The app life domains of the positive need domains, without repeats.
///
/// AHC mapping (set in the asset): housing → housing, food → food, transportation → transport,
/// utilities → housing, safety → safety.
pub fn positive_life_domains(result: &ScoreResult) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for domain in result.domains.iter().filter(|d| d.positive == Some(true)) {
        if !out.contains(&domain.life_domain) {
            out.push(domain.life_domain.clone());
        }
    }
    out
}

/// The app life domain a need domain files under.
pub fn life_domain_for<'a>(instrument: &'a Instrument, domain_id: &str) -> Option<&'a str> {
    match &instrument.scoring {
        Scoring::PerDomain(rule) => {
            rule.domains.iter().find(|d| d.id == domain_id).map(|d| d.life_domain.as_str())
        }
        Scoring::Sum(_) => None,
    }
}
