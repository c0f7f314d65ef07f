use super::catalog::BUILTIN;
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
    // issue 17 point 9: both lines are shown with every PHQ-9 and GAD-7 result
    let lines = [
        "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an \
         educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.",
        "Copyright © Pfizer Inc. All rights reserved.",
    ];
    for id in ["phq9", "gad7"] {
        assert_eq!(get(id).licence.attribution, lines, "{id}");
        assert_eq!(super::attribution_of(id), lines, "{id}");
    }
    assert!(super::attribution_of("ahc_hrsn_core").is_empty());
    assert_eq!(super::attribution_for(["phq9", "gad7", "phq9"]), lines, "each line once");
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
    let code =
        |item: &str| export.answers.iter().find(|a| a.item_loinc == item).map(|a| a.answer_loinc.as_str());
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

/// Issue 17 point 8: a declined safety item leaves the domain open and says so; answers that
/// already decide it make it positive on the items answered, and the alert says that.
#[test]
fn ahc_safety_partly_declined_says_what_is_open_and_what_is_decided() {
    let ahc = get("ahc");
    let r = score(&ahc, &answers(&ahc, "1,8,3,3,2,2,2,2,2,-"));
    let safety = domain(&r, "safety");
    assert_eq!((safety.missing, safety.declined), (1, 1));
    assert_eq!(safety.missing_words(), "1 item declined");
    assert!(!safety.positive_on_answered());
    let r = score(&ahc, &answers(&ahc, "1,8,3,3,2,2,5,5,-,-"));
    let safety = domain(&r, "safety");
    assert_eq!((safety.sum, safety.positive, safety.declined), (None, Some(true), 2));
    assert!(safety.positive_on_answered());
    let alert = r.flags.iter().find(|f| f.id == "ahc_safety_positive").expect("alert");
    assert!(alert.safety && alert.message.contains("positive on the items answered"), "{}", alert.message);
    // all four answered: the plain alert
    let r = score(&ahc, &answers(&ahc, "1,8,3,3,2,2,5,5,1,1"));
    let alert = r.flags.iter().find(|f| f.id == "ahc_safety_positive").expect("alert");
    assert!(!alert.message.contains("items answered"), "{}", alert.message);
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

// ---- names and schedules ----------------------------------------------------------------

#[test]
fn short_names_and_rescreening_come_from_the_files() {
    assert_eq!(short_name_of("phq9"), "PHQ-9");
    assert_eq!(short_name_of("gad7"), "GAD-7");
    assert_eq!(short_name_of("ahc_hrsn_core"), "AHC HRSN");
    assert_eq!(short_name_of("custom_tool"), "custom_tool");
    let again: Vec<&str> = regiven().map(|i| i.id.as_str()).collect();
    assert_eq!(again, ["phq9", "gad7"]);
    // One interval is used for all of them: the practitioner's setting, which starts at the
    // files' value. Change both together.
    let default = crate::domain::settings::Settings::default().rescreen_days;
    for i in regiven() {
        assert_eq!(i.regiven_after_days, Some(default), "{}: regiven_after_days vs Settings", i.id);
    }
}

#[test]
fn regiven_after_zero_days_is_an_error() {
    let mut v = phq9_json();
    v["regiven_after_days"] = json!(0);
    broken(v, "regiven_after_days must be at least 1");
}
