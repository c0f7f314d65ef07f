//! Everything the closing summary is drafted from: the episode's goals, contacts, screeners,
//! referrals and what is still open, read in one place.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::open_items::{open_items_in, REFERRAL_FACTS};
use super::record::latest_episode;
use crate::domain::closure::{
    AlertFact, ClosureFacts, ContactFacts, EvaluationFact, GoalFact, OpeningFact, RiskFact, ScreenPoint,
    ScreenerFact,
};
use crate::domain::dates::{format_date, local_day, local_offset_secs, parse_ymd};
use crate::store::clients::require_client;
use crate::store::{Result, Store};

/// Everything the closing summary is drafted from, read in one place.
pub fn closure_facts_in(
    conn: &Connection,
    client_id: i64,
    instruments: &[crate::domain::instruments::Instrument],
    offset_secs: i64,
    today: chrono::NaiveDate,
) -> Result<ClosureFacts> {
    let (episode_id, number, opened_on, _) = latest_episode(conn, client_id)?;
    // goals of this episode, and goals left open from an earlier one
    let mut goals = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM goals WHERE client_id = ?1 AND status != 'entered-in-error' \
             AND (episode_id = ?2 OR status IN ('proposed', 'active', 'on-hold')) ORDER BY id",
        )?;
        let ids: Vec<i64> =
            stmt.query_map(params![client_id, episode_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        for id in ids {
            let g = crate::store::goals::with_latest_in(conn, crate::store::goals::load_goal(conn, id)?)?;
            let progress = match (&g.latest, g.progress_percent) {
                (Some(p), Some(pct)) if !g.is_milestone() => Some(format!(
                    "{} % of the way (latest {} on {})",
                    pct.round() as i64,
                    g.value_text(p.value),
                    format_date(p.on)
                )),
                (Some(p), _) if g.is_milestone() => Some(if p.value >= 1.0 {
                    "milestone reached".to_string()
                } else {
                    "milestone not reached".to_string()
                }),
                _ => None,
            };
            // the practitioner's words when the goal last changed to where it is now
            let note: String = conn
                .query_row(
                    "SELECT reason FROM goal_changes WHERE goal_id = ?1 AND what = 'status' AND to_value = ?2 \
                     ORDER BY recorded_at DESC, id DESC LIMIT 1",
                    params![id, g.status.as_str()],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or_default();
            goals.push(GoalFact {
                reference: g.reference.clone(),
                statement: g.statement.clone(),
                status: g.status.label().to_lowercase(),
                achievement: g.achievement.label().to_lowercase(),
                outcome: g.outcome.map(|o| o.label().to_lowercase()),
                progress,
                note,
            });
        }
    }
    // first and last result of each screener in this episode
    let mut screeners: Vec<ScreenerFact> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT instrument_id, administered_on, total, result FROM screenings WHERE client_id = ?1 \
             AND episode_id = ?2 AND error_at IS NULL ORDER BY administered_on, id",
        )?;
        let rows = stmt.query_map(params![client_id, episode_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i32>>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (instrument, on, total, result) = row?;
            let Some(on) = parse_ymd(&on) else { continue };
            let name = crate::domain::instruments::find(instruments, &instrument)
                .map(|i| i.short_name.clone())
                .unwrap_or_else(|| crate::domain::instruments::short_name_of(&instrument).to_string());
            let text = match serde_json::from_str::<crate::domain::instruments::ScoreResult>(&result) {
                Ok(r) => point_text(&r),
                Err(_) => total.map(|t| t.to_string()).unwrap_or_else(|| "result not readable".into()),
            };
            let point = ScreenPoint { on, total, text };
            match screeners.iter_mut().find(|s| s.name == name) {
                Some(s) => s.last = Some(point),
                None => screeners.push(ScreenerFact { name, first: point, last: None }),
            }
        }
    }
    // contacts recorded in this episode's notes
    let mut contacts = ContactFacts::default();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT contact_type, contact_at, duration_minutes FROM notes WHERE client_id = ?1 \
             AND episode_id = ?2 AND error_at IS NULL ORDER BY contact_at",
        )?;
        let rows = stmt.query_map(params![client_id, episode_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<i64>>(2)?))
        })?;
        for row in rows {
            let (kind, at, minutes) = row?;
            contacts.notes += 1;
            contacts.minutes += minutes.unwrap_or(0);
            let label =
                crate::domain::note::ContactType::parse(&kind).map(|k| k.label().to_string()).unwrap_or(kind);
            match contacts.by_type.iter_mut().find(|(k, _)| *k == label) {
                Some(e) => e.1 += 1,
                None => contacts.by_type.push((label, 1)),
            }
            let day = local_day(&at, offset_secs);
            contacts.first = contacts.first.or(day);
            contacts.last = day.or(contacts.last);
        }
        contacts.by_type.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    let opening = opening_in(conn, client_id, episode_id)?;
    let risks = risks_in(conn, client_id, opened_on)?;
    let alerts = alerts_in(conn, client_id, episode_id, instruments, offset_secs)?;
    // what stays as it is: follow-ups after a transition (risk flags are told with the risks)
    let mut also_open = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT id, follow_up_on FROM transitions WHERE client_id = ?1 AND follow_up_on IS NOT NULL \
             AND follow_up_done IS NULL ORDER BY follow_up_on",
        )?;
        for row in stmt.query_map([client_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, on) = row?;
            also_open.push(format!(
                "Follow-up of transition {} due {}",
                crate::domain::coordination::transition_ref(id),
                parse_ymd(&on).map(format_date).unwrap_or(on)
            ));
        }
    }
    let referrals = match REFERRAL_FACTS {
        Some(f) => Some(f(conn, client_id, episode_id)?),
        None => None,
    };
    let evaluation = conn
        .query_row(
            "SELECT id, evaluated_on, occasion, satisfaction, feedback FROM evaluations \
             WHERE client_id = ?1 AND episode_id = ?2 ORDER BY evaluated_on DESC, id DESC LIMIT 1",
            params![client_id, episode_id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, String>(4)?,
                ))
            },
        )
        .optional()?
        .and_then(|(id, on, occasion, satisfaction, feedback)| {
            Some(EvaluationFact {
                reference: crate::domain::plan::evaluation_ref(id),
                on: parse_ymd(&on)?,
                occasion,
                satisfaction,
                feedback,
            })
        });
    Ok(ClosureFacts {
        episode_number: number,
        opened_on,
        opening,
        risks,
        alerts,
        goals,
        referrals,
        screeners,
        contacts,
        open_items: open_items_in(conn, client_id, today)?,
        also_open,
        evaluation,
    })
}

