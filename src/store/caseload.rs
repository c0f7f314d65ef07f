//! The caseload as a whole: one summary row per client (status, latest episode, counts of
//! open work), read in a few grouped queries rather than one per client.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{Result, Store};
use crate::domain::client::CaseStatus;
use crate::domain::closure::ClosureReason;
use crate::domain::dates::{from_db, parse_ymd};
use crate::domain::referral::OPEN_SQL;

/// What the caseload summary knows of one client; the export decides the words.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseloadRow {
    pub client_id: i64,
    pub given_name: String,
    pub family_name: String,
    pub status: CaseStatus,
    pub intake_date: Option<NaiveDate>,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub open_alerts: i64,
    /// The latest episode: its number and the day it opened (1 and none when none is stored).
    pub episode: i64,
    pub episode_opened: Option<NaiveDate>,
    /// The closure in force of the latest episode.
    pub closed_on: Option<NaiveDate>,
    pub closure_reason: Option<ClosureReason>,
    pub notes: i64,
    pub unsigned_notes: i64,
    pub open_goals: i64,
    pub open_referrals: i64,
    pub open_action_items: i64,
    pub open_advocacy_items: i64,
}

type Episode = (i64, String, Option<String>, Option<String>);

impl Store {
    /// Every client, ordered by name, each handed to `each` as it is read.
    pub fn caseload_rows(&self, mut each: impl FnMut(CaseloadRow) -> Result<()>) -> Result<()> {
        let notes = self.counts_by_client(
            "SELECT client_id, count(*) FROM notes WHERE error_at IS NULL GROUP BY client_id",
        )?;
        let unsigned = self.counts_by_client(
            "SELECT client_id, count(*) FROM notes WHERE signed_at IS NULL AND error_at IS NULL GROUP BY client_id",
        )?;
        let goals = self.counts_by_client(
            "SELECT client_id, count(*) FROM goals WHERE status IN ('proposed', 'active', 'on-hold') GROUP BY client_id",
        )?;
        let referrals = self.counts_by_client(&format!(
            "SELECT client_id, count(*) FROM referrals WHERE status IN {OPEN_SQL} GROUP BY client_id"
        ))?;
        let actions = self.counts_by_client(
            "SELECT client_id, count(*) FROM action_items WHERE done_on IS NULL GROUP BY client_id",
        )?;
        let advocacy = self.counts_by_client(
            "SELECT client_id, count(*) FROM advocacy_items WHERE closed_on IS NULL GROUP BY client_id",
        )?;
        // the latest episode of each client, and its closure in force
        let mut episodes: HashMap<i64, Episode> = HashMap::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT e.client_id, e.number, e.opened_on, cl.closed_on, cl.reason FROM episodes e \
                 LEFT JOIN closures cl ON cl.episode_id = e.id AND cl.undone_at IS NULL \
                 WHERE e.number = (SELECT max(number) FROM episodes x WHERE x.client_id = e.client_id)",
            )?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))))?;
            for r in rows {
                let (k, v) = r?;
                episodes.insert(k, v);
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT id, given_name, family_name, status, intake_date, last_contact_at, open_alerts FROM clients ORDER BY sort_key, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })?;
        let n = |m: &HashMap<i64, i64>, id: i64| m.get(&id).copied().unwrap_or(0);
        for row in rows {
            let (id, given_name, family_name, status, intake_date, last_contact_at, open_alerts) = row?;
            let (episode, episode_opened, closed_on, closure_reason) =
                episodes.remove(&id).unwrap_or((1, String::new(), None, None));
            each(CaseloadRow {
                client_id: id,
                given_name,
                family_name,
                status: CaseStatus::parse(&status),
                intake_date: parse_ymd(&intake_date),
                last_contact_at: last_contact_at.as_deref().and_then(from_db),
                open_alerts,
                episode,
                episode_opened: parse_ymd(&episode_opened),
                closed_on: closed_on.as_deref().and_then(parse_ymd),
                closure_reason: closure_reason.as_deref().and_then(ClosureReason::parse),
                notes: n(&notes, id),
                unsigned_notes: n(&unsigned, id),
                open_goals: n(&goals, id),
                open_referrals: n(&referrals, id),
                open_action_items: n(&actions, id),
                open_advocacy_items: n(&advocacy, id),
            })?;
        }
        Ok(())
    }

    /// Client id → count, from a query that groups by client.
    fn counts_by_client(&self, sql: &str) -> Result<HashMap<i64, i64>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = HashMap::new();
        for r in rows {
            let (k, v) = r?;
            out.insert(k, v);
        }
        Ok(out)
    }
}
