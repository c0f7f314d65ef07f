//! Closing, undoing, reopening, retention and destruction as store operations; the whole file
//! exported and taken into another database. Every person is synthetic.

use std::collections::HashMap;

use crate::close_fixture::*;
use crate::common::temp_db;
use caseload::domain::closure::{
    read_close, read_decisions, CloseDetails, CloseInput, ClosureReason, Decision, Disposition, Reopen,
    ReopenMode,
};
use caseload::domain::goal::GoalStatus;
use caseload::domain::record::RecordKind;
use caseload::export::file::{read_json, to_json, ClientFileDoc, ExportOptions};
use caseload::store::closure::Reopened;
use caseload::store::due::DueContext;
use caseload::store::sections::{Owner, Ref, RECORD_KINDS, TABLES};
use caseload::store::{Store, StoreError};
use chrono::Duration;

fn details(reason: ClosureReason, closed: &str, follow: Option<&str>) -> CloseDetails {
    CloseDetails {
        reason,
        reason_note: String::new(),
        closed_on: d(closed),
        follow_up_on: follow.map(d),
        follow_up_plan: "Phone call to check the tenancy holds.".into(),
    }
}

fn decide(kind: &'static str, id: i64, disposition: Disposition, text: &str) -> Decision {
    Decision { kind: RecordKind::parse(kind).expect("a record kind"), id, disposition, text: text.into() }
}

fn decisions(r: &Rich) -> Vec<Decision> {
    vec![
        decide("goal", r.active_goal, Disposition::Complete, ""),
        decide("goal", r.proposed_goal, Disposition::Cancel, "Client moved away"),
        decide("action-item", r.action_item, Disposition::Leave, ""),
        decide("advocacy", r.advocacy, Disposition::Cancel, "Client moved away"),
        decide("alert", r.alert, Disposition::Complete, "Risk assessed on the phone; safety plan in place"),
        decide("note", r.unsigned_note, Disposition::Complete, ""),
    ]
}

fn due(store: &Store, now: chrono::DateTime<chrono::Utc>) -> Vec<(String, String)> {
    let settings = store.settings().unwrap();
    let today = now.date_naive();
    crate::common::due_checked(store, &DueContext { now, today, settings: &settings, since: None })
        .into_iter()
        .map(|i| (i.rule.to_string(), i.title))
        .collect()
}

fn export(store: &Store, c: i64) -> ClientFileDoc {
    store
        .client_file(c, &ExportOptions { include_errors: true, ..Default::default() }, "Sam Worker", now())
        .unwrap()
}

fn count(store_path: &std::path::Path, sql: &str, c: i64) -> i64 {
    let conn = rusqlite::Connection::open(store_path).unwrap();
    conn.query_row(sql, [c], |r| r.get(0)).unwrap()
}

#[test]
fn the_checklist_lists_every_open_item_with_its_allowed_choices() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    let items = store.open_items(r.client, today()).unwrap();
    let kinds: Vec<(&str, i64)> = items.iter().map(|i| (i.kind.as_str(), i.id)).collect();
    assert_eq!(
        kinds,
        vec![
            ("goal", r.active_goal),
            ("goal", r.proposed_goal),
            ("action-item", r.action_item),
            ("advocacy", r.advocacy),
            ("alert", r.alert),
            ("note", r.unsigned_note),
            ("consent", 1),
        ],
        "signed notes and notes entered in error are not open; a valid consent is asked about"
    );
    let proposed = &items[1];
    assert!(proposed.choice(Disposition::Complete).is_none(), "a proposed goal cannot be completed");
    assert!(items[4].choice(Disposition::Cancel).is_none(), "an alert is acknowledged, never cancelled");
    assert!(items[0].label.contains("Pay the rent on time") && items[0].label.contains("active"));
}

#[test]
fn closing_carries_out_each_decision_in_one_transaction() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    let id = store
        .close_case(
            r.client,
            &details(ClosureReason::MovedAway, "2026-11-23", Some("2027-02-21")),
            &decisions(&r),
            "Summary text.",
            "Sam Worker, MSW",
            now(),
        )
        .unwrap();
    let c = store.closure(id).unwrap();
    assert_eq!(c.reason, ClosureReason::MovedAway);
    assert_eq!(c.signed_by.as_deref(), Some("Sam Worker, MSW"));
    assert_eq!(c.episode, 1);
    assert_eq!(store.client(r.client).unwrap().status.as_str(), "closed");
    let ep = &store.episodes(r.client).unwrap()[0];
    assert_eq!(ep.closed_on, Some(d("2026-11-23")));
    assert_eq!(ep.closed_reason.as_deref(), Some("Moved away"));

    assert_eq!(store.goal(r.active_goal).unwrap().status, GoalStatus::Completed);
    assert_eq!(store.goal(r.proposed_goal).unwrap().status, GoalStatus::Cancelled);
    let history = store.goal_history(r.proposed_goal).unwrap();
    assert!(
        history.iter().any(|h| h.reason.contains("Client moved away")),
        "the reason is in the goal's history"
    );
    assert!(store.action_item(r.action_item).unwrap().done_on.is_none(), "left open");
    let adv = store.advocacy_item(r.advocacy).unwrap();
    assert!(adv.closed_on.is_some() && adv.outcome.contains("Withdrawn at case closure: Client moved away"));
    let alert = store.alert(r.alert).unwrap();
    assert!(alert.acknowledged_at.is_some());
    assert_eq!(store.client(r.client).unwrap().open_alerts, 0);
    assert!(store.note(r.unsigned_note).unwrap().is_signed());

    let items = store.closure_items(id).unwrap();
    assert_eq!(items.len(), 7, "every open item is recorded, left open ones too");
    assert!(items.iter().any(|i| i.kind == "action-item" && i.action == Disposition::Leave));
    let tl = store.timeline(r.client, Default::default(), 100, None).unwrap();
    assert!(tl.iter().any(|e| e.kind == "closed" && e.record_kind.map(|k| k.as_str()) == Some("closure")));
    let hits = store.search("Summary text", &Default::default(), 5).unwrap();
    assert_eq!(hits[0].kind.as_str(), "closure");
    assert_eq!(hits[0].reference, c.reference);
    // a closed case's open items leave Today (its action item would be due in the week)
    assert!(!due(&store, now()).iter().any(|(r, _)| r == "action-item"));
}

