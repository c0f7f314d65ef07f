//! `caseload demo`: a realistic synthetic caseload to look at and to benchmark. Every person
//! is made up (the `fake` crate); demo data never mixes with real records.
//!
//! It is the caseload a practitioner has today: older cases mostly closed, open ones in touch
//! lately with their activity in recent months, two or three live safety items, referrals to
//! services that answer the need, nothing dated after the moment it runs, and files
//! transferred in moved rather than copied (tests/it/demo_today.rs checks these on a seed).

pub mod assessment;
pub mod clients;
pub mod closure;
pub mod coordination;
pub mod directory;
pub mod notes;
pub mod plan;
pub mod referrals;
pub mod visits;

use std::sync::OnceLock;

use chrono::{DateTime, Days, NaiveDate, Utc};
use fake::rand::rngs::StdRng;
use fake::rand::{RngExt, SeedableRng};
use rusqlite::params;
use serde::de::DeserializeOwned;

use crate::domain::dates::format_date;
use crate::domain::note::ContactType;
use crate::store::clients::{insert_client_row, log_event};
use crate::store::{now_db, Result, Store, StoreError};

pub const DEMO_MARKER: &str = "demo";

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub clients: usize,
    pub seed: u64,
    pub notes_per_client: usize,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions { clients: 50, seed: 1, notes_per_client: 12 }
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct DemoReport {
    pub clients: usize,
    pub closed: usize,
    pub notes: usize,
    pub assessments: usize,
    pub screenings: usize,
    pub people: usize,
    pub coordination: usize,
    /// Synthetic directory entries added (a second run finds them already there).
    pub organisations: usize,
    pub services: usize,
    pub goals: usize,
    pub evaluations: usize,
    pub referrals: usize,
    /// Contacts planned in the diary (today and the coming two weeks).
    pub visits: usize,
    /// Closed cases that came back (a second episode), and files transferred in.
    pub reopened: usize,
    pub transferred: usize,
}

/// Meta keys: the file was made by demo, and how many clients and notes demo put in it.
const DEMO_CLIENTS: &str = "demo_clients";
const DEMO_NOTES: &str = "demo_notes";

/// Refuses a database holding anything demo did not make itself: a real client or note added
/// to a demo file, or a practitioner's own file (even one with only their settings so far).
pub fn check_demo_allowed(store: &Store) -> Result<()> {
    let is_demo = store.meta(DEMO_MARKER)?.as_deref() == Some("true");
    let (clients, notes, other) = store.record_counts()?;
    let made = |key: &str, now: i64| -> Result<i64> {
        // files from before demo counted its records: trust what is there
        Ok(store.meta(key)?.and_then(|v| v.parse().ok()).unwrap_or(now))
    };
    let only_demo = if is_demo {
        clients == made(DEMO_CLIENTS, clients)? && notes == made(DEMO_NOTES, notes)?
    } else {
        clients == 0 && notes == 0 && other == 0
    };
    // A real directory (imported or typed) is real records too: no synthetic services in it.
    if !only_demo || (!is_demo && store.count_services()? > 0) {
        return Err(StoreError::Refused(
            "This database holds real records, so demo will not add synthetic clients to it. \
             Use a new file: caseload --db demo.db demo --clients 50"
                .into(),
        ));
    }
    Ok(())
}

/// How many clients an earlier `caseload demo` put in this database (0: none, or not a demo
/// file), so that a second run can ask before adding more.
pub fn demo_clients(store: &Store) -> Result<i64> {
    if store.meta(DEMO_MARKER)?.as_deref() != Some("true") {
        return Ok(0);
    }
    store.count_clients()
}

/// A client the demo made, as its later phases (plans, referrals) need to know them.
#[derive(Debug, Clone, Copy)]
pub struct DemoClient {
    pub id: i64,
    pub intake: NaiveDate,
    /// Today for an open case, the closing day for a closed one.
    pub until: NaiveDate,
    pub closed: bool,
}

/// A day `n` days after `d` (before it when `n` is negative); `d` itself at the calendar's ends.
pub(crate) fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    }
}

/// A need in a life domain, as the demo's assessments and referrals word it.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Need {
    domain: String,
    text: String,
}

