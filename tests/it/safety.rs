//! Safety information is never cut off: the header's flags, the list's Flags column, and the
//! safety screen's plans.

use crate::common::*;
use caseload::domain::assessment::{validate_assessment, AssessmentInput, RiskArea};
use caseload::domain::client::{validate_intake, IntakeInput};
use caseload::domain::instruments::{builtin, find, parse_answer_list};
use crossterm::event::KeyCode;

/// One client with every flag on: high risk, an open alert, no messages, an interpreter.
fn seed_flagged(path: &std::path::Path) {
    let mut store = open(path);
    let input = IntakeInput {
        given_name: "Maximiliana Concepción".into(),
        family_name: "Wolfeschlegel-Bergdorff".into(),
        date_of_birth: "1988-04-30".into(),
        safe_to_leave_message: "no".into(),
        interpreter_needed: "yes".into(),
        language: "Portuguese".into(),
        intake_date: "2026-01-10".into(),
        ..Default::default()
    };
    let c = store.add_client(&validate_intake(&input, today()).unwrap(), fixed_now()).unwrap();
    let a = validate_assessment(
        &AssessmentInput {
            assessed_on: "2026-01-12".into(),
            risks: vec![
                (RiskArea::ToSelf, "high".into(), "Crisis line card given; sister stays the weekend.".into()),
                (RiskArea::FromOthers, "medium".into(), "Refuge number saved under a friend's name.".into()),
            ],
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    store.add_assessment(c, &a, None, fixed_now()).unwrap();
    let all = builtin().unwrap();
    let phq9 = find(&all, "phq9").unwrap();
    let answers = parse_answer_list(phq9, "1,1,1,1,1,1,1,1,1").unwrap();
    store.add_screening(c, phq9, &answers, d("2026-02-01"), "", fixed_now()).unwrap();
}

const FLAGS: [&str; 4] = ["⚑ RISK HIGH", "⚑ SAFETY ALERT", "⚑ NO MESSAGES", "⚑ INTERPRETER"];

fn top_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

#[test]
fn every_flag_shows_whole_on_a_deep_screen_at_80_and_160_columns() {
    let (_d, path) = temp_db();
    seed_flagged(&path);
    let mut app = clients(&path);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('p'));
    for (w, h) in [(80, 24), (160, 48)] {
        let s = screen(&mut app, w, h);
        let top = top_line(&s);
        for f in FLAGS {
            assert!(top.contains(f), "{f} at {w} columns: {top}");
        }
        assert!(top.contains("Maximilia"), "the name gives way, it does not go: {top}");
        insta::assert_snapshot!(format!("flags_on_a_deep_screen_{w}x{h}"), s);
    }
}

#[test]
fn the_client_list_shows_every_flag_whole_and_cuts_the_name_instead() {
    let (_d, path) = temp_db();
    seed_flagged(&path);
    let mut app = clients(&path);
    for (w, h) in [(80, 24), (160, 48)] {
        let s = screen(&mut app, w, h);
        let row = s.lines().find(|l| l.contains("C-0001")).unwrap_or_default();
        assert!(row.contains("RISK-HIGH ALERT no-msg interp"), "at {w} columns: {row}");
        insta::assert_snapshot!(format!("flags_in_the_client_list_{w}x{h}"), s);
    }
}

#[test]
fn the_safety_screen_shows_the_plan_in_force_next_to_each_flag() {
    let (_d, path) = temp_db();
    seed_flagged(&path);
    let mut app = clients(&path);
    keys(&mut app, "<enter>!");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("safety plan (A-1, 2026-01-12):"), "{s}");
    assert!(s.contains("Crisis line card given; sister stays the weekend."), "{s}");
    assert!(s.contains("Refuge number saved under a friend's name."), "{s}");
    insta::assert_snapshot!("safety_plans_80x24", s);
    // a reassessment's plan is the one in force; an area it leaves without a plan keeps the last
    {
        let mut store = open(&path);
        let mut next = store.assessment(1).unwrap().assessment;
        next.assessed_on = d("2026-06-01");
        next.risks[0].plan = "Weekly check-in call; GP knows the plan.".into();
        next.risks[1].plan.clear();
        next.risks[1].level = None;
        store.add_assessment(1, &next, Some(1), fixed_now()).unwrap();
    }
    let mut app = clients(&path);
    keys(&mut app, "<enter>!");
    let s = screen(&mut app, 160, 48);
    assert!(s.contains("safety plan (A-2, 2026-06-01):"), "{s}");
    assert!(s.contains("Weekly check-in call; GP knows the plan."), "{s}");
    assert!(!s.contains("Crisis line card"), "the older plan is not the one in force: {s}");
    assert!(s.contains("safety plan (A-1, 2026-01-12):"), "{s}");
    insta::assert_snapshot!("safety_plans_160x48", s);
}

