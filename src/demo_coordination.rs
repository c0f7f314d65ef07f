//! `caseload demo`, coordination and advocacy: professionals around each client, consents
//! (some expiring, some expired), case conferences with action items, transitions, advocacy
//! with deadlines and the occasional mandated report.

use chrono::{DateTime, Days, NaiveDate, Utc};
use fake::rand::rngs::StdRng;
use fake::rand::RngExt;
use rusqlite::Transaction;

use crate::demo::pick;
use crate::domain::consent::Consent;
use crate::domain::coordination::{ActionDraft, AdvocacyDraft, ConferenceDraft, ConsentDraft};
use crate::domain::people::PersonDraft;
use crate::store::coordination::{insert_advocacy, insert_conference, insert_consent};
use crate::store::people::{insert_person, Links};
use crate::store::Result;

const PROFESSIONALS: &[(&str, &str, &str)] = &[
    ("Dr Anika Rao", "GP", "Northside Surgery"),
    ("Ms Helen Ortiz", "class teacher", "St Anne's Primary"),
    ("Mr Colin Price", "landlord", ""),
    ("Jo Whitfield", "probation officer", "Probation Service"),
    ("Sam Okafor", "housing officer", "City Housing"),
    ("Priya Nair", "community psychiatric nurse", "Community Mental Health Team"),
    ("Tom Becker", "debt adviser", "Citizens Advice"),
];

const PURPOSES: &[&str] = &[
    "discharge planning after the hospital stay",
    "review of the tenancy and the arrears",
    "school attendance and support at home",
    "multi-agency safety planning",
    "review of the care plan before the benefits appeal",
];

const BARRIERS: &[(&str, &str)] = &[
    ("benefit stopped after a missed letter", "benefits office"),
    ("repairs to the damp bedroom not done", "landlord"),
    ("refused a school place near home", "school"),
    ("energy supplier threatening disconnection", "utility company"),
    ("housing application stuck for months", "housing office"),
    ("GP registration refused without ID", "health service"),
];

fn days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new((-n) as u64)).unwrap_or(d)
    }
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
    }
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
    let now_s = crate::store::now_db(now);
    let mut n = 0;
    let mut names = Vec::new();
    for _ in 0..rng.random_range(1..4) {
        let (name, role, org) = *pick(rng, PROFESSIONALS);
        if names.contains(&name) {
            continue;
        }
        insert_person(tx, client_id, &contact(name, role, org, rng), &Links::default(), &now_s)?;
        names.push(name);
        n += 1;
        // most have a consent: valid, expiring soon or expired
        if rng.random_bool(0.8) {
            let signed = days(until, -rng.random_range(30..400)).max(from);
            let expires = match rng.random_range(0..10) {
                0 | 1 => days(until, rng.random_range(1..25)), // expiring soon
                2 => days(until, -rng.random_range(1..40)),    // expired
                _ => days(until, rng.random_range(60..300)),   // valid
            }
            .max(signed);
            let covers =
                pick::<&str>(rng, &["", "medical history", "housing, income", "school reports"]).to_string();
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
        let held = days(until, -rng.random_range(0..60)).max(from);
        let actions = vec![
            ActionDraft {
                owner: "Practitioner".into(),
                text: "chase the housing application".into(),
                due_on: Some(days(held, 7)),
            },
            ActionDraft {
                owner: names.first().map(|s| s.to_string()).unwrap_or_default(),
                text: "send the report before the review".into(),
                due_on: Some(days(held, 14)),
            },
        ];
        let d = ConferenceDraft {
            held_at: held.and_hms_opt(10, 0, 0).map(|t| t.and_utc()).unwrap_or(now),
            purpose: pick(rng, PURPOSES).to_string(),
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
            rusqlite::params![id, crate::domain::dates::format_date(days(until, -10))],
        )?;
        n += 1;
    }
    if rng.random_bool(0.15) {
        let on = days(until, -rng.random_range(0..90)).max(from);
        tx.execute(
            "INSERT INTO transitions (client_id, episode_id, kind, on_date, from_service, to_service, handed_over, follow_up_on, created_at) \
             VALUES (?1, (SELECT id FROM episodes WHERE client_id = ?1 ORDER BY number DESC LIMIT 1), 'hospital-discharge', ?2, \
             'City Hospital, ward 7', 'home with community nursing', 'Discharge letter, medication list, district nurse contact.', ?3, ?4)",
            rusqlite::params![client_id, crate::domain::dates::format_date(on), crate::domain::dates::format_date(days(on, 7)), now_s],
        )?;
        // a follow-up long past was done at the time
        tx.execute(
            "UPDATE transitions SET follow_up_done = follow_up_on WHERE id = last_insert_rowid() AND follow_up_on < ?1",
            [crate::domain::dates::format_date(days(until, -5))],
        )?;
        let id = tx.last_insert_rowid();
        crate::store::clients::log_record_event(
            tx,
            client_id,
            &format!("{}T12:00:00Z", crate::domain::dates::format_date(on)),
            &now_s,
            "transition",
            "hospital discharge: City Hospital, ward 7 → home with community nursing",
            Some((crate::domain::record::RecordKind::Transition, id)),
        )?;
        n += 1;
    }
    if rng.random_bool(0.3) {
        let (barrier, target) = *pick(rng, BARRIERS);
        let opened = days(until, -rng.random_range(5..120)).max(from);
        let d = AdvocacyDraft {
            barrier: barrier.into(),
            target: target.into(),
            deadline: rng.random_bool(0.6).then(|| days(until, rng.random_range(-3..30))),
            opened_on: opened,
            first_action: "Wrote a letter setting out the client's situation and asked for a review.".into(),
        };
        insert_advocacy(tx, client_id, &d, now)?;
        n += 1;
    }
    if rng.random_bool(0.03) {
        let at = days(until, -rng.random_range(1..200)).max(from);
        tx.execute(
            "INSERT INTO mandated_reports (client_id, episode_id, kind, agency, reported_at, reference_number, what_reported, reported_by, created_at) \
             VALUES (?1, (SELECT id FROM episodes WHERE client_id = ?1 ORDER BY number DESC LIMIT 1), 'child-protection', \
             'Children''s Services duty team', ?2, ?3, 'Concern reported about the children being left alone overnight.', \
             'Demo Practitioner', ?4)",
            rusqlite::params![client_id, format!("{}T15:30:00Z", crate::domain::dates::format_date(at)), format!("CS-{}", rng.random_range(10000..99999)), now_s],
        )?;
        let id = tx.last_insert_rowid();
        crate::store::clients::log_record_event(
            tx,
            client_id,
            &format!("{}T15:30:00Z", crate::domain::dates::format_date(at)),
            &now_s,
            "report",
            "Mandated child protection report to Children's Services duty team",
            Some((crate::domain::record::RecordKind::MandatedReport, id)),
        )?;
        n += 1;
    }
    Ok(n)
}
