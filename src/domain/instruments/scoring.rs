//! The one pure scoring engine: totals and bands, derived scores, per-domain needs, flags and
//! how missing answers were handled. Never treats a missing answer as 0.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::answers::{resolve, Answer, Resolved};
use super::model::*;

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
    /// How many of the missing items were asked and declined (the rest were not answered).
    #[serde(default)]
    pub declined: usize,
}

impl DomainResult {
    /// Positive although some items are missing: the items answered already decide it.
    pub fn positive_on_answered(&self) -> bool {
        self.positive == Some(true) && self.missing > 0
    }

    /// "1 item declined", "2 items not answered", "1 item declined, 1 not answered".
    pub fn missing_words(&self) -> String {
        let plural = |n: usize| if n == 1 { "item" } else { "items" };
        let skipped = self.missing.saturating_sub(self.declined);
        match (self.declined, skipped) {
            (0, n) => format!("{n} {} not answered", plural(n)),
            (d, 0) => format!("{d} {} declined", plural(d)),
            (d, n) => format!("{d} {} declined, {n} not answered", plural(d)),
        }
    }
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
            result.domains =
                rule.domains.iter().map(|d| score_domain(instrument, d, &resolved, answers)).collect();
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
        .map(|flag| {
            let partial = match &flag.when {
                FlagCondition::DomainPositive { domain } => {
                    result.domains.iter().any(|d| &d.id == domain && d.positive_on_answered())
                }
                _ => false,
            };
            let message = match (&flag.message_when_partial, partial) {
                (Some(m), true) => m.clone(),
                _ => flag.message.clone(),
            };
            RaisedFlag { id: flag.id.clone(), message, safety: flag.safety }
        })
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

fn score_domain(
    inst: &Instrument,
    domain: &DomainRule,
    resolved: &Resolved,
    answers: &[(String, Answer)],
) -> DomainResult {
    let indices: Vec<usize> =
        domain.items.iter().filter_map(|id| inst.items.iter().position(|i| &i.id == id)).collect();
    let missing = indices.iter().filter(|&&i| resolved.chosen.get(i).is_none_or(|c| c.is_none())).count();
    let declined = domain
        .items
        .iter()
        .filter(|id| answers.iter().any(|(a_id, a)| a_id == *id && *a == Answer::Declined))
        .count()
        .min(missing);
    let mut result = DomainResult {
        id: domain.id.clone(),
        label: domain.label.clone(),
        life_domain: domain.life_domain.clone(),
        positive: None,
        sum: None,
        band: None,
        missing,
        declined,
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

fn band_for(bands: &[Band], total: i32) -> Option<String> {
    bands.iter().find(|b| b.min <= total && total <= b.max).map(|b| b.label.clone())
}