#[test]
fn closing_refuses_and_changes_nothing() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    let before = export(&store, r.client);
    let det = details(ClosureReason::GoalsMet, "2026-11-23", None);
    // no name to sign with
    let e = store.close_case(r.client, &det, &decisions(&r), "Summary.", "  ", now()).unwrap_err();
    assert!(matches!(e, StoreError::Refused(ref m) if m.contains("Settings")), "{e}");
    // an empty summary
    let e = store.close_case(r.client, &det, &decisions(&r), " \n ", "Sam", now()).unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)));
    // a cancellation without its reason (the store checks too, not only the form)
    let bad = vec![decide("goal", r.proposed_goal, Disposition::Cancel, " ")];
    assert!(store.close_case(r.client, &det, &bad, "Summary.", "Sam", now()).is_err());
    // a choice the item does not allow
    let bad = vec![decide("goal", r.proposed_goal, Disposition::Complete, "")];
    assert!(store.close_case(r.client, &det, &bad, "Summary.", "Sam", now()).is_err());
    // the list changed since it was shown: the action item was done meanwhile
    store.complete_action(r.action_item, now()).unwrap();
    let before = {
        let mut b = before;
        b.tables = export(&store, r.client).tables;
        b
    };
    let stale = vec![decide("action-item", r.action_item, Disposition::Cancel, "not needed")];
    let e = store.close_case(r.client, &det, &stale, "Summary.", "Sam", now()).unwrap_err();
    assert!(e.to_string().contains("changed since"), "{e}");
    assert_eq!(export(&store, r.client).tables, before.tables, "nothing half-saved");
    // a closing day before the episode opened
    let early = details(ClosureReason::GoalsMet, "2026-01-01", None);
    assert!(store.close_case(r.client, &early, &[], "Summary.", "Sam", now()).is_err());
    // closing twice
    store.close_case(r.client, &det, &[], "Summary.", "Sam", now()).unwrap();
    assert!(matches!(
        store.close_case(r.client, &det, &[], "Summary.", "Sam", now()),
        Err(StoreError::Refused(_))
    ));
}

#[test]
fn a_closure_undone_the_same_day_puts_the_items_back() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    let adv_outcome = store.advocacy_item(r.advocacy).unwrap().outcome;
    let id = store
        .close_case(
            r.client,
            &details(ClosureReason::GoalsMet, "2026-11-23", Some("2027-01-10")),
            &decisions(&r),
            "Summary.",
            "Sam",
            now(),
        )
        .unwrap();
    assert!(store.closure_undoable(r.client, now() + Duration::hours(3)).unwrap());
    let undo =
        Reopen { mode: ReopenMode::Undo, reason: "Closed the wrong client".into(), opened_on: today() };
    let Reopened::Undone(report) =
        store.reopen_case(r.client, &undo, "Sam", now() + Duration::hours(3)).unwrap()
    else {
        panic!("undone expected")
    };
    assert_eq!(report.kept.len(), 1, "{:?}", report.kept);
    assert!(report.kept[0].contains("stays signed"));
    assert_eq!(store.client(r.client).unwrap().status.as_str(), "open");
    let eps = store.episodes(r.client).unwrap();
    assert_eq!(eps.len(), 1, "the same episode goes on");
    assert_eq!(eps[0].closed_on, None);
    assert_eq!(store.goal(r.active_goal).unwrap().status, GoalStatus::Active);
    assert_eq!(store.goal(r.proposed_goal).unwrap().status, GoalStatus::Proposed);
    let adv = store.advocacy_item(r.advocacy).unwrap();
    assert!(adv.closed_on.is_none());
    assert_eq!(adv.outcome, adv_outcome);
    assert!(store.alert(r.alert).unwrap().acknowledged_at.is_none());
    assert_eq!(store.client(r.client).unwrap().open_alerts, 1, "the alert shows again");
    assert!(store.note(r.unsigned_note).unwrap().is_signed(), "a signed note stays locked");
    let c = store.closure(id).unwrap();
    assert!(!c.in_force());
    assert_eq!(c.undone_reason, "Closed the wrong client");
    assert!(
        store
            .closure_items(id)
            .unwrap()
            .iter()
            .filter(|i| i.action != Disposition::Leave)
            .filter(|i| i.undone)
            .count()
            == 4
    );
    let tl = store.timeline(r.client, Default::default(), 100, None).unwrap();
    assert!(tl.iter().any(|e| e.summary.starts_with("Closure of episode 1 undone: Closed the wrong client")));
    // the undone closure's follow-up is not on Today, and the case can be closed again
    assert!(!due(&store, now() + Duration::days(60)).iter().any(|(r, _)| r == "closure-follow-up"));
    store
        .close_case(
            r.client,
            &details(ClosureReason::GoalsMet, "2026-11-23", None),
            &[],
            "Again.",
            "Sam",
            now(),
        )
        .unwrap();
    assert_eq!(store.closures(r.client).unwrap().len(), 2);
}

