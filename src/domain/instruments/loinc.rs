//! LOINC codes for one administration: the panel, each answer and each score.

use serde::{Deserialize, Serialize};

use super::answers::{resolve, Answer};
use super::model::*;
use super::scoring::{MissingHandling, ScoreResult};

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
