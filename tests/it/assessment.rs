//! Assessment phase against a real temporary database: assessments and reassessments, risk
//! flags and their history, screeners with alerts and trends, the people around the client.

use crate::common::{fixed_now, temp_db, today};
use caseload::domain::assessment::{changes, validate_assessment, AssessmentInput, RiskArea, RiskLevel};
use caseload::domain::client::{validate_intake, IntakeInput};
use caseload::domain::instruments::{builtin, find, parse_answer_list, Answer};
use caseload::domain::people::{validate_person, PersonInput};
use caseload::store::people::Links;
use caseload::store::{Store, StoreError};
use chrono::{Duration, NaiveDate};

fn with_client(store: &mut Store) -> i64 {
    let c = validate_intake(
        &IntakeInput { given_name: "Ada".into(), family_name: "Example".into(), ..Default::default() },
        today(),
    )
    .unwrap();
    store.add_client(&c, fixed_now()).unwrap()
}

fn assessment(needs: &str, self_risk: &str, plan: &str) -> caseload::domain::assessment::Assessment {
    validate_assessment(
        &AssessmentInput {
            assessed_on: "2026-11-20".into(),
            needs: needs.into(),
            sections: vec![("strengths".into(), "Close to her sister.".into())],
            risks: vec![(RiskArea::ToSelf, self_risk.into(), plan.into())],
            ratings: vec![("housing".into(), "2".into())],
        },
        today(),
    )
    .unwrap()
}

#[test]
fn an_assessment_round_trips_and_lists_its_empty_parts() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    let a = assessment("housing: a flat near her mother\nfood: food bank", "low", "");
    let id = store.add_assessment(c, &a, None, fixed_now()).unwrap();
    let back = store.assessment(id).unwrap();
    assert_eq!(back.assessment, a);
    assert_eq!(back.reference, format!("A-{id}"));
    let list = store.assessments(c).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].needs, 2);
    assert!(list[0].empty_parts > 0);
    // the timeline shows it, search finds its words and its needs
    let tl = store.timeline(c, Default::default(), 10, None).unwrap();
    assert!(tl.iter().any(|e| e.kind == "assessment"), "{tl:?}");
    let hits = store.search("sister", &Default::default(), 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].kind.as_str(), "assessment");
    assert_eq!(hits[0].reference, format!("A-{id}"));
    let hits = store.search("food bank", &Default::default(), 10).unwrap();
    assert!(hits.iter().any(|h| h.kind.as_str() == "need"));
    // needs are ready for the plan and referrals
    let needs = store.current_needs(c).unwrap();
    assert_eq!(needs.len(), 2);
    assert_eq!(needs[0].source, format!("A-{id}"));
}

#[test]
fn a_reassessment_shows_what_changed() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    let first = store.add_assessment(c, &assessment("housing: flat", "none", ""), None, fixed_now()).unwrap();
    let mut next = store.assessment(first).unwrap().assessment;
    next.assessed_on = today();
    next.needs
        .push(caseload::domain::assessment::Need { life_domain: "income".into(), text: "benefits".into() });
    let second = store.add_assessment(c, &next, Some(first), fixed_now()).unwrap();
    let prev = store.previous_assessment(second).unwrap().unwrap();
    assert_eq!(prev.id, first);
    let diff = changes(&prev.assessment, &store.assessment(second).unwrap().assessment);
    assert_eq!(diff.len(), 1);
    assert_eq!(diff[0].what, "new: income: benefits");
    assert_eq!(store.assessment(second).unwrap().based_on.as_deref(), Some(format!("A-{first}").as_str()));
    // another client's assessment cannot be the base
    let other = with_client(&mut store);
    let refused = store.add_assessment(other, &next, Some(first), fixed_now());
    assert!(matches!(refused, Err(StoreError::Refused(_))));
    assert_eq!(store.assessments(other).unwrap().len(), 0, "nothing half-saved");
}

