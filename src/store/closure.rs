//! Closing a case (one transaction: the episode, the client's status, each open item as
//! decided, the signed summary), undoing a closure the same day, reopening with a new
//! episode, the retention list, destroying a file, and the Today rules of closed files.
//!
//! What may be open at closure is a table of kinds (`OPEN_KINDS`), each listing, closing and
//! restoring its own records; referrals join as one more kind.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::clients::{log_record_event, require_client};
use super::{now_db, Result, Store, StoreError};
use crate::domain::client::client_ref;
use crate::domain::closure::{
    action_item_choices, advocacy_choices, alert_choices, can_undo, closure_ref, goal_choices, note_choices,
    past_retention, read_summary, referral_choices, retain_until, CloseDetails, ClosureFacts, ClosureReason,
    ContactFacts, Decision, Disposition, EvaluationFact, GoalFact, OpenItem, ReferralFact, Reopen,
    ReopenMode, ScreenPoint, ScreenerFact,
};
use crate::domain::dates::{format_date, local_day, local_offset_secs, moment_of_day, parse_ymd};
use crate::domain::due::{dated_item, due_phrase, DueContext, DueItem, Target, Urgency};
use crate::domain::goal::GoalStatus;
use crate::domain::note::note_ref;
use crate::domain::referral::ReferralStatus;
use crate::domain::text::fit;

/// A closure of an episode, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Closure {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    #[serde(skip)]
    pub episode_id: i64,
    pub episode: i64,
    pub reason: ClosureReason,
    pub reason_note: String,
    pub closed_on: NaiveDate,
    pub follow_up_on: Option<NaiveDate>,
    pub follow_up_plan: String,
    pub follow_up_done_on: Option<NaiveDate>,
    pub summary: String,
    pub signed_by: Option<String>,
    pub signed_at: Option<String>,
    pub recorded_at: String,
    pub undone_at: Option<String>,
    pub undone_reason: String,
    pub undone_by: String,
}

impl Closure {
    pub fn in_force(&self) -> bool {
        self.undone_at.is_none()
    }
    /// "Goals met" or "Other: moved in with family".
    pub fn reason_text(&self) -> String {
        if self.reason_note.is_empty() {
            self.reason.label().to_string()
        } else {
            format!("{}: {}", self.reason.label(), self.reason_note)
        }
    }
}

/// What closing did with one open item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosureItem {
    pub kind: String,
    pub record_id: i64,
    pub label: String,
    pub action: Disposition,
    pub reason: String,
    pub undone: bool,
}

const CLOSURE_COLUMNS: &str = "cl.id, cl.client_id, cl.episode_id, e.number, cl.reason, cl.reason_note, cl.closed_on, \
    cl.follow_up_on, cl.follow_up_plan, cl.follow_up_done_on, cl.summary, cl.signed_by, cl.signed_at, cl.recorded_at, \
    cl.undone_at, cl.undone_reason, cl.undone_by";

fn closure_from_row(r: &Row<'_>) -> rusqlite::Result<Closure> {
    let id: i64 = r.get(0)?;
    let day = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(r.get::<_, Option<String>>(i)?.as_deref().and_then(parse_ymd))
    };
    Ok(Closure {
        reference: closure_ref(id),
        id,
        client_id: r.get(1)?,
        episode_id: r.get(2)?,
        episode: r.get(3)?,
        reason: ClosureReason::parse(&r.get::<_, String>(4)?).unwrap_or(ClosureReason::Other),
        reason_note: r.get(5)?,
        closed_on: day(6)?.unwrap_or_default(),
        follow_up_on: day(7)?,
        follow_up_plan: r.get(8)?,
        follow_up_done_on: day(9)?,
        summary: r.get(10)?,
        signed_by: r.get(11)?,
        signed_at: r.get(12)?,
        recorded_at: r.get(13)?,
        undone_at: r.get(14)?,
        undone_reason: r.get(15)?,
        undone_by: r.get(16)?,
    })
}

/// What a kind of item needs to carry out a decision or put an item back.
pub struct ItemCtx<'a> {
    pub now: DateTime<Utc>,
    /// The closing day (or, for an undo, today).
    pub on: NaiveDate,
    /// The practitioner's signature (Settings).
    pub by: &'a str,
}

/// A kind of record that may still be open when a case is closed.
pub trait OpenKind: Sync {
    /// The record kind, as the timeline and closure items name it.
    fn kind(&self) -> &'static str;
    /// The client's items of this kind that are still open, oldest first.
    fn open_items(&self, conn: &Connection, client_id: i64) -> Result<Vec<OpenItem>>;
    /// Carries out a decision to complete or cancel; returns what undoing it needs to restore.
    fn apply(
        &self,
        tx: &Transaction<'_>,
        client_id: i64,
        item: &OpenItem,
        d: &Decision,
        ctx: &ItemCtx<'_>,
    ) -> Result<String>;
    /// Puts the item back as it was before the closure (a same-day undo). Returns a sentence
    /// when it cannot be put back (a signed note stays signed).
    fn undo(
        &self,
        tx: &Transaction<'_>,
        client_id: i64,
        record_id: i64,
        action: Disposition,
        previous: &str,
        ctx: &ItemCtx<'_>,
    ) -> Result<Option<String>>;
}

