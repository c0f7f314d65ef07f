//! Assessment-phase screens rendered into TestBackend from key scripts, at 80x24 and wide.

use crate::common;

use crate::common::*;
use caseload::domain::assessment::{validate_assessment, AssessmentInput, RiskArea, Section};
use caseload::domain::client::{validate_intake, IntakeInput};
use caseload::domain::instruments::{builtin, find, parse_answer_list};
use caseload::domain::people::{validate_person, PersonInput};
use caseload::store::people::Links;
use crossterm::event::KeyCode;

/// One client with two assessments, screener results over time and a family.
fn seed(path: &std::path::Path) {
    let mut store = open(path);
    let today = fixed_now().date_naive();
    let input = IntakeInput {
        given_name: "Zoë".into(),
        family_name: "Bélanger".into(),
        date_of_birth: "1990-05-01".into(),
        intake_date: "2026-01-10".into(),
        ..Default::default()
    };
    let c = store.add_client(&validate_intake(&input, today).unwrap(), fixed_now()).unwrap();
    let first = validate_assessment(
        &AssessmentInput {
            assessed_on: "2026-01-12".into(),
            needs: "housing: a flat near her mother\nfood: runs out before payday".into(),
            sections: vec![
                ("strengths".into(), "Close to her sister.".into()),
                ("living_situation".into(), "Hostel room since the eviction.".into()),
            ],
            risks: vec![(RiskArea::ToSelf, "medium".into(), "Crisis card given; sister on call.".into())],
            ratings: vec![
                ("housing".into(), "1".into()),
                ("food".into(), "2".into()),
                ("income".into(), "2".into()),
            ],
        },
        today,
    )
    .unwrap();
    let a1 = store.add_assessment(c, &first, None, fixed_now()).unwrap();
    let mut second = first.clone();
    second.assessed_on = d("2026-07-15");
    second.needs.remove(1);
    second.sections[9] = "Council flat since June; stable.".into();
    second.risks[0].level = Some(caseload::domain::assessment::RiskLevel::Low);
    second.ratings = vec![("housing".into(), 3), ("food".into(), 3), ("income".into(), 2)];
    store.add_assessment(c, &second, Some(a1), fixed_now()).unwrap();
    let all = builtin().unwrap();
    let phq9 = find(&all, "phq9").unwrap();
    for (on, list) in [
        ("2026-01-12", "3,2,2,2,2,2,2,2,0"),
        ("2026-04-10", "2,2,1,2,1,2,1,2,0"),
        ("2026-07-15", "1,1,1,1,1,1,1,1,0"),
        ("2026-10-20", "1,0,1,1,0,1,1,0,1"),
    ] {
        store
            .add_screening(c, phq9, &parse_answer_list(phq9, list).unwrap(), d(on), "", fixed_now())
            .unwrap();
    }
    let person = |name: &str, rel: &str, sex: &str, year: &str, deceased: &str, home: &str| {
        validate_person(
            &PersonInput {
                name: name.into(),
                relation: rel.into(),
                sex: sex.into(),
                birth_year: year.into(),
                deceased: deceased.into(),
                in_household: home.into(),
                ..Default::default()
            },
            today,
        )
        .unwrap()
    };
    let mum = store
        .add_person(
            c,
            &person("Rosa", "mother", "female", "1962", "no", "no"),
            &Links::default(),
            fixed_now(),
        )
        .unwrap();
    store
        .add_person(c, &person("Tom", "father", "male", "1958", "yes", "no"), &Links::default(), fixed_now())
        .unwrap();
    let gran = store
        .add_person(
            c,
            &person("Lucía", "grandparent", "female", "1935", "yes", "no"),
            &Links::default(),
            fixed_now(),
        )
        .unwrap();
    store
        .update_person(
            mum,
            &person("Rosa", "mother", "female", "1962", "no", "no"),
            &Links { mother: Some(gran), ..Default::default() },
            None,
            fixed_now(),
        )
        .unwrap();
    store
        .add_person(
            c,
            &person("Lena", "sibling", "female", "1993", "no", "no"),
            &Links::default(),
            fixed_now(),
        )
        .unwrap();
    store
        .add_person(
            c,
            &person("Max", "former partner", "male", "1987", "no", "no"),
            &Links::default(),
            fixed_now(),
        )
        .unwrap();
    store
        .add_person(c, &person("Mia", "child", "female", "2015", "no", "yes"), &Links::default(), fixed_now())
        .unwrap();
}

