//! `caseload demo` makes the caseload a practitioner has today (issue 19 point 10): checked on
//! a fixed seed through the database and `caseload due --json`.

use crate::common::{self, caseload, json, stderr};

fn one(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{e}: {sql}"))
}

fn latest(conn: &rusqlite::Connection, sql: &str) -> String {
    conn.query_row(sql, [], |r| r.get::<_, Option<String>>(0))
        .unwrap_or_else(|e| panic!("{e}: {sql}"))
        .unwrap_or_default()
}

#[test]
fn demo_of_forty_is_a_caseload_of_today() {
    let (_d, db) = common::temp_db();
    let o = caseload(&db, &["demo", "--clients", "40", "--seed", "7"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let after = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let today = chrono::Utc::now().date_naive();
    let conn = rusqlite::Connection::open(&db).unwrap();

    let open = one(&conn, "SELECT count(*) FROM clients WHERE status = 'open'");
    assert!((15..=60).contains(&open), "{open} open cases");
    // nearly every open case was in touch in the last month
    let quiet = one(
        &conn,
        "SELECT count(*) FROM clients WHERE status = 'open' \
         AND (last_contact_at IS NULL OR last_contact_at < datetime('now', '-30 days'))",
    );
    assert!(quiet * 10 <= open, "{quiet} of {open} open cases had no contact this month");
    // a long-open case has recent notes: most of an open case's notes are of the last year
    let (recent, all) = conn
        .query_row(
            "SELECT sum(n.contact_at >= datetime('now', '-365 days')), count(*) FROM notes n \
             JOIN clients c ON c.id = n.client_id WHERE c.status = 'open'",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
        )
        .unwrap();
    assert!(recent * 2 > all, "{recent} of {all} notes of open cases are of the last year");

    // nothing happens after the moment the demo ran
    for sql in [
        "SELECT max(contact_at) FROM notes",
        "SELECT max(written_at) FROM notes",
        "SELECT max(updated_at) FROM notes",
        "SELECT max(signed_at) FROM notes",
        "SELECT max(raised_at) FROM risk_flags",
        "SELECT max(raised_at) FROM alerts",
        "SELECT max(administered_on) FROM screenings",
    ] {
        let at = latest(&conn, sql);
        assert!(at.as_str() <= after.as_str(), "{sql}: {at} is after {after}");
    }

    // a file transferred in is nobody else's under another name
    let transferred = one(&conn, "SELECT count(*) FROM clients WHERE external_id LIKE 'TRANSFER-%'");
    assert!(transferred >= 1, "the demo of 40 has a transferred file");
    let twins = one(
        &conn,
        "SELECT count(*) FROM clients t JOIN clients o ON o.id != t.id AND o.date_of_birth IS t.date_of_birth \
         AND o.address = t.address AND o.phone = t.phone WHERE t.external_id LIKE 'TRANSFER-%'",
    );
    assert_eq!(twins, 0, "a transferred file duplicates a client under another name");
    assert_eq!(one(&conn, "SELECT count(*) FROM clients"), 40);

    // a referral goes to a service that answers its need
    let mut stmt = conn
        .prepare(
            "SELECT r.need_domain, (SELECT group_concat(n.name, '|') FROM service_categories sc \
             JOIN need_categories n ON n.id = sc.category_id WHERE sc.service_id = r.service_id) \
             FROM referrals r WHERE r.service_id IS NOT NULL",
        )
        .unwrap();
    let referrals: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default())))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(referrals.len() >= 10, "{} referrals to services", referrals.len());
    for (need, categories) in &referrals {
        let wanted = caseload::demo::referrals::category_for(need);
        assert!(
            categories.split('|').any(|c| c == wanted),
            "a {need} referral went to a service of {categories}"
        );
    }

    let o = caseload(&db, &["due", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let items = json(&o);
    let items = items.as_array().expect("an array of items");
    let sections: Vec<&str> = items.iter().map(|i| i["section"].as_str().unwrap_or("")).collect();
    let order = |s: &str| ["safety", "diary", "due", "backlog"].iter().position(|x| *x == s);
    assert!(sections.iter().all(|s| order(s).is_some()), "{sections:?}");
    assert!(sections.windows(2).all(|w| order(w[0]) <= order(w[1])), "sections in order: {sections:?}");
    assert_eq!(sections.first().copied(), Some("safety"), "Safety first");
    // two or three live safety items: a flag to review and an unacknowledged alert
    let rules = |section: &str| -> Vec<&str> {
        items.iter().filter(|i| i["section"] == section).map(|i| i["rule"].as_str().unwrap_or("")).collect()
    };
    let safety = rules("safety");
    assert!((2..=3).contains(&safety.len()), "{safety:?}");
    assert!(safety.contains(&"safety-flag") && safety.contains(&"safety-alert"), "{safety:?}");
    // what comes before the collapsed backlog fits on a screen or so
    let before_backlog = sections.iter().filter(|s| **s != "backlog").count();
    assert!(before_backlog <= 30, "{before_backlog} lines before the backlog");
    // no rescreen, consent or quiet case of an open case is years overdue
    for i in items {
        let Some(due) =
            i["due_on"].as_str().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        else {
            continue;
        };
        assert!((today - due).num_days() <= 200, "long overdue: {i}");
    }
}

#[test]
fn demo_of_eighty_still_has_at_most_sixty_open_cases() {
    let (_d, db) = common::temp_db();
    let o = caseload(&db, &["demo", "--clients", "80", "--seed", "7", "--notes-per-client", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let open = one(&conn, "SELECT count(*) FROM clients WHERE status = 'open'");
    assert!((15..=60).contains(&open), "{open} open cases of 80");
}

/// The demo makes the records the later features keep, so a new user sees them at work: a
/// diary of planned contacts (today's in Today's diary, yesterday's without its note due now),
/// a consent withdrawn after a referral relied on it, the client's own sex for the genogram,
/// and the finer family relations and emotional ties.
#[test]
fn demo_makes_a_diary_a_withdrawn_consent_and_the_finer_family_ties() {
    let (_d, db) = common::temp_db();
    let o = caseload(&db, &["demo", "--clients", "40", "--seed", "7"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(common::stdout(&o).contains("planned contacts"), "{}", common::stdout(&o));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let planned = one(&conn, "SELECT count(*) FROM visits WHERE state = 'planned'");
    assert!(planned >= 10, "{planned} contacts planned");
    let far = one(&conn, "SELECT count(*) FROM visits WHERE at > datetime('now', '+15 days')");
    assert_eq!(far, 0, "the diary covers the coming two weeks");
    let names = |sql: &str| -> Vec<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
    };
    let relations = names("SELECT DISTINCT relation FROM people");
    for r in ["spouse (married)", "cohabiting partner", "separated partner", "divorced partner"] {
        assert!(relations.iter().any(|x| x == r), "{r} in {relations:?}");
    }
    assert!(one(&conn, "SELECT count(*) FROM people WHERE emotional_tie IS NOT NULL") > 0);
    let sexes = names("SELECT DISTINCT sex FROM clients");
    assert!(sexes.iter().any(|s| s == "female") && sexes.iter().any(|s| s == "male"), "{sexes:?}");
    assert_eq!(one(&conn, "SELECT count(*) FROM clients WHERE family_name LIKE '%\"%'"), 0);
    assert!(one(&conn, "SELECT count(*) FROM consent_reliances") > 0, "a withdrawn consent relied on");
    drop(conn);
    let due = json(&caseload(&db, &["due", "--json"]));
    let items = due.as_array().unwrap();
    let rules: Vec<&str> = items.iter().filter_map(|i| i["rule"].as_str()).collect();
    assert!(rules.contains(&"visit-no-note"), "yesterday's contact has no note: {rules:?}");
    assert!(
        rules.contains(&"consent-withdrawn") || rules.iter().any(|r| r.contains("withdraw")),
        "{rules:?}"
    );
    assert!(items.iter().any(|i| i["section"] == "diary"), "today has a diary");
}