#[test]
fn reopening_later_starts_a_new_episode_and_nothing_is_lost() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    let before = export(&store, r.client);
    store
        .close_case(
            r.client,
            &details(ClosureReason::GoalsMet, "2026-11-23", None),
            &decisions(&r),
            "Summary.",
            "Sam",
            now(),
        )
        .unwrap();
    let next_week = now() + Duration::days(7);
    assert!(!store.closure_undoable(r.client, next_week).unwrap());
    let undo = Reopen { mode: ReopenMode::Undo, reason: "too late".into(), opened_on: today() };
    let e = store.reopen_case(r.client, &undo, "Sam", next_week).unwrap_err();
    assert!(e.to_string().contains("can no longer be undone"), "{e}");
    let again = Reopen {
        mode: ReopenMode::NewEpisode,
        reason: "New referral from the GP".into(),
        opened_on: d("2026-11-30"),
    };
    assert_eq!(store.reopen_case(r.client, &again, "Sam", next_week).unwrap(), Reopened::NewEpisode(2));
    assert_eq!(store.client(r.client).unwrap().status.as_str(), "open");
    let n = note(&mut store, r.client, "2026-11-23 09:00", "phone", "5", "Back again.");
    let eps = store.episodes(r.client).unwrap();
    assert_eq!(eps.len(), 2);
    assert_eq!(eps[0].closed_on, Some(d("2026-11-23")), "episode 1 stays closed and readable");
    let ep2: i64 = count(&path, "SELECT episode_id FROM notes WHERE id = ?1", n);
    assert_eq!(ep2, eps[1].id, "new records belong to the new episode");
    let ep1 = eps[0].id;

    // every record that was there before closing is still there, still in episode 1
    let after = export(&store, r.client);
    for s in TABLES {
        let Some(idc) = s.id else { continue };
        let ids_after: HashMap<i64, &serde_json::Map<String, serde_json::Value>> =
            after.rows(s.table).iter().map(|row| (row[idc].as_i64().unwrap(), row)).collect();
        for row in before.rows(s.table) {
            let id = row[idc].as_i64().unwrap();
            let kept = ids_after.get(&id).unwrap_or_else(|| panic!("{} {id} lost", s.table));
            if let Some(e) = row.get("episode_id").and_then(|v| v.as_i64()) {
                assert_eq!(e, ep1);
                assert_eq!(kept["episode_id"].as_i64(), Some(ep1), "{} {id} moved episode", s.table);
            }
        }
    }
    for (table, rows) in &before.tables {
        if table.as_str() == "domain_ratings"
            || table.as_str() == "conference_attendees"
            || table.as_str() == "evaluation_outcomes"
        {
            assert!(after.rows(table).len() >= rows.len());
        }
    }
    // and the file exports: JSON reads back, Markdown shows both episodes
    let json = to_json(&after);
    assert_eq!(read_json(json.as_bytes()).unwrap(), after);
    let md = caseload::export::file_md::file_markdown(
        &after,
        &caseload::export::file_md::MdContext { retention_years: 7, offset_secs: 0 },
    );
    assert!(md.contains("### Episode 1: 2026-03-02 to 2026-11-23"), "{md}");
    assert!(md.contains("### Episode 2: opened 2026-11-30, open"));
    assert!(md.contains("First visit. Rent arrears of two months."));
}

#[test]
fn the_post_closure_follow_up_is_on_today_until_done() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    let id = store
        .close_case(
            r.client,
            &details(ClosureReason::GoalsMet, "2026-11-23", Some("2026-12-01")),
            &[],
            "Summary.",
            "Sam",
            now(),
        )
        .unwrap();
    assert!(!due(&store, now()).iter().any(|(r, _)| r == "closure-follow-up"), "not due within the week yet");
    let later = now() + Duration::days(6);
    let items = due(&store, later);
    assert!(items.iter().any(|(r, t)| r == "closure-follow-up" && t.contains("due in 2 days")), "{items:?}");
    store.complete_closure_follow_up(id, later).unwrap();
    assert!(!due(&store, later).iter().any(|(r, _)| r == "closure-follow-up"));
    assert!(store.complete_closure_follow_up(id, later).is_err(), "done once");
}

