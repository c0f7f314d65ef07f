//! What may still be open when a case is closed: a table of kinds (`OPEN_KINDS`), each listing,
//! closing and restoring its own records; referrals join as one more kind.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, Transaction};

use super::record::day_opt;
use crate::domain::closure::{
    action_item_choices, advocacy_choices, alert_choices, consent_choices, goal_choices, note_choices,
    referral_choices, Decision, Disposition, OpenItem, ReferralFact,
};
use crate::domain::dates::{format_date, local_day, local_offset_secs, moment_of_day, parse_ymd};
use crate::domain::goal::GoalStatus;
use crate::domain::note::note_ref;
use crate::domain::record::RecordKind;
use crate::domain::referral::ReferralStatus;
use crate::domain::text::fit;
use crate::store::clients::{log_record_event, require_client};
use crate::store::{now_db, Result, Store, StoreError};

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
    fn kind(&self) -> RecordKind;
    /// The client's items of this kind that are still open, oldest first.
    fn open_items(&self, conn: &Connection, client_id: i64, today: NaiveDate) -> Result<Vec<OpenItem>>;
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
///
/// Consents to share still valid come last: each runs to its end date, ends at closure, or is
/// kept for the post-closure follow-up.
pub const OPEN_KINDS: &[&dyn OpenKind] =
    &[&GoalItems, &ReferralItems, &ActionItems, &AdvocacyItems, &AlertItems, &UnsignedNotes, &ConsentItems];

/// Each referral of the episode with its final state, for the closing summary.
pub const REFERRAL_FACTS: Option<ReferralFacts> = Some(episode_referrals);

/// (connection, client id, episode id) → the episode's referrals.
pub type ReferralFacts = fn(&Connection, i64, i64) -> Result<Vec<ReferralFact>>;

pub(super) fn kind_of(kind: RecordKind) -> Option<&'static dyn OpenKind> {
    OPEN_KINDS.iter().copied().find(|k| k.kind() == kind)
}

fn event(
    tx: &Transaction<'_>,
    client_id: i64,
    ctx: &ItemCtx<'_>,
    kind: &str,
    summary: &str,
    record: Option<(RecordKind, i64)>,
) -> Result<()> {
    let now = now_db(ctx.now);
    log_record_event(tx, client_id, &moment_of_day(ctx.on, ctx.now), &now, kind, summary, record)
}

pub struct GoalItems;
impl OpenKind for GoalItems {
    fn kind(&self) -> RecordKind {
        RecordKind::Goal
    }
    fn open_items(&self, conn: &Connection, client_id: i64, _today: NaiveDate) -> Result<Vec<OpenItem>> {
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
                kind: RecordKind::Goal,
                id,
                label: format!(
                    "Goal {reference} ({}): {}",
                    status.label().to_lowercase(),
                    fit(&statement, 60)
                ),
                full: format!("goal {reference} ({}): {statement}", status.label().to_lowercase()),
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
        crate::store::goals::change_status(tx, item.id, &change, ctx.by, ctx.now)?;
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
            Some((RecordKind::Goal, record_id)),
        )?;
        Ok(None)
    }
}