fn file(path: &std::path::Path) -> caseload::app::App {
    let mut app = clients(path);
    key(&mut app, KeyCode::Enter);
    app
}

#[test]
fn client_file_shows_the_case_record_and_the_flag() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("RISK MEDIUM"), "the flag shows in the header: {s}");
    assert!(s.contains("SAFETY ALERT"), "item 9 above 0 raised an alert: {s}");
    insta::assert_snapshot!("assess_client_file", s);
}

#[test]
fn assessments_list_with_the_rating_grid() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    key(&mut app, KeyCode::Char('a'));
    insta::assert_snapshot!("assessments_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("assessments_140x40", screen(&mut app, 140, 40));
}

#[test]
fn an_assessment_shows_what_changed_and_what_is_empty() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 100, 40);
    assert!(s.contains("Changes since 2026-01-12"), "{s}");
    assert!(s.contains("Risk to self: medium → low (lower)"), "{s}");
    assert!(s.contains("Rating: housing: 1 critical → 3 not ideal (better)"), "{s}");
    assert!(s.contains("Still empty:"), "{s}");
    insta::assert_snapshot!("assessment_view", s);
}

#[test]
fn reassessment_starts_from_the_latest_and_refuses_a_high_risk_without_a_plan() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Char('r'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Reassessment of C-0001 (from A-2)"), "{s}");
    // the needs of the last assessment are there to edit
    key(&mut app, KeyCode::Tab);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("housing: a flat near her mother"), "{s}");
    // risk to self: high, with the plan emptied
    ctrl(&mut app, 'n');
    ctrl(&mut app, 'n');
    for _ in 0..2 {
        key(&mut app, KeyCode::Right);
    }
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::End);
    for _ in 0..60 {
        key(&mut app, KeyCode::Backspace);
    }
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("needs a safety plan"), "{s}");
    assert!(s.contains("Nothing was saved"), "{s}");
    insta::assert_snapshot!("assessment_form_error", s);
    assert_eq!(open(&path).assessments(1).unwrap().len(), 2, "nothing saved");
    type_text(&mut app, "Daily check-ins agreed.");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Saved assessment A-3"), "{s}");
    assert_eq!(open(&path).client(1).unwrap().risk_level.as_deref(), Some("high"));
}

#[test]
fn an_assessment_typed_halfway_comes_back_after_a_crash() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Tab); // strengths
    key(&mut app, KeyCode::Tab); // the needs list
    type_text(&mut app, "legal: court letter about the tenancy");
    app.save_draft_now();
    drop(app); // the terminal closes
    let drafts = open(&path).drafts().unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].kind, "assessment-new");
    let mut app = common::app(&path);
    assert!(screen(&mut app, 80, 24).contains("Assessment of C-0001"));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("legal: court letter about the tenancy"), "{s}");
    assert!(s.contains("Restored"), "{s}");
}

#[test]
fn screeners_list_and_trend() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    key(&mut app, KeyCode::Char('s'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("PHQ-9 17 → 6, Moderately severe → mild"), "{s}");
    assert!(s.contains("ALERT OPEN"), "{s}");
    insta::assert_snapshot!("screeners_80x24", s);
    insta::assert_snapshot!("screeners_140x40", screen(&mut app, 140, 40));
}

#[test]
fn giving_a_gad7_by_number_keys_with_a_declined_item() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Char('2'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("GAD-7 — 1 of 8"), "{s}");
    insta::assert_snapshot!("administer_item", s);
    // letters do nothing here: a stray key must not leave the screener
    type_text(&mut app, "cq");
    type_text(&mut app, "12-3100");
    key(&mut app, KeyCode::Char('1'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("incomplete"), "{s}");
    assert!(s.contains("never counted as 0"), "{s}");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Saved GAD-7 SC-5"), "{s}");
    let saved = open(&path).screening(5).unwrap();
    assert_eq!(saved.total, None);
    assert!(!saved.complete);
}

