//! The post-closure follow-up: marking it done, and its Today rule.

use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::domain::closure::closure_ref;
use crate::domain::dates::{format_date, local_offset_secs};
use crate::domain::due::{dated_item, due_phrase, DueContext, DueItem, Target};
use crate::domain::record::RecordKind;
use crate::store::clients::log_record_event;
use crate::store::{now_db, Result, Store, StoreError};

impl Store {
    /// Marks the post-closure follow-up done (today).
    pub fn complete_closure_follow_up(&mut self, closure_id: i64, now: DateTime<Utc>) -> Result<()> {
        let c = self.closure(closure_id)?;
        if c.follow_up_on.is_none() {
            return Err(StoreError::Refused(format!("Closure {} has no follow-up date.", c.reference)));
        }
        if c.follow_up_done_on.is_some() {
            return Err(StoreError::Refused("The post-closure follow-up is already done.".into()));
        }
        let today = (now + chrono::Duration::seconds(local_offset_secs(now))).date_naive();
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE closures SET follow_up_done_on = ?2 WHERE id = ?1",
                params![closure_id, format_date(today)],
            )?;
            log_record_event(
                tx,
                c.client_id,
                &now_s,
                &now_s,
                "closure",
                &format!("Post-closure follow-up done (episode {})", c.episode),
                Some((RecordKind::Closure, closure_id)),
            )
        })
    }
}

/// Today's post-closure follow-ups (`?1` the horizon, `?2` the page).
pub(crate) const DUE_CLOSURE_FOLLOW_UPS_SQL: &str = "SELECT cl.id, cl.client_id, cl.follow_up_on, c.given_name, c.family_name \
     FROM closures cl INDEXED BY closures_follow_up JOIN clients c ON c.id = cl.client_id \
     WHERE cl.follow_up_on IS NOT NULL AND cl.follow_up_done_on IS NULL AND cl.undone_at IS NULL \
     AND cl.follow_up_on <= ?1 AND c.status = 'closed' \
     AND cl.episode_id = (SELECT e.id FROM episodes e WHERE e.client_id = cl.client_id ORDER BY e.number DESC LIMIT 1) \
     ORDER BY cl.follow_up_on LIMIT ?2";

/// Post-closure follow-ups, due or overdue, until marked done.
pub(crate) fn due_closure_follow_ups(
    store: &Store,
    ctx: &DueContext<'_>,
    limit: i64,
) -> Result<Vec<DueItem>> {
    let horizon = ctx.horizon();
    let sql = crate::store::due::bounded_dated(DUE_CLOSURE_FOLLOW_UPS_SQL, "cl.follow_up_on", ctx);
    let rows: Vec<(i64, i64, String, String, String)> =
        crate::store::rows_of(&store.conn, &sql, params![format_date(horizon), limit])?;
    let mut out = Vec::new();
    for (id, client_id, due, given, family) in rows {
        let target = Target::Closure(closure_ref(id));
        out.extend(dated_item(
            ctx,
            "closure-follow-up",
            (client_id, given, family),
            &due,
            Some(id),
            target,
            |due| format!("Post-closure follow-up {}", due_phrase(due, ctx.today)),
        ));
    }
    Ok(out)
}
