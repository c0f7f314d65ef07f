//! The command-line contract: refs first, JSON shapes, exit codes, refusals that change nothing.

use crate::common::{self, caseload, mode, stderr, stdout, BIN};

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

fn count(db: &Path) -> i64 {
    common::open(db).count_clients().unwrap()
}

#[test]
fn client_add_prints_the_ref_first_and_makes_an_owner_only_file() {
    let (_d, db) = common::temp_db();
    let o = caseload(&db, &["client", "add", "--given", "Ada", "--family", "Example", "--dob", "1990-04-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).split_whitespace().next(), Some("C-0001"));
    assert_eq!(mode(&db), 0o600);
    let o = caseload(&db, &["client", "add", "--given", "Bo", "--family", "Sample", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["ref"], "C-0002");
}

#[test]
fn bad_input_exits_2_names_the_flag_and_saves_nothing() {
    let (_d, db) = common::temp_db();
    for (args, flag) in [
        (vec!["--given", "Ada", "--family", "X", "--dob", "2026-02-30"], "--dob"),
        (vec!["--given", "Ada", "--family", "X", "--dob", "2999-01-01"], "--dob"),
        (vec!["--given", "", "--family", "X"], "--given"),
        (vec!["--given", "Ada", "--family", "X", "--phone", "call me"], "--phone"),
    ] {
        let mut all = vec!["client", "add"];
        all.extend(args);
        let o = caseload(&db, &all);
        assert_eq!(o.status.code(), Some(2), "{all:?}");
        assert!(stderr(&o).contains(flag), "{}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
    assert_eq!(count(&db), 0);
}

#[test]
fn a_likely_duplicate_is_refused_unless_asked() {
    let (_d, db) = common::temp_db();
    caseload(&db, &["client", "add", "--given", "Ana", "--family", "Nuñez-O'Brien"]);
    let o = caseload(&db, &["client", "add", "--given", "ana", "--family", "nunez obrien"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("C-0001"), "{}", stderr(&o));
    assert_eq!(count(&db), 1);
    let o =
        caseload(&db, &["client", "add", "--given", "ana", "--family", "nunez obrien", "--allow-duplicate"]);
    assert!(o.status.success());
    assert_eq!(count(&db), 2);
}

#[test]
fn client_add_warns_of_a_shortened_name_with_the_same_birth_date() {
    let (_d, db) = common::temp_db();
    let long = ["client", "add", "--given", "María José", "--family", "Nuñez-O'Brien", "--dob", "1988-04-30"];
    assert!(caseload(&db, &long).status.success());
    let short = ["client", "add", "--given", "Maria", "--family", "Nunez", "--dob", "1988-04-30"];
    let o = caseload(&db, &short);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("C-0001"), "{}", stderr(&o));
    assert!(stderr(&o).contains("same first name"), "{}", stderr(&o));
    assert_eq!(count(&db), 1);
    let other_day = ["client", "add", "--given", "Maria", "--family", "Nunez", "--dob", "1988-04-29"];
    assert!(caseload(&db, &other_day).status.success(), "another birth date is another person");
}

#[test]
fn lists_are_complete_json_arrays_and_empty_lists_succeed() {
    let (_d, db) = common::temp_db();
    let o = caseload(&db, &["client", "list", "--json"]);
    assert!(o.status.success());
    assert_eq!(serde_json::from_str::<serde_json::Value>(&stdout(&o)).unwrap(), serde_json::json!([]));
    assert!(caseload(&db, &["client", "list"]).status.success());
    let o = caseload(&db, &["demo", "--clients", "700", "--notes-per-client", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let open: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&caseload(&db, &["client", "list", "--json"]))).unwrap();
    let all: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&caseload(&db, &["client", "list", "--all", "--json"]))).unwrap();
    assert_eq!(all.len(), 700, "complete, not paged");
    assert!(open.len() < all.len(), "closed cases only with --all");
    assert!(all.iter().all(|c| c["ref"].as_str().is_some_and(|r| r.starts_with("C-"))));
}

#[test]
fn show_by_ref_or_name_part() {
    let (_d, db) = common::temp_db();
    caseload(&db, &["client", "add", "--given", "María José", "--family", "López", "--preferred", "Majo"]);
    caseload(&db, &["client", "add", "--given", "Lopez", "--family", "Garcia"]);
    let o = caseload(&db, &["client", "show", "C-0001", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["ref"], "C-0001");
    assert_eq!(v["episodes"][0]["number"], 1);
    assert!(stdout(&caseload(&db, &["client", "show", "majo"])).contains("María José López"));
    let o = caseload(&db, &["client", "show", "lopez"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("C-0001") && stderr(&o).contains("C-0002"));
    assert_eq!(caseload(&db, &["client", "show", "nobody"]).status.code(), Some(2));
}

#[test]
fn demo_refuses_a_database_with_real_clients() {
    let (_d, db) = common::temp_db();
    caseload(&db, &["client", "add", "--given", "Real", "--family", "Person"]);
    let o = caseload(&db, &["demo", "--clients", "5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("real records"));
    assert_eq!(count(&db), 1);
}

#[test]
fn backup_check_env_and_version() {
    let (d, db) = common::temp_db();
    caseload(&db, &["demo", "--clients", "3"]);
    let copy = d.path().join("copy.db");
    let o = caseload(&db, &["backup", copy.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&copy), 0o600);
    assert_eq!(caseload(&db, &["backup", copy.to_str().unwrap()]).status.code(), Some(2));
    let o = caseload(&db, &["check"]);
    assert!(o.status.success() && stdout(&o).starts_with("ok"));
    // CASELOAD_DB selects the database
    let o = Command::new(BIN)
        .args(["client", "list", "--all", "--json"])
        .env("CASELOAD_DB", &copy)
        .output()
        .unwrap();
    let v: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v.len(), 3);
    let o = Command::new(BIN).arg("--version").output().unwrap();
    assert!(stdout(&o).starts_with("caseload "));
    for sub in [
        vec!["--help"],
        vec!["client", "add", "--help"],
        vec!["client", "list", "--help"],
        vec!["note", "--help"],
        vec!["search", "--help"],
        vec!["due", "--help"],
        vec!["time", "--help"],
        vec!["demo", "--help"],
        vec!["backup", "--help"],
        vec!["check", "--help"],
    ] {
        let o = Command::new(BIN).args(&sub).output().unwrap();
        assert!(o.status.success() && !o.stdout.is_empty(), "{sub:?}");
    }
}

#[test]
fn newer_foreign_and_missing_databases_are_refused_untouched() {
    let (d, db) = common::temp_db();
    caseload(&db, &["client", "add", "--given", "Ada", "--family", "Example"]);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("PRAGMA user_version = 999").unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let o = caseload(&db, &["client", "list"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("newer caseload"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&db).unwrap(), before);
    let text = d.path().join("notes.txt");
    std::fs::write(&text, "shopping list: eggs, milk, bread, and more\n".repeat(10)).unwrap();
    let o = caseload(&text, &["client", "list"]);
    assert!(stderr(&o).contains("not a caseload database"), "{}", stderr(&o));
    let o = caseload(&d.path().join("absent.db"), &["check"]);
    assert!(!o.status.success());
}

#[test]
fn the_screen_needs_a_terminal() {
    let (_d, db) = common::temp_db();
    let o = caseload(&db, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("needs a terminal"));
}

#[test]
fn quick_note_by_name_with_options_and_from_stdin() {
    let (_d, db) = common::temp_db();
    caseload(&db, &["client", "add", "--given", "María José", "--family", "López", "--preferred", "Majo"]);
    caseload(&db, &["client", "add", "--given", "Ana", "--family", "Nuñez"]);
    let o = caseload(
        &db,
        &[
            "note",
            "Majo",
            "Phoned about the rent.",
            "--type",
            "phone",
            "--minutes",
            "15",
            "--follow-up",
            "+3d",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).split_whitespace().next(), Some("N-1"));
    let mut child = Command::new(BIN)
        .args([
            "--db",
            db.to_str().unwrap(),
            "note",
            "nunez",
            "--type",
            "home visit",
            "--at",
            "2026-11-01 09:15",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"Home visit.\r\nKitchen repaired.\r\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let store = common::open(&db);
    let n = store.note(2).unwrap();
    assert_eq!(n.body, "Home visit.\nKitchen repaired.");
    assert_eq!(n.contact_type, "home-visit");
    assert_eq!(n.client_id, 2);
    let notes: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&caseload(&db, &["notes", "C-0001", "--json"]))).unwrap();
    assert_eq!(notes[0]["ref"], "N-1");
    assert_eq!(notes[0]["duration_minutes"], 15);
}

use std::io::Write;

#[test]
fn quick_note_refusals_save_nothing() {
    let (_d, db) = common::temp_db();
    caseload(&db, &["client", "add", "--given", "Lopez", "--family", "One"]);
    caseload(&db, &["client", "add", "--given", "Lopez", "--family", "Two", "--allow-duplicate"]);
    let o = caseload(&db, &["note", "lopez", "text"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("C-0001") && stderr(&o).contains("C-0002"), "candidates listed");
    assert_eq!(caseload(&db, &["note", "nobody", "text"]).status.code(), Some(2));
    for bad in [
        vec!["note", "C-0001", "text", "--type", "pigeon"],
        vec!["note", "C-0001", "text", "--minutes", "lots"],
        vec!["note", "C-0001", "text", "--at", "tomorrow 10:00"],
        vec!["note", "C-0001", "text", "--follow-up", "2026-13-01"],
        vec!["note", "C-0001", "   "],
    ] {
        let o = caseload(&db, &bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
    }
    assert_eq!(common::open(&db).count_notes(1).unwrap(), 0);
}

#[test]
fn search_due_and_time_speak_json_and_plain_text() {
    let (_d, db) = common::temp_db();
    caseload(&db, &["client", "add", "--given", "Ada", "--family", "Example", "--intake-date", "2026-01-05"]);
    caseload(
        &db,
        &[
            "note",
            "C-0001",
            "Eviction hearing next week.",
            "--minutes",
            "30",
            "--at",
            "2026-11-02 10:00",
            "--follow-up",
            "2026-11-05",
        ],
    );
    let hits: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&caseload(&db, &["search", "eviction", "--json"]))).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["ref"], "N-1");
    assert_eq!(hits[0]["client"], "C-0001");
    assert!(hits[0]["snippet"].as_str().unwrap().contains("[Eviction]"));
    let o = caseload(&db, &["search", "housing AND (\"unclosed NEAR/3 * ^"]);
    assert!(o.status.success(), "FTS syntax is searched as words: {}", stderr(&o));
    assert!(stdout(&caseload(&db, &["search", "nothing-like-this"])).is_empty());
    assert_eq!(caseload(&db, &["search", "x", "--from", "soon"]).status.code(), Some(2));
    let due: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&caseload(&db, &["due", "--json"]))).unwrap();
    assert!(due.iter().any(|i| i["rule"] == "follow-up" && i["urgency"] == "overdue"), "{due:?}");
    // every record carries `ref`: what the line is about, as commands accept it
    for i in &due {
        assert!(i["ref"].is_string() && i["ref"] == i["target"]["ref"], "{i}");
    }
    assert!(due.iter().any(|i| i["rule"] == "follow-up" && i["ref"] == "N-1"), "{due:?}");
    let time: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&caseload(&db, &["time", "--month", "2026-11", "--json"]))).unwrap();
    assert_eq!(time[0]["minutes"], 30);
    assert_eq!(time[0]["ref"], "C-0001");
    assert_eq!(caseload(&db, &["time", "--month", "November"]).status.code(), Some(2));
    assert!(stdout(&caseload(&db, &["time", "--month", "2026-11"])).contains("Total: 30 min"));
}

#[test]
fn the_default_database_lives_in_the_data_directory_owner_only() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let o = Command::new(BIN)
        .args(["client", "add", "--given", "Ada", "--family", "Example"])
        .env_remove("CASELOAD_DB")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", &data)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let db = data.join("caseload").join("caseload.db");
    assert!(db.exists(), "created on first run in the data directory");
    assert_eq!(mode(&db), 0o600);
    assert_eq!(std::fs::metadata(db.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
}

#[test]
fn check_reports_a_damaged_file_instead_of_sending_you_back_to_check() {
    for (label, from, to) in [("data pages", 4096usize, 12288usize), ("schema page", 100, 3100)] {
        let (_d, db) = common::temp_db();
        caseload(&db, &["demo", "--clients", "20"]);
        let mut bytes = std::fs::read(&db).unwrap();
        for b in &mut bytes[from..to] {
            *b = 0xFF;
        }
        std::fs::write(&db, &bytes).unwrap();
        let o = caseload(&db, &["check"]);
        assert_eq!(o.status.code(), Some(1), "{label}: {}", stderr(&o));
        assert!(stdout(&o).contains("problem:"), "{label}: the check names what it found: {}", stdout(&o));
        assert!(stdout(&o).contains("damaged: "), "{label}: by the kind of record: {}", stdout(&o));
        assert!(stderr(&o).contains("copy your latest backup in its place"), "{label}: {}", stderr(&o));
        assert!(stderr(&o).contains("backup"), "{label}: {}", stderr(&o));
        assert!(
            !stderr(&o).contains("caseload check"),
            "{label}: check must not send you to check: {}",
            stderr(&o)
        );
        assert_eq!(std::fs::read(&db).unwrap(), bytes, "{label}: the check changes nothing");
    }
}

#[test]
fn search_json_lists_every_match_plain_text_shows_the_first_fifty() {
    let (_d, db) = common::temp_db();
    caseload(&db, &["client", "add", "--given", "Ada", "--family", "Example"]);
    for i in 0..55 {
        let o = caseload(&db, &["note", "C-0001", &format!("Quince delivery number {i}")]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let all: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&caseload(&db, &["search", "quince", "--json"]))).unwrap();
    assert_eq!(all.len(), 55, "--json lists are complete");
    assert!(all.iter().all(|h| h["ref"].is_string() && !h["snippet"].as_str().unwrap().starts_with(' ')));
    assert_eq!(stdout(&caseload(&db, &["search", "quince"])).lines().count(), 50);
    let some: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&caseload(&db, &["search", "quince", "--json", "--limit", "7"])))
            .unwrap();
    assert_eq!(some.len(), 7, "an explicit limit is kept");
}

#[test]
fn demo_refuses_anything_it_did_not_make_itself() {
    // a demo database stays open to more demo clients (asked for with --add)...
    let (_d, db) = common::temp_db();
    assert!(caseload(&db, &["demo", "--clients", "2"]).status.success());
    assert!(caseload(&db, &["demo", "--clients", "2", "--add"]).status.success());
    assert_eq!(count(&db), 4);
    // ...until a real client or a real note is added to it
    caseload(&db, &["client", "add", "--given", "Real", "--family", "Person"]);
    let o = caseload(&db, &["demo", "--clients", "2", "--add"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("real records"), "{}", stderr(&o));
    assert_eq!(count(&db), 5);
    let (_d2, db2) = common::temp_db();
    caseload(&db2, &["demo", "--clients", "2"]);
    caseload(&db2, &["note", "C-0001", "A real note typed into the demo file."]);
    assert_eq!(caseload(&db2, &["demo", "--clients", "2"]).status.code(), Some(2));
    // a practitioner's own file with no clients yet, but their settings, is not demo's either
    let (_d3, db3) = common::temp_db();
    {
        let mut store = common::open(&db3);
        let mut s = store.settings().unwrap();
        s.practitioner_name = "Sam Example".into();
        store.save_settings(&s).unwrap();
    }
    let o = caseload(&db3, &["demo", "--clients", "2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(count(&db3), 0);
}

#[test]
fn commands_that_only_read_or_refuse_never_create_a_database() {
    let (_d, db) = common::temp_db();
    for args in [vec!["note", "C-0001", "text"], vec!["client", "show", "C-0001"], vec!["notes", "C-0001"]] {
        let o = caseload(&db, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("no database"), "{args:?}: {}", stderr(&o));
        assert!(!db.exists(), "{args:?} created {}", db.display());
    }
    for args in [
        vec!["client", "list", "--json"],
        vec!["search", "rent", "--json"],
        vec!["due", "--json"],
        vec!["time", "--json"],
    ] {
        let o = caseload(&db, &args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&stdout(&o)).unwrap(), serde_json::json!([]));
        assert!(!db.exists(), "{args:?} created {}", db.display());
    }
    for args in [vec!["client", "list"], vec!["search", "rent"], vec!["due"], vec!["time"]] {
        assert!(caseload(&db, &args).status.success(), "{args:?}");
    }
    assert!(!db.exists());
    // adding a client is what creates it
    assert!(caseload(&db, &["client", "add", "--given", "Ada", "--family", "Example"]).status.success());
    assert!(db.exists());
}

#[test]
fn plain_lists_stay_in_columns_with_wide_characters() {
    use unicode_width::UnicodeWidthStr;
    let (_d, db) = common::temp_db();
    caseload(&db, &["client", "add", "--given", "王", "--family", "小明", "--dob", "2001-01-31"]);
    caseload(&db, &["client", "add", "--given", "Ada", "--family", "Lovelace", "--dob", "1990-01-01"]);
    caseload(&db, &["note", "C-0001", "Rent paid.", "--minutes", "5"]);
    caseload(&db, &["note", "C-0002", "Rent paid.", "--minutes", "5"]);
    // the column after the name starts at the same place on every line
    let column_of = |line: &str, marker: &str| line.find(marker).map(|i| line[..i].width());
    for (args, marker) in [
        (vec!["client", "list"], " open"),
        (vec!["due"], " 1 unsigned"),
        (vec!["time"], " phone"),
        (vec!["search", "rent"], " [Rent]"),
    ] {
        let out = stdout(&caseload(&db, &args));
        let cols: Vec<_> = out.lines().filter_map(|l| column_of(l, marker)).collect();
        assert_eq!(cols.len(), 2, "{args:?}:\n{out}");
        assert_eq!(cols[0], cols[1], "{args:?} columns differ:\n{out}");
    }
}

/// Runs the binary as a user who cannot write `dir` (for root, through setpriv as nobody: root
/// may write any file).
fn caseload_without_write_access(dir: &Path, db: &Path, args: &[&str]) -> std::process::Output {
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
        c
    } else {
        Command::new(BIN)
    };
    cmd.arg("--db").arg(db).args(args).current_dir(dir);
    cmd.env_remove("CASELOAD_DB").env("TZ", "UTC").env("HOME", dir).stdin(Stdio::null());
    cmd.output().expect("run caseload")
}

#[test]
fn a_read_only_copy_is_listed_searched_exported_and_checked() {
    let (d, _db) = common::temp_db();
    let dir = d.path().join("archive");
    std::fs::create_dir(&dir).unwrap();
    let copy = dir.join("caseload.db");
    caseload(&copy, &["client", "add", "--given", "Ada", "--family", "Archive"]);
    caseload(&copy, &["note", "C-0001", "Home visit, the flat is dry now"]);
    let before = std::fs::read(&copy).unwrap();
    if unsafe { libc::geteuid() } == 0 {
        for p in [d.path(), dir.as_path(), copy.as_path()] {
            std::os::unix::fs::chown(p, Some(65534), Some(65534)).unwrap();
        }
        std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o400)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o500)).unwrap();
    for (args, expect) in [
        (&["client", "list"][..], "Ada Archive"),
        (&["client", "show", "C-0001"], "Ada Archive"),
        (&["notes", "C-0001"], "flat is dry"),
        (&["search", "dry"], "dry"),
        (&["export", "C-0001", "--format", "md"], "flat is dry"),
        (&["check"], "intact"),
        (&["due"], "unsigned"),
    ] {
        let o = caseload_without_write_access(d.path(), &copy, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).contains(expect), "{args:?}: {}", stdout(&o));
    }
    let o = caseload_without_write_access(d.path(), &copy, &["note", "C-0001", "More"]);
    assert!(!o.status.success() && stderr(&o).contains("read-only"), "{}", stderr(&o));
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(std::fs::read(&copy).unwrap(), before, "reading changed nothing");
    assert!(!dir.join("caseload.db-wal").exists() && !dir.join("caseload.db-shm").exists());
}