#[test]
fn retention_lists_old_files_and_destroying_leaves_only_the_minimal_record() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let old = rich_client(&mut store, "Olga");
    let other = rich_client(&mut store, "Bea");
    // a note of another client rewritten onto the old one, and moved from it
    let stray = note(&mut store, other.client, "2026-05-01 10:00", "phone", "5", "About Olga by mistake.");
    store.mark_note_in_error(stray, "Wrong client", Some(old.client), now()).unwrap();
    store
        .close_case(
            old.client,
            &details(ClosureReason::GoalsMet, "2026-11-23", None),
            &[],
            "Summary of Olga.",
            "Sam",
            now(),
        )
        .unwrap();
    let years = store.settings().unwrap().retention_years;
    assert_eq!(years, 7);
    assert!(store.past_retention(years, today()).unwrap().is_empty());
    let later = d("2033-11-23");
    let list = store.past_retention(years, later).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].retain_until, d("2033-11-23"));
    assert_eq!(list[0].reference, caseload::domain::client::client_ref(old.client));
    let info = {
        let settings = store.settings().unwrap();
        crate::common::due_checked(
            &store,
            &DueContext {
                now: now() + Duration::days(7 * 366),
                today: later,
                settings: &settings,
                since: None,
            },
        )
    };
    assert!(info.iter().any(|i| i.rule == "retention" && i.title.contains("past its retention date")));
    // the day before, it must be kept
    let e =
        store.destroy_file(old.client, &list[0].reference, years, "Sam", d("2033-11-22"), now()).unwrap_err();
    assert!(e.to_string().contains("must be kept until 2033-11-23"), "{e}");
    assert!(e.to_string().contains("(7 years after closure)"), "{e}");
    // one year is a year, not "1 years"
    let e = store.destroy_file(old.client, &list[0].reference, 1, "Sam", d("2026-11-24"), now()).unwrap_err();
    assert!(e.to_string().contains("(1 year after closure)"), "{e}");
    // the reference must be typed
    assert!(store.destroy_file(old.client, "C-9999", years, "Sam", later, now()).is_err());
    // an open case is never destroyed
    assert!(store
        .destroy_file(
            other.client,
            &caseload::domain::client::client_ref(other.client),
            0,
            "Sam",
            later,
            now()
        )
        .is_err());
    // a draft left for the client goes too
    store
        .save_draft(
            &caseload::store::drafts::Draft {
                key: format!("note:new:{}", old.client),
                kind: "note-new".into(),
                client_id: Some(old.client),
                title: "Note".into(),
                payload: "{\"body\":\"private words\"}".into(),
                updated_at: None,
            },
            now(),
        )
        .unwrap();
    let file = store
        .destroy_file(old.client, &list[0].reference.to_lowercase(), years, "Sam Worker", later, now())
        .unwrap();
    assert_eq!(file.closed_on, today());
    assert!(store.client(old.client).is_err());
    let conn = rusqlite::Connection::open(&path).unwrap();
    for s in TABLES {
        let n: i64 = match s.owner {
            Owner::Itself => conn
                .query_row("SELECT count(*) FROM clients WHERE id = ?1", [old.client], |r| r.get(0))
                .unwrap(),
            Owner::Client => conn
                .query_row(
                    &format!("SELECT count(*) FROM {} WHERE client_id = ?1", s.table),
                    [old.client],
                    |r| r.get(0),
                )
                .unwrap(),
            Owner::Parent(..) => continue,
        };
        assert_eq!(n, 0, "{} rows left", s.table);
    }
    for t in ["search_index", "drafts"] {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {t} WHERE client_id = ?1"), [old.client], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "{t} rows left");
    }
    assert_eq!(
        store
            .search("Olga", &Default::default(), 10)
            .unwrap()
            .iter()
            .filter(|h| h.client_id == Some(old.client))
            .count(),
        0
    );
    let problems = store.check().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    // the other client's record is whole, its note no longer points into the destroyed file
    assert!(store.note(stray).unwrap().entered_in_error);
    assert_eq!(store.client(other.client).unwrap().given_name, "Bea");
    // what is left: the reference and dates, no name
    let left = store.destroyed_files().unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].reference, list[0].reference);
    assert_eq!(left[0].destroyed_by, "Sam Worker");
    let row: String = conn
        .query_row("SELECT reference || closed_on || retain_until || destroyed_at || destroyed_by FROM destroyed_clients", [], |r| r.get(0))
        .unwrap();
    assert!(!row.contains("Olga") && !row.contains("Example"));
    // the number is never given to anyone else
    let newcomer = add_client(&mut store, "Newt", "Example", "2026-11-01");
    assert!(newcomer > old.client.max(other.client));
    // mandated reports are still never deleted outside a destruction
    assert!(conn.execute("DELETE FROM mandated_reports WHERE client_id = ?1", [other.client]).is_err());
}

/// Every record of `a` is in `b`, equal field by field once numbers are mapped (`b` is the
/// same file after an import into another database).
fn assert_same_file(a: &ClientFileDoc, b: &ClientFileDoc) {
    let mut maps: HashMap<&str, HashMap<i64, i64>> = HashMap::new();
    for s in TABLES {
        if let Some(idc) = s.id {
            let m = maps.entry(s.table).or_default();
            for (x, y) in a.rows(s.table).iter().zip(b.rows(s.table)) {
                m.insert(x[idc].as_i64().unwrap(), y[idc].as_i64().unwrap());
            }
        }
    }
    let map = |table: &str, v: &serde_json::Value| -> serde_json::Value {
        match v.as_i64() {
            Some(old) => maps
                .get(table)
                .and_then(|m| m.get(&old))
                .map(|n| (*n).into())
                .unwrap_or(serde_json::Value::Null),
            None => serde_json::Value::Null,
        }
    };
    for s in TABLES {
        let (ra, rb) = (a.rows(s.table), b.rows(s.table));
        if s.table == "events" {
            assert_eq!(rb.len(), ra.len() + 1, "one event says the file was transferred in");
        } else {
            assert_eq!(ra.len(), rb.len(), "{}", s.table);
        }
        for (x, y) in ra.iter().zip(rb) {
            assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>(), "{}", s.table);
            for (col, v) in x {
                let expected = if Some(col.as_str()) == s.id {
                    map(s.table, v)
                } else if col == "client_id" {
                    map("clients", v)
                } else if matches!(s.owner, Owner::Parent(c, _) if c == col) {
                    let Owner::Parent(_, p) = s.owner else { unreachable!() };
                    map(p, v)
                } else if let Some(Ref::To(_, target)) =
                    s.refs.iter().find(|r| matches!(r, Ref::To(c, _) if c == col))
                {
                    map(target, v)
                } else if s.refs.iter().any(|r| matches!(r, Ref::Outside(c, _) if c == col)) {
                    // the directory is not part of a client's file: the provider's name stays
                    serde_json::Value::Null
                } else if let Some(Ref::ByKind(k, _)) =
                    s.refs.iter().find(|r| matches!(r, Ref::ByKind(_, c) if c == col))
                {
                    let kind = x[*k].as_str().unwrap_or("");
                    match RECORD_KINDS.iter().find(|(rk, _)| *rk == kind) {
                        Some((_, t)) => map(t, v),
                        None => serde_json::Value::Null,
                    }
                } else if s.table == "clients" && col == "updated_at" {
                    continue;
                } else {
                    v.clone()
                };
                assert_eq!(&y[col], &expected, "{}.{col}", s.table);
            }
        }
    }
}

