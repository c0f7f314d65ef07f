//! Standardized screeners (PHQ-9 with derived PHQ-2, GAD-7, AHC HRSN core) as data, and one
//! pure scoring engine for all of them.
//!
//! Definitions live in `assets/instruments/*.json`; every result carries the instrument id and
//! version so a later wording fix never rewrites history. Missing answers are never scored as 0.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

/// Life domains the app rates and files needs under (case-record.md).
pub const LIFE_DOMAINS: [&str; 10] = [
    "housing",
    "food",
    "health",
    "mental health",
    "safety",
    "income",
    "education",
    "relationships",
    "legal",
    "transport",
];

const BUILTIN: [(&str, &str); 3] = [
    ("phq9.json", include_str!("../../assets/instruments/phq9.json")),
    ("gad7.json", include_str!("../../assets/instruments/gad7.json")),
    ("ahc_hrsn_core.json", include_str!("../../assets/instruments/ahc_hrsn_core.json")),
];

// Bounds on asset sizes keep every sum far from i32 overflow, whatever a file says.
const MAX_ABS_VALUE: i32 = 10_000;
const MAX_ITEMS: usize = 500;
const MAX_OPTIONS: usize = 100;

/// Everything that can go wrong loading instruments or reading answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstrumentError {
    #[error("instrument file {source_name} is not valid instrument JSON: {message}")]
    Json { source_name: String, message: String },
    #[error("instrument file {source_name} ({instrument}) is invalid: {problem}")]
    Invalid { source_name: String, instrument: String, problem: String },
    #[error("the name '{name}' is used by two instruments: {first} and {second}")]
    Duplicate { name: String, first: String, second: String },
    #[error("{instrument} answers: {problem}")]
    Answers { instrument: String, problem: String },
}

// ---------------------------------------------------------------------------------------------
// Definition types (the asset format)
// ---------------------------------------------------------------------------------------------

/// One screener definition, as loaded from its asset file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub id: String,
    pub version: u32,
    pub name: String,
    pub short_name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub purpose: String,
    pub loinc: PanelCodes,
    pub licence: Licence,
    pub stem: Option<String>,
    pub lookback: String,
    pub items: Vec<Item>,
    pub scoring: Scoring,
    #[serde(default)]
    pub flags: Vec<FlagRule>,
    #[serde(default)]
    pub derived: Vec<DerivedRule>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// LOINC panel code and, when the instrument has one, the total-score code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelCodes {
    pub panel: String,
    pub total: Option<String>,
}

/// Licence terms to show with the form and in exports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    pub terms: String,
    pub copyright: Option<String>,
    /// `None` when no source settles it.
    pub permission_required: Option<bool>,
}

/// One question, with its exact wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub number: u32,
    pub id: String,
    pub loinc: Option<String>,
    pub text: String,
    pub instruction: Option<String>,
    pub lookback: Option<String>,
    pub scored: bool,
    pub required: bool,
    #[serde(default)]
    pub multi_select: bool,
    pub options: Vec<AnswerOption>,
}

/// One printed answer choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub label: String,
    pub value: Option<i32>,
    pub loinc: String,
    /// LOINC answer code to export instead of `loinc` (GAD-7 item 2, value 2).
    pub export_loinc: Option<String>,
    /// Whether choosing it makes its domain positive (per-domain instruments).
    pub positive: Option<bool>,
    /// "None of the above": may not be combined with other choices.
    #[serde(default)]
    pub exclusive: bool,
    pub note: Option<String>,
}

/// Inclusive score range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreRange {
    pub min: i32,
    pub max: i32,
}

/// Severity band, inclusive at both ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub min: i32,
    pub max: i32,
    pub label: String,
}

/// How an instrument is scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Scoring {
    Sum(SumScoring),
    PerDomain(DomainScoring),
}

/// A total that is the sum of item values (PHQ-9, GAD-7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SumScoring {
    pub items: Vec<String>,
    pub range: ScoreRange,
    pub bands: Vec<Band>,
    pub positive_at_or_above: Option<i32>,
    pub cutpoint_source: Option<String>,
    pub missing_items: MissingItemsPolicy,
}

/// Per-domain results with no overall total (AHC HRSN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainScoring {
    pub domains: Vec<DomainRule>,
    pub missing_items: MissingItemsPolicy,
}

/// What happens when answers are missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingItemsPolicy {
    pub policy: String,
    pub prorate: Option<ProrateRule>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A published mean-substitution rule, used only when switched on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProrateRule {
    pub name: String,
    /// Stored with the result, e.g. "prorated (Arrieta 2017)".
    pub label: String,
    pub method: String,
    pub max_missing: usize,
    #[serde(default)]
    pub never_if_missing: Vec<String>,
    pub formula: String,
    pub source: String,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// One need domain of a per-domain instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainRule {
    pub id: String,
    pub label: String,
    /// One of [`LIFE_DOMAINS`].
    pub life_domain: String,
    pub items: Vec<String>,
    pub rule: DomainMethod,
    /// Human-readable statement of the rule, from the source.
    pub positive_if: String,
}

/// How a domain turns positive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum DomainMethod {
    /// Positive when any chosen option is marked `positive`.
    AnyPositiveOption,
    /// Sum of item values; positive when above `threshold`; needs every item.
    SumAbove { threshold: i32, range: ScoreRange, bands: Vec<Band>, loinc_total: Option<String> },
}

/// A flag the result raises when its condition holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagRule {
    pub id: String,
    pub when: FlagCondition,
    pub safety: bool,
    pub message: String,
}

/// Conditions a flag can test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FlagCondition {
    ItemAtLeast {
        item: String,
        value: i32,
    },
    /// Declined, not asked, or given an unusable answer.
    ItemUnanswered {
        item: String,
    },
    ScreenPositive,
    DomainPositive {
        domain: String,
    },
    AnyDomainPositive,
}

/// A score computed from some items of the parent (PHQ-2 from PHQ-9 items 1 and 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedRule {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub purpose: String,
    pub loinc: PanelCodes,
    pub items: Vec<String>,
    pub range: ScoreRange,
    pub bands: Vec<Band>,
    pub positive_at_or_above: Option<i32>,
    pub stem: Option<String>,
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Instrument {
    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.id == id)
    }

    /// Scored items in form order (the ones an answer list names).
    pub fn scored_items(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|item| item.scored)
    }
}

impl Item {
    /// Index of the option with this numeric value.
    pub fn option_with_value(&self, value: i32) -> Option<usize> {
        self.options.iter().position(|o| o.value == Some(value))
    }

    fn has_values(&self) -> bool {
        !self.options.is_empty() && self.options.iter().all(|o| o.value.is_some())
    }

    fn value_bounds(&self) -> Option<(i32, i32)> {
        let values = self.options.iter().filter_map(|o| o.value);
        Some((values.clone().min()?, values.max()?))
    }
}

impl AnswerOption {
    /// The LOINC answer code to export.
    pub fn export_code(&self) -> &str {
        self.export_loinc.as_deref().unwrap_or(&self.loinc)
    }
}

impl ScoreRange {
    fn contains(&self, value: i32) -> bool {
        self.min <= value && value <= self.max
    }
}

impl fmt::Display for ScoreRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.min, self.max)
    }
}

fn band_for(bands: &[Band], total: i32) -> Option<String> {
    bands.iter().find(|b| b.min <= total && total <= b.max).map(|b| b.label.clone())
}

// ---------------------------------------------------------------------------------------------
// Loading and validation
// ---------------------------------------------------------------------------------------------

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

fn normalize_name(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn validate(inst: &Instrument) -> Result<(), String> {
    check_identifier("instrument id", &inst.id)?;
    if inst.version == 0 {
        return Err("version must be 1 or more".into());
    }
    for (what, text) in [
        ("name", &inst.name),
        ("short_name", &inst.short_name),
        ("purpose", &inst.purpose),
        ("lookback", &inst.lookback),
        ("loinc.panel", &inst.loinc.panel),
        ("licence.terms", &inst.licence.terms),
    ] {
        check_text(what, text)?;
    }
    for alias in &inst.aliases {
        if normalize_name(alias).is_empty() {
            return Err(format!("alias '{alias}' has no letters or digits"));
        }
    }
    validate_items(inst)?;
    match &inst.scoring {
        Scoring::Sum(rule) => validate_sum(inst, rule)?,
        Scoring::PerDomain(rule) => validate_domains(inst, rule)?,
    }
    validate_flags(inst)?;
    validate_derived(inst)
}

fn check_identifier(what: &str, id: &str) -> Result<(), String> {
    let ok = !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!("{what} '{id}' must be lowercase letters, digits and '_'"))
    }
}

fn check_text(what: &str, text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        Err(format!("{what} is empty"))
    } else {
        Ok(())
    }
}

fn validate_items(inst: &Instrument) -> Result<(), String> {
    if inst.items.is_empty() {
        return Err("it has no items".into());
    }
    if inst.items.len() > MAX_ITEMS {
        return Err(format!("it has more than {MAX_ITEMS} items"));
    }
    let mut ids = HashSet::new();
    for (position, item) in inst.items.iter().enumerate() {
        let expected = position + 1;
        if usize::try_from(item.number).ok() != Some(expected) {
            return Err(format!(
                "items must be numbered 1, 2, 3... in order: item {} ({}) is at position {expected}",
                item.number, item.id
            ));
        }
        check_identifier("item id", &item.id)?;
        if !ids.insert(item.id.as_str()) {
            return Err(format!("item id '{}' is used twice", item.id));
        }
        let name = format!("item {} ({})", item.number, item.id);
        check_text(&format!("{name} text"), &item.text)?;
        if let Some(code) = &item.loinc {
            check_text(&format!("{name} LOINC code"), code)?;
        }
        if item.scored && !item.required {
            return Err(format!("{name} is scored, so it must be required"));
        }
        validate_options(item, &name)?;
    }
    Ok(())
}