/// Everything the closing checklist asks about, in the order it is shown.
///
/// Open referrals (draft, sent, acknowledged, accepted, in service, on hold) are one kind:
/// "complete" only from in service, "cancel" through the referral state machine with the
/// reason, or "leave open"; undo returns a referral to its previous state with a history row.
pub const OPEN_KINDS: &[&dyn OpenKind] =
    &[&GoalItems, &ReferralItems, &ActionItems, &AdvocacyItems, &AlertItems, &UnsignedNotes];

/// Each referral of the episode with its final state, for the closing summary.
pub const REFERRAL_FACTS: Option<ReferralFacts> = Some(episode_referrals);

/// (connection, client id, episode id) → the episode's referrals.
pub type ReferralFacts = fn(&Connection, i64, i64) -> Result<Vec<ReferralFact>>;

fn kind_of(kind: &str) -> Option<&'static dyn OpenKind> {
    OPEN_KINDS.iter().copied().find(|k| k.kind() == kind)
}

fn day_opt(s: Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(parse_ymd)
}

fn event(
    tx: &Transaction<'_>,
    client_id: i64,
    ctx: &ItemCtx<'_>,
    kind: &str,
    summary: &str,
    record: Option<(&str, i64)>,
) -> Result<()> {
    let now = now_db(ctx.now);
    log_record_event(tx, client_id, &moment_of_day(ctx.on, ctx.now), &now, kind, summary, record)
}

pub struct GoalItems;
impl OpenKind for GoalItems {
    fn kind(&self) -> &'static str {
        "goal"
    }
    fn open_items(&self, conn: &Connection, client_id: i64) -> Result<Vec<OpenItem>> {
        let mut stmt = conn.prepare_cached(
            "SELECT id, statement, status FROM goals WHERE client_id = ?1 \
             AND status IN ('proposed', 'active', 'on-hold') ORDER BY id",
        )?;
        let rows = stmt.query_map([client_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, statement, status) = row?;
            let status: GoalStatus = status.parse().unwrap_or(GoalStatus::Active);
            let reference = crate::domain::plan::goal_ref(id);
            out.push(OpenItem {
                kind: "goal",
                id,
                label: format!(
                    "Goal {reference} ({}): {}",
                    status.label().to_lowercase(),
                    fit(&statement, 60)
                ),
                reference,
                choices: goal_choices(status),
            });
        }
        Ok(out)
    }
    fn apply(
        &self,
        tx: &Transaction<'_>,
        _client_id: i64,
        item: &OpenItem,
        d: &Decision,
        ctx: &ItemCtx<'_>,
    ) -> Result<String> {
        let before: String =
            tx.query_row("SELECT status FROM goals WHERE id = ?1", [item.id], |r| r.get(0))?;
        let (to, reason) = match d.disposition {
            Disposition::Complete => (GoalStatus::Completed, "Completed at case closure".to_string()),
            _ => (GoalStatus::Cancelled, format!("Cancelled at case closure: {}", d.text)),
        };
        let change = crate::domain::plan::StatusChange { to, reason, on: ctx.on };
        super::goals::change_status(tx, item.id, &change, ctx.by, ctx.now)?;
        Ok(before)
    }
    fn undo(
        &self,
        tx: &Transaction<'_>,
        client_id: i64,
        record_id: i64,
        _action: Disposition,
        previous: &str,
        ctx: &ItemCtx<'_>,
    ) -> Result<Option<String>> {
        let now = now_db(ctx.now);
        let current: String =
            tx.query_row("SELECT status FROM goals WHERE id = ?1", [record_id], |r| r.get(0))?;
        tx.execute(
            "UPDATE goals SET status = ?2, updated_at = ?3 WHERE id = ?1",
            params![record_id, previous, now],
        )?;
        tx.execute(
            "INSERT INTO goal_changes (goal_id, on_day, recorded_at, what, from_value, to_value, reason, by_whom) \
             VALUES (?1, ?2, ?3, 'status', ?4, ?5, 'The case closure was undone', ?6)",
            params![record_id, format_date(ctx.on), now, current, previous, ctx.by],
        )?;
        let r = crate::domain::plan::goal_ref(record_id);
        event(
            tx,
            client_id,
            ctx,
            "goal",
            &format!("Goal {r} back to {previous}: the closure was undone"),
            Some(("goal", record_id)),
        )?;
        Ok(None)
    }
}