#[test]
fn safety_screen_lowers_a_flag_with_a_reason() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    key(&mut app, KeyCode::Char('!'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("FLAG MEDIUM"), "{s}");
    insta::assert_snapshot!("safety_80x24", s);
    // the open alert is first: go to the flag
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('l'));
    // no name yet: it is asked for first (see the test below)
    keys(&mut app, "Sam Worker<c-s>");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Reason is required"), "{s}");
    // the error put the cursor in the reason
    type_text(&mut app, "Six months stable; GP agrees.");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("lowered"), "{s}");
    assert_eq!(open(&path).client(1).unwrap().risk_level, None);
}

/// Every change on a flag says who made it: with no name in Settings, reviewing or lowering a
/// flag asks for it first; put off, the save asks again and records nothing (issue 17 point 13).
#[test]
fn reviewing_a_flag_without_a_name_asks_for_it_first() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    keys(&mut app, "!<down>r");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("The name you sign with"), "the name first: {s}");
    // not now: the review form, but its save asks again and writes nothing
    keys(&mut app, "<esc>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Review flag"), "{s}");
    keys(&mut app, "<tab>Seen today; plan holding.<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("The name you sign with"), "asked again: {s}");
    let flag = open(&path).risk_flags(1).unwrap().remove(0);
    assert!(flag.history.iter().all(|e| e.action != "reviewed"), "nothing recorded: {:?}", flag.history);
    // the name given, the same Ctrl-S records the review with it
    keys(&mut app, "Sam Worker<c-s><c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Review of flag") && s.contains("recorded"), "{s}");
    let flag = open(&path).risk_flags(1).unwrap().remove(0);
    let review = flag.history.iter().find(|e| e.action == "reviewed").expect("a review");
    assert_eq!(review.by, "Sam Worker");
    assert_eq!(review.reason, "Seen today; plan holding.");
}

#[test]
fn people_list_and_a_person_form() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    key(&mut app, KeyCode::Char('p'));
    let s = screen(&mut app, 100, 24);
    assert!(s.contains("child of Rosa & Tom"), "{s}");
    insta::assert_snapshot!("people_100x24", s);
    key(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "\u{1b}[31mAnil 🙂");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Added"), "{s}");
    let people = open(&path).people(1).unwrap();
    assert!(people.iter().any(|p| p.name == "[31mAnil 🙂"), "escape stripped, emoji kept");
}

#[test]
fn the_genogram_is_drawn_from_the_recorded_links() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    key(&mut app, KeyCode::Char('p'));
    key(&mut app, KeyCode::Char('g'));
    let s = screen(&mut app, 80, 24);
    for expected in ["Lucía", "Rosa", "Tom", "Lena", "Mia", "─//─", "◆", "household"] {
        assert!(s.contains(expected), "{expected}: {s}");
    }
    insta::assert_snapshot!("genogram_80x24", s);
    insta::assert_snapshot!("genogram_140x40", screen(&mut app, 140, 40));
    key(&mut app, KeyCode::Char('g'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Family links"), "g goes back to the list: {s}");
}

/// Issue 17 point 11: strengths come before the presenting needs, on the form and the screen.
#[test]
fn strengths_come_before_the_presenting_needs() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 100, 40);
    let strengths = s.find("│Strengths and resources").expect("strengths shown");
    let needs = s.find("│Presenting needs").expect("needs shown");
    assert!(strengths < needs, "strengths first on the screen: {s}");
    key(&mut app, KeyCode::Char('e'));
    let s = screen(&mut app, 80, 40);
    let strengths = s.find("Strengths and resources").expect("strengths on the form");
    let needs = s.find("Presenting needs (domain: need)").expect("needs on the form");
    assert!(strengths < needs, "strengths first on the form: {s}");
    // the first field after the date is the strengths
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::End);
    type_text(&mut app, " Walks her dog daily.");
    ctrl(&mut app, 's');
    let a = open(&path).assessment(2).unwrap();
    assert_eq!(a.assessment.section(Section::Strengths), "Close to her sister. Walks her dog daily.");
}

const DEVELOPED: &str = "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke";
const COPYRIGHT: &str = "Copyright © Pfizer Inc. All rights reserved.";