/// Issue 19 point 6: `caseload due --json` gives each item its section, in the order Safety,
/// diary, due now, backlog; `caseload due` prints the same sections with their counts.
#[test]
fn due_gives_each_item_its_section_in_order() {
    let (_d, path) = temp_db();
    seed_flagged(&path);
    caseload(&path, &["client", "add", "--given", "Bo", "--family", "Sample"]);
    let now = chrono::Local::now().date_naive();
    let yesterday = (now - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let soon = (now + chrono::Duration::days(2)).format("%Y-%m-%d").to_string();
    let o = caseload(
        &path,
        &[
            "note",
            "C-0002",
            "Called about rent.",
            "--at",
            &format!("{yesterday} 10:00"),
            "--follow-up",
            &soon,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let due: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&caseload(&path, &["due", "--json"]))).unwrap();
    let sections: Vec<&str> = due.iter().map(|i| i["section"].as_str().unwrap_or("none")).collect();
    let order = |s: &str| ["safety", "diary", "due", "backlog"].iter().position(|x| *x == s).unwrap_or(9);
    assert!(sections.windows(2).all(|w| order(w[0]) <= order(w[1])), "{sections:?}");
    let of = |rule: &str| due.iter().find(|i| i["rule"] == rule).map(|i| i["section"].clone());
    assert_eq!(of("safety-flag"), Some("safety".into()), "{due:?}");
    assert_eq!(of("safety-alert"), Some("safety".into()));
    assert_eq!(of("follow-up"), Some("due".into()));
    // the quiet case since January and the PHQ-9 of February are long overdue: backlog
    assert_eq!(of("rescreen"), Some("backlog".into()));
    assert!(due.iter().any(|i| i["rule"] == "no-contact" && i["section"] == "backlog"), "{due:?}");
    let text = stdout(&caseload(&path, &["due"]));
    let heads: Vec<&str> = text
        .lines()
        .filter(|l| {
            ["Safety (", "Today's diary (", "Due now (", "Backlog ("].iter().any(|h| l.starts_with(h))
        })
        .collect();
    let flags = due.iter().filter(|i| i["section"] == "safety").count();
    let backlog = due.iter().filter(|i| i["section"] == "backlog").count();
    assert_eq!(
        heads,
        vec![
            format!("Safety ({flags})"),
            "Today's diary (0)".to_string(),
            // the follow-up, and the note waiting to be signed
            "Due now (2)".to_string(),
            format!("Backlog ({backlog})")
        ],
        "{text}"
    );
}

/// Issue 19 point 6 on the screen: Today in sections with their counts, Safety first; the
/// backlog shows one line per client and kind until Enter opens it in place (and closes it).
#[test]
fn today_in_sections_with_the_backlog_collapsed_until_opened() {
    use caseload::domain::coordination::{validate_consent, ConsentInput};
    let (_d, path) = temp_db();
    seed_flagged(&path);
    {
        let mut store = open(&path);
        for to in ["Northside Housing", "Dr Anika Rao"] {
            let c = validate_consent(
                &ConsentInput {
                    to_name: to.into(),
                    covers: "housing".into(),
                    signed_on: "2025-01-02".into(),
                    expires_on: "2025-07-01".into(),
                    ..Default::default()
                },
                today(),
            )
            .unwrap();
            store.add_consent(1, &c, None, fixed_now()).unwrap();
        }
        let input = IntakeInput {
            given_name: "Bo".into(),
            family_name: "Sample".into(),
            // quiet for 4 days past the 30: due now
            intake_date: "2026-10-20".into(),
            ..Default::default()
        };
        store.add_client(&validate_intake(&input, today()).unwrap(), fixed_now()).unwrap();
    }
    let mut app = app(&path);
    let s = screen(&mut app, 80, 24);
    let at = |s: &str, what: &str| s.lines().position(|l| l.contains(what));
    let (safety, due, backlog) = (at(&s, "│Safety (3)"), at(&s, "│Due now ("), at(&s, "│Backlog ("));
    assert!(safety < due && due < backlog && safety.is_some(), "{s}");
    assert!(s.contains("▸ 2 consents to renew (oldest"), "{s}");
    assert!(!s.contains("Dr Anika Rao"), "collapsed: {s}");
    insta::assert_snapshot!("today_sections_80x24", s);
    // down to the group (the cursor steps over headings) and open it
    let rows = s.lines().skip(at(&s, "▶").unwrap()).take_while(|l| !l.contains('▸')).count();
    let heads = s
        .lines()
        .skip(at(&s, "▶").unwrap())
        .take(rows)
        .filter(|l| l.starts_with("│Backlog") || l.starts_with("│Due"))
        .count();
    for _ in 0..rows - heads {
        keys(&mut app, "j");
    }
    keys(&mut app, "<enter>");
    let s = screen(&mut app, 160, 48);
    assert!(s.contains("▾ 2 consents to renew (oldest 509 days overdue)"), "{s}");
    assert!(s.contains("Dr Anika Rao") && s.contains("Northside Housing"), "{s}");
    insta::assert_snapshot!("today_sections_group_open_160x48", s);
    keys(&mut app, "<enter>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("▸ 2 consents to renew") && !s.contains("Dr Anika Rao"), "closed again: {s}");
}