fn validate_options(item: &Item, name: &str) -> Result<(), String> {
    if item.options.is_empty() {
        return Err(format!("{name} has no answer options"));
    }
    if item.options.len() > MAX_OPTIONS {
        return Err(format!("{name} has more than {MAX_OPTIONS} options"));
    }
    let mut labels = HashSet::new();
    let mut values = HashSet::new();
    let with_values = item.options.iter().filter(|o| o.value.is_some()).count();
    if with_values != 0 && with_values != item.options.len() {
        return Err(format!("{name} mixes options with and without numeric values"));
    }
    for option in &item.options {
        check_text(&format!("{name} option label"), &option.label)?;
        if !labels.insert(option.label.as_str()) {
            return Err(format!("{name} has the option '{}' twice", option.label));
        }
        check_text(&format!("{name} option '{}' LOINC code", option.label), &option.loinc)?;
        if let Some(code) = &option.export_loinc {
            check_text(&format!("{name} option '{}' export_loinc", option.label), code)?;
        }
        if let Some(value) = option.value {
            if value.abs() > MAX_ABS_VALUE {
                return Err(format!(
                    "{name} option '{}' value {value} is outside -{MAX_ABS_VALUE}..{MAX_ABS_VALUE}",
                    option.label
                ));
            }
            if !values.insert(value) {
                return Err(format!("{name} has the value {value} twice"));
            }
        }
        if option.exclusive && !item.multi_select {
            return Err(format!(
                "{name} option '{}' is exclusive but the item is not multi-select",
                option.label
            ));
        }
    }
    Ok(())
}

/// Resolves a list of item ids against the instrument, refusing unknown or repeated ones.
fn resolve_items<'a>(inst: &'a Instrument, ids: &[String], what: &str) -> Result<Vec<&'a Item>, String> {
    if ids.is_empty() {
        return Err(format!("{what} lists no items"));
    }
    let mut seen = HashSet::new();
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        let item = inst.item(id).ok_or_else(|| format!("{what} refers to unknown item '{id}'"))?;
        if !seen.insert(id.as_str()) {
            return Err(format!("{what} lists item '{id}' twice"));
        }
        items.push(item);
    }
    Ok(items)
}

/// Items must carry numeric values and be single-choice to be summed; returns the possible range.
fn summable_range(items: &[&Item], what: &str) -> Result<ScoreRange, String> {
    let mut range = ScoreRange { min: 0, max: 0 };
    for item in items {
        if item.multi_select {
            return Err(format!("{what} sums item {} ({}), which is multi-select", item.number, item.id));
        }
        let (low, high) = match item.value_bounds() {
            Some(bounds) if item.has_values() => bounds,
            _ => {
                return Err(format!(
                    "{what} sums item {} ({}), whose options have no numeric values",
                    item.number, item.id
                ))
            }
        };
        range.min += low;
        range.max += high;
    }
    Ok(range)
}

fn check_range(declared: ScoreRange, possible: ScoreRange, what: &str) -> Result<(), String> {
    if declared == possible {
        Ok(())
    } else {
        Err(format!("{what} range {declared} does not match the items' possible totals {possible}"))
    }
}

fn check_bands(bands: &[Band], range: ScoreRange, what: &str) -> Result<(), String> {
    let (first, last) = match (bands.first(), bands.last()) {
        (Some(first), Some(last)) => (first, last),
        _ => return Err(format!("{what} has no bands")),
    };
    for band in bands {
        check_text(&format!("{what} band label"), &band.label)?;
        if band.min > band.max {
            return Err(format!("{what} band '{}' runs backwards ({}-{})", band.label, band.min, band.max));
        }
    }
    if first.min != range.min {
        return Err(format!("{what} bands start at {} but scores start at {}", first.min, range.min));
    }
    for pair in bands.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.min <= a.max {
            return Err(format!(
                "{what} bands '{}' ({}-{}) and '{}' ({}-{}) overlap",
                a.label, a.min, a.max, b.label, b.min, b.max
            ));
        }
        if b.min > a.max.saturating_add(1) {
            return Err(format!(
                "{what} bands leave a gap between '{}' (ends {}) and '{}' (starts {})",
                a.label, a.max, b.label, b.min
            ));
        }
    }
    if last.max != range.max {
        return Err(format!("{what} bands end at {} but scores reach {}", last.max, range.max));
    }
    Ok(())
}

fn check_cutpoint(cutpoint: Option<i32>, range: ScoreRange, what: &str) -> Result<(), String> {
    match cutpoint {
        Some(c) if !range.contains(c) => {
            Err(format!("{what} cutpoint {c} is outside the score range {range}"))
        }
        _ => Ok(()),
    }
}

fn validate_sum(inst: &Instrument, rule: &SumScoring) -> Result<(), String> {
    let items = resolve_items(inst, &rule.items, "scoring.items")?;
    for item in inst.items.iter().filter(|i| i.scored) {
        if !rule.items.contains(&item.id) {
            return Err(format!(
                "item {} ({}) is marked scored but is not in scoring.items",
                item.number, item.id
            ));
        }
    }
    for item in &items {
        if !item.scored {
            return Err(format!(
                "scoring.items includes item {} ({}), which is marked not scored",
                item.number, item.id
            ));
        }
    }
    let possible = summable_range(&items, "scoring")?;
    check_range(rule.range, possible, "scoring")?;
    check_bands(&rule.bands, rule.range, "scoring")?;
    check_cutpoint(rule.positive_at_or_above, rule.range, "scoring")?;
    check_text("scoring.missing_items.policy", &rule.missing_items.policy)?;
    if let Some(prorate) = &rule.missing_items.prorate {
        check_text("prorate.label", &prorate.label)?;
        check_text("prorate.name", &prorate.name)?;
        if prorate.max_missing == 0 || prorate.max_missing >= items.len() {
            return Err(format!(
                "prorate.max_missing must be between 1 and {}",
                items.len().saturating_sub(1)
            ));
        }
        for id in &prorate.never_if_missing {
            if !rule.items.contains(id) {
                return Err(format!("prorate.never_if_missing refers to '{id}', which is not a scored item"));
            }
        }
    }
    Ok(())
}

fn validate_domains(inst: &Instrument, rule: &DomainScoring) -> Result<(), String> {
    if rule.domains.is_empty() {
        return Err("scoring has no domains".into());
    }
    if rule.missing_items.prorate.is_some() {
        return Err("prorating is only defined for sum scoring".into());
    }
    check_text("scoring.missing_items.policy", &rule.missing_items.policy)?;
    let mut domain_ids = HashSet::new();
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for domain in &rule.domains {
        check_identifier("domain id", &domain.id)?;
        if !domain_ids.insert(domain.id.as_str()) {
            return Err(format!("domain '{}' is defined twice", domain.id));
        }
        let what = format!("domain '{}'", domain.id);
        check_text(&format!("{what} label"), &domain.label)?;
        if !LIFE_DOMAINS.contains(&domain.life_domain.as_str()) {
            return Err(format!(
                "{what} life_domain '{}' is not one of: {}",
                domain.life_domain,
                LIFE_DOMAINS.join(", ")
            ));
        }
        let items = resolve_items(inst, &domain.items, &what)?;
        for item in &items {
            if !item.scored {
                return Err(format!(
                    "{what} uses item {} ({}), which is marked not scored",
                    item.number, item.id
                ));
            }
            if let Some(other) = owner.insert(&item.id, &domain.id) {
                return Err(format!(
                    "item {} ({}) belongs to both domain '{other}' and domain '{}'",
                    item.number, item.id, domain.id
                ));
            }
        }
        match &domain.rule {
            DomainMethod::AnyPositiveOption => {
                for item in &items {
                    if let Some(option) = item.options.iter().find(|o| o.positive.is_none()) {
                        return Err(format!(
                            "{what}: item {} option '{}' does not say whether it is positive",
                            item.number, option.label
                        ));
                    }
                }
            }
            DomainMethod::SumAbove { threshold, range, bands, loinc_total } => {
                let possible = summable_range(&items, &what)?;
                check_range(*range, possible, &what)?;
                check_bands(bands, *range, &what)?;
                check_cutpoint(Some(*threshold), *range, &what)?;
                if let Some(code) = loinc_total {
                    check_text(&format!("{what} loinc_total"), code)?;
                }
            }
        }
    }
    for item in inst.items.iter().filter(|i| i.scored) {
        if !owner.contains_key(item.id.as_str()) {
            return Err(format!(
                "item {} ({}) is marked scored but belongs to no domain",
                item.number, item.id
            ));
        }
    }
    Ok(())
}

fn validate_flags(inst: &Instrument) -> Result<(), String> {
    let mut ids = HashSet::new();
    for flag in &inst.flags {
        check_identifier("flag id", &flag.id)?;
        if !ids.insert(flag.id.as_str()) {
            return Err(format!("flag '{}' is defined twice", flag.id));
        }
        let what = format!("flag '{}'", flag.id);
        check_text(&format!("{what} message"), &flag.message)?;
        match &flag.when {
            FlagCondition::ItemAtLeast { item, value } => {
                let found =
                    inst.item(item).ok_or_else(|| format!("{what} refers to unknown item '{item}'"))?;
                let (low, high) = found
                    .value_bounds()
                    .ok_or_else(|| format!("{what} tests item '{item}', which has no values"))?;
                if *value <= low || *value > high {
                    return Err(format!(
                        "{what} tests item '{item}' >= {value}, which is never or always true (values {low}-{high})"
                    ));
                }
            }
            FlagCondition::ItemUnanswered { item } => {
                if inst.item(item).is_none() {
                    return Err(format!("{what} refers to unknown item '{item}'"));
                }
            }
            FlagCondition::ScreenPositive => {
                if let Scoring::Sum(rule) = &inst.scoring {
                    if rule.positive_at_or_above.is_none() {
                        return Err(format!("{what} needs scoring.positive_at_or_above, which is not set"));
                    }
                }
            }
            FlagCondition::DomainPositive { domain } => match &inst.scoring {
                Scoring::PerDomain(rule) if rule.domains.iter().any(|d| &d.id == domain) => {}
                _ => return Err(format!("{what} refers to unknown domain '{domain}'")),
            },
            FlagCondition::AnyDomainPositive => {
                if !matches!(inst.scoring, Scoring::PerDomain(_)) {
                    return Err(format!("{what} tests domains, but scoring has none"));
                }
            }
        }
    }
    Ok(())
}