#[test]
fn high_risk_raises_a_flag_that_only_a_review_with_a_reason_lowers() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    store.add_assessment(c, &assessment("", "high", "Crisis plan agreed."), None, fixed_now()).unwrap();
    let client = store.client(c).unwrap();
    assert_eq!(client.risk_level.as_deref(), Some("high"));
    assert!(client.flags().contains(&"RISK HIGH"));
    let flags = store.risk_flags(c).unwrap();
    assert_eq!(flags.len(), 1);
    assert_eq!((flags[0].area, flags[0].level), (RiskArea::ToSelf, RiskLevel::High));
    // a later assessment saying "low" does not lower it by itself
    store.add_assessment(c, &assessment("", "low", ""), None, fixed_now()).unwrap();
    assert_eq!(store.client(c).unwrap().risk_level.as_deref(), Some("high"));
    // a review without a reason is refused, and changes nothing
    let id = flags[0].id;
    assert!(matches!(
        store.review_flag(id, true, None, "  ", "Sam", fixed_now()),
        Err(StoreError::Invalid(_))
    ));
    assert!(store.risk_flag(id).unwrap().is_open());
    // nor is one with no name to say who made it (issue 17 point 13)
    assert!(matches!(
        store.review_flag(id, true, None, "Stable.", " ", fixed_now()),
        Err(StoreError::Refused(_))
    ));
    assert!(store.risk_flag(id).unwrap().is_open());
    // reviewed at medium, then lowered
    store
        .review_flag(id, false, Some(RiskLevel::Medium), "Seen today; plan holding.", "Sam", fixed_now())
        .unwrap();
    assert_eq!(store.client(c).unwrap().risk_level.as_deref(), Some("medium"));
    let later = fixed_now() + Duration::days(14);
    store
        .review_flag(id, true, Some(RiskLevel::Low), "Two weeks stable, GP involved.", "Sam", later)
        .unwrap();
    let f = store.risk_flag(id).unwrap();
    assert!(!f.is_open());
    let actions: Vec<&str> = f.history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["raised", "reviewed", "lowered"]);
    assert_eq!(f.history[0].source, "A-1");
    assert_eq!(f.history[2].reason, "Two weeks stable, GP involved.");
    assert_eq!(f.history[2].by, "Sam");
    assert_eq!(store.client(c).unwrap().risk_level, None);
    assert!(store.review_flag(id, true, None, "again", "Sam", later).is_err(), "already lowered");
}

#[test]
fn item_nine_raises_an_alert_whatever_the_total_and_saving_does_not_wait() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    let all = builtin().unwrap();
    let phq9 = find(&all, "phq9").unwrap();
    let answers = parse_answer_list(phq9, "0,0,0,0,0,0,0,0,1").unwrap();
    let (id, result) = store.add_screening(c, phq9, &answers, today(), "", fixed_now()).unwrap();
    assert_eq!(result.total, Some(1));
    assert_eq!(store.client(c).unwrap().open_alerts, 1);
    let alerts = store.alerts(c).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].screening_id, id);
    assert!(alerts[0].message.contains("item 9"));
    assert!(matches!(
        store.acknowledge_alert(alerts[0].id, "", "Sam", fixed_now()),
        Err(StoreError::Invalid(_))
    ));
    store
        .acknowledge_alert(
            alerts[0].id,
            "Risk assessed: no plan or intent; safety plan reviewed.",
            "Sam",
            fixed_now(),
        )
        .unwrap();
    assert_eq!(store.client(c).unwrap().open_alerts, 0);
    assert!(store.alert(alerts[0].id).unwrap().acknowledged_at.is_some());
}

#[test]
fn declined_items_are_kept_and_never_scored_as_zero() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    let all = builtin().unwrap();
    let gad7 = find(&all, "gad7").unwrap();
    let answers = parse_answer_list(gad7, "1,2,-,3,1,0,0").unwrap();
    let (id, result) = store.add_screening(c, gad7, &answers, today(), "", fixed_now()).unwrap();
    assert_eq!(result.total, None);
    assert!(!result.complete);
    let back = store.screening(id).unwrap();
    assert_eq!(back.answers, answers);
    assert!(back.answers.iter().any(|(_, a)| *a == Answer::Declined));
    assert_eq!(back.total, None);
    assert!(store.trend(c, "gad7").unwrap().is_empty(), "an incomplete result is not a trend point");
}

#[test]
fn trends_and_social_needs_become_needs() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    let all = builtin().unwrap();
    let phq9 = find(&all, "phq9").unwrap();
    for (day, list) in [("2026-06-01", "2,2,2,2,2,2,2,2,0"), ("2026-09-01", "1,1,1,2,2,1,1,1,0")] {
        let on = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        store.add_screening(c, phq9, &parse_answer_list(phq9, list).unwrap(), on, "", fixed_now()).unwrap();
    }
    let t = store.trend(c, "phq9").unwrap();
    assert_eq!(t.iter().map(|p| p.total).collect::<Vec<_>>(), vec![16, 10]);
    assert_eq!(t[0].band.as_deref(), Some("Moderately severe"));
    let ahc = find(&all, "ahc").unwrap();
    // housing problems (option 2 of item 1) and food worry (sometimes true) are positive
    let answers = parse_answer_list(ahc, "2,8,2,3,2,3,1,1,1,1").unwrap();
    store.add_screening(c, ahc, &answers, today(), "", fixed_now()).unwrap();
    let needs = store.current_needs(c).unwrap();
    let domains: Vec<&str> = needs.iter().map(|n| n.life_domain.as_str()).collect();
    assert!(domains.contains(&"housing"), "{needs:?}");
    assert!(domains.contains(&"food"), "{needs:?}");
    assert!(needs.iter().all(|n| n.source.starts_with("SC-")));
}

