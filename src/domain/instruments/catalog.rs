//! The instruments shipped with the app, reading an instrument file, and finding one by name.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::error::InstrumentError;
use super::model::{normalize_name, Instrument};
use super::validation::validate;

pub(super) const BUILTIN: [(&str, &str); 3] = [
    ("phq9.json", include_str!("../../../assets/instruments/phq9.json")),
    ("gad7.json", include_str!("../../../assets/instruments/gad7.json")),
    ("ahc_hrsn_core.json", include_str!("../../../assets/instruments/ahc_hrsn_core.json")),
];

/// Parses and strictly validates one instrument definition.
pub fn parse_instrument(json: &str) -> Result<Instrument, InstrumentError> {
    parse_instrument_named("(no file name)", json)
}

/// As [`parse_instrument`], naming the file in error messages.
pub fn parse_instrument_named(source_name: &str, json: &str) -> Result<Instrument, InstrumentError> {
    let instrument: Instrument = serde_json::from_str(json).map_err(|e| InstrumentError::Json {
        source_name: source_name.to_string(),
        message: e.to_string(),
    })?;
    validate(&instrument).map_err(|problem| InstrumentError::Invalid {
        source_name: source_name.to_string(),
        instrument: if instrument.id.is_empty() { "no id".to_string() } else { instrument.id.clone() },
        problem,
    })?;
    Ok(instrument)
}

/// The instruments shipped with the app: PHQ-9, GAD-7, AHC HRSN core.
pub fn builtin() -> Result<Vec<Instrument>, InstrumentError> {
    let mut all = Vec::with_capacity(BUILTIN.len());
    for (name, json) in BUILTIN {
        all.push(parse_instrument_named(name, json)?);
    }
    check_distinct_names(&all)?;
    Ok(all)
}

/// The shipped instruments, read once (empty if an asset were broken, which the unit tests
/// refuse), for lines that have only an instrument's id.
pub fn shipped() -> &'static [Instrument] {
    static SHIPPED: OnceLock<Vec<Instrument>> = OnceLock::new();
    SHIPPED.get_or_init(|| builtin().unwrap_or_default())
}

/// The short name of a shipped instrument ("PHQ-9", "AHC HRSN"); the id itself if unknown.
pub fn short_name_of(id: &str) -> &str {
    shipped().iter().find(|i| i.id == id).map(|i| i.short_name.as_str()).unwrap_or(id)
}

/// The attribution lines a shipped instrument asks to be shown with its results (none if
/// unknown or none asked).
pub fn attribution_of(id: &str) -> &'static [String] {
    shipped().iter().find(|i| i.id == id).map(|i| i.licence.attribution.as_slice()).unwrap_or(&[])
}

/// The attribution lines for results of these instruments, each line once, in first-seen order
/// (PHQ-9 and GAD-7 share theirs).
pub fn attribution_for<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for id in ids {
        for line in attribution_of(id) {
            if !out.contains(&line.as_str()) {
                out.push(line.as_str());
            }
        }
    }
    out
}

/// The shipped instruments given again on a schedule while a case is open, in file order.
pub fn regiven() -> impl Iterator<Item = &'static Instrument> {
    shipped().iter().filter(|i| i.regiven_after_days.is_some())
}

/// Refuses a set where two instruments answer to the same id or alias.
pub fn check_distinct_names(all: &[Instrument]) -> Result<(), InstrumentError> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for instrument in all {
        let mut names: Vec<String> = vec![normalize_name(&instrument.id)];
        names.extend(instrument.aliases.iter().map(|a| normalize_name(a)));
        let mut own = HashSet::new();
        for name in names {
            if !own.insert(name.clone()) {
                continue;
            }
            if let Some(first) = seen.insert(name.clone(), &instrument.id) {
                return Err(InstrumentError::Duplicate {
                    name,
                    first: first.to_string(),
                    second: instrument.id.clone(),
                });
            }
        }
    }
    Ok(())
}

/// Finds an instrument by id, short name or alias, ignoring case, spaces, `-` and `_`.
pub fn find<'a>(all: &'a [Instrument], id: &str) -> Option<&'a Instrument> {
    let wanted = normalize_name(id);
    if wanted.is_empty() {
        return None;
    }
    all.iter().find(|i| {
        normalize_name(&i.id) == wanted
            || normalize_name(&i.short_name) == wanted
            || i.aliases.iter().any(|a| normalize_name(a) == wanted)
    })
}