/// "17 (moderately severe)", "needs in housing and food" (each need once), "incomplete".
fn point_text(r: &crate::domain::instruments::ScoreResult) -> String {
    if !r.domains.is_empty() {
        let mut positive: Vec<&str> = Vec::new();
        for d in r.domains.iter().filter(|d| d.positive == Some(true)) {
            if !positive.contains(&d.life_domain.as_str()) {
                positive.push(&d.life_domain);
            }
        }
        return match positive.as_slice() {
            [] => "no needs".into(),
            [one] => format!("a need in {one}"),
            [rest @ .., last] => format!("needs in {} and {last}", rest.join(", ")),
        };
    }
    match (r.total, &r.band) {
        (Some(t), Some(b)) => format!("{t} ({})", b.to_lowercase()),
        (Some(t), None) => t.to_string(),
        _ => "an incomplete result".into(),
    }
}

/// Why the case opened: the referral at intake, and the needs the episode's first
/// assessment named (each life domain once).
fn opening_in(conn: &Connection, client_id: i64, episode_id: i64) -> Result<OpeningFact> {
    let (source, reason): (String, String) = conn.query_row(
        "SELECT referral_source, referral_reason FROM clients WHERE id = ?1",
        [client_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let first: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, assessed_on FROM assessments WHERE client_id = ?1 AND (episode_id = ?2 OR episode_id IS NULL) \
             ORDER BY assessed_on, id LIMIT 1",
            params![client_id, episode_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let mut needs: Vec<String> = Vec::new();
    let mut assessed = None;
    if let Some((id, on)) = first {
        let mut stmt = conn.prepare_cached(
            "SELECT life_domain FROM assessment_needs WHERE assessment_id = ?1 ORDER BY position",
        )?;
        for d in stmt.query_map([id], |r| r.get::<_, String>(0))? {
            let d = d?.trim().replace('-', " ");
            if !d.is_empty() && !needs.contains(&d) {
                needs.push(d);
            }
        }
        assessed = parse_ymd(&on).map(|on| (crate::domain::assessment::assessment_ref(id), on));
    }
    Ok(OpeningFact { source, reason, assessed, needs })
}

/// The risk flags raised in the episode or still raised, with their history.
fn risks_in(conn: &Connection, client_id: i64, opened_on: chrono::NaiveDate) -> Result<Vec<RiskFact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, area, level, raised_at, lowered_at FROM risk_flags WHERE client_id = ?1 \
         AND (lowered_at IS NULL OR lowered_at >= ?2) ORDER BY raised_at, id",
    )?;
    let flags: Vec<(i64, String, String, String, Option<String>)> = stmt
        .query_map(params![client_id, format_date(opened_on)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let rank = |l: &str| match l.to_lowercase().as_str() {
        "high" => 2,
        "medium" => 1,
        _ => 0,
    };
    let mut out = Vec::new();
    for (id, area, level, raised_at, lowered_at) in flags {
        let mut ev = conn.prepare_cached(
            "SELECT action, level, reason FROM risk_flag_events WHERE flag_id = ?1 ORDER BY at, id",
        )?;
        let events: Vec<(String, Option<String>, String)> = ev
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let levels: Vec<String> =
            events.iter().filter_map(|e| e.1.clone()).filter(|l| !l.is_empty()).collect();
        let raised_level = levels.first().cloned().unwrap_or_else(|| level.clone()).to_uppercase();
        let highest = levels
            .iter()
            .chain(std::iter::once(&level))
            .max_by_key(|l| rank(l))
            .cloned()
            .unwrap_or_else(|| level.clone())
            .to_uppercase();
        let lowered_reason =
            events.iter().rev().find(|e| e.0 == "lowered").map(|e| e.2.clone()).unwrap_or_default();
        let Some(raised_on) = raised_at.get(..10).and_then(parse_ymd) else { continue };
        let area = crate::domain::assessment::RiskArea::parse(&area)
            .map(|a| a.label().to_lowercase())
            .unwrap_or_else(|| "risk".into());
        out.push(RiskFact {
            reference: crate::domain::assessment::flag_ref(id),
            area,
            raised_on,
            raised_level,
            highest,
            level: level.to_uppercase(),
            lowered_on: lowered_at.as_deref().and_then(|l| l.get(..10)).and_then(parse_ymd),
            lowered_reason,
        });
    }
    Ok(out)
}

/// An alert's id, screening id, instrument, day given, message, acknowledged at, note.
type AlertRow = (i64, i64, String, String, String, Option<String>, String);

/// The safety alerts raised by the episode's screener results.
fn alerts_in(
    conn: &Connection,
    client_id: i64,
    episode_id: i64,
    instruments: &[crate::domain::instruments::Instrument],
    offset_secs: i64,
) -> Result<Vec<AlertFact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.screening_id, s.instrument_id, s.administered_on, a.message, a.acknowledged_at, \
         coalesce(a.ack_note, '') FROM alerts a JOIN screenings s ON s.id = a.screening_id \
         WHERE a.client_id = ?1 AND (s.episode_id = ?2 OR s.episode_id IS NULL OR a.acknowledged_at IS NULL) \
         ORDER BY a.raised_at, a.id",
    )?;
    let rows: Vec<AlertRow> = stmt
        .query_map(params![client_id, episode_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (id, screening, instrument, on, message, acknowledged_at, note) in rows {
        let Some(on) = parse_ymd(&on) else { continue };
        let screener = crate::domain::instruments::find(instruments, &instrument)
            .map(|i| i.short_name.clone())
            .unwrap_or_else(|| crate::domain::instruments::short_name_of(&instrument).to_string());
        let what = crate::domain::closure::alert_clause(&message);
        out.push(AlertFact {
            reference: crate::domain::assessment::alert_ref(id),
            screener,
            screening: crate::domain::assessment::screening_ref(screening),
            on,
            what,
            acknowledged_on: acknowledged_at.as_deref().and_then(|a| local_day(a, offset_secs)),
            note,
        });
    }
    Ok(out)
}

impl Store {
    /// The facts the closing summary is drafted from (the latest episode).
    pub fn closure_facts(
        &self,
        client_id: i64,
        instruments: &[crate::domain::instruments::Instrument],
        now: DateTime<Utc>,
    ) -> Result<ClosureFacts> {
        require_client(&self.conn, client_id)?;
        let offset = local_offset_secs(now);
        let today = crate::domain::dates::local_day_of(now, offset);
        closure_facts_in(&self.conn, client_id, instruments, offset, today)
    }
}