pub struct ActionItems;
impl OpenKind for ActionItems {
    fn kind(&self) -> &'static str {
        "action-item"
    }
    fn open_items(&self, conn: &Connection, client_id: i64) -> Result<Vec<OpenItem>> {
        let mut stmt = conn.prepare_cached(
            "SELECT id, owner, text, due_on FROM action_items WHERE client_id = ?1 AND done_on IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([client_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, owner, text, due) = row?;
            let reference = crate::domain::coordination::action_ref(id);
            let mut about = Vec::new();
            if let Some(d) = day_opt(due) {
                about.push(format!("due {}", format_date(d)));
            }
            if !owner.is_empty() {
                about.push(fit(&owner, 20));
            }
            let about = if about.is_empty() { String::new() } else { format!(" ({})", about.join(", ")) };
            out.push(OpenItem {
                kind: "action-item",
                id,
                label: format!("Action item {reference}{about}: {}", fit(&text, 60)),
                reference,
                choices: action_item_choices(),
            });
        }
        Ok(out)
    }
    fn apply(
        &self,
        tx: &Transaction<'_>,
        client_id: i64,
        item: &OpenItem,
        d: &Decision,
        ctx: &ItemCtx<'_>,
    ) -> Result<String> {
        tx.execute(
            "UPDATE action_items SET done_on = ?2 WHERE id = ?1",
            params![item.id, format_date(ctx.on)],
        )?;
        let what = match d.disposition {
            Disposition::Complete => format!("Action item {} done at case closure", item.reference),
            _ => format!("Action item {} cancelled at case closure: {}", item.reference, fit(&d.text, 100)),
        };
        event(tx, client_id, ctx, "action", &what, None)?;
        Ok(String::new())
    }
    fn undo(
        &self,
        tx: &Transaction<'_>,
        client_id: i64,
        record_id: i64,
        _action: Disposition,
        _previous: &str,
        ctx: &ItemCtx<'_>,
    ) -> Result<Option<String>> {
        tx.execute("UPDATE action_items SET done_on = NULL WHERE id = ?1", [record_id])?;
        let r = crate::domain::coordination::action_ref(record_id);
        event(
            tx,
            client_id,
            ctx,
            "action",
            &format!("Action item {r} open again: the closure was undone"),
            None,
        )?;
        Ok(None)
    }
}

pub struct AdvocacyItems;
impl OpenKind for AdvocacyItems {
    fn kind(&self) -> &'static str {
        "advocacy"
    }
    fn open_items(&self, conn: &Connection, client_id: i64) -> Result<Vec<OpenItem>> {
        let mut stmt = conn.prepare_cached(
            "SELECT id, barrier, target, deadline FROM advocacy_items WHERE client_id = ?1 AND closed_on IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([client_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, barrier, target, deadline) = row?;
            let reference = crate::domain::coordination::advocacy_ref(id);
            let deadline =
                day_opt(deadline).map(|d| format!(", deadline {}", format_date(d))).unwrap_or_default();
            out.push(OpenItem {
                kind: "advocacy",
                id,
                label: format!(
                    "Advocacy {reference} with {}{deadline}: {}",
                    fit(&target, 30),
                    fit(&barrier, 50)
                ),
                reference,
                choices: advocacy_choices(),
            });
        }
        Ok(out)
    }
    fn apply(
        &self,
        tx: &Transaction<'_>,
        client_id: i64,
        item: &OpenItem,
        d: &Decision,
        ctx: &ItemCtx<'_>,
    ) -> Result<String> {
        let before: String =
            tx.query_row("SELECT outcome FROM advocacy_items WHERE id = ?1", [item.id], |r| r.get(0))?;
        let outcome = match d.disposition {
            Disposition::Complete => d.text.clone(),
            _ => format!("Withdrawn at case closure: {}", d.text),
        };
        tx.execute(
            "UPDATE advocacy_items SET outcome = ?2, closed_on = ?3 WHERE id = ?1",
            params![item.id, outcome, format_date(ctx.on)],
        )?;
        event(
            tx,
            client_id,
            ctx,
            "advocacy",
            &format!("Advocacy {} closed at case closure: {}", item.reference, fit(&outcome, 100)),
            Some(("advocacy", item.id)),
        )?;
        Ok(before)
    }
    fn undo(
        &self,
        tx: &Transaction<'_>,
        client_id: i64,
        record_id: i64,
        _action: Disposition,
        previous: &str,
        ctx: &ItemCtx<'_>,
    ) -> Result<Option<String>> {
        tx.execute(
            "UPDATE advocacy_items SET outcome = ?2, closed_on = NULL WHERE id = ?1",
            params![record_id, previous],
        )?;
        let r = crate::domain::coordination::advocacy_ref(record_id);
        event(
            tx,
            client_id,
            ctx,
            "advocacy",
            &format!("Advocacy {r} open again: the closure was undone"),
            Some(("advocacy", record_id)),
        )?;
        Ok(None)
    }
}