fn person(name: &str, relation: &str, sex: &str, year: &str) -> caseload::domain::people::PersonDraft {
    validate_person(
        &PersonInput {
            name: name.into(),
            relation: relation.into(),
            sex: sex.into(),
            birth_year: year.into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap()
}

#[test]
fn relatives_link_themselves_into_the_family_tree() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    let mum = store
        .add_person(c, &person("Rosa", "mother", "female", "1961"), &Links::default(), fixed_now())
        .unwrap();
    let dad = store
        .add_person(c, &person("Tom", "father", "male", "1958"), &Links::default(), fixed_now())
        .unwrap();
    let sis = store
        .add_person(c, &person("Lena", "sibling", "female", "1990"), &Links::default(), fixed_now())
        .unwrap();
    let ex = store
        .add_person(c, &person("Max", "former partner", "male", "1985"), &Links::default(), fixed_now())
        .unwrap();
    let kid = store
        .add_person(
            c,
            &person("Mia", "child", "female", "2015"),
            &Links { father: Some(ex), ..Default::default() },
            fixed_now(),
        )
        .unwrap();
    let people = store.people(c).unwrap();
    let me = people.iter().find(|p| p.is_self).unwrap();
    assert_eq!((me.mother_id, me.father_id), (Some(mum), Some(dad)));
    let lena = people.iter().find(|p| p.id == sis).unwrap();
    assert_eq!((lena.mother_id, lena.father_id), (Some(mum), Some(dad)), "siblings share the parents");
    let mia = people.iter().find(|p| p.id == kid).unwrap();
    assert_eq!(mia.father_id, Some(ex));
    let partners = store.partnerships(c).unwrap();
    assert_eq!(partners.len(), 1);
    assert!(!partners[0].current);
    // nobody becomes their own grandparent, and the refusal changes nothing
    let refused = store.update_person(
        mum,
        &person("Rosa", "mother", "female", "1961"),
        &Links { mother: Some(sis), ..Default::default() },
        None,
        fixed_now(),
    );
    assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
    assert_eq!(store.person(mum).unwrap().mother_id, None);
    // removing someone clears the links to them
    store.remove_person(ex, fixed_now()).unwrap();
    assert_eq!(store.person(kid).unwrap().father_id, None);
    assert!(store.partnerships(c).unwrap().is_empty());
    assert!(store.remove_person(me.id, fixed_now()).is_err(), "the client's own row stays");
}

fn nasty_cases() -> Vec<(String, String)> {
    let fixtures: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/nasty-input.json")).expect("fixture parses");
    fixtures
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            let mut text = case["text"].as_str().unwrap_or("").to_string();
            if let Some(n) = case.get("repeat").and_then(|r| r.as_u64()) {
                text = text.repeat(n as usize);
            }
            (case["label"].as_str().unwrap_or("").to_string(), text)
        })
        .collect()
}

fn no_controls(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() && c != '\n')
}

#[test]
fn nasty_input_in_every_assessment_field_is_stored_clean_or_refused() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    for (label, text) in nasty_cases() {
        let before = store.assessments(c).unwrap().len();
        for field in
            ["assessed_on", "needs", "strengths", "living_situation", "risk_self_plan", "rating_housing"]
        {
            let mut input = AssessmentInput { assessed_on: "2026-11-20".into(), ..Default::default() };
            match field {
                "assessed_on" => input.assessed_on = text.clone(),
                "needs" => input.needs = format!("housing: {text}"),
                "risk_self_plan" => input.risks = vec![(RiskArea::ToSelf, "high".into(), text.clone())],
                "rating_housing" => input.ratings = vec![("housing".into(), text.clone())],
                f => input.sections = vec![(f.into(), text.clone())],
            }
            match validate_assessment(&input, today()) {
                Ok(a) => {
                    let id = store.add_assessment(c, &a, None, fixed_now()).unwrap();
                    let back = store.assessment(id).unwrap().assessment;
                    assert_eq!(back, a, "{label} in {field}: stored exactly as validated");
                    for s in back.sections.iter().chain(back.needs.iter().map(|n| &n.text)) {
                        assert!(no_controls(s), "{label} in {field}: control character stored");
                    }
                    assert!(back.risks.iter().all(|r| no_controls(&r.plan)));
                }
                Err(errors) => {
                    assert!(errors.iter().all(|e| !e.message.is_empty()), "{label} in {field}");
                    assert!(
                        errors.iter().any(|e| e.field == field
                            || field == "needs" && e.field == "needs"
                            || field == "risk_self_plan" && e.field == "risk_self_plan"),
                        "{label} in {field}: {errors:?}"
                    );
                }
            }
        }
        assert!(store.assessments(c).unwrap().len() >= before);
    }
}

