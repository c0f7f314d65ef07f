//! The plan's commands keep the scripting contract: refs first, JSON arrays and objects, exit 2
//! with a plain message naming the flag for refusals and nothing changed, empty lists succeed.

use crate::common::{self, caseload, json, mode, stderr, stdout};

use std::path::Path;

fn goals(db: &Path) -> usize {
    common::open(db).goals(1, true).unwrap().len()
}

fn with_client() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, db) = common::temp_db();
    let o = caseload(&db, &["client", "add", "--given", "Ada", "--family", "Example"]);
    assert!(o.status.success(), "{}", stderr(&o));
    (d, db)
}

const HOUSING: &[&str] = &[
    "goal",
    "add",
    "C-0001",
    "--statement",
    "I want my own place",
    "--measure",
    "nights in stable housing per month",
    "--unit",
    "nights",
    "--baseline",
    "0",
    "--target",
    "30",
    "--target-date",
    "+120d",
    "--agreed-by",
    "client",
    "--why",
    "so the children can visit",
    "--step",
    "Call the housing office",
    "--step-owner",
    "client",
];

#[test]
fn goal_add_prints_the_ref_first_and_list_shows_status_and_progress() {
    let (_d, db) = with_client();
    let o = caseload(&db, HOUSING);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).split_whitespace().next(), Some("G-1"));
    assert!(stderr(&o).is_empty(), "no gaps to note: {}", stderr(&o));
    let o = caseload(&db, &["goal", "progress", "G-1", "12", "--note", "with her sister"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("G-1 progress 12 nights on "), "{}", stdout(&o));
    assert!(stdout(&o).contains("(40 %)"));

    let o = caseload(&db, &["goal", "list", "C-0001"]);
    assert!(
        stdout(&o).contains("G-1") && stdout(&o).contains("active") && stdout(&o).contains("40 %"),
        "{}",
        stdout(&o)
    );
    let v = json(&caseload(&db, &["goal", "list", "C-0001", "--json"]));
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["ref"], "G-1");
    assert_eq!(list[0]["status"], "active");
    assert_eq!(list[0]["progress_percent"], 40.0);
    assert_eq!(list[0]["steps"][0]["ref"], "ST-1");
    assert_eq!(list[0]["steps"][0]["owner"], "client");

    let o = caseload(
        &db,
        &[
            "goal",
            "add",
            "C-0001",
            "--statement",
            "Fewer missed appointments",
            "--measure",
            "missed appointments",
            "--baseline",
            "6",
            "--target",
            "0",
            "--target-date",
            "+60d",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["ref"], "G-2");
    assert_eq!(v["term"], "short");
    // gaps are noted, not refused
    assert!(stderr(&o).contains("note: No steps yet"), "{}", stderr(&o));
    let o = caseload(&db, &["goal", "progress", "G-2", "3", "--json"]);
    assert_eq!(json(&o)["progress_percent"], 50.0, "target below the baseline");
}