/// The screen as one text with line breaks and borders taken out, so a wrapped line reads whole.
fn flat(s: &str) -> String {
    let lines: Vec<String> =
        s.lines().map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()).to_string()).collect();
    lines.join(" ")
}

/// Issue 17 point 9: PHQ-9 and GAD-7 results show both attribution lines on screen.
#[test]
fn phq9_and_gad7_results_show_both_attribution_lines() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    key(&mut app, KeyCode::Char('s'));
    let s = flat(&screen(&mut app, 140, 40));
    assert!(s.contains(DEVELOPED) && s.contains(COPYRIGHT), "the list of results: {s}");
    key(&mut app, KeyCode::Enter);
    let s = flat(&screen(&mut app, 140, 50));
    assert!(s.contains("PHQ-9") || s.contains("GAD-7"), "{s}");
    assert!(s.contains(DEVELOPED) && s.contains(COPYRIGHT), "one result: {s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Char('2'));
    let s = flat(&screen(&mut app, 140, 40));
    assert!(s.contains("GAD-7 — 1 of 8"), "{s}");
    assert!(s.contains(DEVELOPED) && s.contains(COPYRIGHT), "the form: {s}");
}

/// Issue 17 point 6: a "father" recorded as female is questioned before it is saved; a second
/// Ctrl-S saves it as it is. Choosing a man as someone's mother is questioned too.
#[test]
fn a_father_recorded_as_female_is_questioned_before_saving() {
    let (_d, path) = temp_db();
    seed(&path);
    let before = open(&path).people(1).unwrap().len();
    let mut app = file(&path);
    key(&mut app, KeyCode::Char('p'));
    key(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "Sam");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "<right><right>"); // relation: father
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "<right>"); // sex: female
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("‹ father ›") && s.contains("‹ female ›"), "{s}");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("Sam is recorded as the client's father but as female"), "{s}");
    assert_eq!(open(&path).people(1).unwrap().len(), before, "nothing saved yet");
    ctrl(&mut app, 's');
    assert_eq!(open(&path).people(1).unwrap().len(), before + 1, "the second Ctrl-S saves");

    // a man chosen as a child's mother
    let store = open(&path);
    let max = store.people(1).unwrap().into_iter().find(|p| p.name == "Max").expect("Max").reference;
    drop(store);
    key(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "Noor");
    keys(&mut app, "<c-g>mother<enter>");
    for _ in 0..12 {
        let s = screen(&mut app, 100, 30);
        if s.contains("Max (former partner)") && s.contains("▶ Mother") {
            break;
        }
        keys(&mut app, "<right>");
    }
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("Max (former partner)"), "{max}: {s}");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("Max, chosen as the mother, is recorded as male"), "{s}");
}

/// Issue 17 point 9: the client file shows the PHQ-9/GAD-7 attribution lines at the very end
/// of its body, dim, where scrolling reaches them; the first screen at 80x24 and 140x40 is what
/// it was before (the snapshots were taken before the change and did not move).
#[test]
fn the_client_file_ends_with_the_screeners_attribution() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = file(&path);
    let first = screen(&mut app, 80, 24);
    assert!(first.contains("s Screeners") && first.contains("PHQ-9 6 Mild"), "{first}");
    assert!(first.contains("x Close the case") && first.contains("E Export"), "{first}");
    insta::assert_snapshot!("client_file_attribution_80x24", first);
    let wide = screen(&mut app, 140, 40);
    assert!(wide.contains("x Close the case") && wide.contains("E Export"), "{wide}");
    insta::assert_snapshot!("client_file_attribution_140x40", wide);
    // j scrolls to the end: the lines are there, verbatim, after the history
    let mut s = flat(&screen(&mut app, 140, 40));
    for _ in 0..200 {
        if s.contains(COPYRIGHT) {
            break;
        }
        key(&mut app, KeyCode::Char('j'));
        s = flat(&screen(&mut app, 140, 40));
    }
    let lines = caseload::domain::instruments::attribution_for(["phq9"]);
    assert_eq!(lines.len(), 2, "{lines:?}");
    for l in &lines {
        assert!(s.contains(l), "{l}: {s}");
    }
    let at = s.find(DEVELOPED).expect("attribution shown");
    assert!(s.find("History (newest first)").is_some_and(|h| h < at), "after the history: {s}");
}