#[test]
fn nasty_input_in_people_and_screener_answers() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    let all = builtin().unwrap();
    let phq9 = find(&all, "phq9").unwrap();
    for (label, text) in nasty_cases() {
        for field in ["name", "birth_year", "notes", "email"] {
            let mut input = PersonInput { name: "Rosa".into(), ..Default::default() };
            match field {
                "name" => input.name = text.clone(),
                "birth_year" => input.birth_year = text.clone(),
                "notes" => input.notes = text.clone(),
                _ => input.email = text.clone(),
            }
            let before = store.people(c).unwrap().len();
            match validate_person(&input, today()) {
                Ok(p) => {
                    let id = store.add_person(c, &p, &Links::default(), fixed_now()).unwrap();
                    let back = store.person(id).unwrap();
                    assert!(no_controls(&back.name) && no_controls(&back.notes), "{label} in {field}");
                    assert!(!back.name.is_empty(), "{label}: an empty name is never stored");
                }
                Err(errors) => {
                    assert!(errors.iter().any(|e| e.field == field), "{label} in {field}: {errors:?}");
                    assert_eq!(store.people(c).unwrap().len(), before, "{label}: nothing half-saved");
                }
            }
        }
        // the answer list of a screener: refused with a message, never a panic or a partial save
        let before = store.screenings(c).unwrap().len();
        match parse_answer_list(phq9, &text) {
            Ok(answers) => {
                store.add_screening(c, phq9, &answers, today(), &text, fixed_now()).unwrap();
            }
            Err(e) => {
                assert!(!e.to_string().is_empty(), "{label}");
                assert_eq!(store.screenings(c).unwrap().len(), before);
            }
        }
    }
}

#[test]
fn rescreening_is_due_from_the_latest_result_not_entered_in_error() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    let all = builtin().unwrap();
    let phq9 = find(&all, "phq9").unwrap();
    let answers = parse_answer_list(phq9, "1,1,1,1,1,1,1,1,0").unwrap();
    let due = |store: &Store| -> Vec<String> {
        let settings = store.settings().unwrap();
        crate::common::due_checked(
            store,
            &caseload::store::due::DueContext {
                now: fixed_now(),
                today: today(),
                settings: &settings,
                since: None,
            },
        )
        .into_iter()
        .filter(|i| i.rule == "rescreen")
        .map(|i| i.title)
        .collect()
    };
    store
        .add_screening(c, phq9, &answers, NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), "", fixed_now())
        .unwrap();
    assert_eq!(due(&store).len(), 1, "90 days after 2026-06-01 is past");
    assert!(due(&store)[0].contains("PHQ-9 due again"));
    let (recent, _) = store
        .add_screening(c, phq9, &answers, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), "", fixed_now())
        .unwrap();
    assert!(due(&store).is_empty(), "given again: not due");
    store.mark_screening_in_error(recent, "wrong client", fixed_now()).unwrap();
    assert_eq!(due(&store).len(), 1, "the one in error does not count");
    // a GAD-7 given the same day is due the same day: one line for both
    let gad7 = find(&all, "gad7").unwrap();
    let g = parse_answer_list(gad7, "1,1,1,1,1,1,1").unwrap();
    store.add_screening(c, gad7, &g, NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), "", fixed_now()).unwrap();
    assert_eq!(
        due(&store),
        vec!["PHQ-9 and GAD-7 due again 85 days overdue (last given 2026-06-01)".to_string()]
    );
    // a second client given a GAD-7 earlier comes first, also when Today loads one page
    let other = with_client(&mut store);
    store
        .add_screening(other, gad7, &g, NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(), "", fixed_now())
        .unwrap();
    let settings = store.settings().unwrap();
    let ctx = caseload::store::due::DueContext {
        now: fixed_now(),
        today: today(),
        settings: &settings,
        since: None,
    };
    let (page, _) = store.due_items_limited(&ctx, Some(1)).unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].client_id, Some(other), "{:?}", page[0].title);
}

