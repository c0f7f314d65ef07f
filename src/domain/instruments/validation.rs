//! Strict checks of an instrument definition: identifiers, items and options, ranges and bands
//! that fit the items, and rules that name items and domains that exist.

use std::collections::{HashMap, HashSet};

use super::model::*;

// Bounds on asset sizes keep every sum far from i32 overflow, whatever a file says.
const MAX_ABS_VALUE: i32 = 10_000;
const MAX_ITEMS: usize = 500;
const MAX_OPTIONS: usize = 100;

pub(super) fn validate(inst: &Instrument) -> Result<(), String> {
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
    for line in &inst.licence.attribution {
        check_text("licence.attribution", line)?;
    }
    if inst.regiven_after_days == Some(0) {
        return Err("regiven_after_days must be at least 1 (leave it out for a screener given once)".into());
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