pub struct AlertItems;
impl OpenKind for AlertItems {
    fn kind(&self) -> &'static str {
        "alert"
    }
    fn open_items(&self, conn: &Connection, client_id: i64) -> Result<Vec<OpenItem>> {
        let mut stmt = conn.prepare_cached(
            "SELECT id, screening_id, message, raised_at FROM alerts WHERE client_id = ?1 AND acknowledged_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([client_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, screening, _message, raised) = row?;
            let reference = crate::domain::assessment::alert_ref(id);
            out.push(OpenItem {
                kind: "alert",
                id,
                label: format!(
                    "Safety alert {reference} from screener result {} (raised {})",
                    crate::domain::assessment::screening_ref(screening),
                    raised.get(..10).unwrap_or("")
                ),
                reference,
                choices: alert_choices(),
            });
        }
        Ok(out)
    }
    fn apply(
        &self,
        tx: &Transaction<'_>,
        client_id: i64,
        item: &OpenItem,
        d: &Decision,
        ctx: &ItemCtx<'_>,
    ) -> Result<String> {
        tx.execute(
            "UPDATE alerts SET acknowledged_at = ?2, ack_note = ?3, ack_by = ?4 WHERE id = ?1",
            params![item.id, now_db(ctx.now), d.text, ctx.by],
        )?;
        super::safety::refresh_safety(tx, client_id)?;
        event(
            tx,
            client_id,
            ctx,
            "alert",
            &format!("Safety alert acknowledged at case closure: {}", fit(&d.text, 100)),
            None,
        )?;
        Ok(String::new())
    }
    fn undo(
        &self,
        tx: &Transaction<'_>,
        client_id: i64,
        record_id: i64,
        _action: Disposition,
        _previous: &str,
        ctx: &ItemCtx<'_>,
    ) -> Result<Option<String>> {
        tx.execute(
            "UPDATE alerts SET acknowledged_at = NULL, ack_note = NULL, ack_by = NULL WHERE id = ?1",
            [record_id],
        )?;
        super::safety::refresh_safety(tx, client_id)?;
        let r = crate::domain::assessment::alert_ref(record_id);
        event(
            tx,
            client_id,
            ctx,
            "alert",
            &format!("Safety alert {r} open again: the closure was undone"),
            None,
        )?;
        Ok(None)
    }
}

fn episode_referrals(conn: &Connection, client_id: i64, episode_id: i64) -> Result<Vec<ReferralFact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.provider, r.status, r.status_since, \
         coalesce((SELECT CASE WHEN e.reason != '' THEN e.reason ELSE e.note END FROM referral_events e \
                   WHERE e.referral_id = r.id ORDER BY e.on_date DESC, e.id DESC LIMIT 1), '') \
         FROM referrals r WHERE r.client_id = ?1 AND (r.episode_id = ?2 OR r.episode_id IS NULL) ORDER BY r.id",
    )?;
    let rows = stmt.query_map(params![client_id, episode_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, provider, status, since, note) = row?;
        let state = status.parse::<ReferralStatus>().map(|s| s.label().to_lowercase()).unwrap_or(status);
        out.push(ReferralFact {
            reference: crate::domain::referral::referral_ref(id),
            to: provider,
            state,
            since: parse_ymd(&since),
            note,
        });
    }
    Ok(out)
}

/// What a referral was before closing changed it, to put it back on a same-day undo.
#[derive(serde::Serialize, serde::Deserialize)]
struct ReferralBefore {
    status: String,
    status_since: String,
    held_from: Option<String>,
    follow_up_on: Option<String>,
    outcome: String,
}

