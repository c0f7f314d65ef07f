//! The store against real temporary SQLite files: migrations, refusals, saves, drafts.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use crate::common::{fixed_now, mode, temp_db, today};
use caseload::domain::client::{validate_intake, IntakeInput};
use caseload::store::drafts::Draft;
use caseload::store::{latest_version, Store, StoreError, APPLICATION_ID};

fn client(given: &str, family: &str, dob: &str) -> caseload::domain::client::Client {
    let input = IntakeInput {
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: dob.into(),
        ..Default::default()
    };
    validate_intake(&input, today()).unwrap()
}

#[test]
fn an_empty_database_migrates_to_the_latest_version() {
    let (_d, path) = temp_db();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_version());
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!(app_id, APPLICATION_ID);
    let recorded: u32 =
        conn.query_row("SELECT max(version) FROM schema_migrations", [], |r| r.get(0)).unwrap();
    assert_eq!(recorded, latest_version());
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    drop(conn);
    // a committed note survives power loss: WAL with synchronous = FULL, foreign keys on
    let store = Store::open(&path).unwrap();
    let (sync, fk) = store.pragmas().unwrap();
    assert_eq!(sync, 2, "synchronous = FULL");
    assert_eq!(fk, 1, "foreign keys on");
    // reopening applies nothing twice
    drop(store);
    Store::open(&path).unwrap();
}

#[test]
fn new_database_files_are_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join("caseload.db");
    Store::open(&path).unwrap();
    let mode = mode(&path);
    assert_eq!(mode, 0o600);
    let dmode = fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777;
    assert_eq!(dmode, 0o700);
}

#[test]
fn a_newer_database_is_refused_and_not_modified() {
    let (_d, path) = temp_db();
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!("PRAGMA user_version = {}", latest_version() + 5)).unwrap();
    }
    let before = fs::read(&path).unwrap();
    match Store::open(&path) {
        Err(StoreError::Newer { found, supported }) => {
            assert_eq!(found, latest_version() + 5);
            assert_eq!(supported, latest_version());
        }
        other => panic!("expected a refusal, got {:?}", other.err()),
    }
    assert_eq!(fs::read(&path).unwrap(), before);
    let msg = Store::open(&path).err().unwrap().to_string();
    assert!(msg.contains("newer caseload"), "{msg}");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let (_d, path) = temp_db();
    fs::write(&path, "these are my shopping notes, not a database\n".repeat(20)).unwrap();
    let before = fs::read(&path).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::NotCaseload(_)), "{err:?}");
    assert!(err.to_string().contains("not a caseload database"));
    assert_eq!(fs::read(&path).unwrap(), before);
    assert!(!path.with_extension("db-wal").exists());
}

#[test]
fn a_corrupt_database_is_refused() {
    let (_d, path) = temp_db();
    {
        let mut s = Store::open(&path).unwrap();
        s.add_client(&client("Ada", "Test", ""), fixed_now()).unwrap();
    }
    // keep the header, wreck the schema page
    let mut bytes = fs::read(&path).unwrap();
    for b in bytes.iter_mut().skip(100).take(3000) {
        *b = 0xAB;
    }
    fs::write(&path, &bytes).unwrap();
    let err = Store::open(&path).err().expect("corrupt file must be refused");
    let msg = err.to_string();
    assert!(msg.contains("damaged") || msg.contains("not a caseload database"), "{msg}");
}

#[test]
fn another_sqlite_database_is_not_ours() {
    let (_d, path) = temp_db();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE recipes (name TEXT)").unwrap();
    }
    assert!(matches!(Store::open(&path), Err(StoreError::NotCaseload(_))));
}

#[test]
fn a_database_locked_by_a_writer_gets_a_clear_message() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES ('x', 'y');").unwrap();
    let started = std::time::Instant::now();
    let err = store.add_client(&client("Ada", "Test", ""), fixed_now()).expect_err("busy");
    assert!(matches!(err, StoreError::Busy), "{err:?}");
    assert!(err.to_string().contains("another caseload is writing"));
    assert!(started.elapsed().as_millis() >= 1000, "waits briefly before giving up");
    other.execute_batch("ROLLBACK").unwrap();
    store.add_client(&client("Ada", "Test", ""), fixed_now()).unwrap();
}

#[test]
fn a_read_only_file_is_refused_with_a_message() {
    let (_d, path) = temp_db();
    drop(Store::open(&path).unwrap());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
    let root = unsafe { libc::geteuid() } == 0;
    match Store::open(&path) {
        Err(e) => {
            assert!(matches!(e, StoreError::ReadOnly(_)), "{e:?}");
            assert!(e.to_string().contains("read-only"));
        }
        // root can write any file, so for root the file is not read-only at all
        Ok(_) => assert!(root, "a read-only file must be refused"),
    }
}

