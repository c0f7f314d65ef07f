//! The definition types: what an instrument asset file says (items, options, bands, scoring
//! rules, flags, LOINC codes), and the app's life domains that needs file under.

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
    /// Given again this many days after the last one while a case is open (Today reminds);
    /// absent for a screener given once. The practitioner's `rescreen_days` setting is the
    /// interval actually used, and starts at this value (a test keeps the two equal).
    #[serde(default)]
    pub regiven_after_days: Option<u32>,
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
    /// The lines the owner asks to be shown with every result, on screen and in every export
    /// that shows a score (PHQ-9 and GAD-7: who developed it, and the copyright). Empty when
    /// the instrument asks for none.
    #[serde(default)]
    pub attribution: Vec<String>,
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
    /// What the flag says instead when its domain is positive on the items answered only
    /// (some declined or skipped, and the rest already decide it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_when_partial: Option<String>,
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

    pub(super) fn has_values(&self) -> bool {
        !self.options.is_empty() && self.options.iter().all(|o| o.value.is_some())
    }

    pub(super) fn value_bounds(&self) -> Option<(i32, i32)> {
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
    pub(super) fn contains(&self, value: i32) -> bool {
        self.min <= value && value <= self.max
    }
}

impl fmt::Display for ScoreRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.min, self.max)
    }
}

/// A name as `find` compares it: letters and digits only, lower case.
pub(super) fn normalize_name(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}