fn validate_derived(inst: &Instrument) -> Result<(), String> {
    let mut ids = HashSet::new();
    for derived in &inst.derived {
        check_identifier("derived id", &derived.id)?;
        if derived.id == inst.id || !ids.insert(derived.id.as_str()) {
            return Err(format!("derived score id '{}' is not unique", derived.id));
        }
        let what = format!("derived '{}'", derived.id);
        check_text(&format!("{what} loinc.panel"), &derived.loinc.panel)?;
        let Scoring::Sum(parent) = &inst.scoring else {
            return Err(format!("{what} needs a sum-scored parent instrument"));
        };
        let items = resolve_items(inst, &derived.items, &what)?;
        for item in &items {
            if !parent.items.contains(&item.id) {
                return Err(format!("{what} uses item '{}', which the parent does not score", item.id));
            }
        }
        let possible = summable_range(&items, &what)?;
        check_range(derived.range, possible, &what)?;
        check_bands(&derived.bands, derived.range, &what)?;
        check_cutpoint(derived.positive_at_or_above, derived.range, &what)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/// One item's answer. Items absent from an answer list count as [`Answer::NotAsked`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Index (0-based) into `Item::options`; for PHQ-9/GAD-7 the index equals the value.
    Value(usize),
    /// Option indices chosen on a multi-select item (AHC item 2).
    Multi(Vec<usize>),
    /// Asked but declined.
    Declined,
    NotAsked,
}

/// Per-item answers checked against the instrument: `Some(options)` or `None` (missing).
struct Resolved {
    chosen: Vec<Option<Vec<usize>>>,
    problems: Vec<String>,
}

impl Resolved {
    fn options<'a>(&self, inst: &'a Instrument, index: usize) -> Option<Vec<&'a AnswerOption>> {
        let item = inst.items.get(index)?;
        let chosen = self.chosen.get(index)?.as_ref()?;
        chosen.iter().map(|&i| item.options.get(i)).collect()
    }

    fn value(&self, inst: &Instrument, index: usize) -> Option<i32> {
        // Summed items are single-choice (validated), so exactly one option is chosen.
        match self.options(inst, index)?.as_slice() {
            [option] => option.value,
            _ => None,
        }
    }
}

fn resolve(inst: &Instrument, answers: &[(String, Answer)]) -> Resolved {
    let mut chosen: Vec<Option<Vec<usize>>> = vec![None; inst.items.len()];
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut repeated = HashSet::new();
    for (id, answer) in answers {
        let Some(index) = inst.items.iter().position(|i| &i.id == id) else {
            problems.push(format!("no item '{id}' in {}", inst.short_name));
            continue;
        };
        if !seen.insert(index) {
            repeated.insert(index);
            continue;
        }
        let Some(item) = inst.items.get(index) else {
            continue;
        };
        match check_answer(item, answer) {
            Ok(options) => {
                if let Some(slot) = chosen.get_mut(index) {
                    *slot = options;
                }
            }
            Err(problem) => problems.push(problem),
        }
    }
    // Two answers for one item: trust neither.
    let mut repeated: Vec<usize> = repeated.into_iter().collect();
    repeated.sort_unstable();
    for index in repeated {
        if let Some(slot) = chosen.get_mut(index) {
            *slot = None;
        }
        if let Some(item) = inst.items.get(index) {
            problems.push(format!("item {} is answered more than once", item.number));
        }
    }
    Resolved { chosen, problems }
}

fn check_answer(item: &Item, answer: &Answer) -> Result<Option<Vec<usize>>, String> {
    let count = item.options.len();
    let in_range = |i: usize| {
        if i < count {
            Ok(())
        } else {
            Err(format!(
                "item {}: option index {i} does not exist (0-{})",
                item.number,
                count.saturating_sub(1)
            ))
        }
    };
    match answer {
        Answer::Declined | Answer::NotAsked => Ok(None),
        Answer::Value(i) => {
            in_range(*i)?;
            Ok(Some(vec![*i]))
        }
        Answer::Multi(list) => {
            if !item.multi_select {
                return Err(format!("item {} takes one answer, not a selection", item.number));
            }
            if list.is_empty() {
                return Err(format!(
                    "item {}: empty selection; choose 'None of the above' or record it as declined",
                    item.number
                ));
            }
            let mut seen = HashSet::new();
            for &i in list {
                in_range(i)?;
                if !seen.insert(i) {
                    return Err(format!("item {}: option {} is chosen twice", item.number, i + 1));
                }
            }
            if list.len() > 1 {
                if let Some(option) = list.iter().filter_map(|&i| item.options.get(i)).find(|o| o.exclusive) {
                    return Err(format!(
                        "item {}: '{}' cannot be combined with other options",
                        item.number, option.label
                    ));
                }
            }
            Ok(Some(list.clone()))
        }
    }
}

/// Refuses answers that [`score`] could not use (unknown items, bad indices, repeats).
pub fn validate_answers(
    instrument: &Instrument,
    answers: &[(String, Answer)],
) -> Result<(), InstrumentError> {
    let resolved = resolve(instrument, answers);
    if resolved.problems.is_empty() {
        Ok(())
    } else {
        Err(InstrumentError::Answers {
            instrument: instrument.short_name.clone(),
            problem: resolved.problems.join("; "),
        })
    }
}

/// Reads a compact answer list, one entry per scored item in form order, separated by commas.
///
/// - PHQ-9 / GAD-7: the item value (`0`-`3`), e.g. `1,2,0,3,1,0,0,1,0`.
/// - AHC HRSN: the option number `1`..`n` as printed (safety items: `1` Never .. `5`
///   Frequently); item 2 takes several joined by `+` (`1+3`), or `8` for none of the above.
/// - `-` records the item as asked but declined.
///
/// Unscored items (PHQ-9 item 10) are not part of the list.
pub fn parse_answer_list(
    instrument: &Instrument,
    text: &str,
) -> Result<Vec<(String, Answer)>, InstrumentError> {
    let refuse =
        |problem: String| InstrumentError::Answers { instrument: instrument.short_name.clone(), problem };
    let items: Vec<&Item> = instrument.scored_items().collect();
    let tokens: Vec<&str> =
        if text.trim().is_empty() { Vec::new() } else { text.split(',').map(str::trim).collect() };
    if tokens.len() != items.len() {
        return Err(refuse(format!(
            "expected {} answers separated by commas, one for each of {}, but got {}",
            items.len(),
            describe_item_numbers(&items),
            tokens.len()
        )));
    }
    items
        .iter()
        .zip(tokens)
        .map(|(item, token)| {
            parse_one_answer(item, token).map(|answer| (item.id.clone(), answer)).map_err(refuse)
        })
        .collect()
}

fn describe_item_numbers(items: &[&Item]) -> String {
    let numbers: Vec<u32> = items.iter().map(|i| i.number).collect();
    match (numbers.first(), numbers.last()) {
        (Some(first), Some(last)) if numbers.windows(2).all(|w| w[1] == w[0] + 1) => {
            if first == last {
                format!("item {first}")
            } else {
                format!("items {first}-{last}")
            }
        }
        _ => format!("items {}", numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")),
    }
}

fn parse_one_answer(item: &Item, token: &str) -> Result<Answer, String> {
    if token == "-" {
        return Ok(Answer::Declined);
    }
    let count = item.options.len();
    if item.multi_select {
        let allowed =
            format!("use option numbers 1-{count}, several joined with + (e.g. 1+3), or - for declined");
        let mut chosen = Vec::new();
        for part in token.split('+').map(str::trim) {
            let index = parse_option_number(part, count)
                .ok_or_else(|| format!("item {}: '{part}' is not an option; {allowed}", item.number))?;
            chosen.push(index);
        }
        let answer = Answer::Multi(chosen);
        check_answer(item, &answer)?;
        return Ok(answer);
    }
    if item.has_values() {
        let allowed = describe_values(item);
        let number: i64 = token.parse().map_err(|_| {
            format!(
                "item {}: '{token}' is not a whole number; allowed values are {allowed}, or - for declined",
                item.number
            )
        })?;
        return i32::try_from(number)
            .ok()
            .and_then(|v| item.option_with_value(v))
            .map(Answer::Value)
            .ok_or_else(|| {
                format!(
                    "item {}: {token} is out of range; allowed values are {allowed}, or - for declined",
                    item.number
                )
            });
    }
    parse_option_number(token, count).map(Answer::Value).ok_or_else(|| {
        format!(
            "item {}: '{token}' is not an option; use an option number 1-{count}, or - for declined",
            item.number
        )
    })
}

/// 1-based option number to 0-based index.
fn parse_option_number(text: &str, count: usize) -> Option<usize> {
    let number: usize = text.parse().ok()?;
    (1..=count).contains(&number).then(|| number - 1)
}

fn describe_values(item: &Item) -> String {
    let mut values: Vec<i32> = item.options.iter().filter_map(|o| o.value).collect();
    values.sort_unstable();
    match (values.first(), values.last()) {
        (Some(low), Some(high)) if values.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("{low}-{high}")
        }
        _ => values.iter().map(i32::to_string).collect::<Vec<_>>().join(", "),
    }
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

/// Scoring switches; all off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScoreOptions {
    /// Apply the instrument's published prorating rule (PHQ-9: Arrieta 2017) when it allows.
    pub prorate: bool,
}

