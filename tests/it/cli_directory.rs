//! `caseload directory …` keeps the command-line contract: refs, JSON arrays/objects, exit 2
//! for bad input with nothing changed, empty results exit 0.

use crate::common::{self, caseload, fixture, json, stderr, stdout};

#[test]
fn import_prints_a_report_and_a_second_import_updates() {
    let (_d, db) = common::temp_db();
    let o = caseload(&db, &["directory", "import", fixture("hsds-sample").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("services       13 added, 0 updated, 0 unchanged"), "{}", stdout(&o));
    let o = caseload(&db, &["directory", "import", fixture("hsds-sample").to_str().unwrap(), "--json"]);
    let v = json(&o);
    assert_eq!(v["services"]["unchanged"], 13);
    assert_eq!(v["services"]["added"], 0);
    assert_eq!(v["skipped"], serde_json::json!([]));
}

#[test]
fn import_reports_skips_and_placeholders_in_json() {
    let (_d, db) = common::temp_db();
    let o = caseload(&db, &["directory", "import", fixture("hsds-broken/messy").to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["skipped"].as_array().unwrap().len(), 4);
    assert_eq!(v["placeholder_organisations"][0]["ref"], "O-0003");
    assert_eq!(v["placeholder_organisations"][0]["services"][0], "S-0002");
}

#[test]
fn an_unreadable_file_exits_2_with_a_plain_message_and_imports_nothing() {
    let (_d, db) = common::temp_db();
    for rel in ["hsds-broken/bad-utf8", "hsds-broken/broken-quoting", "hsds-broken/missing-columns"] {
        let o = caseload(&db, &["directory", "import", fixture(rel).to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{rel}");
        assert!(stderr(&o).contains("Nothing was imported"), "{}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
    let o = caseload(&db, &["directory", "list", "--json"]);
    assert_eq!(json(&o), serde_json::json!([]));
}

#[test]
fn import_makes_the_database_only_from_a_file_it_can_read() {
    let (d, db) = common::temp_db();
    let missing = d.path().join("no-such-directory.json");
    for path in [missing, fixture("hsds-broken/broken-quoting")] {
        let o = caseload(&db, &["directory", "import", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(!db.exists(), "a wrong path or a refused file leaves no database behind");
    }
    let o = caseload(&db, &["directory", "import", fixture("hsds-sample").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(db.exists(), "a directory may come before any client: the README says import makes one");
}

#[test]
fn list_search_and_show_carry_refs_and_organisations() {
    let (_d, db) = common::temp_db();
    caseload(&db, &["directory", "import", fixture("hsds-sample").to_str().unwrap()]);
    let list = json(&caseload(&db, &["directory", "list", "--json"]));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 13);
    assert!(list.iter().all(|s| s["ref"].as_str().unwrap().starts_with("S-")));
    assert!(list.iter().all(|s| s["organisation_ref"].as_str().unwrap().starts_with("O-")));
    assert!(list.iter().all(|s| s["unverified"] == true));
    let text = stdout(&caseload(&db, &["directory", "list"]));
    assert_eq!(text.lines().count(), 13);
    assert!(text.contains("Sanctuary Example City"), "{text}");

    let hits = json(&caseload(&db, &["directory", "search", "homeless", "--json"]));
    assert_eq!(hits[0]["name"], "Never Homeless Helpline");
    let o = caseload(&db, &["directory", "search", "nothing matches this", "--json"]);
    assert!(o.status.success());
    assert_eq!(json(&o), serde_json::json!([]));
    let o = caseload(&db, &["directory", "search", "nothing matches this"]);
    assert!(o.status.success() && stdout(&o).is_empty());

    let one = json(&caseload(&db, &["directory", "show", "Never Homeless", "--json"]));
    assert!(one.is_object());
    assert_eq!(one["organisation"]["name"], "Sanctuary Example City");
    let shown = stdout(&caseload(&db, &["directory", "show", one["ref"].as_str().unwrap()]));
    assert!(shown.contains("UNVERIFIED"), "{shown}");
    let o = caseload(&db, &["directory", "show", "S-0999"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn add_prints_the_ref_first_and_refuses_bad_fields_by_flag() {
    let (_d, db) = common::temp_db();
    let o = caseload(
        &db,
        &[
            "directory",
            "add",
            "--organisation",
            "Riverside Food Bank",
            "--name",
            "Food parcels",
            "--phone",
            "555-0100",
            "--town",
            "Riverside",
            "--categories",
            "Food",
            "--verified",
            "today",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).split_whitespace().next(), Some("S-0001"));
    let o = caseload(&db, &["directory", "add", "--organisation", "O-0001", "--name", "Baby bank", "--json"]);
    let v = json(&o);
    assert_eq!(v["ref"], "S-0002");
    assert_eq!(v["organisation"]["ref"], "O-0001");
    assert_eq!(v["unverified"], true);
    for (args, flag) in [
        (vec!["--organisation", "X", "--name", "Y", "--email", "nope"], "--email"),
        (vec!["--organisation", "X", "--name", "Y", "--website", "not a site"], "--website"),
        (vec!["--organisation", "X", "--name", "Y", "--verified", "2999-01-01"], "--verified"),
        (vec!["--organisation", "O-0042", "--name", "Y"], "--organisation"),
        (vec!["--organisation", "X", "--name", ""], "--name"),
    ] {
        let mut all = vec!["directory", "add"];
        all.extend(args);
        let o = caseload(&db, &all);
        assert_eq!(o.status.code(), Some(2), "{all:?}");
        assert!(stderr(&o).contains(flag), "{}", stderr(&o));
    }
    assert_eq!(json(&caseload(&db, &["directory", "list", "--json"])).as_array().unwrap().len(), 2);
}

/// A status, a referral method and a list of languages are choices, not free text.
#[test]
fn choices_are_choices_on_the_command_line() {
    let (_d, db) = crate::common::temp_db();
    let out = caseload(
        &db,
        &[
            "directory",
            "add",
            "--organisation",
            "Riverside",
            "--name",
            "Food parcels",
            "--status",
            "maybe open",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a service status") && err.contains("temporarily closed"), "{err}");
    let long: Vec<String> = (0..200).map(|i| format!("Language number {i}")).collect();
    let long = long.join(", ");
    let out = caseload(
        &db,
        &["directory", "add", "--organisation", "Riverside", "--name", "Food parcels", "--languages", &long],
    );
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let out = caseload(
        &db,
        &[
            "directory",
            "add",
            "--organisation",
            "Riverside",
            "--name",
            "Food parcels",
            "--status",
            "Inactive",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Issue 20 point 1: `directory show` prints each phone as number + extension.
#[test]
fn show_prints_each_phone_as_number_and_extension() {
    let (_d, db) = common::temp_db();
    let o = caseload(&db, &["directory", "import", fixture("hsds-messy/phones").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("3 phone fields say there is no phone"), "{}", stdout(&o));
    let shown = stdout(&caseload(&db, &["directory", "show", "Benefits appeals"]));
    assert!(shown.contains("312-555-0107 ext. 715"), "{shown}");
    assert!(shown.contains("312-555-0108 ext. 331"), "{shown}");
    let shown = stdout(&caseload(&db, &["directory", "show", "Court help desk"]));
    assert!(shown.contains("312-555-0112 ext. 9"), "{shown}");
    assert!(!shown.to_lowercase().contains("no phone"), "{shown}");
    let v = json(&caseload(&db, &["directory", "show", "Eviction defence", "--json"]));
    assert_eq!(v["phones"][1]["number"], "847-555-0100");
    assert_eq!(v["phones"][1]["extension"], "321");
}

/// Issue 20 point 2: `directory show` says where, from whichever record carries the address.
#[test]
fn show_marks_an_address_taken_from_the_organisation() {
    let (_d, db) = common::temp_db();
    let o = caseload(&db, &["directory", "import", fixture("hsds-messy/addresses").to_str().unwrap()]);
    assert!(stdout(&o).contains("2 addresses taken from their organisation"), "{}", stdout(&o));
    let shown = stdout(&caseload(&db, &["directory", "show", "Tenant hotline"]));
    assert!(
        shown.contains("150 Court Street, Northfield, IL 60601, US (address of the organisation)"),
        "{shown}"
    );
    let v = json(&caseload(
        &db,
        &["directory", "import", fixture("hsds-messy/addresses").to_str().unwrap(), "--json"],
    ));
    let of_org: Vec<&serde_json::Value> = v["interpreted"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["reading"] == "address-of-organisation")
        .map(|i| &i["origin"])
        .collect();
    assert_eq!(of_org, vec!["services.csv line 2", "services.csv line 3"]);
}

/// `--dry-run` says what an import would do and changes nothing: no database is made where
/// there was none, and an existing one keeps what it had (issue 20: the command's contract).
#[test]
fn a_dry_run_reports_the_import_and_changes_nothing() {
    let (_d, db) = common::temp_db();
    let sample = fixture("hsds-sample");
    let o = caseload(&db, &["directory", "import", sample.to_str().unwrap(), "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("Dry run of") && out.contains("nothing was changed"), "{out}");
    assert!(out.contains("added"), "the report says what would be added: {out}");
    assert!(!db.exists(), "no database was made");
    // on a database that holds one service of its own: still only that one after
    caseload(&db, &["directory", "add", "--organisation", "Own Org", "--name", "Own service"]);
    let before = json(&caseload(&db, &["directory", "list", "--json"]));
    let o = caseload(&db, &["directory", "import", sample.to_str().unwrap(), "--dry-run", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = json(&o);
    assert!(report["services"]["added"].as_u64().unwrap_or(0) > 0, "{report}");
    let after = json(&caseload(&db, &["directory", "list", "--json"]));
    assert_eq!(before, after, "nothing was imported");
}