#[test]
fn demo_clients_exported_and_imported_into_an_empty_database_are_equal() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    caseload::demo::generate(
        &mut store,
        &caseload::demo::DemoOptions { clients: 40, seed: 9, notes_per_client: 4 },
        now(),
    )
    .unwrap();
    let (_d2, path2) = temp_db();
    let mut target = Store::open(&path2).unwrap();
    let ids = store.client_ids(true, Default::default()).unwrap();
    let mut closed = 0;
    let mut reopened = 0;
    let mut transferred = 0;
    for id in ids {
        let a = export(&store, id);
        let json = to_json(&a);
        // what the streaming writer writes is the document, byte for byte
        let mut streamed = Vec::new();
        let opts = ExportOptions { include_errors: true, ..Default::default() };
        caseload::export::file::write_json(
            &store,
            id,
            &opts,
            "Sam Worker",
            now(),
            &mut streamed,
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(String::from_utf8(streamed).unwrap(), json, "streamed JSON of client {id}");
        let doc = read_json(json.as_bytes()).unwrap();
        let imported = caseload::import::client_file::import(&mut target, &doc, true, now()).unwrap();
        let b = export(&target, imported.client_id);
        assert_same_file(&a, &b);
        closed += usize::from(!a.rows("closures").is_empty());
        reopened += usize::from(a.rows("episodes").len() > 1);
        transferred += usize::from(a.rows("events").iter().any(|e| e["kind"] == "transferred-in"));
        // searchable as before
        let words = |s: &Store, c: i64| -> i64 {
            s.conn_count("SELECT count(*) FROM search_index WHERE client_id = ?1", c)
        };
        assert_eq!(words(&store, id), words(&target, imported.client_id), "search rows of {}", a.head.client);
    }
    assert!(closed > 0 && reopened > 0, "the demo has closed ({closed}) and reopened ({reopened}) cases");
    assert_eq!(transferred, 1, "and one file transferred in");
    assert!(target.check().unwrap().is_empty());
}

trait Count {
    fn conn_count(&self, sql: &str, c: i64) -> i64;
}
impl Count for Store {
    fn conn_count(&self, sql: &str, c: i64) -> i64 {
        count(self.path(), sql, c)
    }
}

#[test]
fn a_rich_file_survives_the_trip_too() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    store
        .close_case(
            r.client,
            &details(ClosureReason::Transferred, "2026-11-23", Some("2027-01-10")),
            &decisions(&r),
            "Summary.",
            "Sam",
            now(),
        )
        .unwrap();
    let a = export(&store, r.client);
    let (_d2, path2) = temp_db();
    let mut target = Store::open(&path2).unwrap();
    let imported = caseload::import::client_file::import(
        &mut target,
        &read_json(to_json(&a).as_bytes()).unwrap(),
        false,
        now(),
    )
    .unwrap();
    assert!(imported.warnings.is_empty());
    let b = export(&target, imported.client_id);
    assert_same_file(&a, &b);
    // the transferred file works in its new home: undo is for the day it was recorded
    assert_eq!(target.client(imported.client_id).unwrap().status.as_str(), "closed");
    assert_eq!(target.search("Summary", &Default::default(), 5).unwrap().len(), 1);
    let tl = target.timeline(imported.client_id, Default::default(), 200, None).unwrap();
    assert!(tl.iter().any(|e| e.summary.contains("Transferred in")));
}

#[test]
fn import_refuses_newer_damaged_and_foreign_files_and_warns_of_duplicates() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    let partial = store.client_file(r.client, &ExportOptions::default(), "Sam", now()).unwrap();
    let json = to_json(&partial);
    let (_d2, path2) = temp_db();
    let mut target = Store::open(&path2).unwrap();
    let nothing = |t: &Store| t.count_clients().unwrap();

    let newer = json.replacen("\"format_version\": 1", "\"format_version\": 2", 1);
    let e = read_json(newer.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("newer caseload"), "{e}");
    let newer_schema = json.replacen(
        &format!("\"schema_version\": {}", caseload::store::latest_version()),
        "\"schema_version\": 999",
        1,
    );
    assert!(read_json(newer_schema.as_bytes()).unwrap_err().to_string().contains("newer caseload"));
    assert!(read_json(b"{\"hello\": 1}").unwrap_err().to_string().contains("not a caseload client file"));
    assert!(read_json(b"\x00\xff garbage").is_err());
    // a file cut short: its header does not parse either, so it is not taken for a client file
    let cut = &json[..json.len() / 2];
    let e = read_json(cut.as_bytes()).unwrap_err().to_string();
    assert!(e.contains("not a caseload client file") && e.contains("Nothing was imported"), "{e}");
    // a field this version does not know: from a newer caseload
    let mut doc = read_json(json.as_bytes()).unwrap();
    doc.tables.get_mut("notes").unwrap()[0].insert("mood".into(), "calm".into());
    let e = caseload::import::client_file::import(&mut target, &doc, false, now()).unwrap_err();
    assert!(e.to_string().contains("newer version"), "{e}");
    // a record breaking a rule: refused whole
    let mut doc = read_json(json.as_bytes()).unwrap();
    doc.tables.get_mut("goals").unwrap()[0].insert("status".into(), "dreaming".into());
    let e = caseload::import::client_file::import(&mut target, &doc, false, now()).unwrap_err();
    assert!(e.to_string().contains("breaks a rule"), "{e}");
    assert!(!e.to_string().contains("Pay the rent"), "no client data in the message");
    assert_eq!(nothing(&target), 0, "nothing half-imported");
    let n: i64 = rusqlite::Connection::open(&path2)
        .unwrap()
        .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);

    let doc = read_json(json.as_bytes()).unwrap();
    let first = caseload::import::client_file::import(&mut target, &doc, false, now()).unwrap();
    assert_eq!(first.warnings.len(), 1, "notes entered in error were left out of the export");
    let e = caseload::import::client_file::import(&mut target, &doc, false, now()).unwrap_err();
    assert!(e.to_string().contains(&first.reference) && e.to_string().contains("--allow-duplicate"), "{e}");
    assert_eq!(nothing(&target), 1);
    caseload::import::client_file::import(&mut target, &doc, true, now()).unwrap();
    assert_eq!(nothing(&target), 2);
}

