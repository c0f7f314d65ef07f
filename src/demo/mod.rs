//! `caseload demo`: a realistic synthetic caseload to look at and to benchmark. Every person
//! is made up (the `fake` crate); demo data never mixes with real records.

pub mod assessment;
pub mod closure;
pub mod coordination;
pub mod directory;
pub mod plan;
pub mod referrals;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use fake::faker::name::raw::{FirstName, LastName};
use fake::locales::{DE_DE, EN, FR_FR, PT_BR};
use fake::rand::rngs::StdRng;
use fake::rand::{RngExt, SeedableRng};
use fake::Fake;
use rusqlite::params;

use crate::domain::client::{CaseStatus, Client, REFERRAL_SOURCES};
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
    /// Closed cases that came back (a second episode), and files transferred in.
    pub reopened: usize,
    pub transferred: usize,
}

/// Slots that make synthetic notes read like a varied caseload rather than a few set phrases.
const AGENCIES: &[&str] = &[
    "the housing office",
    "the food bank",
    "the GP surgery",
    "the job centre",
    "the school nurse",
    "the tenancy team",
    "the debt advice service",
    "the community mental health team",
    "the pharmacy",
    "the youth club",
    "the legal aid clinic",
    "the energy company",
    "the council tax office",
    "the refugee support group",
    "the day centre",
    "the probation office",
    "the maternity unit",
];
const TOPICS: &[&str] = &[
    "rent arrears",
    "a damp bedroom",
    "the gas meter",
    "school uniform costs",
    "a missed appointment",
    "the disability assessment",
    "childcare on Tuesdays",
    "the bus pass renewal",
    "a new prescription",
    "the housing application",
    "debt repayments",
    "the water bill",
    "sleep problems",
    "the court letter",
    "a volunteering place",
    "English classes",
    "the benefits review",
    "a referral to counselling",
    "furniture for the flat",
    "the mobility scooter",
    "the dentist",
    "a phone top-up",
    "the allotment",
];
const FEELINGS: &[&str] = &[
    "calmer than last week",
    "tired but hopeful",
    "anxious about money",
    "frustrated with the waiting list",
    "pleased with the progress",
    "low in mood",
    "more confident",
    "worried about the children",
    "relieved",
    "angry about the letter",
    "quiet and withdrawn",
    "motivated",
];

fn varied_sentence(rng: &mut StdRng) -> String {
    match rng.random_range(0..5) {
        0 => format!("Discussed {} and contacted {}.", pick(rng, TOPICS), pick(rng, AGENCIES)),
        1 => format!("Client seemed {}; talked through {}.", pick(rng, FEELINGS), pick(rng, TOPICS)),
        2 => format!("Agreed that {} will help with {}.", pick(rng, AGENCIES), pick(rng, TOPICS)),
        3 => format!(
            "Reviewed {} ({} days since the last review).",
            pick(rng, TOPICS),
            rng.random_range(3..60)
        ),
        _ => format!("Client {} after hearing from {}.", pick(rng, FEELINGS), pick(rng, AGENCIES)),
    }
}

const OPENINGS: &[&str] = &[
    "Met with client at home.",
    "Phoned client to check in.",
    "Client came to the office without an appointment.",
    "Spoke with the client's sister (collateral).",
    "Video call with client and interpreter.",
    "Tried to call; no answer, left no message.",
    "Case conference with housing and health workers.",
    "Completed paperwork for the benefits application.",
];
const MIDDLES: &[&str] = &[
    "Rent arrears discussed; landlord agreed to a payment plan.",
    "Client reports sleeping better since the new medication.",
    "Food bank referral made; client will go on Thursday.",
    "Reviewed the budget together; electricity bill is overdue.",
    "Client worried about the eviction notice and the court date.",
    "School attendance improved this month according to the teacher.",
    "Discussed safety plan; client knows whom to call at night.",
    "Client started the job training course and enjoys it.",
    "GP appointment booked; transport arranged by the clinic.",
    "Client feels isolated; talked about the community centre group.",
];
const PLANS: &[&str] = &[
    "Plan: follow up with the landlord next week.",
    "Plan: check that the benefits letter arrived.",
    "Plan: visit again in two weeks.",
    "Plan: call the clinic about the referral.",
    "Plan: client to bring ID documents next time.",
];

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

const PRONOUNS: &[&str] = &["she/her", "he/him", "they/them", "", ""];
const PROGRAMMES: &[&str] =
    &["Housing First", "Family Support", "Adult Community Care", "Youth Transition", ""];
