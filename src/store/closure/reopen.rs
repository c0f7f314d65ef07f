//! Reopening a closed case: undoing today's closure (the same episode goes on), or starting a
//! new episode.

use chrono::{DateTime, Utc};
use rusqlite::{params, Transaction};

use super::open_items::{kind_of, ItemCtx};
use super::record::{client_status, closure_in_force, latest_episode};
use crate::domain::client::client_ref;
use crate::domain::closure::{can_undo, Disposition, Reopen, ReopenMode};
use crate::domain::dates::{format_date, local_offset_secs, moment_of_day};
use crate::domain::record::RecordKind;
use crate::domain::text::fit;
use crate::store::clients::{log_record_event, require_client};
use crate::store::{now_db, Result, Store, StoreError};

/// What undoing a closure could not put back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UndoReport {
    pub kept: Vec<String>,
}

fn undo_in(
    tx: &Transaction<'_>,
    client_id: i64,
    reason: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<UndoReport> {
    let Some(c) = closure_in_force(tx, client_id)? else {
        return Err(StoreError::Refused(format!("The case of {} is not closed.", client_ref(client_id))));
    };
    if !can_undo(c.recorded_at, now, local_offset_secs(now)) {
        return Err(StoreError::Refused(format!(
            "This closure was recorded before today; it can no longer be undone. Reopen the case instead: \
             a new episode starts and episode {} stays as it was.",
            c.episode
        )));
    }
    let today = (now + chrono::Duration::seconds(local_offset_secs(now))).date_naive();
    let ctx = ItemCtx { now, on: today, by };
    let mut report = UndoReport::default();
    let items: Vec<(i64, String, i64, String, String)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT id, record_kind, record_id, action, previous FROM closure_items \
             WHERE closure_id = ?1 AND action != 'leave' AND undone = 0 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([c.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (row_id, kind, record_id, action, previous) in items {
        let action = Disposition::parse(&action).unwrap_or(Disposition::Leave);
        let Some(k) = RecordKind::parse(&kind).and_then(kind_of) else {
            report.kept.push(format!("{kind} {record_id} was not put back (this version cannot)"));
            continue;
        };
        match k.undo(tx, client_id, record_id, action, &previous, &ctx)? {
            Some(kept) => report.kept.push(kept),
            None => {
                tx.execute("UPDATE closure_items SET undone = 1 WHERE id = ?1", [row_id])?;
            }
        }
    }
    let now_s = now_db(now);
    tx.execute(
        "UPDATE closures SET undone_at = ?2, undone_reason = ?3, undone_by = ?4 WHERE id = ?1",
        params![c.id, now_s, reason, by],
    )?;
    tx.execute("UPDATE episodes SET closed_on = NULL, closed_reason = NULL WHERE id = ?1", [c.episode_id])?;
    tx.execute(
        "UPDATE clients SET status = 'open', updated_at = ?2 WHERE id = ?1",
        params![client_id, now_s],
    )?;
    let kept = if report.kept.is_empty() { String::new() } else { format!(" ({})", report.kept.join("; ")) };
    log_record_event(
        tx,
        client_id,
        &now_s,
        &now_s,
        "reopened",
        &format!("Closure of episode {} undone: {}{}", c.episode, fit(reason, 100), fit(&kept, 200)),
        Some((RecordKind::Closure, c.id)),
    )?;
    Ok(report)
}

/// The body of a reopening with a new episode (also used by the demo).
pub(crate) fn new_episode_in(
    tx: &Transaction<'_>,
    client_id: i64,
    r: &Reopen,
    now: DateTime<Utc>,
) -> Result<i64> {
    if client_status(tx, client_id)? != "closed" {
        return Err(StoreError::Refused(format!("The case of {} is open already.", client_ref(client_id))));
    }
    let (_, number, _, closed) = latest_episode(tx, client_id)?;
    let Some(closed) = closed else {
        return Err(StoreError::Refused(format!("Episode {number} is still open.")));
    };
    if r.opened_on < closed {
        return Err(StoreError::invalid(
            "opened_on",
            format!("The case closed on {}; the new episode starts after that.", format_date(closed)),
        ));
    }
    let now_s = now_db(now);
    let next = number + 1;
    tx.execute(
        "INSERT INTO episodes (client_id, number, opened_on, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![client_id, next, format_date(r.opened_on), now_s],
    )?;
    tx.execute(
        "UPDATE clients SET status = 'open', updated_at = ?2 WHERE id = ?1",
        params![client_id, now_s],
    )?;
    log_record_event(
        tx,
        client_id,
        &moment_of_day(r.opened_on, now),
        &now_s,
        "reopened",
        &format!("Case reopened: episode {next} opened ({})", fit(&r.reason, 100)),
        None,
    )?;
    Ok(next)
}

/// What reopening did.
#[derive(Debug, Clone, PartialEq)]
pub enum Reopened {
    /// The closure was undone; the same episode goes on.
    Undone(UndoReport),
    /// A new episode with this number started.
    NewEpisode(i64),
}

impl Store {
    /// Reopens a closed case: undoes today's closure (same episode), or starts a new episode.
    pub fn reopen_case(
        &mut self,
        client_id: i64,
        r: &Reopen,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Reopened> {
        self.write(|tx| {
            require_client(tx, client_id)?;
            match r.mode {
                ReopenMode::Undo => undo_in(tx, client_id, &r.reason, by, now).map(Reopened::Undone),
                ReopenMode::NewEpisode => new_episode_in(tx, client_id, r, now).map(Reopened::NewEpisode),
            }
        })
    }
}