pub struct ReferralItems;
impl OpenKind for ReferralItems {
    fn kind(&self) -> &'static str {
        "referral"
    }
    fn open_items(&self, conn: &Connection, client_id: i64) -> Result<Vec<OpenItem>> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id, provider, need, status FROM referrals WHERE client_id = ?1 AND status IN {} ORDER BY id",
            crate::domain::referral::OPEN_SQL
        ))?;
        let rows = stmt.query_map([client_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, provider, need, status) = row?;
            let status: ReferralStatus = status.parse().unwrap_or(ReferralStatus::Draft);
            let reference = crate::domain::referral::referral_ref(id);
            let need = if need.is_empty() { String::new() } else { format!(" for {}", fit(&need, 30)) };
            out.push(OpenItem {
                kind: "referral",
                id,
                label: format!(
                    "Referral {reference} ({}) to {}{need}",
                    status.label().to_lowercase(),
                    fit(&provider, 60)
                ),
                reference,
                choices: referral_choices(status),
            });
        }
        Ok(out)
    }
    fn apply(
        &self,
        tx: &Transaction<'_>,
        client_id: i64,
        item: &OpenItem,
        d: &Decision,
        ctx: &ItemCtx<'_>,
    ) -> Result<String> {
        let (before, held_from): (ReferralBefore, Option<String>) = tx.query_row(
            "SELECT status, status_since, held_from, follow_up_on, outcome FROM referrals WHERE id = ?1",
            [item.id],
            |r| {
                Ok((
                    ReferralBefore {
                        status: r.get(0)?,
                        status_since: r.get(1)?,
                        held_from: r.get(2)?,
                        follow_up_on: r.get(3)?,
                        outcome: r.get(4)?,
                    },
                    r.get(2)?,
                ))
            },
        )?;
        let from: ReferralStatus = before.status.parse().unwrap_or(ReferralStatus::Draft);
        let to = match d.disposition {
            Disposition::Complete => ReferralStatus::Completed,
            _ => ReferralStatus::Cancelled,
        };
        let held = held_from.as_deref().and_then(|h| h.parse().ok());
        crate::domain::referral::check_transition(from, to, held, Some(&d.text), true)
            .map_err(|e| StoreError::Refused(format!("Referral {}: {e}", item.reference)))?;
        let reason = match d.disposition {
            Disposition::Complete => "Completed at case closure".to_string(),
            _ => format!("Cancelled at case closure: {}", d.text),
        };
        let now = now_db(ctx.now);
        // a referral is not changed before the day it reached its state
        let since = parse_ymd(&before.status_since).unwrap_or(ctx.on);
        let on = ctx.on.max(since);
        tx.execute(
            "UPDATE referrals SET status = ?2, status_since = ?3, held_from = NULL, follow_up_on = NULL, \
             outcome = ?4, updated_at = ?5 WHERE id = ?1",
            params![item.id, to.as_str(), format_date(on), reason, now],
        )?;
        tx.execute(
            "INSERT INTO referral_events (referral_id, on_date, recorded_at, from_status, to_status, note, reason, by_whom) \
             VALUES (?1, ?2, ?3, ?4, ?5, '', ?6, ?7)",
            params![item.id, format_date(on), now, from.as_str(), to.as_str(), reason, ctx.by],
        )?;
        event(
            tx,
            client_id,
            ctx,
            "referral",
            &format!("Referral {} {}", item.reference, fit(&reason.to_lowercase(), 100)),
            Some(("referral", item.id)),
        )?;
        serde_json::to_string(&before).map_err(|e| StoreError::Refused(e.to_string()))
    }
    fn undo(
        &self,
        tx: &Transaction<'_>,
        client_id: i64,
        record_id: i64,
        _action: Disposition,
        previous: &str,
        ctx: &ItemCtx<'_>,
    ) -> Result<Option<String>> {
        let r = crate::domain::referral::referral_ref(record_id);
        let Ok(before) = serde_json::from_str::<ReferralBefore>(previous) else {
            return Ok(Some(format!(
                "Referral {r} could not be put back: what it was before is not recorded."
            )));
        };
        let now = now_db(ctx.now);
        let current: String =
            tx.query_row("SELECT status FROM referrals WHERE id = ?1", [record_id], |x| x.get(0))?;
        tx.execute(
            "UPDATE referrals SET status = ?2, status_since = ?3, held_from = ?4, follow_up_on = ?5, outcome = ?6, \
             updated_at = ?7 WHERE id = ?1",
            params![
                record_id,
                before.status,
                before.status_since,
                before.held_from,
                before.follow_up_on,
                before.outcome,
                now
            ],
        )?;
        tx.execute(
            "INSERT INTO referral_events (referral_id, on_date, recorded_at, from_status, to_status, note, reason, by_whom) \
             VALUES (?1, ?2, ?3, ?4, ?5, '', 'The case closure was undone', ?6)",
            params![record_id, format_date(ctx.on), now, current, before.status, ctx.by],
        )?;
        event(
            tx,
            client_id,
            ctx,
            "referral",
            &format!("Referral {r} back to {}: the closure was undone", before.status),
            Some(("referral", record_id)),
        )?;
        Ok(None)
    }
}