/// Issue 17 point 7: the relation types practice needs — married vs living together, separated
/// vs divorced, adoptive and foster parents and children, twins — link the family tree, and the
/// genogram draws each its own way, with emotional ties to the client where recorded.
#[test]
fn married_separated_divorced_adoptive_foster_twins_and_emotional_ties_on_the_genogram() {
    use caseload::domain::genogram::PartnerStatus;
    use caseload::ui::widgets::family::genogram_layout;
    use caseload::ui::widgets::genogram::Genogram;
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    let add = |store: &mut Store, name: &str, relation: &str, sex: &str, tie: &str| {
        let mut p = person(name, relation, sex, "1980");
        p.emotional_tie = (!tie.is_empty()).then(|| tie.to_string());
        store.add_person(c, &p, &Links::default(), fixed_now()).unwrap()
    };
    let wife = add(&mut store, "Ines", "spouse (married)", "female", "close");
    let ex = add(&mut store, "Marco", "divorced partner", "male", "conflict");
    let foster = add(&mut store, "Greta", "foster parent", "female", "");
    let adopted = add(&mut store, "Kim", "adopted child", "unknown", "");
    let twin = add(&mut store, "Ada", "twin", "female", "");
    let me = store.people(c).unwrap().into_iter().find(|p| p.is_self).unwrap();
    // the client's adoptive father, separated from Greta; the twin's partner, living together
    let mut hugo = person("Hugo", "adoptive parent", "male", "1950");
    hugo.emotional_tie = Some("cut-off".into());
    let hugo = store
        .add_person(
            c,
            &hugo,
            &Links { partner: Some((foster, PartnerStatus::Separated)), ..Default::default() },
            fixed_now(),
        )
        .unwrap();
    store
        .update_person(
            me.id,
            &person(&me.name, "client", "unknown", ""),
            &Links { mother: Some(foster), father: Some(hugo), partner: None },
            None,
            fixed_now(),
        )
        .unwrap();
    let live = store
        .add_person(
            c,
            &person("Jon", "other relative", "male", "1981"),
            &Links { partner: Some((twin, PartnerStatus::Cohabiting)), ..Default::default() },
            fixed_now(),
        )
        .unwrap();
    let status = |store: &Store, id: i64| {
        store.partnerships(c).unwrap().into_iter().find(|p| p.a == id || p.b == id).map(|p| p.status)
    };
    assert_eq!(status(&store, wife), Some(PartnerStatus::Married));
    assert_eq!(status(&store, ex), Some(PartnerStatus::Divorced));
    assert_eq!(status(&store, hugo), Some(PartnerStatus::Separated));
    assert_eq!(status(&store, live), Some(PartnerStatus::Cohabiting));
    assert!(!store.partnerships(c).unwrap().iter().find(|p| p.a == ex || p.b == ex).unwrap().current);
    assert_eq!(store.people(c).unwrap()[0].mother_id, Some(foster), "a foster parent links as a parent");
    let kim = store.person(adopted).unwrap();
    assert_eq!(kim.mother_id.or(kim.father_id), Some(me.id), "an adopted child links to the client");
    assert_eq!(store.person(twin).unwrap().mother_id, Some(foster), "a twin shares the client's parents");
    assert_eq!(store.person(wife).unwrap().emotional_tie.as_deref(), Some("close"));

    let people = store.people(c).unwrap();
    let layout = genogram_layout(&people, &store.partnerships(c).unwrap());
    let s = crate::graphs::draw(160, 30, |f| f.render_widget(Genogram::new(&layout).year(2026), f.area()));
    for expected in [
        "married",
        "living together",
        "separated (not divorced)",
        "divorced",
        // the wife and the former husband sit beside the client: their ties are lines
        "══ close (tie to the client)",
        "╱╲ conflict (tie to the client)",
        "═══",
        "╱╲╱",
        // the adoptive father's line to the client is dashed
        "╎╌ adoptive parent and child",
        "┤├ cut off (tie to the client)",
        "┤├ adoptive",
        "adopted",
        "foster",
        "twin",
        "─/─",
        "╌",
    ] {
        assert!(s.contains(expected), "{expected}: {s}");
    }
}