/// What the app could not read back is refused at the door (a note dated "not a date" vanished
/// from every list; -50 minutes made the client's notes fail to load; a 10,000-character name
/// and escape codes went in), naming the record and the field; nothing is imported.
#[test]
fn import_checks_every_value_as_the_forms_would() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    let doc = store.client_file(r.client, &ExportOptions::default(), "Sam", now()).unwrap();
    let (_d2, path2) = temp_db();
    let mut target = Store::open(&path2).unwrap();
    let refused = |target: &mut Store, table: &str, field: &str, value: serde_json::Value| {
        let mut d = doc.clone();
        d.tables.get_mut(table).unwrap()[0].insert(field.into(), value);
        let e = caseload::import::client_file::import(target, &d, true, now()).unwrap_err().to_string();
        assert_eq!(target.count_clients().unwrap(), 0, "nothing imported for a bad {field}");
        e
    };
    let e = refused(&mut target, "notes", "contact_at", "not a date".into());
    assert!(
        e.contains("notes record 1") && e.contains("\"contact_at\"") && e.contains("not a date and time"),
        "{e}"
    );
    let e = refused(&mut target, "notes", "duration_minutes", (-50).into());
    assert!(e.contains("\"duration_minutes\"") && e.contains("-50 minutes"), "{e}");
    let e = refused(&mut target, "clients", "given_name", "A".repeat(10_000).into());
    assert!(e.contains("\"given_name\"") && e.contains("10000 characters"), "{e}");
    let e = refused(&mut target, "notes", "follow_up_on", "2026-02-30".into());
    assert!(e.contains("\"follow_up_on\"") && e.contains("not a date"), "{e}");
    let e = refused(&mut target, "notes", "contact_type", "\u{1b}]0;pwned\u{7}".into());
    assert!(e.contains("\"contact_type\"") && !e.chars().any(|c| c.is_control()), "{e:?}");
    // escape codes are cleaned as a form cleans them
    let mut d = doc.clone();
    d.tables.get_mut("clients").unwrap()[0].insert("given_name".into(), "Ada\u{1b}[2J\u{7}".into());
    let body = d.tables["notes"][0]["body"].as_str().unwrap().to_string();
    d.tables.get_mut("notes").unwrap()[0].insert("body".into(), format!("{body}\u{1b}[31m red").into());
    let done = caseload::import::client_file::import(&mut target, &d, true, now()).unwrap();
    let c = target.client(done.client_id).unwrap();
    assert_eq!(c.given_name, "Ada[2J");
    let notes = target.notes_page(done.client_id, 100, None).unwrap();
    assert!(notes.iter().all(|n| !n.body.chars().any(|c| c == '\u{1b}')), "no escape code stored");
}

#[test]
fn the_summary_is_drafted_from_the_record() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    let instruments = caseload::domain::instruments::builtin().unwrap();
    let facts = store.closure_facts(r.client, &instruments, now()).unwrap();
    assert_eq!(facts.open_items.len(), 7);
    let typed: Vec<(String, String)> = facts
        .open_items
        .iter()
        .map(|i| match i.kind.as_str() {
            "goal" if i.id == r.proposed_goal => ("cancel".into(), "Client moved away".into()),
            "alert" => ("complete".into(), "Safety plan checked".into()),
            "note" => ("complete".into(), String::new()),
            _ => ("leave".into(), String::new()),
        })
        .collect();
    let decisions = read_decisions(&facts.open_items, &typed).unwrap();
    let det = read_close(
        &CloseInput {
            reason: "moved away".into(),
            closed_on: "today".into(),
            follow_up_on: "+90d".into(),
            follow_up_plan: "A call to check on the new tenancy.".into(),
            ..Default::default()
        },
        today(),
        d("2026-03-02"),
    )
    .unwrap();
    let s = caseload::domain::closure::draft_summary(&facts, &decisions, &det);
    for want in [
        "Why the case opened\nThe case opened on 2026-03-02; the client was referred by GP.",
        "The reason given: Rent arrears after losing work. Two children at home.",
        "2 case notes were recorded from 2026-03-03 to 2026-11-20 (home visit 1, phone 1), 1 h 20 min",
        "G-1 \"Pay the rent on time\" stays active after closure",
        "50 % of the way",
        "G-2 \"Find work near home\" was cancelled at closure (Client moved away).",
        "PHQ-9 fell from 16 (moderately severe) on 2026-03-05 to 6 (mild) on 2026-10-01, 10 points lower.",
        "A safety alert (AL-1) was raised by the PHQ-9 of 2026-10-01 (SC-2): PHQ-9 item 9",
        "it was acknowledged at closure with the note: Safety plan checked.",
        // issue 17 point 4: what the client answered, not the rule's aside on when it fires
        "(SC-2): PHQ-9 item 9 (thoughts of being better off dead or of self-harm) was answered above \"Not at all\"; it was acknowledged at closure",
        "The case closes on 2026-11-23 because the client moved away.",
        "At closure note N-3 was signed.",
        "Still open after closure: goal G-1 (active): Pay the rent on time; action item AI-1 (due 2026-11-30, Lee)",
        "By then neither goal was met in full.",
        "A post-closure check is planned for 2027-02-21: A call to check on the new tenancy.",
    ] {
        assert!(s.contains(want), "missing {want:?} in:\n{s}");
    }
    assert!(!s.contains("whatever the total"), "{s}");
}