pub struct UnsignedNotes;
impl OpenKind for UnsignedNotes {
    fn kind(&self) -> &'static str {
        "note"
    }
    fn open_items(&self, conn: &Connection, client_id: i64) -> Result<Vec<OpenItem>> {
        let mut stmt = conn.prepare_cached(
            "SELECT id, contact_type, contact_at, body FROM notes WHERE client_id = ?1 \
             AND signed_at IS NULL AND error_at IS NULL ORDER BY contact_at, id",
        )?;
        let rows = stmt.query_map([client_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        let offset = local_offset_secs(Utc::now());
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, at, body) = row?;
            let reference = note_ref(id);
            let kind = crate::domain::note::ContactType::parse(&kind).map(|k| k.label()).unwrap_or("note");
            let day = local_day(&at, offset).map(format_date).unwrap_or_default();
            let first =
                body.lines().map(str::trim).find(|l| !l.is_empty() && !l.ends_with(':')).unwrap_or("");
            out.push(OpenItem {
                kind: "note",
                id,
                label: format!("Unsigned note {reference} ({kind}, {day}): {}", fit(first, 50)),
                reference,
                choices: note_choices(),
            });
        }
        Ok(out)
    }
    fn apply(
        &self,
        tx: &Transaction<'_>,
        client_id: i64,
        item: &OpenItem,
        _d: &Decision,
        ctx: &ItemCtx<'_>,
    ) -> Result<String> {
        if ctx.by.trim().is_empty() {
            return Err(StoreError::Refused(
                "Add your name in Settings (press ,) before signing: a signature needs a name.".into(),
            ));
        }
        let now = now_db(ctx.now);
        tx.execute(
            "UPDATE notes SET signed_at = ?2, signed_by = ?3 WHERE id = ?1 AND signed_at IS NULL",
            params![item.id, now, ctx.by],
        )?;
        super::clients::log_event(
            tx,
            client_id,
            &now,
            &now,
            "note-signed",
            &format!("Note {} signed at case closure", item.reference),
        )?;
        Ok(String::new())
    }
    fn undo(
        &self,
        _tx: &Transaction<'_>,
        _client_id: i64,
        record_id: i64,
        _action: Disposition,
        _previous: &str,
        _ctx: &ItemCtx<'_>,
    ) -> Result<Option<String>> {
        Ok(Some(format!(
            "note {} stays signed (a signed note is locked; add an addendum to correct it)",
            note_ref(record_id)
        )))
    }
}

/// Every item still open for a client, kind by kind.
pub fn open_items_in(conn: &Connection, client_id: i64) -> Result<Vec<OpenItem>> {
    let mut out = Vec::new();
    for k in OPEN_KINDS {
        out.extend(k.open_items(conn, client_id)?);
    }
    Ok(out)
}

/// (episode id, number, opened on, closed on) of the client's latest episode.
fn latest_episode(conn: &Connection, client_id: i64) -> Result<(i64, i64, NaiveDate, Option<NaiveDate>)> {
    conn.query_row(
        "SELECT id, number, opened_on, closed_on FROM episodes WHERE client_id = ?1 ORDER BY number DESC LIMIT 1",
        [client_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?)),
    )
    .optional()?
    .map(|(id, n, opened, closed)| (id, n, parse_ymd(&opened).unwrap_or_default(), day_opt(closed)))
    .ok_or_else(|| StoreError::NotFound(format!("Client {} has no episode of service.", client_ref(client_id))))
}

/// The closure in force of the client's latest episode, if it is closed.
fn closure_in_force(conn: &Connection, client_id: i64) -> Result<Option<Closure>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {CLOSURE_COLUMNS} FROM closures cl JOIN episodes e ON e.id = cl.episode_id \
                 WHERE cl.client_id = ?1 AND cl.undone_at IS NULL ORDER BY e.number DESC, cl.id DESC LIMIT 1"
            ),
            [client_id],
            closure_from_row,
        )
        .optional()?
        .filter(|c| latest_episode(conn, client_id).map(|e| e.0 == c.episode_id).unwrap_or(false)))
}

fn client_status(conn: &Connection, client_id: i64) -> Result<String> {
    conn.query_row("SELECT status FROM clients WHERE id = ?1", [client_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("There is no client {}.", client_ref(client_id))))
}

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
            let g = super::goals::with_latest_in(conn, super::goals::load_goal(conn, id)?)?;
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
                .unwrap_or_else(|| super::due::short_name(&instrument).to_string());
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
    // the decisions were made on a list that may have changed since: each must still apply
    let items = open_items_in(tx, client_id)?;
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
            params![closure_id, item.kind, item.id, item.label, action.as_str(), text, previous],
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
        Some(("closure", closure_id)),
    )?;
    Ok(closure_id)
}

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
    if !can_undo(&c.recorded_at, now, local_offset_secs(now)) {
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
        let Some(k) = kind_of(&kind) else {
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
        Some(("closure", c.id)),
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

/// A closed file on the retention list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetentionEntry {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub client_id: i64,
    pub name: String,
    pub closed_on: NaiveDate,
    pub retain_until: NaiveDate,
}

/// The minimal record of a destroyed file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DestroyedFile {
    #[serde(rename = "ref")]
    pub reference: String,
    pub closed_on: NaiveDate,
    pub retention_years: u32,
    pub retain_until: NaiveDate,
    pub destroyed_at: String,
    pub destroyed_by: String,
}