#[test]
fn init_makes_a_database_of_an_empty_file_that_other_commands_refuse() {
    let (_d, db) = common::temp_db();
    std::fs::write(&db, b"").unwrap();
    let o = caseload(&db, &["client", "add", "--given", "Ada", "--family", "Test"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("caseload init"), "says how: {}", stderr(&o));
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0, "nothing written");
    let o = Command::new(BIN).arg("init").arg(&db).env_remove("CASELOAD_DB").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Made a new caseload database"), "{}", stdout(&o));
    let o = caseload(&db, &["client", "add", "--given", "Ada", "--family", "Test"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = caseload(&db, &["init"]);
    assert!(stdout(&o).contains("already a caseload database"), "{}", stdout(&o));
    assert_eq!(count(&db), 1, "init on a caseload changes nothing");
    let absent = db.with_file_name("new.db");
    let o = caseload(&absent, &["init"]);
    assert!(o.status.success() && absent.exists(), "{}", stderr(&o));
    assert_eq!(mode(&absent), 0o600);
}

#[test]
fn a_database_readable_by_others_is_tightened_and_the_command_says_so_once() {
    let (_d, db) = common::temp_db();
    caseload(&db, &["client", "add", "--given", "Ada", "--family", "Test"]);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = caseload(&db, &["client", "list"]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("readable by you only"), "{}", stderr(&o));
    assert!(!stdout(&o).contains("readable"), "standard output stays the command's own");
    assert_eq!(mode(&db), 0o600);
    let o = caseload(&db, &["client", "list"]);
    assert!(stderr(&o).is_empty(), "said once: {}", stderr(&o));
}

/// The command takes a note exactly as long as the app's note field holds, and not one
/// character more (issue 16 point 6: one limit).
#[test]
fn a_note_is_as_long_on_the_command_line_as_in_the_form() {
    use caseload::domain::text::MAX_FIELD_CHARS;
    let (_d, db) = common::temp_db();
    caseload(&db, &["client", "add", "--given", "Ada", "--family", "Limit"]);
    let full = "n".repeat(MAX_FIELD_CHARS);
    let o = caseload(&db, &["note", "C-0001", &full]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let over = "n".repeat(MAX_FIELD_CHARS + 1);
    let o = caseload(&db, &["note", "C-0001", &over]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("100000") || stderr(&o).contains("100,000"), "{}", stderr(&o));
    let store = common::open(&db);
    assert_eq!(store.note(1).unwrap().body.chars().count(), MAX_FIELD_CHARS);
    assert!(store.note(2).is_err(), "the long one saved nothing");
}