pub struct ActionItems;
impl OpenKind for ActionItems {
    fn kind(&self) -> RecordKind {
        RecordKind::ActionItem
    }
    fn open_items(&self, conn: &Connection, client_id: i64, _today: NaiveDate) -> Result<Vec<OpenItem>> {
        let rows: Vec<(i64, String, String, Option<String>)> = crate::store::rows_of(
            conn,
            "SELECT id, owner, text, due_on FROM action_items WHERE client_id = ?1 AND done_on IS NULL ORDER BY id",
            [client_id],
        )?;
        let mut out = Vec::new();
        for (id, owner, text, due) in rows {
            let reference = crate::domain::coordination::action_ref(id);
            let mut about = Vec::new();
            if let Some(d) = day_opt(due) {
                about.push(format!("due {}", format_date(d)));
            }
            let mut full_about = about.clone();
            if !owner.is_empty() {
                about.push(fit(&owner, 20));
                full_about.push(owner.clone());
            }
            let about = if about.is_empty() { String::new() } else { format!(" ({})", about.join(", ")) };
            let full_about =
                if full_about.is_empty() { String::new() } else { format!(" ({})", full_about.join(", ")) };
            out.push(OpenItem {
                kind: RecordKind::ActionItem,
                id,
                label: format!("Action item {reference}{about}: {}", fit(&text, 60)),
                full: format!("action item {reference}{full_about}: {text}"),
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
    fn kind(&self) -> RecordKind {
        RecordKind::Advocacy
    }
    fn open_items(&self, conn: &Connection, client_id: i64, _today: NaiveDate) -> Result<Vec<OpenItem>> {
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
                kind: RecordKind::Advocacy,
                id,
                label: format!(
                    "Advocacy {reference} with {}{deadline}: {}",
                    fit(&target, 30),
                    fit(&barrier, 50)
                ),
                full: format!("advocacy {reference} with {target}{deadline}: {barrier}"),
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
            Some((RecordKind::Advocacy, item.id)),
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
            Some((RecordKind::Advocacy, record_id)),
        )?;
        Ok(None)
    }
}

pub struct AlertItems;
impl OpenKind for AlertItems {
    fn kind(&self) -> RecordKind {
        RecordKind::Alert
    }
    fn open_items(&self, conn: &Connection, client_id: i64, _today: NaiveDate) -> Result<Vec<OpenItem>> {
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
                kind: RecordKind::Alert,
                id,
                label: format!(
                    "Safety alert {reference} from screener result {} (raised {})",
                    crate::domain::assessment::screening_ref(screening),
                    raised.get(..10).unwrap_or("")
                ),
                full: format!(
                    "safety alert {reference} from screener result {} (raised {})",
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
        crate::store::safety::refresh_safety(tx, client_id)?;
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
        crate::store::safety::refresh_safety(tx, client_id)?;
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
                   WHERE e.referral_id = r.id AND e.kind = 'status' ORDER BY e.on_date DESC, e.id DESC LIMIT 1), '') \
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
    fn kind(&self) -> RecordKind {
        RecordKind::Referral
    }
    fn open_items(&self, conn: &Connection, client_id: i64, _today: NaiveDate) -> Result<Vec<OpenItem>> {
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
            let full_need = if need.is_empty() { String::new() } else { format!(" for {need}") };
            let need = if need.is_empty() { String::new() } else { format!(" for {}", fit(&need, 30)) };
            out.push(OpenItem {
                kind: RecordKind::Referral,
                id,
                label: format!(
                    "Referral {reference} ({}) to {}{need}",
                    status.label().to_lowercase(),
                    fit(&provider, 60)
                ),
                full: format!(
                    "referral {reference} ({}) to {provider}{full_need}",
                    status.label().to_lowercase()
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
            Some((RecordKind::Referral, item.id)),
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
            Some((RecordKind::Referral, record_id)),
        )?;
        Ok(None)
    }
}

pub struct UnsignedNotes;
impl OpenKind for UnsignedNotes {
    fn kind(&self) -> RecordKind {
        RecordKind::Note
    }
    fn open_items(&self, conn: &Connection, client_id: i64, _today: NaiveDate) -> Result<Vec<OpenItem>> {
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
                kind: RecordKind::Note,
                id,
                label: format!("Unsigned note {reference} ({kind}, {day}): {}", fit(first, 50)),
                full: format!("unsigned note {reference} ({kind}, {day}): {first}"),
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
        crate::store::clients::log_event(
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

/// A consent to share still valid at closure (signed, not withdrawn or let lapse, its last
/// valid day not past).
pub struct ConsentItems;
impl OpenKind for ConsentItems {
    fn kind(&self) -> RecordKind {
        RecordKind::Consent
    }
    fn open_items(&self, conn: &Connection, client_id: i64, today: NaiveDate) -> Result<Vec<OpenItem>> {
        let rows: Vec<(i64, String, String, Option<String>)> = crate::store::rows_of(
            conn,
            "SELECT id, to_name, covers, expires_on FROM consents WHERE client_id = ?1 AND signed_on IS NOT NULL \
             AND signed_on <= ?2 AND revoked_on IS NULL AND lapsed_on IS NULL \
             AND (expires_on IS NULL OR expires_on >= ?2) ORDER BY id",
            params![client_id, format_date(today)],
        )?;
        let mut out = Vec::new();
        for (id, to, covers, expires) in rows {
            let reference = crate::domain::coordination::consent_ref(id);
            let expires = day_opt(expires);
            let until = match expires {
                Some(d) => format!("valid until {}", format_date(d)),
                None => "valid with no end date".to_string(),
            };
            let what = |s: &str| if s.trim().is_empty() { "everything".to_string() } else { s.to_string() };
            out.push(OpenItem {
                kind: RecordKind::Consent,
                id,
                label: format!(
                    "Consent {reference} to {} ({}), {until}",
                    fit(&to, 40),
                    fit(&what(&covers), 30)
                ),
                full: format!("consent {reference} to share {} with {to}, {until}", what(&covers)),
                reference,
                choices: consent_choices(expires.is_some()),
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
        let before: Option<String> =
            tx.query_row("SELECT expires_on FROM consents WHERE id = ?1", [item.id], |r| r.get(0))?;
        let what = match d.disposition {
            Disposition::Cancel => {
                // its last valid day becomes the closing day (never later than it was)
                let end = match day_opt(before.clone()) {
                    Some(e) if e < ctx.on => e,
                    _ => ctx.on,
                };
                tx.execute(
                    "UPDATE consents SET expires_on = ?2, updated_at = ?3 WHERE id = ?1",
                    params![item.id, format_date(end), now_db(ctx.now)],
                )?;
                format!(
                    "Consent {} ended at case closure: its last day is {}",
                    item.reference,
                    format_date(end)
                )
            }
            _ => format!("Consent {} kept after case closure for the post-closure follow-up", item.reference),
        };
        event(tx, client_id, ctx, "consent", &what, Some((RecordKind::Consent, item.id)))?;
        Ok(before.unwrap_or_default())
    }
    fn undo(
        &self,
        tx: &Transaction<'_>,
        client_id: i64,
        record_id: i64,
        action: Disposition,
        previous: &str,
        ctx: &ItemCtx<'_>,
    ) -> Result<Option<String>> {
        if action != Disposition::Cancel {
            return Ok(None);
        }
        let previous = if previous.is_empty() { None } else { Some(previous) };
        tx.execute(
            "UPDATE consents SET expires_on = ?2, updated_at = ?3 WHERE id = ?1",
            params![record_id, previous, now_db(ctx.now)],
        )?;
        let r = crate::domain::coordination::consent_ref(record_id);
        let until = previous.map(|p| format!("valid until {p}")).unwrap_or_else(|| "with no end date".into());
        event(
            tx,
            client_id,
            ctx,
            "consent",
            &format!("Consent {r} {until} again: the closure was undone"),
            Some((RecordKind::Consent, record_id)),
        )?;
        Ok(None)
    }
}

/// Every item still open for a client, kind by kind.
/// What is open on a client's file on `today` (the practitioner's local day).
pub fn open_items_in(conn: &Connection, client_id: i64, today: NaiveDate) -> Result<Vec<OpenItem>> {
    let mut out = Vec::new();
    for k in OPEN_KINDS {
        out.extend(k.open_items(conn, client_id, today)?);
    }
    Ok(out)
}

impl Store {
    /// What the closing checklist lists for a client.
    pub fn open_items(&self, client_id: i64, today: NaiveDate) -> Result<Vec<OpenItem>> {
        require_client(&self.conn, client_id)?;
        open_items_in(&self.conn, client_id, today)
    }
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
        let kinds: Vec<RecordKind> = OPEN_KINDS.iter().map(|k| k.kind()).collect();
        if has_referrals {
            assert!(
                kinds.contains(&RecordKind::Referral),
                "add the referral kind to store::closure::OPEN_KINDS"
            );
            assert!(REFERRAL_FACTS.is_some(), "set store::closure::REFERRAL_FACTS");
            assert!(crate::store::sections::RECORD_KINDS
                .iter()
                .any(|(k, _)| *k == RecordKind::Referral.as_str()));
        } else {
            assert!(!kinds.contains(&RecordKind::Referral));
            assert!(REFERRAL_FACTS.is_none());
        }
        // every kind names a table of the file
        for k in OPEN_KINDS {
            assert!(
                crate::store::sections::RECORD_KINDS.iter().any(|(r, _)| *r == k.kind().as_str()),
                "{}",
                k.kind()
            );
        }
    }
}
