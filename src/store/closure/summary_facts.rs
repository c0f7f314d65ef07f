//! Everything the closing summary is drafted from: the episode's goals, contacts, screeners,
//! referrals and what is still open, read in one place.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::open_items::{open_items_in, REFERRAL_FACTS};
use super::record::latest_episode;
use crate::domain::closure::{
    ClosureFacts, ContactFacts, EvaluationFact, GoalFact, ScreenPoint, ScreenerFact,
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
            goals.push(GoalFact {
                reference: g.reference.clone(),
                statement: g.statement.clone(),
                status: g.status.label().to_lowercase(),
                achievement: g.achievement.label().to_lowercase(),
                outcome: g.outcome.map(|o| o.label().to_lowercase()),
                progress,
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
    // what stays as it is: open risk flags, follow-ups after a transition, the next review
    let mut also_open = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT id, area, level FROM risk_flags WHERE client_id = ?1 AND lowered_at IS NULL ORDER BY id",
        )?;
        for row in stmt.query_map([client_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })? {
            let (id, area, level) = row?;
            let area = crate::domain::assessment::RiskArea::parse(&area).map(|a| a.label()).unwrap_or("Risk");
            also_open.push(format!(
                "Risk flag {} ({area}, {level}) is still raised",
                crate::domain::assessment::flag_ref(id)
            ));
        }
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
        goals,
        referrals,
        screeners,
        contacts,
        open_items: open_items_in(conn, client_id)?,
        also_open,
        evaluation,
    })
}

/// "17, moderately severe", "needs: housing, food", "incomplete".
fn point_text(r: &crate::domain::instruments::ScoreResult) -> String {
    if !r.domains.is_empty() {
        let positive: Vec<&str> =
            r.domains.iter().filter(|d| d.positive == Some(true)).map(|d| d.life_domain.as_str()).collect();
        return if positive.is_empty() {
            "no needs".into()
        } else {
            format!("needs: {}", positive.join(", "))
        };
    }
    match (r.total, &r.band) {
        (Some(t), Some(b)) => format!("{t}, {}", b.to_lowercase()),
        (Some(t), None) => t.to_string(),
        _ => "incomplete".into(),
    }
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
        closure_facts_in(&self.conn, client_id, instruments, local_offset_secs(now))
    }
}
