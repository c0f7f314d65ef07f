//! `caseload demo`, case notes: every contact type, spread over each case, written from slots
//! so that they read like a varied caseload rather than a few set phrases. The words come from
//! `assets/demo/notes.json`.

use std::sync::OnceLock;

use chrono::{DateTime, Days, NaiveDate, Utc};
use fake::rand::rngs::StdRng;
use fake::rand::RngExt;
use rusqlite::params;
use serde::Deserialize;

use super::pick;
use crate::domain::client::Client;
use crate::domain::dates::format_date;
use crate::domain::note::ContactType;
use crate::store::Result;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Words {
    agencies: Vec<String>,
    topics: Vec<String>,
    feelings: Vec<String>,
    openings: Vec<String>,
    middles: Vec<String>,
    plans: Vec<String>,
}

pub(super) fn words() -> Result<&'static Words> {
    static WORDS: OnceLock<Words> = OnceLock::new();
    super::load(&WORDS, "notes.json", include_str!("../../assets/demo/notes.json"))
}

fn varied_sentence(rng: &mut StdRng, w: &Words) -> String {
    match rng.random_range(0..5) {
        0 => format!("Discussed {} and contacted {}.", pick(rng, &w.topics), pick(rng, &w.agencies)),
        1 => format!("Client seemed {}; talked through {}.", pick(rng, &w.feelings), pick(rng, &w.topics)),
        2 => format!("Agreed that {} will help with {}.", pick(rng, &w.agencies), pick(rng, &w.topics)),
        3 => format!(
            "Reviewed {} ({} days since the last review).",
            pick(rng, &w.topics),
            rng.random_range(3..60)
        ),
        _ => format!("Client {} after hearing from {}.", pick(rng, &w.feelings), pick(rng, &w.agencies)),
    }
}

/// Notes of all contact types spread from intake to today (or closure); older ones signed.
pub fn demo_notes(
    tx: &rusqlite::Transaction<'_>,
    rng: &mut StdRng,
    client_id: i64,
    c: &Client,
    until: NaiveDate,
    now: DateTime<Utc>,
    count: usize,
) -> Result<usize> {
    let w = words()?;
    let today = until;
    let open = until == now.date_naive();
    let span = (today - c.intake_date).num_days().max(1);
    let mut stmt = tx.prepare_cached(
        "INSERT INTO notes (client_id, episode_id, contact_at, written_at, updated_at, contact_type, participants, \
         location, duration_minutes, follow_up_on, template, body, signed_at, signed_by) \
         VALUES (?1, (SELECT id FROM episodes WHERE client_id = ?1 ORDER BY number DESC LIMIT 1), ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    // most open cases were in touch recently, as in a real caseload
    // (every open case was, in the last fortnight: a draw kept so the other phases stay alike)
    let _ = rng.random_bool(0.75);
    let recent_first = open;
    for i in 0..count {
        let day = if i == 0 && recent_first {
            today.checked_sub_days(Days::new(rng.random_range(0..12))).unwrap_or(today).max(c.intake_date)
        } else {
            let u = rng.random_range(0..span);
            if open {
                // an open case's activity is concentrated in its recent months
                let x = (span - u) as f64 / span as f64;
                let back = (span as f64 * x * x) as u64;
                today.checked_sub_days(Days::new(back)).unwrap_or(today).max(c.intake_date)
            } else {
                c.intake_date.checked_add_days(Days::new(u as u64)).unwrap_or(today)
            }
        };
        let minute = rng.random_range(8 * 60..18 * 60);
        // never later than the moment the demo runs
        let at = day
            .and_hms_opt(minute / 60, minute % 60, 0)
            .map(|t| t.and_utc())
            .unwrap_or(now)
            .min(now - chrono::Duration::minutes(30));
        let contact_at = at.format("%Y-%m-%dT%H:%M:00Z").to_string();
        let written =
            if rng.random_bool(0.8) { day } else { day.checked_add_days(Days::new(1)).unwrap_or(day) };
        let written_at = written
            .min(today)
            .and_hms_opt(19, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or(now)
            .max(at)
            .min(now)
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        // the latest contact of an open case reached the client
        let kind = if i == 0 && recent_first {
            *pick(
                rng,
                &ContactType::ALL.iter().copied().filter(|t| t.is_client_contact()).collect::<Vec<_>>(),
            )
        } else {
            *pick(rng, ContactType::ALL)
        };
        let minutes: Option<u32> = match kind {
            ContactType::Attempted => Some(5),
            ContactType::HomeVisit => Some(rng.random_range(30..120)),
            _ => Some(rng.random_range(10..60)),
        };
        let template = *pick(rng, &["free", "free", "soap", "dap", "birp"]);
        let body = match template {
            "soap" => format!(
                "Subjective:\n{}\n\nObjective:\n{}\n\nAssessment:\nProgress is steady.\n\nPlan:\n{}",
                varied_sentence(rng, w),
                pick(rng, &w.openings),
                pick(rng, &w.plans)
            ),
            "dap" => format!(
                "Data:\n{}\n\nAssessment:\nNeeds continue.\n\nPlan:\n{}",
                pick(rng, &w.middles),
                pick(rng, &w.plans)
            ),
            "birp" => format!(
                "Behaviour:\n{}\n\nIntervention:\n{}\n\nResponse:\nClient engaged well.\n\nPlan:\n{}",
                pick(rng, &w.middles),
                pick(rng, &w.openings),
                pick(rng, &w.plans)
            ),
            _ => format!(
                "{} {} {} {}",
                pick(rng, &w.openings),
                varied_sentence(rng, w),
                if rng.random_bool(0.3) {
                    pick(rng, &w.middles).to_string()
                } else {
                    varied_sentence(rng, w)
                },
                pick(rng, &w.plans)
            ),
        };
        let recent = open && (today - day).num_days() < 5;
        let follow_up = if recent && i == 0 && rng.random_bool(0.4) {
            day.checked_add_days(Days::new(rng.random_range(3..14))).map(format_date)
        } else {
            None
        };
        // only the latest contact may still wait for its signature
        let signed = !recent || rng.random_bool(0.9) || i > 0;
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