const LANGUAGES: &[(&str, bool)] = &[
    ("English", false),
    ("English", false),
    ("English", false),
    ("Spanish", true),
    ("Portuguese", true),
    ("French", false),
    ("Arabic", true),
];
const REASONS: &[&str] = &[
    "At risk of eviction after losing work; rent arrears for two months.",
    "Discharged from hospital, lives alone, needs support with daily living and appointments.",
    "School reports frequent absences; family asked for help with housing and benefits.",
    "Referred after a domestic incident; wants help with safety planning and income.",
    "Recently arrived; needs help with registration, language classes and a GP.",
    "Low mood and isolation after bereavement; struggling with bills.",
];

pub(crate) fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn synthetic_client(rng: &mut StdRng, today: NaiveDate) -> Client {
    let (given, family): (String, String) = match rng.random_range(0..10) {
        0..=4 => (FirstName(EN).fake_with_rng(rng), LastName(EN).fake_with_rng(rng)),
        5 | 6 => (FirstName(PT_BR).fake_with_rng(rng), LastName(PT_BR).fake_with_rng(rng)),
        7 | 8 => (FirstName(FR_FR).fake_with_rng(rng), LastName(FR_FR).fake_with_rng(rng)),
        _ => (FirstName(DE_DE).fake_with_rng(rng), LastName(DE_DE).fake_with_rng(rng)),
    };
    let age: u64 = rng.random_range(16..90);
    let dob = today.checked_sub_days(Days::new(age * 365 + rng.random_range(0..365))).unwrap_or(today);
    let estimated = rng.random_bool(0.05);
    let intake = today.checked_sub_days(Days::new(rng.random_range(0..5 * 365))).unwrap_or(today);
    let (language, interpreter) = *pick(rng, LANGUAGES);
    let preferred = if rng.random_bool(0.15) { given.chars().take(3).collect() } else { String::new() };
    Client {
        given_name: given.clone(),
        family_name: family.clone(),
        preferred_name: preferred,
        pronouns: pick(rng, PRONOUNS).to_string(),
        date_of_birth: if estimated { NaiveDate::from_ymd_opt(dob.year(), 7, 1) } else { Some(dob) },
        birth_date_estimated: estimated,
        // 555-01xx numbers are reserved for fiction
        phone: format!("555-01{:02}", rng.random_range(0..100)),
        email: if rng.random_bool(0.5) {
            format!("{}.{}@example.org", given.to_lowercase(), family.to_lowercase()).replace(' ', "")
        } else {
            String::new()
        },
        address: format!("{} Example Street, Springfield", rng.random_range(1..300)),
        language: language.to_string(),
        interpreter_needed: interpreter && rng.random_bool(0.7),
        best_contact: pick(rng, &["mornings", "text first", "after 5pm", "", ""]).to_string(),
        safe_to_leave_message: *pick(rng, &[Some(true), Some(true), Some(false), None]),
        referral_source: pick(rng, REFERRAL_SOURCES).to_string(),
        referral_reason: pick(rng, REASONS).to_string(),
        intake_date: intake,
        programme: pick(rng, PROGRAMMES).to_string(),
        emergency_contact_name: if rng.random_bool(0.6) {
            format!("{} {}", FirstName(EN).fake_with_rng::<String, _>(rng), family)
        } else {
            String::new()
        },
        emergency_contact_phone: format!("555-01{:02}", rng.random_range(0..100)),
        emergency_contact_relation: pick(rng, &["sister", "mother", "friend", "partner", "son"]).to_string(),
        external_id: if rng.random_bool(0.3) {
            format!("EXT-{}", rng.random_range(10000..99999))
        } else {
            String::new()
        },
        status: CaseStatus::Open,
        ..Default::default()
    }
}

