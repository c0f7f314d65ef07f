//! The command-line contract of export, import and retention: owner-only files never
//! overwritten without --force, standard output without -o, exit 2 for refusals that change
//! nothing, and a JSON file that moves a client to another caseload.

use crate::common::{self, caseload, mode, stderr, stdout};

use std::os::unix::fs::PermissionsExt;

use crate::close_fixture::*;
use caseload::store::Store;

fn seeded() -> (tempfile::TempDir, std::path::PathBuf, Rich) {
    let (d, db) = common::temp_db();
    let mut store = Store::open(&db).unwrap();
    let r = rich_client(&mut store, "Ada");
    (d, db, r)
}

#[test]
fn export_writes_markdown_to_stdout_or_an_owner_only_file_and_never_overwrites() {
    let (d, db, _r) = seeded();
    let o = caseload(&db, &["export", "C-0001", "--format", "md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.starts_with("# Client file: Ada Example (C-0001)"), "{md}");
    assert!(md.contains("## Case notes (2)"), "the note entered in error is left out by default");
    assert!(!md.contains("Wrong client: this call"));
    assert!(md.contains("Notes in this copy: notes entered in error left out"));

    let out = d.path().join("ada.md");
    let o =
        caseload(&db, &["export", "ada", "--format", "md", "-o", out.to_str().unwrap(), "--include-errors"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "the file, not standard output");
    assert!(stderr(&o).contains("written to"));
    assert_eq!(mode(&out), 0o600);
    let first = std::fs::read_to_string(&out).unwrap();
    assert!(first.contains("## Case notes (3)") && first.contains("**ENTERED IN ERROR**"));

    // an existing file is kept
    std::fs::write(&out, "mine").unwrap();
    let o = caseload(&db, &["export", "C-0001", "--format", "md", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("already exists") && stderr(&o).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = caseload(&db, &["export", "C-0001", "--format", "md", "-o", out.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&out), 0o600, "a replaced file is owner-only too");
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("# Client file"));
    let leftovers: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
}

#[test]
fn a_date_range_limits_the_notes() {
    let (_d, db, _r) = seeded();
    let o = caseload(
        &db,
        &["export", "C-0001", "--format", "json", "--from", "2026-11-01", "--to", "2026-11-30"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["format"], "caseload-client-file");
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["tables"]["notes"].as_array().unwrap().len(), 1);
    assert_eq!(v["tables"]["addenda"].as_array().unwrap().len(), 0, "addenda go with their notes");
    assert_eq!(v["notes"]["left_out"], 2);
    assert!(v["tables"]["goals"].as_array().unwrap().len() == 2, "other records are whole");
}

#[test]
fn export_refusals_name_the_flag_and_write_nothing() {
    let (d, db, _r) = seeded();
    let out = d.path().join("x.out");
    let o_path = out.to_str().unwrap();
    for (args, says) in [
        (vec!["export", "--format", "md"], "Which client"),
        (vec!["export", "C-0001", "--caseload", "--format", "csv"], "not both"),
        (vec!["export", "C-0001", "--format", "csv"], "--caseload"),
        (vec!["export", "C-0001", "--format", "pdf"], "--format"),
        (vec!["export", "--caseload", "--format", "md"], "csv"),
        (vec!["export", "--caseload", "--format", "csv", "--include-errors"], "one client"),
        (vec!["export", "C-0001", "--format", "md", "--from", "2026-02-30"], "--from"),
        (vec!["export", "C-0001", "--format", "md", "--from", "2026-11-01", "--to", "2026-10-01"], "--to"),
        (vec!["export", "C-0999", "--format", "md", "-o", o_path], "client"),
    ] {
        let o = caseload(&db, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(!out.exists(), "{args:?} wrote a file");
    }
    // exporting never creates a database
    let none = d.path().join("none.db");
    let o = caseload(&none, &["export", "--caseload", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!none.exists());
}

#[test]
fn the_caseload_csv_has_one_row_per_client_and_no_formulas() {
    let (d, db, _r) = seeded();
    let o = caseload(&db, &["client", "add", "--given", "=HYPERLINK(\"x\")", "--family", "Test,Comma"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = d.path().join("caseload.csv");
    let o = caseload(&db, &["export", "--caseload", "--format", "csv", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&out), 0o600);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("ref,name,status,intake_date,episode"));
    let ada = lines.iter().find(|l| l.starts_with("C-0001,")).unwrap();
    assert!(ada.contains(",open,2026-03-02,1,"), "{ada}");
    assert!(
        ada.contains(",2,1,2,0,1,1,1,"),
        "notes (not in error), unsigned, goals, referrals, action items, advocacy, alerts: {ada}"
    );
    let nasty = lines.iter().find(|l| l.starts_with("C-0002,")).unwrap();
    assert!(nasty.contains("\"'=HYPERLINK(\"\"x\"\") Test,Comma\""), "{nasty}");
}

#[test]
fn a_json_file_moves_a_client_to_another_caseload() {
    let (d, db, _r) = seeded();
    let file = d.path().join("ada.json");
    let o = caseload(
        &db,
        &["export", "C-0001", "--format", "json", "--include-errors", "-o", file.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&file), 0o600);
    let other = d.path().join("colleague.db");
    // someone is already on the colleague's caseload
    assert!(caseload(&other, &["client", "add", "--given", "Bo", "--family", "Other"]).status.success());
    let o = caseload(&other, &["import", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("C-0002 Ada Example"), "the new ref first: {out}");
    assert!(out.contains("transferred from C-0001"), "{out}");
    assert!(stderr(&o).is_empty(), "a full export has nothing to warn about: {}", stderr(&o));
    let o = caseload(&other, &["notes", "C-0002", "--include-errors", "--json"]);
    let notes: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(notes.len(), 3);
    // a second time it is a likely duplicate: listed, refused, nothing added
    let o = caseload(&other, &["import", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("C-0002") && stderr(&o).contains("--allow-duplicate"), "{}", stderr(&o));
    let o = caseload(&other, &["client", "list", "--json"]);
    assert_eq!(serde_json::from_str::<Vec<serde_json::Value>>(&stdout(&o)).unwrap().len(), 2);
    let o = caseload(&other, &["import", file.to_str().unwrap(), "--allow-duplicate", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["ref"], "C-0003");
    assert_eq!(v["from_ref"], "C-0001");
}

#[test]
fn import_refuses_what_it_cannot_read_before_touching_a_database() {
    let (d, db, _r) = seeded();
    let file = d.path().join("ada.json");
    assert!(caseload(&db, &["export", "C-0001", "--format", "json", "-o", file.to_str().unwrap()])
        .status
        .success());
    let text = std::fs::read_to_string(&file).unwrap();
    let target = d.path().join("new.db");
    let newer = d.path().join("newer.json");
    std::fs::write(&newer, text.replacen("\"format_version\": 1", "\"format_version\": 7", 1)).unwrap();
    let o = caseload(&target, &["import", newer.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("newer caseload") && stderr(&o).contains("Update caseload"),
        "{}",
        stderr(&o)
    );
    let notes = d.path().join("notes.txt");
    std::fs::write(&notes, "just some text\n").unwrap();
    let o = caseload(&target, &["import", notes.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a caseload client file"));
    let o = caseload(&target, &["import", d.path().join("missing.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!target.exists(), "no database was created for a refused file");
    // a partial export imports, with a warning about what it left out
    let o = caseload(&target, &["import", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("left 1 note out"), "{}", stderr(&o));
}

#[test]
fn retention_lists_nothing_on_a_young_caseload() {
    let (_d, db, _r) = seeded();
    let o = caseload(&db, &["retention", "--json"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o).trim(), "[]");
    let o = caseload(&db, &["retention"]);
    assert!(stdout(&o).contains("No closed file is past its retention date (7 years"));
}

/// Issue 17 point 9: every export that shows a PHQ-9 or GAD-7 score carries both attribution
/// lines; the AHC HRSN carries none of Pfizer's.
#[test]
fn screener_scores_carry_their_attribution_in_every_export() {
    const DEVELOPED: &str = "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, \
        with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.";
    const COPYRIGHT: &str = "Copyright © Pfizer Inc. All rights reserved.";
    let (_d, db, _r) = seeded();
    let md = stdout(&caseload(&db, &["export", "C-0001", "--format", "md"]));
    assert!(md.contains("## Screeners"), "{md}");
    assert!(md.contains(DEVELOPED) && md.contains(COPYRIGHT), "{md}");
    let o = caseload(&db, &["screen", "add", "C-0001", "gad7", "--answers", "1,1,1,1,1,1,1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(DEVELOPED) && out.contains(COPYRIGHT), "{out}");
    let out = stdout(&caseload(&db, &["screen", "list", "C-0001"]));
    assert!(out.contains(DEVELOPED) && out.contains(COPYRIGHT), "{out}");
    let list = common::json(&caseload(&db, &["screen", "list", "C-0001", "--json"]));
    let first = &list.as_array().expect("a list")[0];
    assert_eq!(first["attribution"], serde_json::json!([DEVELOPED, COPYRIGHT]), "{first}");
    let o = caseload(&db, &["screen", "add", "C-0001", "ahc", "--answers", "2,8,2,3,2,3,1,1,1,1", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(common::json(&o)["attribution"], serde_json::json!([]));
    // a plan with a goal measured by the PHQ-9 shows its scores, and so the attribution
    let o = caseload(
        &db,
        &[
            "goal",
            "add",
            "C-0001",
            "--statement",
            "Feel less low",
            "--measure",
            "PHQ-9 total",
            "--screener",
            "phq9",
            "--baseline",
            "16",
            "--target",
            "9",
            "--target-date",
            "+90d",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let plan = stdout(&caseload(&db, &["plan", "export", "C-0001"]));
    assert!(plan.contains(DEVELOPED) && plan.contains(COPYRIGHT), "{plan}");
}

/// Issue 17 point 8: an AHC HRSN with safety items declined never reads as negative, and one
/// the answered items already decide is positive on the items answered, alert included.
#[test]
fn ahc_with_safety_items_declined_says_so() {
    let (_d, db, _r) = seeded();
    let o = caseload(&db, &["screen", "add", "C-0001", "ahc", "--answers", "1,8,3,3,2,2,2,2,2,-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("safety not scored: 1 item declined"), "{out}");
    assert!(!out.contains("no positive domains"), "a declined item is not a negative: {out}");
    let o = caseload(&db, &["screen", "add", "C-0001", "ahc", "--answers", "1,8,3,3,2,2,5,5,-,-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("positive: Interpersonal safety (positive on the items answered; 2 items declined)"),
        "{out}"
    );
    assert!(
        out.contains("SAFETY ALERT")
            && out.contains("AHC interpersonal safety positive on the items answered"),
        "{out}"
    );
}

/// Issue 17 point 6: a client file written before the intake recorded sex keeps the sex its
/// family tree gave the client.
#[test]
fn an_older_client_file_keeps_the_clients_sex_from_its_family_tree() {
    let (d, db, _r) = seeded();
    let o = caseload(&db, &["export", "C-0001", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let tables = &mut v["tables"];
    tables["clients"][0].as_object_mut().unwrap().remove("sex");
    let me =
        tables["people"].as_array_mut().unwrap().iter_mut().find(|p| p["is_self"] == 1).expect("self row");
    me["sex"] = "male".into();
    let file = d.path().join("old.json");
    std::fs::write(&file, serde_json::to_string(&v).unwrap()).unwrap();
    let other = d.path().join("colleague.db");
    let o = caseload(&other, &["import", file.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown = common::json(&caseload(&other, &["client", "show", "C-0001", "--json"]));
    assert_eq!(shown["sex"], "male", "{shown}");
}