/// Files whose latest closure (in force) is past the retention period, oldest first.
fn past_retention_in(conn: &Connection, years: u32, today: NaiveDate) -> Result<Vec<RetentionEntry>> {
    // closed on or before this day: past retention (checked again per row for 29 February)
    let cutoff = chrono::NaiveDate::from_ymd_opt(
        chrono::Datelike::year(&today) - years as i32,
        chrono::Datelike::month(&today),
        1,
    )
    .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
    .unwrap_or(today);
    let mut stmt = conn.prepare_cached(
        "SELECT cl.client_id, cl.closed_on, c.given_name, c.family_name FROM closures cl INDEXED BY closures_retention \
         JOIN clients c ON c.id = cl.client_id \
         WHERE cl.undone_at IS NULL AND cl.closed_on < ?1 AND c.status = 'closed' \
         AND cl.episode_id = (SELECT e.id FROM episodes e WHERE e.client_id = cl.client_id ORDER BY e.number DESC LIMIT 1) \
         ORDER BY cl.closed_on, cl.client_id",
    )?;
    let rows = stmt.query_map([format_date(cutoff)], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, closed, given, family) = row?;
        let Some(closed) = parse_ymd(&closed) else { continue };
        if !past_retention(closed, years, today) {
            continue;
        }
        out.push(RetentionEntry {
            reference: client_ref(id),
            client_id: id,
            name: crate::domain::client::joined_name(&given, &family),
            closed_on: closed,
            retain_until: retain_until(closed, years),
        });
    }
    Ok(out)
}

impl Store {
    /// What the closing checklist lists for a client.
    pub fn open_items(&self, client_id: i64) -> Result<Vec<OpenItem>> {
        require_client(&self.conn, client_id)?;
        open_items_in(&self.conn, client_id)
    }

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

    /// The closure of the client's current episode, if the case is closed.
    pub fn current_closure(&self, client_id: i64) -> Result<Option<Closure>> {
        closure_in_force(&self.conn, client_id)
    }

    /// True when the case was closed today and the closure may still be undone.
    pub fn closure_undoable(&self, client_id: i64, now: DateTime<Utc>) -> Result<bool> {
        Ok(self
            .current_closure(client_id)?
            .is_some_and(|c| can_undo(&c.recorded_at, now, local_offset_secs(now))))
    }