pub(crate) fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// A word list from `assets/demo/` (built into the binary, so the demo runs from anywhere),
/// read the first time it is needed.
fn load<T: DeserializeOwned>(cell: &'static OnceLock<T>, file: &str, json: &str) -> Result<&'static T> {
    if let Some(words) = cell.get() {
        return Ok(words);
    }
    let words = serde_json::from_str(json)
        .map_err(|e| StoreError::Refused(format!("The demo's word list {file} is damaged: {e}")))?;
    Ok(cell.get_or_init(|| words))
}

/// Fills the database with synthetic clients and a synthetic resource directory, in one
/// transaction.
pub fn generate(store: &mut Store, opts: &DemoOptions, now: DateTime<Utc>) -> Result<DemoReport> {
    check_demo_allowed(store)?;
    // Mixing in the existing count makes a second run add different people.
    let mut rng =
        StdRng::seed_from_u64(opts.seed ^ (store.count_clients()? as u64).wrapping_mul(0x9E37_79B9));
    let today = now.date_naive();
    let now_s = now_db(now);
    let mut report = DemoReport::default();
    let instruments =
        crate::domain::instruments::builtin().map_err(|e| StoreError::Refused(e.to_string()))?;
    let mut plans = plan::PlanDemo::default();
    let mut made_clients: Vec<DemoClient> = Vec::new();
    let mut to_close = Vec::new();
    // a few of the clients asked for come as files transferred from another caseload (made
    // here, then moved: exported, imported under another name, the first copy removed)
    let transfers = closure::transfers_for(opts.clients);
    store.write(|tx| {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, 'true') ON CONFLICT(key) DO UPDATE SET value = 'true'",
            [DEMO_MARKER],
        )?;
        for _ in 0..opts.clients {
            let c = clients::synthetic_client(&mut rng, today)?;
            let id = insert_client_row(tx, &c, &now_s)?;
            tx.execute(
                "INSERT INTO episodes (client_id, number, opened_on, created_at) VALUES (?1, 1, ?2, ?3)",
                params![id, format_date(c.intake_date), now_s],
            )?;
            let intake_at = format!("{}T12:00:00Z", format_date(c.intake_date));
            log_event(tx, id, &intake_at, &now_s, "intake", "Intake: case opened (episode 1)")?;
            // Older cases are more often closed.
            let age_days = (today - c.intake_date).num_days();
            let mut until = today;
            let mut is_closed = false;
            if age_days > 180 && rng.random_bool(0.5) {
                let closed =
                    c.intake_date.checked_add_days(Days::new(rng.random_range(60..365))).unwrap_or(today);
                let closed = closed.min(today);
                until = closed;
                // a draw kept so that the other phases stay the same; the reason is chosen
                // when the case is closed through the store (closure.rs)
                let _ = rng.random_range(0..3usize);
                to_close.push(closure::ToClose { client_id: id, on: closed });
                report.closed += 1;
                is_closed = true;
            }
            report.notes += notes::demo_notes(tx, &mut rng, id, &c, until, now, opts.notes_per_client)?;
            let (people, assessments, screenings) =
                assessment::assessment_phase(tx, &mut rng, id, &c, until, now, &instruments)?;
            report.people += people;
            report.assessments += assessments;
            report.screenings += screenings;
            report.coordination +=
                coordination::coordination_phase(tx, &mut rng, id, c.intake_date, until, now)?;
            let client = DemoClient { id, intake: c.intake_date, until, closed: is_closed };
            plan::plan_for_client(tx, &mut rng, &client, now, &mut plans)?;
            made_clients.push(client);
            report.clients += 1;
        }
        // two or three live safety items on open cases (their own draws: the rest stays alike)
        let mut safety_rng = StdRng::seed_from_u64(opts.seed.wrapping_add(0x5AFE));
        assessment::live_safety(tx, &mut safety_rng, &made_clients, now, &instruments)?;
        // what demo made, so that anything added by hand later is told apart
        for (key, added) in [(DEMO_CLIENTS, report.clients), (DEMO_NOTES, report.notes)] {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) \
                 ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + ?2",
                params![key, added as i64],
            )?;
        }
        // last contact, from the notes just written
        tx.execute_batch(&format!(
            "UPDATE clients SET last_contact_at = (SELECT max(contact_at) FROM notes n WHERE n.client_id = clients.id \
             AND n.error_at IS NULL AND n.contact_type IN ({}))",
            ContactType::ALL
                .iter()
                .filter(|t| t.is_client_contact())
                .map(|t| format!("'{}'", t.as_str()))
                .collect::<Vec<_>>()
                .join(",")
        ))?;
        // The same seed every time, so a second run finds the directory already there.
        let directory = directory::demo_directory(directory::DEMO_SERVICES, 1, today)?;
        let r = crate::store::directory::import_in(tx, &directory, &now_s, &mut |_| {})?;
        report.organisations = r.organisations.added;
        report.services = r.services.added;
        // referrals go to the directory's services, so they come after it
        report.referrals = referrals::referrals(tx, &mut rng, &made_clients, now)?;
        Ok(())
    })?;
    // screenings and evaluations go through the store as a person's would (a few dozen)
    plan::finish(store, &mut rng, &mut plans, now)?;
    report.goals = plans.goals;
    report.evaluations = plans.evaluations;
    // closed through the store with their summaries; some reopened; a few transferred in
    let endings = closure::finish(store, &mut rng, &to_close, transfers, now)?;
    // the diary of the coming two weeks, and a consent withdrawn after it was relied on
    report.visits = visits::diary(store, opts.seed, now)?;
    visits::withdrawn_consent(store, now)?;
    report.reopened = endings.reopened;
    report.transferred = endings.transferred;
    report.clients += endings.clients_added;
    report.notes += endings.notes_added;
    store.write(|tx| {
        for (key, added) in [(DEMO_CLIENTS, endings.clients_added), (DEMO_NOTES, endings.notes_added)] {
            tx.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + ?2 WHERE key = ?1",
                params![key, added as i64],
            )?;
        }
        Ok(())
    })?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_empty_list(file: &str, path: &str, v: &serde_json::Value) {
        match v {
            serde_json::Value::Array(items) => {
                assert!(!items.is_empty(), "{file}: {path} is empty, and the demo picks from it");
                for (i, item) in items.iter().enumerate() {
                    no_empty_list(file, &format!("{path}[{i}]"), item);
                }
            }
            serde_json::Value::Object(fields) => {
                for (k, item) in fields {
                    no_empty_list(file, &format!("{path}.{k}"), item);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_word_list_reads_and_none_is_empty() -> std::result::Result<(), Box<dyn std::error::Error>> {
        assessment::words()?;
        clients::words()?;
        closure::words()?;
        coordination::words()?;
        directory::words()?;
        notes::words()?;
        plan::words()?;
        referrals::words()?;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "json") {
                let file = path.display().to_string();
                no_empty_list(&file, "", &serde_json::from_str(&std::fs::read_to_string(&path)?)?);
            }
        }
        Ok(())
    }

    #[test]
    fn a_damaged_word_list_is_a_plain_refusal() {
        static CELL: OnceLock<Vec<String>> = OnceLock::new();
        let e = load(&CELL, "x.json", "[\"a\",").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("The demo's word list x.json is damaged"), "{e}");
    }
}