#[test]
fn the_markdown_export_of_a_whole_file() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    store
        .close_case(
            r.client,
            &details(ClosureReason::MovedAway, "2026-11-23", Some("2027-02-21")),
            &decisions(&r),
            "Episode 1 opened 2026-03-02 and closed 2026-11-23.\n\nGoals: G-1 completed.\n*Not* markdown | here",
            "Sam Worker, MSW",
            now(),
        )
        .unwrap();
    let back =
        Reopen { mode: ReopenMode::NewEpisode, reason: "New referral".into(), opened_on: d("2026-11-30") };
    store.reopen_case(r.client, &back, "Sam Worker, MSW", now() + Duration::days(7)).unwrap();
    let doc = store
        .client_file(
            r.client,
            &ExportOptions { include_errors: true, ..Default::default() },
            "Sam Worker, MSW",
            now() + Duration::days(7),
        )
        .unwrap();
    let md = caseload::export::file_md::file_markdown(
        &doc,
        &caseload::export::file_md::MdContext { retention_years: 7, offset_secs: 0 },
    );
    insta::assert_snapshot!("client_file_md", md);
}

/// Today's consent and rescreening reminders are for open cases only: they go when the case is
/// closed, come back when it is reopened, and a closed file taken in from elsewhere brings none.
#[test]
fn consent_and_rescreen_reminders_follow_the_case_being_open() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    // a year on: the consent (to 2027-03-03) has expired and the PHQ-9 is long due
    let later = now() + Duration::days(365);
    let reminders = |store: &Store| -> Vec<String> {
        due(store, later)
            .into_iter()
            .filter(|(rule, _)| rule == "consent" || rule == "rescreen")
            .map(|(rule, _)| rule)
            .collect()
    };
    let mut open = reminders(&store);
    open.sort();
    assert_eq!(open, vec!["consent", "rescreen"]);
    store
        .close_case(
            r.client,
            &details(ClosureReason::GoalsMet, "2026-11-23", None),
            &decisions(&r),
            "S.",
            "Sam",
            now(),
        )
        .unwrap();
    assert!(reminders(&store).is_empty(), "{:?}", reminders(&store));
    let flags = |p: &std::path::Path| -> (i64, i64) {
        let conn = rusqlite::Connection::open(p).unwrap();
        let c = conn.query_row("SELECT sum(case_open) FROM consents", [], |x| x.get(0)).unwrap();
        let s = conn.query_row("SELECT sum(case_open) FROM screening_latest", [], |x| x.get(0)).unwrap();
        (c, s)
    };
    assert_eq!(flags(&path), (0, 0));
    // the closed file taken into another caseload stays quiet there
    let a = export(&store, r.client);
    let (_d2, path2) = temp_db();
    let mut target = Store::open(&path2).unwrap();
    caseload::import::client_file::import(
        &mut target,
        &read_json(to_json(&a).as_bytes()).unwrap(),
        false,
        now(),
    )
    .unwrap();
    assert!(reminders(&target).is_empty());
    assert_eq!(flags(&path2), (0, 0));
    // reopened (a new episode): the reminders are back
    let again =
        Reopen { mode: ReopenMode::NewEpisode, reason: "Back again".into(), opened_on: d("2026-11-30") };
    store.reopen_case(r.client, &again, "Sam", now() + Duration::days(7)).unwrap();
    let mut back = reminders(&store);
    back.sort();
    assert_eq!(back, vec!["consent", "rescreen"]);
}