#[test]
fn intake_creates_client_episode_and_event_in_one_go() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let id = store.add_client(&client("Zoë", "Bélanger", "1990-05-01"), fixed_now()).unwrap();
    let c = store.client(id).unwrap();
    assert_eq!(c.reference, "C-0001");
    assert_eq!(c.given_name, "Zoë");
    let eps = store.episodes(id).unwrap();
    assert_eq!(eps.len(), 1);
    assert_eq!(eps[0].number, 1);
    assert!(eps[0].closed_on.is_none());
    let events = store.events(id, 10, 0).unwrap();
    assert_eq!(events[0].kind, "intake");
}

#[test]
fn editing_intake_logs_which_fields_changed_but_not_values() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let id = store.add_client(&client("Zoë", "Bélanger", ""), fixed_now()).unwrap();
    let mut c = store.client(id).unwrap();
    c.phone = "555-0199".into();
    store.update_client(id, &c, fixed_now()).unwrap();
    assert_eq!(store.client(id).unwrap().phone, "555-0199");
    let events = store.events(id, 10, 0).unwrap();
    let ev = events.iter().find(|e| e.kind == "intake-edited").expect("edit logged");
    assert!(ev.summary.contains("contact details"));
    assert!(!ev.summary.contains("555"));
}

#[test]
fn duplicates_are_found_by_name_and_birth_date() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let a = store.add_client(&client("Ana", "Nuñez-O'Brien", "1990-01-01"), fixed_now()).unwrap();
    store.add_client(&client("Peter", "Smith", ""), fixed_now()).unwrap();
    let hits = store.find_duplicates(&client("ana", "Nunez OBrien", ""), None).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].0.id, a);
    let none = store.find_duplicates(&client("Ana", "Nunez OBrien", "1991-01-01"), None).unwrap();
    assert!(none.is_empty(), "different birth dates are different people");
}

#[test]
fn a_shortened_name_or_the_same_phone_is_a_likely_duplicate() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let mut long = client("María José", "Nuñez-O'Brien", "1988-04-30");
    long.phone = "555 0100 777".into();
    let id = store.add_client(&long, fixed_now()).unwrap();
    store.add_client(&client("Maria", "Smith", "1988-04-30"), fixed_now()).unwrap();
    let hits = store.find_duplicates(&client("Maria", "Nunez", "1988-04-30"), None).unwrap();
    let ids: Vec<i64> = hits.iter().map(|(h, _)| h.id).collect();
    assert_eq!(ids, vec![id], "the same first name alone is not enough");
    assert!(store.find_duplicates(&client("Maria", "Nunez", "1988-05-30"), None).unwrap().is_empty());
    let mut caller = client("Sam", "Birch", "");
    caller.phone = "(555) 0100-777".into();
    let hits = store.find_duplicates(&caller, None).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].0.id, hits[0].0.reason.as_str()), (id, "same phone number"));
    assert!(
        store.find_duplicates(&caller, Some(id)).unwrap().is_empty(),
        "a client is not its own duplicate"
    );
}

#[test]
fn clients_resolve_by_reference_or_unique_name_part() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let mut majo = client("María José", "López", "");
    majo.preferred_name = "Majo".into();
    let id = store.add_client(&majo, fixed_now()).unwrap();
    store.add_client(&client("Lopez", "Garcia", ""), fixed_now()).unwrap();
    assert_eq!(store.resolve_client("C-0001").unwrap().id, id);
    assert_eq!(store.resolve_client("majo").unwrap().id, id);
    assert_eq!(store.resolve_client("Maria Jose").unwrap().id, id);
    let err = store.resolve_client("lopez").err().unwrap();
    assert!(err.to_string().contains("More than one client"));
    assert!(store.resolve_client("nobody").is_err());
    assert!(store.resolve_client("100%").is_err());
}

#[test]
fn list_ids_page_and_sort() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    for (g, f) in [("Cy", "Zed"), ("Al", "Adams"), ("Bo", "Mid")] {
        store.add_client(&client(g, f, ""), fixed_now()).unwrap();
    }
    let ids = store.client_ids(false, caseload::store::clients::ClientSort::Name).unwrap();
    let names: Vec<String> = store.clients_by_ids(&ids).unwrap().into_iter().map(|c| c.family_name).collect();
    assert_eq!(names, vec!["Adams", "Mid", "Zed"]);
    assert_eq!(store.name_index().unwrap().len(), 3);
}

#[test]
fn drafts_are_kept_until_deleted() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let d = Draft {
        key: "intake:new".into(),
        kind: "intake-new".into(),
        client_id: None,
        title: "New client intake".into(),
        payload: "{\"given_name\":\"Ada\"}".into(),
        updated_at: None,
    };
    store.save_draft(&d, fixed_now()).unwrap();
    store
        .save_draft(&Draft { payload: "{\"given_name\":\"Ada L\"}".into(), ..d.clone() }, fixed_now())
        .unwrap();
    drop(store);
    let mut store = Store::open(&path).unwrap();
    let all = store.drafts().unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].payload.contains("Ada L"));
    store.delete_draft("intake:new").unwrap();
    assert!(store.drafts().unwrap().is_empty());
}