/// Notes of all contact types spread from intake to today (or closure); older ones signed.
fn demo_notes(
    tx: &rusqlite::Transaction<'_>,
    rng: &mut StdRng,
    client_id: i64,
    c: &Client,
    until: NaiveDate,
    now: DateTime<Utc>,
    count: usize,
) -> Result<usize> {
    let today = until;
    let open = until == now.date_naive();
    let span = (today - c.intake_date).num_days().max(1);
    let mut stmt = tx.prepare_cached(
        "INSERT INTO notes (client_id, episode_id, contact_at, written_at, updated_at, contact_type, participants, \
         location, duration_minutes, follow_up_on, template, body, signed_at, signed_by) \
         VALUES (?1, (SELECT id FROM episodes WHERE client_id = ?1 ORDER BY number DESC LIMIT 1), ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    // most open cases were in touch recently, as in a real caseload
    let recent_first = open && rng.random_bool(0.75);
    for i in 0..count {
        let day = if i == 0 && recent_first {
            today.checked_sub_days(Days::new(rng.random_range(0..25))).unwrap_or(today).max(c.intake_date)
        } else {
            c.intake_date.checked_add_days(Days::new(rng.random_range(0..span) as u64)).unwrap_or(today)
        };
        let minute = rng.random_range(8 * 60..18 * 60);
        let contact_at = format!("{}T{:02}:{:02}:00Z", format_date(day), minute / 60, minute % 60);
        let written =
            if rng.random_bool(0.8) { day } else { day.checked_add_days(Days::new(1)).unwrap_or(day) };
        let written_at = format!("{}T19:00:00Z", format_date(written.min(today)));
        let kind = *pick(rng, ContactType::ALL);
        let minutes: Option<u32> = match kind {
            ContactType::Attempted => Some(5),
            ContactType::HomeVisit => Some(rng.random_range(30..120)),
            _ => Some(rng.random_range(10..60)),
        };
        let template = *pick(rng, &["free", "free", "soap", "dap", "birp"]);
        let body = match template {
            "soap" => format!(
                "Subjective:\n{}\n\nObjective:\n{}\n\nAssessment:\nProgress is steady.\n\nPlan:\n{}",
                varied_sentence(rng),
                pick(rng, OPENINGS),
                pick(rng, PLANS)
            ),
            "dap" => format!(
                "Data:\n{}\n\nAssessment:\nNeeds continue.\n\nPlan:\n{}",
                pick(rng, MIDDLES),
                pick(rng, PLANS)
            ),
            "birp" => format!(
                "Behaviour:\n{}\n\nIntervention:\n{}\n\nResponse:\nClient engaged well.\n\nPlan:\n{}",
                pick(rng, MIDDLES),
                pick(rng, OPENINGS),
                pick(rng, PLANS)
            ),
            _ => format!(
                "{} {} {} {}",
                pick(rng, OPENINGS),
                varied_sentence(rng),
                if rng.random_bool(0.3) { pick(rng, MIDDLES).to_string() } else { varied_sentence(rng) },
                pick(rng, PLANS)
            ),
        };
        let recent = open && (today - day).num_days() < 5;
        let follow_up = if recent && rng.random_bool(0.5) {
            day.checked_add_days(Days::new(rng.random_range(3..14))).map(format_date)
        } else {
            None
        };
        let signed = !recent || rng.random_bool(0.5);
        stmt.execute(params![
            client_id,
            contact_at,
            written_at,
            kind.as_str(),
            if kind == ContactType::Collateral { "sister" } else { "client" },
            if kind == ContactType::HomeVisit { "client's home" } else { "" },
            minutes,
            follow_up,
            template,
            body,
            if signed { Some(written_at.clone()) } else { None },
            if signed { Some("Demo Practitioner") } else { None },
        ])?;
    }
    Ok(count)
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
    let mut made_clients: Vec<referrals::DemoClient> = Vec::new();
    let mut to_close = Vec::new();
    // a few of the clients asked for come as files transferred from another caseload
    let transfers = closure::transfers_for(opts.clients);
    store.write(|tx| {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, 'true') ON CONFLICT(key) DO UPDATE SET value = 'true'",
            [DEMO_MARKER],
        )?;
        for _ in 0..opts.clients - transfers {
            let c = synthetic_client(&mut rng, today);
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
            if age_days > 365 && rng.random_bool(0.35) {
                let closed =
                    c.intake_date.checked_add_days(Days::new(rng.random_range(60..365))).unwrap_or(today);
                let closed = closed.min(today);
                until = closed;
                // drawn as before so the other phases stay the same; the reason is chosen
                // when the case is closed through the store (demo_closure)
                let _ = pick(&mut rng, &["goals met", "moved away", "client withdrew"]);
                to_close.push(closure::ToClose { client_id: id, on: closed });
                report.closed += 1;
                is_closed = true;
            }
            report.notes += demo_notes(tx, &mut rng, id, &c, until, now, opts.notes_per_client)?;
            let (people, assessments, screenings) =
                assessment::assessment_phase(tx, &mut rng, id, &c, until, now, &instruments)?;
            report.people += people;
            report.assessments += assessments;
            report.screenings += screenings;
            report.coordination +=
                coordination::coordination_phase(tx, &mut rng, id, c.intake_date, until, now)?;
            let client = plan::DemoClient { id, intake: c.intake_date, until, closed: is_closed };
            plan::plan_for_client(tx, &mut rng, &client, now, &mut plans)?;
            made_clients.push(referrals::DemoClient { id, intake: c.intake_date, until });
            report.clients += 1;
        }
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
        let directory = directory::demo_directory(directory::DEMO_SERVICES, 1, today);
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