/// Each consent to share still valid at closure is listed with a choice: let it run to its end
/// date, end it at closure (its last day becomes the closing day, with a timeline line), or
/// keep it for the post-closure follow-up (which then needs a date). A same-day undo puts the
/// ended consent's end date back.
#[test]
fn consents_still_valid_at_closure_are_each_decided() {
    use caseload::domain::coordination::{validate_consent, ConsentInput};
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    let mut add = |to: &str, covers: &str, expires: &str| {
        let c = validate_consent(
            &ConsentInput {
                to_name: to.into(),
                covers: covers.into(),
                signed_on: "2026-03-03".into(),
                expires_on: expires.into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
        store.add_consent(r.client, &c, None, now()).unwrap()
    };
    let school = add("Hillside School", "attendance", "2027-01-31");
    let housing = add("Northside Housing", "tenancy and rent", "2027-06-30");
    let expired = add("Old Landlord", "", "2026-06-30");
    let items = store.open_items(r.client, today()).unwrap();
    let consents: Vec<_> = items.iter().filter(|i| i.kind == RecordKind::Consent).collect();
    // the GP's (covering everything), the school's and the housing office's; not the expired one
    assert_eq!(consents.len(), 3, "{consents:?}");
    assert!(consents.iter().all(|c| c.id != expired));
    // still valid is judged on the day the practitioner closes, not the machine's clock
    let on = |day: &str| {
        let items = store.open_items(r.client, d(day)).unwrap();
        items.iter().filter(|i| i.kind == RecordKind::Consent).count()
    };
    assert_eq!(on("2026-06-30"), 4, "on its last day the old landlord's is still valid");
    assert_eq!(on("2027-02-01"), 2, "the school's ended the day before");
    let gp = consents[0];
    assert!(gp.label.contains("Dr Anika Rao (everything), valid until 2027-03-03"), "{}", gp.label);
    for c in &consents {
        assert_eq!(c.choices[0].disposition, Disposition::Leave, "letting it run is the default");
        assert_eq!(c.choices[0].label, "Let it run to its end date");
        assert!(c.choice(Disposition::Cancel).is_some_and(|x| x.label == "End it at closure"));
        assert!(c.choice(Disposition::Complete).is_some_and(|x| x.label.contains("post-closure follow-up")));
    }
    let decisions = vec![
        decide("consent", gp.id, Disposition::Cancel, ""),
        decide("consent", school, Disposition::Leave, ""),
        decide("consent", housing, Disposition::Complete, ""),
    ];
    // kept for a follow-up that is not planned: refused, nothing written
    let e = store
        .close_case(
            r.client,
            &details(ClosureReason::MovedAway, "2026-11-23", None),
            &decisions,
            "Summary.",
            "Sam Worker, MSW",
            now(),
        )
        .unwrap_err();
    assert!(matches!(&e, StoreError::Invalid(v) if v[0].field == "follow_up_on"), "{e:?}");
    assert_eq!(store.client(r.client).unwrap().status.as_str(), "open");

    let det = details(ClosureReason::MovedAway, "2026-11-23", Some("2027-02-21"));
    let instruments = caseload::domain::instruments::builtin().unwrap();
    let facts = store.closure_facts(r.client, &instruments, now()).unwrap();
    let summary = caseload::domain::closure::draft_summary(&facts, &decisions, &det);
    assert!(summary.contains("consent RI-1 was ended on 2026-11-23"), "{summary}");
    assert!(summary.contains("valid until 2027-01-31 (left to run)"), "{summary}");
    assert!(summary.contains("to share tenancy and rent with Northside Housing, valid until 2027-06-30 (kept for the post-closure follow-up)"), "{summary}");
    let id = store.close_case(r.client, &det, &decisions, &summary, "Sam Worker, MSW", now()).unwrap();

    let by_id =
        |store: &Store, id: i64| store.consents(r.client).unwrap().into_iter().find(|c| c.id == id).unwrap();
    assert_eq!(
        by_id(&store, gp.id).expires_on,
        Some(d("2026-11-23")),
        "ended: its last day is the closing day"
    );
    assert_eq!(by_id(&store, school).expires_on, Some(d("2027-01-31")), "left to run");
    assert_eq!(by_id(&store, housing).expires_on, Some(d("2027-06-30")), "kept");
    let recorded = store.closure_items(id).unwrap();
    let consent_items: Vec<_> = recorded.iter().filter(|i| i.kind == "consent").collect();
    assert_eq!(consent_items.len(), 3, "every choice is recorded with the closure");
    let tl = store.timeline(r.client, Default::default(), 100, None).unwrap();
    assert!(
        tl.iter().any(|e| e.summary == "Consent RI-1 ended at case closure: its last day is 2026-11-23"
            && e.record_kind == Some(RecordKind::Consent)),
        "{:?}",
        tl.iter().map(|e| &e.summary).collect::<Vec<_>>()
    );
    assert!(tl.iter().any(|e| e.summary.contains("kept after case closure for the post-closure follow-up")));

    // undone the same day: the GP's consent runs to its own end date again
    let undo = Reopen { mode: ReopenMode::Undo, reason: "Closed too soon".into(), opened_on: today() };
    store.reopen_case(r.client, &undo, "Sam Worker, MSW", now()).unwrap();
    assert_eq!(by_id(&store, gp.id).expires_on, Some(d("2027-03-03")));
}

/// The summary drafted from a stored episode tells why it opened (the needs assessed, each
/// once), the practitioner's note on a goal completed before closure, and the risk history: a
/// HIGH risk from others raised by the assessment and lowered with a reason.
#[test]
fn the_summary_tells_the_needs_the_goal_notes_and_the_risk_history_from_the_store() {
    use caseload::domain::assessment::{validate_assessment, AssessmentInput, RiskArea};
    use caseload::domain::plan::StatusChange;
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    let a = validate_assessment(
        &AssessmentInput {
            assessed_on: "2026-03-04".into(),
            needs: "housing: arrears of three months\nfood: skipping meals\nhousing: damp in the bedroom"
                .into(),
            sections: vec![],
            risks: vec![(RiskArea::FromOthers, "high".into(), "Ex-partner knows the address.".into())],
            ratings: vec![],
        },
        today(),
    )
    .unwrap();
    store.add_assessment(r.client, &a, None, now() - Duration::days(200)).unwrap();
    let flag = store.risk_flags(r.client).unwrap()[0].id;
    store.review_flag(flag, true, None, "Moved to a safe address.", "Sam Worker, MSW", now()).unwrap();
    let done = StatusChange {
        to: GoalStatus::Completed,
        reason: "Six months paid on time; the landlord wrote to say so.".into(),
        on: today(),
    };
    store.set_goal_status(r.active_goal, &done, "Sam Worker, MSW", now()).unwrap();

    let instruments = caseload::domain::instruments::builtin().unwrap();
    let facts = store.closure_facts(r.client, &instruments, now()).unwrap();
    let s = caseload::domain::closure::draft_summary(
        &facts,
        &[],
        &details(ClosureReason::GoalsMet, "2026-11-23", Some("2027-02-21")),
    );
    for want in [
        "named needs in housing and food.",
        "G-1 \"Pay the rent on time\" was completed",
        "The practitioner's note on G-1: \"Six months paid on time; the landlord wrote to say so.\"",
        "A flag for risk from others (F-1) was raised at HIGH on",
        "and was lowered on 2026-11-23: Moved to a safe address.",
        "it was never acknowledged. At closure safety alert AL-1 is not acknowledged.",
        "The case closes on 2026-11-23 because the goals were met.",
        "Not every goal was met in full, though: G-2 stays proposed after closure.",
    ] {
        assert!(s.contains(want), "missing {want:?} in:\n{s}");
    }
    assert_eq!(s.matches("AL-1").count(), 2, "the open alert is told with the risks only: {s}");
    assert!(!s.contains("housing, food, housing") && !s.contains('…'), "{s}");
}