#[test]
fn settings_round_trip() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let mut s = store.settings().unwrap();
    assert_eq!(s.no_contact_days, 30);
    s.practitioner_name = "Sam Example".into();
    s.no_contact_days = 21;
    store.save_settings(&s).unwrap();
    assert_eq!(Store::open(&path).unwrap().settings().unwrap(), s);
}

#[test]
fn backup_is_a_consistent_owner_only_copy_and_never_overwrites() {
    let (d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    store.add_client(&client("Ada", "Test", ""), fixed_now()).unwrap();
    let dest = d.path().join("backup.db");
    store.backup_to(&dest).unwrap();
    assert_eq!(mode(&dest), 0o600);
    let copy = Store::open(&dest).unwrap();
    assert_eq!(copy.count_clients().unwrap(), 1);
    assert!(store.backup_to(&dest).is_err());
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn nasty_input_is_stored_clean_or_refused() {
    let fixtures: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/nasty-input.json")).expect("fixture parses");
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    for case in fixtures.as_array().unwrap() {
        let mut text = case["text"].as_str().unwrap_or("").to_string();
        if let Some(n) = case.get("repeat").and_then(|r| r.as_u64()) {
            text = text.repeat(n as usize);
        }
        for field in ["given", "family", "phone", "dob"] {
            let mut input =
                IntakeInput { given_name: "Ada".into(), family_name: "Test".into(), ..Default::default() };
            match field {
                "given" => input.given_name = text.clone(),
                "family" => input.family_name = text.clone(),
                "phone" => input.phone = text.clone(),
                _ => input.date_of_birth = text.clone(),
            }
            input.referral_reason = text.clone();
            let before = store.count_clients().unwrap();
            match validate_intake(&input, today()) {
                Ok(c) => {
                    for v in [&c.given_name, &c.family_name, &c.phone, &c.referral_reason] {
                        assert!(
                            !v.chars().any(|ch| ch.is_control() && ch != '\n'),
                            "{}: control character stored",
                            case["label"]
                        );
                    }
                    let id = store.add_client(&c, fixed_now()).unwrap();
                    let back = store.client(id).unwrap();
                    assert_eq!(back.given_name, c.given_name);
                    assert_eq!(back.referral_reason, c.referral_reason);
                }
                Err(errors) => {
                    assert!(!errors.is_empty());
                    assert!(errors.iter().all(|e| !e.message.is_empty()));
                    assert_eq!(store.count_clients().unwrap(), before, "nothing half-saved");
                }
            }
        }
    }
}

#[test]
fn every_older_version_migrates_to_the_latest_keeping_its_data() {
    for upto in 1..latest_version() {
        let (_d, path) = temp_db();
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            for (v, sql) in caseload::store::MIGRATIONS.iter().filter(|(v, _)| *v <= upto) {
                conn.execute_batch(sql).unwrap();
                conn.execute_batch(&format!(
                    "PRAGMA user_version = {v}; PRAGMA application_id = {APPLICATION_ID};"
                ))
                .unwrap();
            }
            conn.execute(
                "INSERT INTO clients (given_name, family_name, intake_date, sort_key, search_key, created_at, updated_at) \
                 VALUES ('Ada', 'Example', '2026-01-01', 'example ada', 'ada example', 'x', 'x')",
                [],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), latest_version(), "from version {upto}");
        assert_eq!(store.client(1).unwrap().given_name, "Ada", "data kept from version {upto}");
        assert!(store.check().unwrap().is_empty());
    }
}

#[test]
fn every_migration_file_is_registered_in_order() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/migrations");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    files.sort();
    let versions: Vec<u32> = caseload::store::MIGRATIONS.iter().map(|m| m.0).collect();
    let expected: Vec<u32> = (1..=files.len() as u32).collect();
    assert_eq!(versions, expected, "migrations are numbered 1..n with no gap: {files:?}");
    for (f, (v, sql)) in files.iter().zip(caseload::store::MIGRATIONS) {
        assert!(f.starts_with(&format!("{v:04}_")), "{f} is registered as version {v}");
        let on_disk = std::fs::read_to_string(dir.join(f)).unwrap();
        assert_eq!(&on_disk, sql, "{f} is the text registered as version {v}");
    }
}

