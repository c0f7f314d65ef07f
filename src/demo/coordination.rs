//! `caseload demo`, coordination and advocacy: professionals around each client, consents
//! (some expiring, some expired), case conferences with action items, transitions, advocacy
//! with deadlines and the occasional mandated report.

use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, Utc};
use fake::rand::rngs::StdRng;
use fake::rand::RngExt;
use rusqlite::Transaction;
use serde::Deserialize;

use super::{add_days, pick};
use crate::domain::consent::Consent;
use crate::domain::coordination::{ActionDraft, AdvocacyDraft, ConferenceDraft, ConsentDraft};
use crate::domain::dates::format_date;
use crate::domain::people::PersonDraft;
use crate::store::coordination::{insert_advocacy, insert_conference, insert_consent};
use crate::store::people::{insert_person, Links};
use crate::store::Result;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Words {
    professionals: Vec<Professional>,
    /// What a case conference is for.
    purposes: Vec<String>,
    barriers: Vec<Barrier>,
    /// What a consent covers ("" for everything).
    covers: Vec<String>,
}

/// Someone around the client at work: name, role, organisation ("" for none).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Professional {
    name: String,
    role: String,
    organisation: String,
}

/// A barrier the practitioner advocates about, and with whom.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Barrier {
    barrier: String,
    target: String,
}

pub(super) fn words() -> Result<&'static Words> {
    static WORDS: OnceLock<Words> = OnceLock::new();
    super::load(&WORDS, "coordination.json", include_str!("../../assets/demo/coordination.json"))
}

fn contact(name: &str, role: &str, org: &str, rng: &mut StdRng) -> PersonDraft {
    PersonDraft {
        name: name.to_string(),
        relation: "professional".into(),
        sex: "unknown".into(),
        birth_year: None,
        deceased: false,
        in_household: false,
        family: false,
        role: role.to_string(),
        organisation: org.to_string(),
        // 555-01xx numbers are reserved for fiction
        phone: format!("555-01{:02}", rng.random_range(0..100)),
        email: String::new(),
        notes: String::new(),
        tie_strength: Some(pick::<&str>(rng, &["strong", "weak", "weak", "stressful"]).to_string()),
        support_flow: Some(pick::<&str>(rng, &["to-client", "to-client", "both", "none"]).to_string()),
        emotional_tie: None,
    }
}

/// Puts the record just inserted (a `record` row) on the client's timeline: the event `(kind,
/// summary)` that happened at `at` and was written down at `now_s`.
fn log_inserted(
    tx: &Transaction<'_>,
    client_id: i64,
    (at, now_s): (&str, &str),
    (kind, summary): (&str, &str),
    record: crate::domain::record::RecordKind,
) -> Result<()> {
    let id = tx.last_insert_rowid();
    crate::store::clients::log_record_event(tx, client_id, at, now_s, kind, summary, Some((record, id)))
}

