//! Closing a case in one transaction: the episode, the client's status, each open item as
//! decided, the signed summary.

use chrono::{DateTime, Utc};
use rusqlite::{params, Transaction};

use super::open_items::{kind_of, open_items_in, ItemCtx};
use super::record::{client_status, latest_episode};
use crate::domain::client::client_ref;
use crate::domain::closure::{read_summary, CloseDetails, Decision, Disposition};
use crate::domain::dates::{format_date, moment_of_day};
use crate::domain::record::RecordKind;
use crate::domain::text::fit;
use crate::store::clients::log_record_event;
use crate::store::{now_db, Result, Store, StoreError};

/// The body of `Store::close_case` (also used by the demo), inside the caller's transaction.
pub(crate) fn close_in(
    tx: &Transaction<'_>,
    client_id: i64,
    details: &CloseDetails,
    decisions: &[Decision],
    summary: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    if client_status(tx, client_id)? != "open" {
        return Err(StoreError::Refused(format!("The case of {} is already closed.", client_ref(client_id))));
    }
    let (episode_id, number, opened_on, closed) = latest_episode(tx, client_id)?;
    if closed.is_some() {
        return Err(StoreError::Refused(format!("Episode {number} is already closed.")));
    }
    if details.closed_on < opened_on {
        return Err(StoreError::invalid(
            "closed_on",
            format!("The episode opened on {}; it cannot close before that.", format_date(opened_on)),
        ));
    }
    let summary = read_summary(summary).map_err(|e| StoreError::Invalid(vec![e]))?;
    let by = by.trim();
    if by.is_empty() {
        return Err(StoreError::Refused(
            "Add your name in Settings (press ,) before closing: the closing summary is signed with it."
                .into(),
        ));
    }
    crate::domain::closure::check_consents_kept(decisions, details)
        .map_err(|e| StoreError::Invalid(vec![e]))?;
    // the decisions were made on a list that may have changed since: each must still apply
    let today = crate::domain::dates::local_day_of(now, crate::domain::dates::local_offset_secs(now));
    let items = open_items_in(tx, client_id, today)?;
    for d in decisions {
        let Some(item) = items.iter().find(|i| i.kind == d.kind && i.id == d.id) else {
            if d.disposition == Disposition::Leave {
                continue;
            }
            return Err(StoreError::Refused(
                "Something on the closing list changed since it was shown (it is no longer open). Go back to the list and check it again."
                    .into(),
            ));
        };
        match item.choice(d.disposition) {
            None => {
                return Err(StoreError::Refused(format!(
                    "{} cannot be {}d at closure.",
                    item.reference,
                    d.disposition.as_str()
                )))
            }
            Some(c) if c.needs_text && d.text.trim().is_empty() => {
                return Err(StoreError::Refused(format!("Say why for {} (closing list).", item.reference)))
            }
            _ => {}
        }
    }
    let now_s = now_db(now);
    tx.execute(
        "INSERT INTO closures (client_id, episode_id, reason, reason_note, closed_on, follow_up_on, follow_up_plan, \
         summary, signed_by, signed_at, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
        params![
            client_id,
            episode_id,
            details.reason.as_str(),
            details.reason_note,
            format_date(details.closed_on),
            details.follow_up_on.map(format_date),
            details.follow_up_plan,
            summary,
            by,
            now_s,
        ],
    )?;
    let closure_id = tx.last_insert_rowid();
    let ctx = ItemCtx { now, on: details.closed_on, by };
    for item in &items {
        let d = decisions.iter().find(|d| d.kind == item.kind && d.id == item.id);
        let (action, text) =
            d.map(|d| (d.disposition, d.text.clone())).unwrap_or((Disposition::Leave, String::new()));
        let previous = match (d, kind_of(item.kind)) {
            (Some(d), Some(k)) if action != Disposition::Leave => k.apply(tx, client_id, item, d, &ctx)?,
            _ => String::new(),
        };
        tx.execute(
            "INSERT INTO closure_items (closure_id, record_kind, record_id, label, action, reason, previous) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![closure_id, item.kind.as_str(), item.id, item.label, action.as_str(), text, previous],
        )?;
    }
    let reason_text = if details.reason_note.is_empty() {
        details.reason.label().to_string()
    } else {
        format!("{}: {}", details.reason.label(), details.reason_note)
    };
    tx.execute(
        "UPDATE episodes SET closed_on = ?2, closed_reason = ?3 WHERE id = ?1",
        params![episode_id, format_date(details.closed_on), reason_text],
    )?;
    tx.execute(
        "UPDATE clients SET status = 'closed', updated_at = ?2 WHERE id = ?1",
        params![client_id, now_s],
    )?;
    log_record_event(
        tx,
        client_id,
        &moment_of_day(details.closed_on, now),
        &now_s,
        "closed",
        &format!("Case closed (episode {number}): {}", fit(&reason_text, 100)),
        Some((RecordKind::Closure, closure_id)),
    )?;
    Ok(closure_id)
}

impl Store {
    /// Closes the client's current episode in one transaction: each decision carried out, the
    /// other open items recorded as left open, the summary signed with `by`.
    pub fn close_case(
        &mut self,
        client_id: i64,
        details: &CloseDetails,
        decisions: &[Decision],
        summary: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.write(|tx| close_in(tx, client_id, details, decisions, summary, by, now))
    }
}