    /// All closures of a client (undone ones too), oldest first.
    pub fn closures(&self, client_id: i64) -> Result<Vec<Closure>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CLOSURE_COLUMNS} FROM closures cl JOIN episodes e ON e.id = cl.episode_id \
             WHERE cl.client_id = ?1 ORDER BY e.number, cl.id"
        ))?;
        let rows = stmt.query_map([client_id], closure_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn closure(&self, id: i64) -> Result<Closure> {
        self.conn
            .query_row(
                &format!("SELECT {CLOSURE_COLUMNS} FROM closures cl JOIN episodes e ON e.id = cl.episode_id WHERE cl.id = ?1"),
                [id],
                closure_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no closure {}.", closure_ref(id))))
    }

    pub fn closure_items(&self, closure_id: i64) -> Result<Vec<ClosureItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT record_kind, record_id, label, action, reason, undone FROM closure_items WHERE closure_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([closure_id], |r| {
                Ok(ClosureItem {
                    kind: r.get(0)?,
                    record_id: r.get(1)?,
                    label: r.get(2)?,
                    action: Disposition::parse(&r.get::<_, String>(3)?).unwrap_or(Disposition::Leave),
                    reason: r.get(4)?,
                    undone: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

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
                Some(("closure", closure_id)),
            )
        })
    }

    /// Closed files past their retention date (Settings: years after closure), oldest first.
    /// Nothing is ever deleted by this list.
    pub fn past_retention(&self, years: u32, today: NaiveDate) -> Result<Vec<RetentionEntry>> {
        past_retention_in(&self.conn, years, today)
    }

    /// The minimal records of destroyed files, newest first.
    pub fn destroyed_files(&self) -> Result<Vec<DestroyedFile>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT reference, closed_on, retention_years, retain_until, destroyed_at, destroyed_by \
             FROM destroyed_clients ORDER BY destroyed_at DESC, client_id DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(DestroyedFile {
                    reference: r.get(0)?,
                    closed_on: parse_ymd(&r.get::<_, String>(1)?).unwrap_or_default(),
                    retention_years: r.get(2)?,
                    retain_until: parse_ymd(&r.get::<_, String>(3)?).unwrap_or_default(),
                    destroyed_at: r.get(4)?,
                    destroyed_by: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Destroys a closed file past its retention date: every record of the client, in one
    /// transaction, leaving only the minimal record. `confirm` must be the client's reference.
    pub fn destroy_file(
        &mut self,
        client_id: i64,
        confirm: &str,
        years: u32,
        by: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<DestroyedFile> {
        let reference = client_ref(client_id);
        if crate::domain::client::parse_client_ref(confirm) != Some(client_id) {
            return Err(StoreError::invalid(
                "confirm",
                format!("Type the client's reference, {reference}, to confirm. Nothing was destroyed."),
            ));
        }
        let now_s = now_db(now);
        self.write(|tx| {
            if client_status(tx, client_id)? != "closed" {
                return Err(StoreError::Refused(format!("{reference} is an open case; only closed files are destroyed.")));
            }
            let Some(c) = closure_in_force(tx, client_id)? else {
                return Err(StoreError::Refused(format!("{reference} has no closure in force.")));
            };
            if !past_retention(c.closed_on, years, today) {
                return Err(StoreError::Refused(format!(
                    "{reference} must be kept until {} ({years} years after closure). Nothing was destroyed.",
                    format_date(retain_until(c.closed_on, years))
                )));
            }
            tx.execute("INSERT INTO destroying (client_id) VALUES (?1)", [client_id])?;
            super::sections::delete_all(tx, client_id)?;
            tx.execute("DELETE FROM destroying WHERE client_id = ?1", [client_id])?;
            let file = DestroyedFile {
                reference: reference.clone(),
                closed_on: c.closed_on,
                retention_years: years,
                retain_until: retain_until(c.closed_on, years),
                destroyed_at: now_s.clone(),
                destroyed_by: by.trim().to_string(),
            };
            tx.execute(
                "INSERT INTO destroyed_clients (client_id, reference, closed_on, retention_years, retain_until, \
                 destroyed_at, destroyed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    client_id,
                    file.reference,
                    format_date(file.closed_on),
                    file.retention_years,
                    format_date(file.retain_until),
                    file.destroyed_at,
                    file.destroyed_by
                ],
            )?;
            Ok(file)
        })
    }
}

// ---- Today ------------------------------------------------------------------------------------

/// Post-closure follow-ups, due or overdue, until marked done.
pub(crate) fn due_closure_follow_ups(
    store: &Store,
    ctx: &DueContext<'_>,
    limit: i64,
) -> Result<Vec<DueItem>> {
    let horizon = ctx.horizon();
    let mut stmt = store.conn.prepare_cached(
        "SELECT cl.id, cl.client_id, cl.follow_up_on, c.given_name, c.family_name \
         FROM closures cl INDEXED BY closures_follow_up JOIN clients c ON c.id = cl.client_id \
         WHERE cl.follow_up_on IS NOT NULL AND cl.follow_up_done_on IS NULL AND cl.undone_at IS NULL \
         AND cl.follow_up_on <= ?1 AND c.status = 'closed' \
         AND cl.episode_id = (SELECT e.id FROM episodes e WHERE e.client_id = cl.client_id ORDER BY e.number DESC LIMIT 1) \
         ORDER BY cl.follow_up_on LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![format_date(horizon), limit], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, client_id, due, given, family) = row?;
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

/// One line when closed files are past their retention date (worth knowing; nothing is
/// deleted unless the practitioner does it).
pub(crate) fn due_retention(store: &Store, ctx: &DueContext<'_>, _limit: i64) -> Result<Vec<DueItem>> {
    let files = past_retention_in(&store.conn, ctx.settings.retention_years, ctx.today)?;
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let title = if files.len() == 1 {
        format!("1 closed file is past its retention date ({}): it may be destroyed", files[0].reference)
    } else {
        format!("{} closed files are past their retention date: they may be destroyed", files.len())
    };
    Ok(vec![DueItem {
        rule: "retention",
        urgency: Urgency::Info,
        due_on: None,
        client_ref: None,
        client_name: String::new(),
        title,
        target: Target::Retention(String::new()),
        client_id: None,
        record_id: None,
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Once the lead's referrals table exists, the closing checklist, the summary and the
    /// whole-file tables must know referrals too.
    #[test]
    fn referral_extension_points_are_filled() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        let has_referrals: bool = store
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'referrals'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
            > 0;
        let kinds: Vec<&str> = OPEN_KINDS.iter().map(|k| k.kind()).collect();
        if has_referrals {
            assert!(kinds.contains(&"referral"), "add the referral kind to store::closure::OPEN_KINDS");
            assert!(REFERRAL_FACTS.is_some(), "set store::closure::REFERRAL_FACTS");
            assert!(super::super::sections::RECORD_KINDS.iter().any(|(k, _)| *k == "referral"));
        } else {
            assert!(!kinds.contains(&"referral"));
            assert!(REFERRAL_FACTS.is_none());
        }
        // every kind names a table of the file
        for k in OPEN_KINDS {
            assert!(super::super::sections::RECORD_KINDS.iter().any(|(r, _)| *r == k.kind()), "{}", k.kind());
        }
    }
}