/// Coordination records for one client, between `from` (intake) and `until`.
pub fn coordination_phase(
    tx: &Transaction<'_>,
    rng: &mut StdRng,
    client_id: i64,
    from: NaiveDate,
    until: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize> {
    let w = words()?;
    let now_s = crate::store::now_db(now);
    let mut n = 0;
    let mut names = Vec::new();
    for _ in 0..rng.random_range(1..4) {
        let p = pick(rng, &w.professionals);
        let name = p.name.as_str();
        if names.contains(&name) {
            continue;
        }
        insert_person(
            tx,
            client_id,
            &contact(name, &p.role, &p.organisation, rng),
            &Links::default(),
            &now_s,
        )?;
        names.push(name);
        n += 1;
        // most have a consent: valid, expiring soon or expired
        if rng.random_bool(0.8) {
            let signed = add_days(until, -rng.random_range(30..400)).max(from);
            let expires = match rng.random_range(0..10) {
                0 if rng.random_bool(0.25) => add_days(until, rng.random_range(1..25)), // expiring soon
                1 if rng.random_bool(0.2) => add_days(until, -rng.random_range(1..20)), // expired lately
                _ => add_days(until, rng.random_range(60..300)),                        // valid
            }
            .max(signed);
            let covers = pick(rng, &w.covers).to_string();
            let d = ConsentDraft {
                consent: Consent {
                    to_name: name.to_string(),
                    covers: if covers.is_empty() { Vec::new() } else { vec![covers] },
                    signed_on: Some(signed),
                    expires_on: Some(expires),
                    revoked_on: None,
                },
                notes: String::new(),
            };
            insert_consent(tx, client_id, &d, None, now)?;
            n += 1;
        }
    }
    if rng.random_bool(0.4) {
        let held = add_days(until, -rng.random_range(0..60)).max(from);
        let actions = vec![
            ActionDraft {
                owner: "Practitioner".into(),
                text: "chase the housing application".into(),
                due_on: Some(add_days(held, 7)),
            },
            ActionDraft {
                owner: names.first().map(|s| s.to_string()).unwrap_or_default(),
                text: "send the report before the review".into(),
                due_on: Some(add_days(held, 14)),
            },
        ];
        let d = ConferenceDraft {
            held_at: held.and_hms_opt(10, 0, 0).map(|t| t.and_utc()).unwrap_or(now),
            purpose: pick(rng, &w.purposes).to_string(),
            attendees: std::iter::once("Client".to_string())
                .chain(names.iter().map(|s| s.to_string()))
                .collect(),
            agenda: "1. Update from each service\n2. Risks\n3. Plan and actions".into(),
            minutes: "Each service gave an update. The client said what has helped and what has not.".into(),
            decisions: "Keep the current plan; review in six weeks.".into(),
            actions,
        };
        let id = insert_conference(tx, client_id, &d, now)?;
        // older action items were done at the time
        tx.execute(
            "UPDATE action_items SET done_on = due_on WHERE conference_id = ?1 AND due_on < ?2",
            rusqlite::params![id, format_date(until)],
        )?;
        n += 1;
    }
    if rng.random_bool(0.15) {
        let on = add_days(until, -rng.random_range(0..90)).max(from);
        tx.execute(
            "INSERT INTO transitions (client_id, episode_id, kind, on_date, from_service, to_service, handed_over, follow_up_on, created_at) \
             VALUES (?1, (SELECT id FROM episodes WHERE client_id = ?1 ORDER BY number DESC LIMIT 1), 'hospital-discharge', ?2, \
             'City Hospital, ward 7', 'home with community nursing', 'Discharge letter, medication list, district nurse contact.', ?3, ?4)",
            rusqlite::params![client_id, format_date(on), format_date(add_days(on, 7)), now_s],
        )?;
        // a follow-up long past was done at the time
        tx.execute(
            "UPDATE transitions SET follow_up_done = follow_up_on WHERE id = last_insert_rowid() AND follow_up_on < ?1",
            [format_date(add_days(until, -5))],
        )?;
        let at = format!("{}T12:00:00Z", format_date(on));
        let what = "hospital discharge: City Hospital, ward 7 → home with community nursing";
        log_inserted(
            tx,
            client_id,
            (&at, &now_s),
            ("transition", what),
            crate::domain::record::RecordKind::Transition,
        )?;
        n += 1;
    }
    if rng.random_bool(0.3) {
        let b = pick(rng, &w.barriers);
        let opened = add_days(until, -rng.random_range(5..120)).max(from);
        let d = AdvocacyDraft {
            barrier: b.barrier.clone(),
            target: b.target.clone(),
            deadline: rng.random_bool(0.6).then(|| add_days(until, rng.random_range(-3..30))),
            opened_on: opened,
            first_action: "Wrote a letter setting out the client's situation and asked for a review.".into(),
        };
        insert_advocacy(tx, client_id, &d, now)?;
        n += 1;
    }
    if rng.random_bool(0.03) {
        let on = add_days(until, -rng.random_range(1..200)).max(from);
        let at = format!("{}T15:30:00Z", format_date(on));
        tx.execute(
            "INSERT INTO mandated_reports (client_id, episode_id, kind, agency, reported_at, reference_number, what_reported, reported_by, created_at) \
             VALUES (?1, (SELECT id FROM episodes WHERE client_id = ?1 ORDER BY number DESC LIMIT 1), 'child-protection', \
             'Children''s Services duty team', ?2, ?3, 'Concern reported about the children being left alone overnight.', \
             'Demo Practitioner', ?4)",
            rusqlite::params![client_id, at, format!("CS-{}", rng.random_range(10000..99999)), now_s],
        )?;
        let what = "Mandated child protection report to Children's Services duty team";
        log_inserted(
            tx,
            client_id,
            (&at, &now_s),
            ("report", what),
            crate::domain::record::RecordKind::MandatedReport,
        )?;
        n += 1;
    }
    Ok(n)
}
