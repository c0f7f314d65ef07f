//! Answers: one item's answer, checking answers against an instrument, and the compact answer
//! list typed on the command line.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::error::InstrumentError;
use super::model::{AnswerOption, Instrument, Item};

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
pub(super) struct Resolved {
    pub(super) chosen: Vec<Option<Vec<usize>>>,
    pub(super) problems: Vec<String>,
}

impl Resolved {
    pub(super) fn options<'a>(&self, inst: &'a Instrument, index: usize) -> Option<Vec<&'a AnswerOption>> {
        let item = inst.items.get(index)?;
        let chosen = self.chosen.get(index)?.as_ref()?;
        chosen.iter().map(|&i| item.options.get(i)).collect()
    }

    pub(super) fn value(&self, inst: &Instrument, index: usize) -> Option<i32> {
        // Summed items are single-choice (validated), so exactly one option is chosen.
        match self.options(inst, index)?.as_slice() {
            [option] => option.value,
            _ => None,
        }
    }
}

pub(super) fn resolve(inst: &Instrument, answers: &[(String, Answer)]) -> Resolved {
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