#[test]
fn refusals_exit_2_name_the_flag_and_save_nothing() {
    let (_d, db) = with_client();
    let base: Vec<&str> = HOUSING.to_vec();
    let with = |flag: &str, value: &str| -> Vec<String> {
        let mut v: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        match v.iter().position(|a| a == flag) {
            Some(i) => v[i + 1] = value.to_string(),
            None => {
                v.push(flag.to_string());
                v.push(value.to_string());
            }
        }
        v
    };
    for (args, flag, words) in [
        (with("--statement", "  "), "--statement", "in their words"),
        (with("--target", "0"), "--target", "must differ from the baseline"),
        (with("--target-date", "2020-01-01"), "--target-date", "after the start date"),
        (with("--target-date", "2026-02-30"), "--target-date", "does not exist"),
        (with("--baseline", "3,5"), "--baseline", "decimal point"),
        (with("--baseline", "seven"), "--baseline", "number"),
        (with("--priority", "urgent"), "--priority", "high, medium, low"),
        (with("--domain", "space"), "--domain", "life domain"),
        (with("--screener", "beck"), "--screener", "PHQ-9"),
        (with("--step-owner", "dog"), "--step-owner", "client, practitioner"),
        (with("--status", "completed"), "--status", "active"),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = caseload(&db, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(flag) && stderr(&o).contains(words), "{flag}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
    let mut no_date = base.clone();
    let i = no_date.iter().position(|a| *a == "--target-date").unwrap();
    no_date.drain(i..i + 2);
    let o = caseload(&db, &no_date);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("A target date makes this goal time-bound."), "{}", stderr(&o));
    assert_eq!(goals(&db), 0, "nothing saved");
    let o = caseload(
        &db,
        &[
            "goal",
            "add",
            "C-0099",
            "--statement",
            "x",
            "--measure",
            "y",
            "--baseline",
            "0",
            "--target",
            "1",
            "--target-date",
            "+9d",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "unknown client");

    // lifecycle refusals
    assert!(caseload(&db, HOUSING).status.success());
    let o = caseload(&db, &["goal", "status", "G-1", "on-hold"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--reason") && stderr(&o).contains("put on hold"), "{}", stderr(&o));
    let o = caseload(&db, &["goal", "status", "G-1", "proposed", "--reason", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot be made"), "{}", stderr(&o));
    let o = caseload(&db, &["goal", "status", "G-1", "finished"]);
    assert_eq!(o.status.code(), Some(2));
    let o = caseload(&db, &["goal", "status", "G-1", "on-hold", "--reason", "in hospital"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "G-1 is now on-hold");
    let o = caseload(&db, &["goal", "progress", "G-1", "many"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("VALUE"), "{}", stderr(&o));
    assert!(common::open(&db).progress(1).unwrap().is_empty());
    assert_eq!(caseload(&db, &["goal", "progress", "G-77", "1"]).status.code(), Some(2));
    assert_eq!(caseload(&db, &["goal", "progress", "banana", "1"]).status.code(), Some(2));
}

#[test]
fn empty_lists_succeed_and_show_gives_an_object() {
    let (_d, db) = with_client();
    let o = caseload(&db, &["goal", "list", "C-0001", "--json"]);
    assert!(o.status.success());
    assert_eq!(json(&o), serde_json::json!([]));
    let o = caseload(&db, &["goal", "list", "C-0001"]);
    assert!(o.status.success() && stdout(&o).is_empty());
    caseload(&db, HOUSING);
    let o = caseload(
        &db,
        &["goal", "step", "add", "G-1", "Visit the flat", "--owner", "practitioner", "--due", "+7d"],
    );
    assert!(stdout(&o).starts_with("ST-2 added to G-1"), "{}", stdout(&o));
    let o = caseload(&db, &["goal", "step", "done", "ST-2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&caseload(&db, &["goal", "show", "G-1", "--json"]));
    assert_eq!(v["ref"], "G-1");
    assert_eq!(v["steps"].as_array().unwrap().len(), 2);
    assert!(v["steps"][1]["done"].is_string());
    assert_eq!(v["history"][0]["what"], "created");
    let o =
        caseload(&db, &["goal", "achievement", "G-1", "improving", "--reason", "moved in with her sister"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&caseload(&db, &["goal", "show", "G-1"]));
    assert!(text.contains("Achievement: In progress → Improving"), "{text}");
    // closed goals disappear from the default list, not from --all
    caseload(&db, &["goal", "status", "G-1", "completed"]);
    assert_eq!(json(&caseload(&db, &["goal", "list", "C-0001", "--json"])), serde_json::json!([]));
    assert_eq!(
        json(&caseload(&db, &["goal", "list", "C-0001", "--all", "--json"])).as_array().unwrap().len(),
        1
    );
}

#[test]
fn plan_export_is_markdown_to_sign_owner_only_and_never_overwrites_without_force() {
    let (dir, db) = with_client();
    {
        let mut store = common::open(&db);
        let mut s = store.settings().unwrap();
        s.set("practitioner_name", "Sam Worker").unwrap();
        s.set("credentials", "MSW").unwrap();
        store.save_settings(&s).unwrap();
    }
    caseload(&db, HOUSING);
    caseload(
        &db,
        &[
            "goal",
            "add",
            "C-0001",
            "--statement",
            "Pay | rent *on time*",
            "--measure",
            "months",
            "--baseline",
            "0",
            "--target",
            "3",
            "--target-date",
            "+90d",
        ],
    );
    let o = caseload(&db, &["plan", "review", "C-0001", "--next", "+30d"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = caseload(&db, &["plan", "export", "C-0001"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.starts_with("# Case plan: Ada Example (C-0001)"), "{md}");
    assert!(md.contains(": I want my own place (G-1)\n"), "{md}");
    assert!(md.contains("| 1 | Call the housing office | Client |"), "{md}");
    assert!(md.contains("Pay \\| rent \\*on time\\*"), "markdown in user text is escaped: {md}");
    assert!(md.contains("- Next review: "), "{md}");
    assert!(md.contains("Practitioner: Sam Worker, MSW"), "{md}");
    assert!(md.contains("Signature: ____"), "{md}");

    let file = dir.path().join("plan.md");
    let f = file.to_str().unwrap();
    let o = caseload(&db, &["plan", "export", "C-0001", "-o", f]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    assert_eq!(mode(&file), 0o600);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), md);
    std::fs::write(&file, "my own notes").unwrap();
    let o = caseload(&db, &["plan", "export", "C-0001", "-o", f]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my own notes", "kept");
    let o = caseload(&db, &["plan", "export", "C-0001", "-o", f, "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), md);
    assert_eq!(mode(&file), 0o600);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    assert_eq!(caseload(&db, &["plan", "export", "nobody"]).status.code(), Some(2));
}

#[test]
fn nasty_input_through_the_goal_commands() {
    let fixtures: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/nasty-input.json")).unwrap();
    let (_d, db) = with_client();
    for case in fixtures.as_array().unwrap() {
        // a command line holds no NUL byte and has a size limit: those are the shell's to refuse
        let text = case["text"].as_str().unwrap_or("");
        if text.contains('\0') || case.get("repeat").is_some() {
            continue;
        }
        let before = goals(&db);
        let o = caseload(
            &db,
            &[
                "goal",
                "add",
                "C-0001",
                "--statement",
                text,
                "--measure",
                text,
                "--baseline",
                "1",
                "--target",
                "5",
                "--target-date",
                "+30d",
                "--why",
                text,
                "--step",
                text,
            ],
        );
        let out = stdout(&o) + &stderr(&o);
        assert!(!out.contains('\u{1b}'), "{}: an escape reached the terminal", case["label"]);
        match o.status.code() {
            Some(0) => assert_eq!(goals(&db), before + 1),
            Some(2) => assert_eq!(goals(&db), before, "{}: nothing half-saved", case["label"]),
            other => panic!("{}: exit {other:?}: {}", case["label"], stderr(&o)),
        }
        for (cmd, value) in [("progress", text), ("status", text)] {
            let o = caseload(&db, &["goal", cmd, "G-1", value]);
            assert!(matches!(o.status.code(), Some(0) | Some(2)), "{}", case["label"]);
            assert!(!(stdout(&o) + &stderr(&o)).contains('\u{1b}'), "{}", case["label"]);
        }
    }
    let list = caseload(&db, &["goal", "list", "C-0001"]);
    assert!(!stdout(&list).contains('\u{1b}'));
    let md = stdout(&caseload(&db, &["plan", "export", "C-0001"]));
    assert!(!md.contains('\u{1b}') && !md.contains('\u{7}'));
}