/// How missing answers were handled; stored with every administration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum MissingHandling {
    Complete,
    /// No total because items are missing.
    NotScored {
        missing: usize,
    },
    /// Total estimated under a named rule; `label` e.g. "prorated (Arrieta 2017)".
    Prorated {
        label: String,
        missing: usize,
    },
    /// Per-domain instruments: some domains resolved, others not.
    PartlyScored {
        missing: usize,
    },
}

impl fmt::Display for MissingHandling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: &usize| if *n == 1 { "item" } else { "items" };
        match self {
            Self::Complete => f.write_str("complete"),
            Self::NotScored { missing } => {
                write!(f, "not scored: {missing} {} missing", plural(missing))
            }
            Self::Prorated { label, .. } => f.write_str(label),
            Self::PartlyScored { missing } => {
                write!(f, "partly scored: {missing} {} missing", plural(missing))
            }
        }
    }
}

/// A flag raised by a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaisedFlag {
    pub id: String,
    pub message: String,
    /// Safety alerts stay on the client until acknowledged with a note.
    pub safety: bool,
}

/// One domain of a per-domain instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainResult {
    pub id: String,
    pub label: String,
    pub life_domain: String,
    /// `None` when unanswered items leave it open.
    pub positive: Option<bool>,
    /// Summed domains only, and only when every item is answered.
    pub sum: Option<i32>,
    pub band: Option<String>,
    pub missing: usize,
}

/// A score derived from the parent's items (PHQ-2 from PHQ-9); never a separate administration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DerivedScore {
    pub id: String,
    pub short_name: String,
    pub total: Option<i32>,
    pub band: Option<String>,
    pub positive: Option<bool>,
    /// Always true; marks the score as derived in trends and exports.
    pub derived: bool,
}

/// Everything computed from one administration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreResult {
    pub instrument_id: String,
    pub instrument_version: u32,
    /// `None` when incomplete (unless prorated) and for per-domain instruments.
    pub total: Option<i32>,
    /// Every required item has a usable answer.
    pub complete: bool,
    pub missing_handling: MissingHandling,
    pub band: Option<String>,
    /// Screen positive per the cutpoint; per-domain: any domain positive.
    pub positive: Option<bool>,
    pub flags: Vec<RaisedFlag>,
    pub domains: Vec<DomainResult>,
    pub derived: Vec<DerivedScore>,
    /// Numbers of required items without a usable answer.
    pub missing_items: Vec<u32>,
    /// Answers that could not be used (they count as missing).
    pub problems: Vec<String>,
}

/// Scores with default options (no prorating).
pub fn score(instrument: &Instrument, answers: &[(String, Answer)]) -> ScoreResult {
    score_with(instrument, answers, ScoreOptions::default())
}

/// Scores one administration. Pure; never treats a missing answer as 0.
pub fn score_with(
    instrument: &Instrument,
    answers: &[(String, Answer)],
    options: ScoreOptions,
) -> ScoreResult {
    let resolved = resolve(instrument, answers);
    let index_of = |id: &str| instrument.items.iter().position(|i| i.id == id);
    let missing_items: Vec<u32> = instrument
        .items
        .iter()
        .enumerate()
        .filter(|(index, item)| item.required && resolved.chosen.get(*index).is_none_or(|c| c.is_none()))
        .map(|(_, item)| item.number)
        .collect();

    let mut result = ScoreResult {
        instrument_id: instrument.id.clone(),
        instrument_version: instrument.version,
        total: None,
        complete: missing_items.is_empty(),
        missing_handling: MissingHandling::Complete,
        band: None,
        positive: None,
        flags: Vec::new(),
        domains: Vec::new(),
        derived: Vec::new(),
        missing_items,
        problems: resolved.problems.clone(),
    };

    match &instrument.scoring {
        Scoring::Sum(rule) => {
            let values: Vec<(&str, Option<i32>)> = rule
                .items
                .iter()
                .map(|id| {
                    let value = index_of(id).and_then(|i| resolved.value(instrument, i));
                    (id.as_str(), value)
                })
                .collect();
            let (total, handling) = sum_total(rule, &values, options);
            result.total = total;
            result.missing_handling = handling;
            result.band = total.and_then(|t| band_for(&rule.bands, t));
            result.positive = match (total, rule.positive_at_or_above) {
                (Some(t), Some(cut)) => Some(t >= cut),
                _ => None,
            };
            result.derived = instrument.derived.iter().map(|d| derive(d, &values)).collect();
        }
        Scoring::PerDomain(rule) => {
            result.domains = rule.domains.iter().map(|d| score_domain(instrument, d, &resolved)).collect();
            result.positive = if result.domains.iter().any(|d| d.positive == Some(true)) {
                Some(true)
            } else if result.domains.iter().all(|d| d.positive == Some(false)) {
                Some(false)
            } else {
                None
            };
            let missing = result.missing_items.len();
            result.missing_handling = if missing == 0 {
                MissingHandling::Complete
            } else if result.domains.iter().all(|d| d.positive.is_none()) {
                MissingHandling::NotScored { missing }
            } else {
                MissingHandling::PartlyScored { missing }
            };
        }
    }

    result.flags = instrument
        .flags
        .iter()
        .filter(|flag| flag_holds(instrument, &flag.when, &resolved, &result))
        .map(|flag| RaisedFlag { id: flag.id.clone(), message: flag.message.clone(), safety: flag.safety })
        .collect();
    result
}

fn sum_total(
    rule: &SumScoring,
    values: &[(&str, Option<i32>)],
    options: ScoreOptions,
) -> (Option<i32>, MissingHandling) {
    let answered: Vec<i32> = values.iter().filter_map(|(_, v)| *v).collect();
    let missing = values.len() - answered.len();
    let sum: i32 = answered.iter().sum();
    if missing == 0 {
        return (Some(sum), MissingHandling::Complete);
    }
    let not_scored = (None, MissingHandling::NotScored { missing });
    let Some(prorate) = rule.missing_items.prorate.as_ref().filter(|_| options.prorate) else {
        return not_scored;
    };
    let blocked =
        values.iter().any(|(id, v)| v.is_none() && prorate.never_if_missing.iter().any(|n| n == id));
    if blocked || missing > prorate.max_missing || answered.is_empty() {
        return not_scored;
    }
    // sum x n / answered, rounded to nearest with halves up; i64 because sum x n may exceed i32.
    let (sum, n, k) = (i64::from(sum), values.len() as i64, answered.len() as i64);
    let estimate = (2 * sum * n + k).div_euclid(2 * k);
    match i32::try_from(estimate) {
        Ok(total) => (Some(total), MissingHandling::Prorated { label: prorate.label.clone(), missing }),
        Err(_) => not_scored,
    }
}

fn derive(rule: &DerivedRule, values: &[(&str, Option<i32>)]) -> DerivedScore {
    let total = rule
        .items
        .iter()
        .map(|id| values.iter().find(|(v_id, _)| v_id == id).and_then(|(_, v)| *v))
        .sum::<Option<i32>>();
    DerivedScore {
        id: rule.id.clone(),
        short_name: rule.short_name.clone(),
        total,
        band: total.and_then(|t| band_for(&rule.bands, t)),
        positive: match (total, rule.positive_at_or_above) {
            (Some(t), Some(cut)) => Some(t >= cut),
            _ => None,
        },
        derived: true,
    }
}

fn score_domain(inst: &Instrument, domain: &DomainRule, resolved: &Resolved) -> DomainResult {
    let indices: Vec<usize> =
        domain.items.iter().filter_map(|id| inst.items.iter().position(|i| &i.id == id)).collect();
    let missing = indices.iter().filter(|&&i| resolved.chosen.get(i).is_none_or(|c| c.is_none())).count();
    let mut result = DomainResult {
        id: domain.id.clone(),
        label: domain.label.clone(),
        life_domain: domain.life_domain.clone(),
        positive: None,
        sum: None,
        band: None,
        missing,
    };
    match &domain.rule {
        DomainMethod::AnyPositiveOption => {
            let any_positive = indices.iter().any(|&i| {
                resolved.options(inst, i).is_some_and(|opts| opts.iter().any(|o| o.positive == Some(true)))
            });
            // Negative only when every item is answered: a skip is never a "no".
            result.positive = if any_positive {
                Some(true)
            } else if missing == 0 {
                Some(false)
            } else {
                None
            };
        }
        DomainMethod::SumAbove { threshold, bands, .. } => {
            let mut sum = 0;
            let mut lowest_possible = 0;
            for &i in &indices {
                match resolved.value(inst, i) {
                    Some(v) => {
                        sum += v;
                        lowest_possible += v;
                    }
                    None => {
                        lowest_possible +=
                            inst.items.get(i).and_then(Item::value_bounds).map_or(0, |(low, _)| low);
                    }
                }
            }
            if missing == 0 {
                result.sum = Some(sum);
                result.band = band_for(bands, sum);
                result.positive = Some(sum > *threshold);
            } else if lowest_possible > *threshold {
                // Above the threshold whatever the skipped items say: a skip must not hide an alert.
                result.positive = Some(true);
            }
        }
    }
    result
}

fn flag_holds(
    inst: &Instrument,
    condition: &FlagCondition,
    resolved: &Resolved,
    result: &ScoreResult,
) -> bool {
    let index_of = |id: &str| inst.items.iter().position(|i| i.id == id);
    match condition {
        FlagCondition::ItemAtLeast { item, value } => index_of(item)
            .and_then(|i| resolved.options(inst, i))
            .is_some_and(|opts| opts.iter().any(|o| o.value.is_some_and(|v| v >= *value))),
        FlagCondition::ItemUnanswered { item } => {
            index_of(item).is_none_or(|i| resolved.chosen.get(i).is_none_or(|c| c.is_none()))
        }
        FlagCondition::ScreenPositive => result.positive == Some(true),
        FlagCondition::DomainPositive { domain } => {
            result.domains.iter().any(|d| &d.id == domain && d.positive == Some(true))
        }
        FlagCondition::AnyDomainPositive => result.domains.iter().any(|d| d.positive == Some(true)),
    }
}