/// Upgrading a version-10 caseload to 11: the consents and latest screenings of closed cases are
/// marked, so Today's indexes skip them; those of open cases stay in.
#[test]
fn migration_11_marks_the_records_of_closed_cases() {
    let (_d, path) = temp_db();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for (v, sql) in caseload::store::MIGRATIONS.iter().filter(|(v, _)| *v <= 10) {
            conn.execute_batch(sql).unwrap();
            conn.execute_batch(&format!(
                "PRAGMA user_version = {v}; PRAGMA application_id = {APPLICATION_ID};"
            ))
            .unwrap();
        }
        for (name, status) in [("Ada", "open"), ("Bea", "closed")] {
            conn.execute(
                "INSERT INTO clients (given_name, family_name, intake_date, sort_key, search_key, status, created_at, updated_at) \
                 VALUES (?1, 'Example', '2026-01-01', ?1, ?1, ?2, 'x', 'x')",
                [name, status],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO consents (client_id, to_name, expires_on, created_at, updated_at) \
                 VALUES (last_insert_rowid(), 'GP', '2026-02-01', 'x', 'x')",
                [],
            )
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO screening_latest (client_id, instrument_id, last_on) VALUES (1, 'phq9', '2026-01-05'), (2, 'phq9', '2026-01-05');",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_version());
    let conn = rusqlite::Connection::open(&path).unwrap();
    for table in ["consents", "screening_latest"] {
        let marks: Vec<(i64, i64)> = conn
            .prepare(&format!("SELECT client_id, case_open FROM {table} ORDER BY client_id"))
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(marks, vec![(1, 1), (2, 0)], "{table}");
    }
}

#[test]
fn damage_is_seen_and_a_backup_refuses_to_copy_it() {
    let (d, path) = crate::common::damaged_db();
    let store = Store::open(&path).expect("the header is intact: it opens");
    let damage = store.quick_check().unwrap();
    assert!(!damage.is_empty(), "the quick check finds the flipped bytes");
    assert!(damage.iter().all(|l| !l.contains("***") && !l.contains("btree")), "in words: {damage:?}");
    let dest = d.path().join("backup.db");
    let err = store.backup_to(&dest).expect_err("a damaged database is not backed up");
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
    assert!(err.to_string().contains("no backup was made"), "{err}");
    assert!(!dest.exists(), "nothing was written where the backup would go");
}

#[test]
fn an_existing_database_readable_by_others_is_made_owner_only_and_says_so_once() {
    let (_d, path) = temp_db();
    drop(Store::open(&path).unwrap());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let mut store = Store::open(&path).unwrap();
    let notices = store.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("readable by you only"), "{notices:?}");
    store.add_client(&client("Ada", "Test", ""), fixed_now()).unwrap();
    assert_eq!(mode(&path), 0o600);
    for side in ["caseload.db-wal", "caseload.db-shm"] {
        let p = path.with_file_name(side);
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{side}");
        }
    }
    drop(store);
    assert!(Store::open(&path).unwrap().take_notices().is_empty(), "said once");
}

#[test]
fn an_empty_file_is_refused_unless_init_is_asked() {
    let (_d, path) = temp_db();
    fs::write(&path, b"").unwrap();
    let err = Store::open(&path).err().expect("an empty file is not a caseload database");
    assert!(err.to_string().contains("caseload init"), "{err}");
    assert_eq!(fs::metadata(&path).unwrap().len(), 0, "nothing was written");
    let store = Store::open_mode(&path, caseload::store::OpenMode::Init).unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_version());
}

#[test]
fn links_to_nothing_pipes_and_devices_get_plain_messages() {
    let (d, path) = temp_db();
    std::os::unix::fs::symlink(d.path().join("gone.db"), &path).unwrap();
    let msg = Store::open(&path).err().unwrap().to_string();
    assert!(msg.contains("does not exist") && !msg.contains("os error"), "{msg}");
    assert!(!d.path().join("gone.db").exists(), "nothing was created behind the link");
    let msg = Store::open(std::path::Path::new("/dev/null")).err().unwrap().to_string();
    assert!(msg.contains("not a file") && msg.contains("device"), "{msg}");
    let fifo = d.path().join("pipe.db");
    let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let msg = Store::open(&fifo).err().unwrap().to_string();
    assert!(msg.contains("not a file") && msg.contains("pipe"), "{msg}");
}

#[test]
fn a_read_only_copy_can_be_read_without_write_access() {
    let (d, path) = temp_db();
    {
        let mut s = Store::open(&path).unwrap();
        s.add_client(&client("Ada", "Test", ""), fixed_now()).unwrap();
    }
    let before = fs::read(&path).unwrap();
    let store = Store::open_read_only(&path).unwrap();
    assert_eq!(store.client(1).unwrap().given_name, "Ada");
    assert!(store.check().unwrap().is_empty());
    drop(store);
    assert_eq!(fs::read(&path).unwrap(), before, "reading wrote nothing");
    assert!(Store::open_read_only(&d.path().join("absent.db")).is_err(), "nothing is created");
}
