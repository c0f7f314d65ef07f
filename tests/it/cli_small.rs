//! Small things a new user tripped over on the command line (issue 15): values that start
//! with `-`, the demo on a database that has one, count words, names cut only on a terminal.

use crate::common::{self, caseload, json, one_client, stderr, stdout};

#[test]
fn a_deadline_of_minus_two_days_is_a_day_not_a_flag() {
    let (_d, db) = one_client();
    let o = caseload(
        &db,
        &[
            "advocacy",
            "add",
            "C-0001",
            "--barrier",
            "Benefit stopped",
            "--target",
            "Benefits office",
            "--deadline",
            "-2d",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let want = (chrono::Utc::now().date_naive() - chrono::Days::new(2)).format("%Y-%m-%d").to_string();
    assert_eq!(json(&o)["deadline"], want.as_str(), "{}", stdout(&o));
}

#[test]
fn goal_progress_takes_a_negative_number() {
    let (_d, db) = one_client();
    let o = caseload(
        &db,
        &[
            "goal",
            "add",
            "C-0001",
            "--statement",
            "Bring the overdraft back",
            "--measure",
            "balance in pounds",
            "--baseline",
            "-40",
            "--target",
            "0",
            "--target-date",
            "+3m",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let goal = stdout(&o).split_whitespace().next().unwrap().to_string();
    let o = caseload(&db, &["goal", "progress", &goal, "-5", "--on", "-1d", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = caseload(&db, &["goal", "show", &goal, "--json"]);
    let shown = stdout(&o);
    assert!(shown.contains("-5"), "{shown}");
    assert!(shown.contains("-40"), "the baseline was taken as a number: {shown}");
}

#[test]
fn other_date_flags_take_relative_days_back() {
    let (_d, db) = one_client();
    for args in [
        vec!["note", "C-0001", "Phoned about the letter", "--at", "-1d 10:00", "--follow-up", "-1d"],
        vec!["search", "letter", "--from", "-7d", "--to", "-0d"],
        vec!["consent", "add", "C-0001", "--to", "Housing office", "--signed", "-3d", "--expires", "+1m"],
    ] {
        let o = caseload(&db, &args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn demo_on_a_demo_database_says_so_and_adds_only_when_asked() {
    let (_d, db) = common::temp_db();
    assert!(caseload(&db, &["demo", "--clients", "3"]).status.success());
    let before = common::open(&db).count_clients().unwrap();
    let o = caseload(&db, &["demo", "--clients", "3"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let said = stderr(&o);
    assert!(said.contains("already holds 3 synthetic clients") && said.contains("--add"), "{said}");
    assert!(stdout(&o).is_empty());
    assert_eq!(common::open(&db).count_clients().unwrap(), before, "nothing was added");
    let o = caseload(&db, &["demo", "--clients", "3", "--add"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(common::open(&db).count_clients().unwrap(), before + 3);
}

#[test]
fn count_words_agree_with_their_numbers() {
    let (_d, db) = common::temp_db();
    let o = caseload(&db, &["demo", "--clients", "1", "--notes-per-client", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(said.starts_with("Created 1 synthetic client ("), "{said}");
    assert!(!said.contains(" 1 notes") && !said.contains(" 1 goals"), "{said}");
    // the time report's one note
    let (_d2, db2) = one_client();
    let o = caseload(&db2, &["note", "C-0001", "Phoned about the letter", "--minutes", "15"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = caseload(&db2, &["time"]);
    let said = stdout(&o);
    assert!(said.contains(" 1 note ") && !said.contains("1 notes"), "{said}");
}

#[test]
fn piped_output_keeps_long_names_whole() {
    let (_d, db) = common::temp_db();
    let given = "Bartholomew Alexander";
    let family = "Featherstonehaugh-Cholmondeley-Wrights";
    let name = format!("{given} {family}");
    assert_eq!(name.chars().count(), 60);
    let o = caseload(&db, &["client", "add", "--given", given, "--family", family, "--preferred", ""]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = caseload(&db, &["note", "C-0001", "Phoned about the letter", "--minutes", "15"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let service = "Community Legal Advice and Tenancy Sustainment Service North";
    assert_eq!(service.chars().count(), 60);
    let o = caseload(&db, &["directory", "add", "--organisation", "Example Law Centre", "--name", service]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (args, whole) in [
        (vec!["client", "list"], family),
        (vec!["time"], family),
        (vec!["search", "letter"], family),
        (vec!["directory", "list"], service),
    ] {
        let o = caseload(&db, &args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains(whole) && !out.contains('…'), "{args:?} cut a name in a pipe:\n{out}");
    }
}