// ---------------------------------------------------------------------------------------------
// Needs and export
// ---------------------------------------------------------------------------------------------

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

/// LOINC codes for one administration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoincExport {
    pub panel: String,
    pub answers: Vec<LoincAnswer>,
    pub totals: Vec<LoincTotal>,
}

/// One (question code, answer code) pair; a multi-select item gives one pair per choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoincAnswer {
    pub item_number: u32,
    pub item_loinc: String,
    pub answer_loinc: String,
}

/// A score with its LOINC code, under its panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoincTotal {
    pub panel: String,
    pub code: String,
    pub value: i32,
    pub prorated: bool,
    pub derived: bool,
}

/// LOINC codes for the answers and scores of one administration. Items without a LOINC
/// code (GAD-7 difficulty) and unusable, declined or unasked answers are left out.
pub fn loinc_export(
    instrument: &Instrument,
    answers: &[(String, Answer)],
    result: &ScoreResult,
) -> LoincExport {
    let resolved = resolve(instrument, answers);
    let mut pairs = Vec::new();
    for (index, item) in instrument.items.iter().enumerate() {
        let (Some(code), Some(options)) = (&item.loinc, resolved.options(instrument, index)) else {
            continue;
        };
        for option in options {
            pairs.push(LoincAnswer {
                item_number: item.number,
                item_loinc: code.clone(),
                answer_loinc: option.export_code().to_string(),
            });
        }
    }
    let mut totals = Vec::new();
    if let (Some(code), Some(value)) = (&instrument.loinc.total, result.total) {
        totals.push(LoincTotal {
            panel: instrument.loinc.panel.clone(),
            code: code.clone(),
            value,
            prorated: matches!(result.missing_handling, MissingHandling::Prorated { .. }),
            derived: false,
        });
    }
    for score in &result.derived {
        let rule = instrument.derived.iter().find(|d| d.id == score.id);
        if let (Some(rule), Some(value)) = (rule, score.total) {
            if let Some(code) = &rule.loinc.total {
                totals.push(LoincTotal {
                    panel: rule.loinc.panel.clone(),
                    code: code.clone(),
                    value,
                    prorated: false,
                    derived: true,
                });
            }
        }
    }
    if let Scoring::PerDomain(rule) = &instrument.scoring {
        for domain in &result.domains {
            let code = rule.domains.iter().find(|d| d.id == domain.id).and_then(|d| match &d.rule {
                DomainMethod::SumAbove { loinc_total, .. } => loinc_total.as_ref(),
                DomainMethod::AnyPositiveOption => None,
            });
            if let (Some(code), Some(value)) = (code, domain.sum) {
                totals.push(LoincTotal {
                    panel: instrument.loinc.panel.clone(),
                    code: code.clone(),
                    value,
                    prorated: false,
                    derived: false,
                });
            }
        }
    }
    LoincExport { panel: instrument.loinc.panel.clone(), answers: pairs, totals }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn all() -> Vec<Instrument> {
        builtin().expect("built-in instruments load")
    }

    fn get(id: &str) -> Instrument {
        find(&all(), id).expect("instrument exists").clone()
    }

    /// Answers for the scored items, by value (PHQ/GAD) or option number (AHC).
    fn answers(inst: &Instrument, list: &str) -> Vec<(String, Answer)> {
        parse_answer_list(inst, list).expect("answer list parses")
    }

    fn flag_ids(result: &ScoreResult) -> Vec<&str> {
        result.flags.iter().map(|f| f.id.as_str()).collect()
    }

    fn domain<'a>(result: &'a ScoreResult, id: &str) -> &'a DomainResult {
        result.domains.iter().find(|d| d.id == id).expect("domain exists")
    }

    // ---- loading ---------------------------------------------------------------------------

    #[test]
    fn builtin_loads_all_three() {
        let all = all();
        let ids: Vec<&str> = all.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["phq9", "gad7", "ahc_hrsn_core"]);
        assert!(all.iter().all(|i| i.version == 1));
        assert_eq!(get("phq9").items.len(), 10);
        assert_eq!(get("gad7").items.len(), 8);
        assert_eq!(get("ahc").items.len(), 10);
    }

    #[test]
    fn find_accepts_case_and_aliases() {
        let all = all();
        for (query, id) in [
            ("PHQ9", "phq9"),
            ("phq-9", "phq9"),
            ("Phq 9", "phq9"),
            ("gad-7", "gad7"),
            ("GAD7", "gad7"),
            ("ahc", "ahc_hrsn_core"),
            ("HRSN", "ahc_hrsn_core"),
            ("ahc-hrsn", "ahc_hrsn_core"),
            ("ahc_hrsn_core", "ahc_hrsn_core"),
        ] {
            assert_eq!(find(&all, query).map(|i| i.id.as_str()), Some(id), "{query}");
        }
        assert!(find(&all, "phq2").is_none());
        assert!(find(&all, "").is_none());
        assert!(find(&all, "--").is_none());
    }

    #[test]
    fn item_text_and_licence_copied_exactly() {
        let phq9 = get("phq9");
        assert_eq!(
            phq9.stem.as_deref(),
            Some("Over the last 2 weeks, how often have you been bothered by any of the following problems?")
        );
        let item6 = phq9.item("phq9_6").expect("item 6");
        assert_eq!(
            item6.text,
            "Feeling bad about yourself — or that you are a failure or have let yourself or your family down"
        );
        let item10 = phq9.item("phq9_10").expect("item 10");
        assert!(!item10.scored && !item10.required);
        assert_eq!(item10.loinc.as_deref(), Some("69722-7"));
        assert_eq!(phq9.licence.copyright.as_deref(), Some("Copyright © Pfizer Inc. All rights reserved."));
        assert!(phq9.licence.terms.starts_with("Developed by Drs. Robert L. Spitzer"));
        assert_eq!(phq9.loinc.panel, "44249-1");
        assert_eq!(phq9.loinc.total.as_deref(), Some("44261-6"));
        let phq2 = &phq9.derived[0];
        assert_eq!((phq2.loinc.panel.as_str(), phq2.loinc.total.as_deref()), ("55757-9", Some("55758-7")));

        let gad7 = get("gad7");
        let difficulty = gad7.item("gad7_difficulty").expect("difficulty item");
        assert!(!difficulty.scored && difficulty.loinc.is_none());
        let ahc = get("ahc");
        let item2 = ahc.item("ahc_2").expect("ahc item 2");
        assert!(item2.multi_select);
        assert_eq!(item2.options.len(), 8);
        assert!(item2.options[7].exclusive);
    }

    // ---- PHQ-9 -----------------------------------------------------------------------------

    #[test]
    fn phq9_every_band_edge() {
        let phq9 = get("phq9");
        let cases = [
            ("0,0,0,0,0,0,0,0,0", 0, "None-minimal", false),
            ("1,1,1,1,0,0,0,0,0", 4, "None-minimal", false),
            ("1,1,1,1,1,0,0,0,0", 5, "Mild", false),
            ("3,3,3,0,0,0,0,0,0", 9, "Mild", false),
            ("3,3,3,1,0,0,0,0,0", 10, "Moderate", true),
            ("3,3,3,3,2,0,0,0,0", 14, "Moderate", true),
            ("3,3,3,3,3,0,0,0,0", 15, "Moderately severe", true),
            ("3,3,3,3,3,3,1,0,0", 19, "Moderately severe", true),
            ("3,3,3,3,3,3,2,0,0", 20, "Severe", true),
            ("3,3,3,3,3,3,3,3,3", 27, "Severe", true),
        ];
        for (list, total, band, positive) in cases {
            let r = score(&phq9, &answers(&phq9, list));
            assert_eq!(r.total, Some(total), "{list}");
            assert_eq!(r.band.as_deref(), Some(band), "{list}");
            assert_eq!(r.positive, Some(positive), "{list}");
            assert!(r.complete, "{list}");
            assert_eq!(r.missing_handling, MissingHandling::Complete);
            assert_eq!(r.missing_handling.to_string(), "complete");
            assert_eq!(flag_ids(&r).contains(&"phq9_positive_screen"), positive, "{list}");
            assert_eq!((r.instrument_id.as_str(), r.instrument_version), ("phq9", 1));
        }
    }

    #[test]
    fn phq2_derived_from_items_1_and_2() {
        let phq9 = get("phq9");
        let r = score(&phq9, &answers(&phq9, "1,1,0,0,0,0,0,0,0"));
        let phq2 = &r.derived[0];
        assert_eq!((phq2.id.as_str(), phq2.total), ("phq2", Some(2)));
        assert_eq!(phq2.band.as_deref(), Some("Negative screen"));
        assert_eq!(phq2.positive, Some(false));
        assert!(phq2.derived);

        let r = score(&phq9, &answers(&phq9, "2,1,0,0,0,0,0,0,0"));
        assert_eq!(r.derived[0].total, Some(3));
        assert_eq!(r.derived[0].band.as_deref(), Some("Positive screen"));
        assert_eq!(r.derived[0].positive, Some(true));

        let r = score(&phq9, &answers(&phq9, "3,-,0,0,0,0,0,0,0"));
        assert_eq!(r.derived[0].total, None);
        assert_eq!(r.derived[0].band, None);
        assert_eq!(r.derived[0].positive, None);
    }

    #[test]
    fn phq9_item9_alert_whatever_the_total() {
        let phq9 = get("phq9");
        let r = score(&phq9, &answers(&phq9, "0,0,0,0,0,0,0,0,1"));
        assert_eq!(r.total, Some(1));
        assert_eq!(r.band.as_deref(), Some("None-minimal"));
        let alert = r.flags.iter().find(|f| f.id == "phq9_item9_safety").expect("alert");
        assert!(alert.safety);
        assert!(!flag_ids(&r).contains(&"phq9_item9_unanswered"));

        let r = score(&phq9, &answers(&phq9, "0,0,0,0,0,0,0,0,0"));
        assert!(r.flags.iter().all(|f| !f.safety));
    }

    #[test]
    fn phq9_item9_unanswered_asks_and_is_never_zero() {
        let phq9 = get("phq9");
        let r = score(&phq9, &answers(&phq9, "0,0,0,0,0,0,0,0,-"));
        assert_eq!(r.total, None);
        assert!(!r.complete);
        assert_eq!(r.missing_items, vec![9]);
        let flag = r.flags.iter().find(|f| f.id == "phq9_item9_unanswered").expect("flag");
        assert!(flag.safety);
        assert!(flag.message.contains("unanswered"));
        // Not asked: the item is simply absent.
        let mut list = answers(&phq9, "0,0,0,0,0,0,0,0,0");
        list.retain(|(id, _)| id != "phq9_9");
        let r = score(&phq9, &list);
        assert_eq!(r.total, None);
        assert!(flag_ids(&r).contains(&"phq9_item9_unanswered"));
        // An unusable answer is unanswered too.
        list.push(("phq9_9".into(), Answer::Value(9)));
        let r = score(&phq9, &list);
        assert!(flag_ids(&r).contains(&"phq9_item9_unanswered"));
        assert_eq!(r.problems.len(), 1);
    }

    #[test]
    fn declined_item_means_no_total() {
        let phq9 = get("phq9");
        let r = score(&phq9, &answers(&phq9, "3,3,-,3,3,3,3,3,0"));
        assert_eq!(r.total, None);
        assert!(!r.complete);
        assert_eq!(r.band, None);
        assert_eq!(r.positive, None);
        assert_eq!(r.missing_items, vec![3]);
        assert_eq!(r.missing_handling, MissingHandling::NotScored { missing: 1 });
        assert_eq!(r.missing_handling.to_string(), "not scored: 1 item missing");
        assert!(!flag_ids(&r).contains(&"phq9_positive_screen"));

        let r = score(&phq9, &answers(&phq9, "-,-,0,0,0,0,0,0,0"));
        assert_eq!(r.missing_handling.to_string(), "not scored: 2 items missing");
        let r = score(&phq9, &[]);
        assert_eq!(r.missing_handling, MissingHandling::NotScored { missing: 9 });
        assert_eq!(r.missing_items, (1..=9).collect::<Vec<u32>>());
    }

    #[test]
    fn unscored_item10_does_not_affect_completeness() {
        let phq9 = get("phq9");
        let mut list = answers(&phq9, "1,1,1,1,1,1,1,1,0");
        let r = score(&phq9, &list);
        assert!(r.complete);
        list.push(("phq9_10".into(), Answer::Value(2)));
        let r = score(&phq9, &list);
        assert_eq!(r.total, Some(8));
        let export = loinc_export(&phq9, &list, &r);
        assert!(export.answers.iter().any(|a| a.item_loinc == "69722-7" && a.answer_loinc == "LA6575-0"));
    }

    #[test]
    fn prorating_only_when_switched_on_and_allowed() {
        let phq9 = get("phq9");
        let on = ScoreOptions { prorate: true };
        // 14 from 8 answered items: 14 x 9 / 8 = 15.75 -> 16.
        let list = answers(&phq9, "2,2,-,2,2,2,2,2,0");
        assert_eq!(score(&phq9, &list).total, None);
        let r = score_with(&phq9, &list, on);
        assert_eq!(r.total, Some(16));
        assert!(!r.complete);
        assert_eq!(r.band.as_deref(), Some("Moderately severe"));
        assert_eq!(r.missing_handling.to_string(), "prorated (Arrieta 2017)");
        assert_eq!(
            r.missing_handling,
            MissingHandling::Prorated { label: "prorated (Arrieta 2017)".into(), missing: 1 }
        );
        // Halves round up: 3 from 8 items -> 3.375 -> 3; 4 from 8 -> 4.5 -> 5.
        let r = score_with(&phq9, &answers(&phq9, "1,1,1,-,0,0,0,0,0"), on);
        assert_eq!(r.total, Some(3));
        let r = score_with(&phq9, &answers(&phq9, "1,1,1,1,-,0,0,0,0"), on);
        assert_eq!(r.total, Some(5));
        // Two missing is the most.
        let r = score_with(&phq9, &answers(&phq9, "1,-,-,1,1,1,1,1,0"), on);
        assert_eq!(r.total, Some(8)); // 6 x 9 / 7 = 7.71 -> 8
        let r = score_with(&phq9, &answers(&phq9, "1,-,-,-,1,1,1,1,0"), on);
        assert_eq!(r.total, None);
        assert_eq!(r.missing_handling, MissingHandling::NotScored { missing: 3 });
        // Never when item 9 is the missing one.
        let r = score_with(&phq9, &answers(&phq9, "2,2,2,2,2,2,2,2,-"), on);
        assert_eq!(r.total, None);
        assert!(flag_ids(&r).contains(&"phq9_item9_unanswered"));
        // GAD-7 has no rule: the switch changes nothing.
        let gad7 = get("gad7");
        let r = score_with(&gad7, &answers(&gad7, "1,1,1,1,1,1,-"), on);
        assert_eq!(r.total, None);
    }

    // ---- GAD-7 -----------------------------------------------------------------------------

    #[test]
    fn gad7_every_band_edge() {
        let gad7 = get("gad7");
        let cases = [
            ("0,0,0,0,0,0,0", 0, "Minimal", false),
            ("2,2,0,0,0,0,0", 4, "Minimal", false),
            ("2,2,1,0,0,0,0", 5, "Mild", false),
            ("3,3,3,0,0,0,0", 9, "Mild", false),
            ("3,3,3,1,0,0,0", 10, "Moderate", true),
            ("3,3,3,3,2,0,0", 14, "Moderate", true),
            ("3,3,3,3,3,0,0", 15, "Severe", true),
            ("3,3,3,3,3,3,3", 21, "Severe", true),
        ];
        for (list, total, band, positive) in cases {
            let r = score(&gad7, &answers(&gad7, list));
            assert_eq!(r.total, Some(total), "{list}");
            assert_eq!(r.band.as_deref(), Some(band), "{list}");
            assert_eq!(r.positive, Some(positive), "{list}");
            assert_eq!(flag_ids(&r) == ["gad7_positive_screen"], positive, "{list}");
            assert!(r.derived.is_empty());
        }
    }

    #[test]
    fn gad7_item2_exports_more_days_than_not_code() {
        let gad7 = get("gad7");
        let option = &gad7.item("gad7_2").expect("item 2").options[2];
        assert_eq!(option.label, "More than half the days");
        assert_eq!(option.export_code(), "LA18938-3");
        let list = answers(&gad7, "2,2,0,0,0,0,0");
        let r = score(&gad7, &list);
        let export = loinc_export(&gad7, &list, &r);
        let code = |item: &str| {
            export.answers.iter().find(|a| a.item_loinc == item).map(|a| a.answer_loinc.as_str())
        };
        assert_eq!(code("69725-0"), Some("LA6570-1"));
        assert_eq!(code("68509-9"), Some("LA18938-3"));
        assert_eq!(export.panel, "69737-5");
        assert_eq!(export.totals.len(), 1);
        assert_eq!((export.totals[0].code.as_str(), export.totals[0].value), ("70274-6", 4));
    }

    #[test]
    fn phq9_loinc_export_has_panel_total_and_derived() {
        let phq9 = get("phq9");
        let list = answers(&phq9, "2,1,0,0,0,0,0,0,-");
        let on = ScoreOptions { prorate: true };
        let r = score_with(&phq9, &list, on);
        let export = loinc_export(&phq9, &list, &r);
        assert_eq!(export.panel, "44249-1");
        assert_eq!(export.answers.len(), 8); // item 9 declined
        assert_eq!(export.answers[0].item_loinc, "44250-9");
        assert_eq!(export.answers[0].answer_loinc, "LA6570-1");
        // No PHQ-9 total (item 9 missing blocks prorating); PHQ-2 total 3 is derived.
        assert_eq!(export.totals.len(), 1);
        let t = &export.totals[0];
        assert_eq!((t.panel.as_str(), t.code.as_str(), t.value, t.derived), ("55757-9", "55758-7", 3, true));

        let list = answers(&phq9, "2,1,-,0,0,0,0,0,0");
        let r = score_with(&phq9, &list, on);
        let export = loinc_export(&phq9, &list, &r);
        let total = export.totals.iter().find(|t| t.code == "44261-6").expect("total");
        assert!(total.prorated);
    }

    // ---- AHC HRSN --------------------------------------------------------------------------

    const AHC_NEGATIVE: &str = "1,8,3,3,2,2,1,1,1,1";

    #[test]
    fn ahc_all_negative() {
        let ahc = get("ahc");
        let r = score(&ahc, &answers(&ahc, AHC_NEGATIVE));
        assert!(r.complete);
        assert_eq!(r.total, None);
        assert_eq!(r.band, None);
        assert_eq!(r.positive, Some(false));
        assert_eq!(r.missing_handling, MissingHandling::Complete);
        assert!(r.domains.iter().all(|d| d.positive == Some(false)));
        assert_eq!(domain(&r, "safety").sum, Some(4));
        assert_eq!(domain(&r, "safety").band.as_deref(), Some("Safety: negative"));
        assert!(r.flags.is_empty());
        assert!(positive_need_domains(&r).is_empty());
    }

    #[test]
    fn ahc_safety_sum_10_vs_11() {
        let ahc = get("ahc");
        let r = score(&ahc, &answers(&ahc, "1,8,3,3,2,2,3,3,2,2"));
        let safety = domain(&r, "safety");
        assert_eq!((safety.sum, safety.positive), (Some(10), Some(false)));
        assert!(r.flags.iter().all(|f| !f.safety));

        let r = score(&ahc, &answers(&ahc, "1,8,3,3,2,2,3,3,3,2"));
        let safety = domain(&r, "safety");
        assert_eq!((safety.sum, safety.positive), (Some(11), Some(true)));
        assert_eq!(safety.band.as_deref(), Some("Safety: positive (may not be safe)"));
        let alert = r.flags.iter().find(|f| f.id == "ahc_safety_positive").expect("alert");
        assert!(alert.safety);
        assert!(flag_ids(&r).contains(&"ahc_domain_positive"));
        assert_eq!(r.positive, Some(true));
        assert_eq!(positive_need_domains(&r), ["safety"]);

        let export = loinc_export(&ahc, &answers(&ahc, "1,8,3,3,2,2,3,3,3,2"), &r);
        assert_eq!(export.panel, "96777-8");
        assert_eq!(export.totals.len(), 1);
        assert_eq!((export.totals[0].code.as_str(), export.totals[0].value), ("95614-4", 11));
    }

    #[test]
    fn ahc_safety_needs_all_four_items() {
        let ahc = get("ahc");
        let r = score(&ahc, &answers(&ahc, "1,8,3,3,2,2,2,2,2,-"));
        let safety = domain(&r, "safety");
        assert_eq!((safety.sum, safety.positive, safety.missing), (None, None, 1));
        assert!(!r.complete);
        assert_eq!(r.positive, None);
        assert_eq!(r.missing_handling.to_string(), "partly scored: 1 item missing");
        // 5+5+5 already exceeds 10 whatever item 10 would be: alert, still no sum.
        let r = score(&ahc, &answers(&ahc, "1,8,3,3,2,2,5,5,5,-"));
        let safety = domain(&r, "safety");
        assert_eq!((safety.sum, safety.positive), (None, Some(true)));
        assert!(flag_ids(&r).contains(&"ahc_safety_positive"));
        // 4+4+2 + at least 1 = 11: certain too; 4+3+2 + 1 = 10 is not.
        let r = score(&ahc, &answers(&ahc, "1,8,3,3,2,2,4,4,2,-"));
        assert_eq!(domain(&r, "safety").positive, Some(true));
        let r = score(&ahc, &answers(&ahc, "1,8,3,3,2,2,4,3,2,-"));
        assert_eq!(domain(&r, "safety").positive, None);
    }

    #[test]
    fn ahc_each_domain_positive_and_negative() {
        let ahc = get("ahc");
        let check = |list: &str, id: &str, expected: Option<bool>| {
            let r = score(&ahc, &answers(&ahc, list));
            assert_eq!(domain(&r, id).positive, expected, "{id}: {list}");
            for other in r.domains.iter().filter(|d| d.id != id) {
                assert_eq!(other.positive, Some(false), "{} in {list}", other.id);
            }
        };
        // Housing: item 1 answers 2 or 3, or any item 2 problem.
        check("2,8,3,3,2,2,1,1,1,1", "housing", Some(true));
        check("3,8,3,3,2,2,1,1,1,1", "housing", Some(true));
        check("1,2,3,3,2,2,1,1,1,1", "housing", Some(true));
        check("1,1+3+7,3,3,2,2,1,1,1,1", "housing", Some(true));
        check("1,8,3,3,2,2,1,1,1,1", "housing", Some(false));
        // Food: either item Often or Sometimes true.
        check("1,8,1,3,2,2,1,1,1,1", "food", Some(true));
        check("1,8,3,2,2,2,1,1,1,1", "food", Some(true));
        check("1,8,3,3,2,2,1,1,1,1", "food", Some(false));
        // Transportation: Yes.
        check("1,8,3,3,1,2,1,1,1,1", "transportation", Some(true));
        check("1,8,3,3,2,2,1,1,1,1", "transportation", Some(false));
        // Utilities: Yes or Already shut off.
        check("1,8,3,3,2,1,1,1,1,1", "utilities", Some(true));
        check("1,8,3,3,2,3,1,1,1,1", "utilities", Some(true));
        check("1,8,3,3,2,2,1,1,1,1", "utilities", Some(false));
        // Safety: sum above 10.
        check("1,8,3,3,2,2,5,5,1,1", "safety", Some(true));
        check("1,8,3,3,2,2,5,2,1,1", "safety", Some(false));
    }

    #[test]
    fn ahc_skips_are_never_negative() {
        let ahc = get("ahc");
        // Housing: item 1 declined and no item-2 problem leaves it open.
        let r = score(&ahc, &answers(&ahc, "-,8,3,3,2,2,1,1,1,1"));
        assert_eq!(domain(&r, "housing").positive, None);
        assert_eq!(r.missing_items, vec![1]);
        // ...but a positive answered item still makes it positive.
        let r = score(&ahc, &answers(&ahc, "-,2,-,1,-,-,1,1,1,1"));
        assert_eq!(domain(&r, "housing").positive, Some(true));
        assert_eq!(domain(&r, "food").positive, Some(true));
        assert_eq!(domain(&r, "transportation").positive, None);
        assert_eq!(domain(&r, "utilities").positive, None);
        assert_eq!(r.positive, Some(true));
        // Nothing answered: nothing scored.
        let r = score(&ahc, &[]);
        assert_eq!(r.missing_handling, MissingHandling::NotScored { missing: 10 });
        assert!(r.domains.iter().all(|d| d.positive.is_none()));
        assert!(r.flags.is_empty());
    }

    #[test]
    fn needs_map_to_life_domains() {
        let ahc = get("ahc");
        let r = score(&ahc, &answers(&ahc, "2,8,1,3,1,3,5,5,5,5"));
        assert_eq!(positive_need_domains(&r), ["housing", "food", "transportation", "utilities", "safety"]);
        assert_eq!(positive_life_domains(&r), ["housing", "food", "transport", "safety"]);
        assert_eq!(life_domain_for(&ahc, "utilities"), Some("housing"));
        assert_eq!(life_domain_for(&ahc, "transportation"), Some("transport"));
        assert_eq!(life_domain_for(&ahc, "nope"), None);
        assert_eq!(life_domain_for(&get("phq9"), "housing"), None);
    }

    #[test]
    fn ahc_multi_select_export_and_rules() {
        let ahc = get("ahc");
        let list = answers(&ahc, "1,1+2,3,3,2,2,1,1,1,1");
        assert_eq!(list[1], ("ahc_2".to_string(), Answer::Multi(vec![0, 1])));
        let r = score(&ahc, &list);
        let export = loinc_export(&ahc, &list, &r);
        let item2: Vec<&str> =
            export.answers.iter().filter(|a| a.item_number == 2).map(|a| a.answer_loinc.as_str()).collect();
        assert_eq!(item2, ["LA31996-4", "LA28580-1"]);
        // A single choice on a multi-select item is accepted; a selection on a single one is not.
        let ok = vec![("ahc_2".to_string(), Answer::Value(7))];
        assert!(validate_answers(&ahc, &ok).is_ok());
        let bad = vec![("ahc_1".to_string(), Answer::Multi(vec![0]))];
        assert!(validate_answers(&ahc, &bad).is_err());
        for bad in [vec![], vec![0, 7], vec![1, 1], vec![8]] {
            let list = vec![("ahc_2".to_string(), Answer::Multi(bad.clone()))];
            assert!(validate_answers(&ahc, &list).is_err(), "{bad:?}");
            let r = score(&ahc, &list);
            assert_eq!(domain(&r, "housing").positive, None, "{bad:?}");
            assert_eq!(r.problems.len(), 1);
        }
    }

    // ---- unusable answers ------------------------------------------------------------------

    #[test]
    fn unusable_answers_count_as_missing() {
        let phq9 = get("phq9");
        let mut list = answers(&phq9, "1,1,1,1,1,1,1,1,0");
        list.push(("phq9_1".into(), Answer::Value(0)));
        list.push(("phq9_99".into(), Answer::Value(0)));
        let r = score(&phq9, &list);
        assert_eq!(r.total, None);
        assert_eq!(r.missing_items, vec![1]);
        assert_eq!(r.problems.len(), 2);
        let err = validate_answers(&phq9, &list).expect_err("refused");
        let text = err.to_string();
        assert!(text.contains("phq9_99") && text.contains("item 1 is answered more than once"), "{text}");
        let r = score(&phq9, &[("phq9_3".into(), Answer::Multi(vec![1]))]);
        assert_eq!(r.problems.len(), 1);
    }

    // ---- answer lists ----------------------------------------------------------------------

    #[test]
    fn answer_list_parses() {
        let phq9 = get("phq9");
        let list = answers(&phq9, " 1, 2,0,3 ,1,0,0,1,- ");
        assert_eq!(list.len(), 9);
        assert_eq!(list[0], ("phq9_1".to_string(), Answer::Value(1)));
        assert_eq!(list[3], ("phq9_4".to_string(), Answer::Value(3)));
        assert_eq!(list[8], ("phq9_9".to_string(), Answer::Declined));
        let ahc = get("ahc");
        let list = answers(&ahc, "3,8,-,1,2,3,1,2,3,5");
        assert_eq!(list[0].1, Answer::Value(2));
        assert_eq!(list[1].1, Answer::Multi(vec![7]));
        assert_eq!(list[2].1, Answer::Declined);
        assert_eq!(list[9].1, Answer::Value(4));
    }

    fn refusal(inst: &Instrument, text: &str) -> String {
        parse_answer_list(inst, text).expect_err("refused").to_string()
    }

    #[test]
    fn answer_list_refusals_name_item_and_range() {
        let phq9 = get("phq9");
        let msg = refusal(&phq9, "1,2,0,3,1,0,0,1");
        assert!(
            msg.contains("expected 9 answers") && msg.contains("items 1-9") && msg.contains("got 8"),
            "{msg}"
        );
        let msg = refusal(&phq9, "1,2,0,3,1,0,0,1,0,0");
        assert!(msg.contains("got 10"), "{msg}");
        let msg = refusal(&phq9, "");
        assert!(msg.contains("got 0"), "{msg}");
        let msg = refusal(&phq9, "1,2,4,3,1,0,0,1,0");
        assert!(msg.contains("item 3") && msg.contains("0-3") && msg.contains("PHQ-9"), "{msg}");
        let msg = refusal(&phq9, "1,2,0,3,x,0,0,1,0");
        assert!(msg.contains("item 5") && msg.contains("not a whole number") && msg.contains("0-3"), "{msg}");
        let msg = refusal(&phq9, "1,2,0,3,1,0,0,1,-1");
        assert!(msg.contains("item 9") && msg.contains("0-3"), "{msg}");
        let msg = refusal(&phq9, "1,2,0,3,1,0,0,1,99999999999999999999");
        assert!(msg.contains("item 9"), "{msg}");
        let msg = refusal(&phq9, "1,2,,3,1,0,0,1,0");
        assert!(msg.contains("item 3"), "{msg}");

        let gad7 = get("gad7");
        let msg = refusal(&gad7, "1,2,0,3,1,0,0,1,0");
        assert!(msg.contains("expected 7 answers") && msg.contains("GAD-7"), "{msg}");

        let ahc = get("ahc");
        let msg = refusal(&ahc, "4,8,3,3,2,2,1,1,1,1");
        assert!(msg.contains("item 1") && msg.contains("1-3"), "{msg}");
        let msg = refusal(&ahc, "0,8,3,3,2,2,1,1,1,1");
        assert!(msg.contains("item 1") && msg.contains("1-3"), "{msg}");
        let msg = refusal(&ahc, "1,9,3,3,2,2,1,1,1,1");
        assert!(msg.contains("item 2") && msg.contains("1-8"), "{msg}");
        let msg = refusal(&ahc, "1,1+8,3,3,2,2,1,1,1,1");
        assert!(msg.contains("item 2") && msg.contains("None of the above"), "{msg}");
        let msg = refusal(&ahc, "1,3+3,3,3,2,2,1,1,1,1");
        assert!(msg.contains("item 2") && msg.contains("twice"), "{msg}");
        let msg = refusal(&ahc, "1,8,3,3,2,2,1,1,1,6");
        assert!(msg.contains("item 10") && msg.contains("1-5"), "{msg}");
        let msg = refusal(&ahc, "1,8,3,3,3,2,1,1,1,1");
        assert!(msg.contains("item 5") && msg.contains("1-2"), "{msg}");
    }

    // ---- broken assets ---------------------------------------------------------------------

    fn phq9_json() -> Value {
        serde_json::from_str(BUILTIN[0].1).expect("phq9 asset is JSON")
    }

    fn ahc_json() -> Value {
        serde_json::from_str(BUILTIN[2].1).expect("ahc asset is JSON")
    }

    fn broken(value: Value, expected: &str) {
        let text = value.to_string();
        let err = parse_instrument_named("test.json", &text).expect_err("refused");
        let msg = err.to_string();
        assert!(msg.contains("test.json"), "{msg}");
        assert!(msg.contains(expected), "expected '{expected}' in: {msg}");
    }

    #[test]
    fn broken_json_is_an_error() {
        for text in ["", "{", "null", "[]", "{\"id\": 3}", "not json"] {
            let err = parse_instrument(text).expect_err("refused");
            assert!(matches!(err, InstrumentError::Json { .. }), "{text}: {err}");
        }
        let mut v = phq9_json();
        v["colour"] = json!("red");
        broken(v, "unknown field `colour`");
        let mut v = phq9_json();
        v["scoring"]["method"] = json!("average");
        broken(v, "average");
        let mut v = phq9_json();
        v["scoring"]["extra"] = json!(1);
        broken(v, "extra");
        let mut v = phq9_json();
        v["items"][0]["options"][0]["value"] = json!("zero");
        broken(v, "invalid type");
    }

    #[test]
    fn broken_bands_are_errors() {
        let mut v = phq9_json();
        v["scoring"]["bands"][1]["min"] = json!(4);
        broken(v, "overlap");
        let mut v = phq9_json();
        v["scoring"]["bands"][1]["min"] = json!(6);
        broken(v, "gap");
        let mut v = phq9_json();
        v["scoring"]["bands"][4]["max"] = json!(26);
        broken(v, "bands end at 26 but scores reach 27");
        let mut v = phq9_json();
        v["scoring"]["bands"][0]["min"] = json!(1);
        broken(v, "bands start at 1");
        let mut v = phq9_json();
        v["scoring"]["bands"] = json!([]);
        broken(v, "no bands");
        let mut v = phq9_json();
        v["scoring"]["range"]["max"] = json!(30);
        broken(v, "does not match the items' possible totals 0-27");
        let mut v = phq9_json();
        v["derived"][0]["bands"][0]["max"] = json!(3);
        broken(v, "derived 'phq2' bands");
        let mut v = ahc_json();
        v["scoring"]["domains"][4]["rule"]["sum_above"]["bands"][1]["min"] = json!(12);
        broken(v, "gap");
        let mut v = phq9_json();
        v["scoring"]["positive_at_or_above"] = json!(28);
        broken(v, "cutpoint 28");
    }

    #[test]
    fn broken_references_are_errors() {
        let mut v = phq9_json();
        v["scoring"]["items"][8] = json!("phq9_99");
        broken(v, "unknown item 'phq9_99'");
        let mut v = phq9_json();
        v["scoring"]["items"][8] = json!("phq9_1");
        broken(v, "twice");
        let mut v = phq9_json();
        v["flags"][0]["when"]["item_at_least"]["item"] = json!("phq9_42");
        broken(v, "unknown item 'phq9_42'");
        let mut v = phq9_json();
        v["flags"][1]["when"]["item_unanswered"]["item"] = json!("nine");
        broken(v, "unknown item 'nine'");
        let mut v = phq9_json();
        v["flags"][0]["when"] = json!({"domain_positive": {"domain": "safety"}});
        broken(v, "unknown domain 'safety'");
        let mut v = phq9_json();
        v["derived"][0]["items"][1] = json!("phq9_10");
        broken(v, "does not score");
        let mut v = phq9_json();
        v["scoring"]["missing_items"]["prorate"]["never_if_missing"] = json!(["phq9_10"]);
        broken(v, "never_if_missing");
        let mut v = ahc_json();
        v["scoring"]["domains"][0]["items"][1] = json!("ahc_3");
        broken(v, "belongs to both");
        let mut v = ahc_json();
        v["scoring"]["domains"][1]["items"] = json!(["ahc_3", "ahc_nope"]);
        broken(v, "unknown item 'ahc_nope'");
        let mut v = ahc_json();
        v["scoring"]["domains"][2]["life_domain"] = json!("transportation");
        broken(v, "life_domain 'transportation'");
        let mut v = ahc_json();
        v["flags"][0]["when"]["domain_positive"]["domain"] = json!("money");
        broken(v, "unknown domain 'money'");
    }

    #[test]
    fn broken_items_are_errors() {
        let mut v = phq9_json();
        v["items"][1]["id"] = json!("phq9_1");
        broken(v, "item id 'phq9_1' is used twice");
        let mut v = phq9_json();
        v["items"][2]["number"] = json!(7);
        broken(v, "numbered");
        let mut v = phq9_json();
        v["items"][0]["options"] = json!([]);
        broken(v, "item 1 (phq9_1) has no answer options");
        let mut v = phq9_json();
        v["items"][0]["text"] = json!("  ");
        broken(v, "text is empty");
        let mut v = phq9_json();
        v["items"][0]["options"][1]["value"] = Value::Null;
        broken(v, "mixes options");
        let mut v = phq9_json();
        v["items"][0]["options"][1]["value"] = json!(0);
        broken(v, "value 0 twice");
        let mut v = phq9_json();
        v["items"][0]["options"][1]["value"] = json!(i32::MAX);
        broken(v, "outside");
        let mut v = phq9_json();
        v["items"][9]["scored"] = json!(true);
        broken(v, "item 10 (phq9_10) is scored, so it must be required");
        let mut v = phq9_json();
        v["items"][8]["scored"] = json!(false);
        broken(v, "marked not scored");
        let mut v = phq9_json();
        v["version"] = json!(0);
        broken(v, "version");
        let mut v = phq9_json();
        v["id"] = json!("PHQ 9");
        broken(v, "instrument id");
        let mut v = ahc_json();
        v["items"][0]["options"][0].as_object_mut().expect("object").remove("positive");
        broken(v, "does not say whether it is positive");
        let mut v = ahc_json();
        v["items"][0]["options"][0]["exclusive"] = json!(true);
        broken(v, "not multi-select");
        let mut v = ahc_json();
        v["scoring"]["domains"][4]["items"] = json!(["ahc_2", "ahc_7", "ahc_8", "ahc_9", "ahc_10"]);
        v["scoring"]["domains"][0]["items"] = json!(["ahc_1"]);
        broken(v, "multi-select");
    }

    #[test]
    fn duplicate_names_across_instruments_are_errors() {
        let mut all = all();
        all[1].aliases.push("PHQ-9".into());
        let err = check_distinct_names(&all).expect_err("refused");
        assert!(err.to_string().contains("phq9"), "{err}");
    }
}
