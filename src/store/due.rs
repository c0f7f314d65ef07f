//! The queries behind Today. Each rule reads what is recorded (through indexes) and returns
//! items built by `domain::due`; a later phase adds its rule to `RULES`, not a screen.

use std::collections::HashSet;

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::params;

use super::{rows_of, Result, Store};
use crate::domain::assessment::{alert_ref, flag_ref, screening_ref};
use crate::domain::client::{client_ref, joined_name};
use crate::domain::dates::{format_date, local_day, local_offset_secs, parse_ymd, to_db};
// Callers outside store name the context through here as well.
pub use crate::domain::due::DueContext;
pub use crate::domain::due::DueCount;
use crate::domain::due::{
    dated_item, due_phrase, snooze_key, sort_items, urgency_for, DueItem, Snooze, Target, Urgency,
};
use crate::domain::instruments::{regiven, short_name_of};
use crate::domain::note::note_ref;

/// A rule gives its items, soonest due first, at most `limit` of them (-1: all).
pub type Rule = fn(&Store, &DueContext<'_>, i64) -> Result<Vec<DueItem>>;

/// The rules, in no particular order (the list is sorted by urgency afterwards).
pub const RULES: &[(&str, Rule)] = &[
    ("follow-up", follow_ups),
    ("unsigned-notes", unsigned_notes),
    ("no-contact", no_contact),
    ("draft", drafts),
    ("safety-flag", safety_flags),
    ("safety-alert", safety_alerts),
    ("rescreen", rescreens),
    ("consent", consents),
    ("consent-withdrawn", consent_withdrawals),
    ("action-item", action_items),
    ("transition", transition_follow_ups),
    ("advocacy", advocacy_deadlines),
    ("referral", referral_follow_ups),
    ("goal-step", super::plan::due_goal_steps),
    ("goal-target", super::plan::due_goals_past_target),
    ("plan-review", super::plan::due_plan_reviews),
    ("closure-follow-up", super::closure::due_closure_follow_ups),
    ("retention", super::closure::due_retention),
    ("appointment", appointments_today),
    ("visit", visits_today),
    ("visit-no-note", visits_without_note),
];

/// How many items a rule has, counted by its own query (the same tables, index and WHERE)
/// without loading a row.
pub type Counter = fn(&Store, &DueContext<'_>) -> Result<DueCount>;

/// Each rule's count, in the order of `RULES` (a test checks the two lists match).
pub const COUNTS: &[(&str, Counter)] = &[
    ("follow-up", |s, c| count_dated(s, FOLLOW_UPS_SQL, "n.follow_up_on", c.horizon(), c)),
    ("unsigned-notes", count_unsigned_notes),
    ("no-contact", count_no_contact),
    ("draft", |s, c| Ok(DueCount::of(&drafts(s, c, -1)?))),
    ("safety-flag", |s, _| count_safety(s, SAFETY_FLAGS_SQL)),
    ("safety-alert", |s, _| count_safety(s, SAFETY_ALERTS_SQL)),
    ("rescreen", count_rescreens),
    ("consent", |s, c| count_dated(s, CONSENTS_SQL, "s.expires_on", consent_horizon(c), c)),
    ("consent-withdrawn", |s, c| count_dated(s, CONSENT_WITHDRAWALS_SQL, "r.due_on", c.horizon(), c)),
    ("action-item", |s, c| count_dated(s, ACTION_ITEMS_SQL, "a.due_on", c.horizon(), c)),
    ("transition", |s, c| count_dated(s, TRANSITIONS_SQL, "t.follow_up_on", c.horizon(), c)),
    ("advocacy", |s, c| count_dated(s, ADVOCACY_SQL, "a.deadline", c.horizon(), c)),
    ("referral", |s, c| count_dated(s, &referrals_sql(), "r.follow_up_on", c.horizon(), c)),
    ("goal-step", |s, c| count_dated(s, super::plan::DUE_GOAL_STEPS_SQL, "s.due_on", c.horizon(), c)),
    ("goal-target", |s, c| {
        count_dated(s, super::plan::DUE_GOALS_PAST_TARGET_SQL, "g.target_on", c.horizon(), c)
    }),
    ("plan-review", |s, c| count_dated(s, super::plan::DUE_PLAN_REVIEWS_SQL, "r.due_on", c.horizon(), c)),
    ("closure-follow-up", |s, c| {
        count_dated(s, super::closure::DUE_CLOSURE_FOLLOW_UPS_SQL, "cl.follow_up_on", c.horizon(), c)
    }),
    // one line at most
    ("retention", |s, c| Ok(DueCount::of(&super::closure::due_retention(s, c, -1)?))),
    ("appointment", count_appointments_today),
    ("visit", count_visits_today),
    ("visit-no-note", count_visits_without_note),
];

/// A rule's query turned into its count: the same FROM (and index) and WHERE, the ORDER BY and
/// LIMIT dropped, `urgent` summed (it may name `?2`, free once the LIMIT is gone). The client is
/// joined as a CROSS JOIN, so the rule's table and index lead as they do in the rule.
pub fn count_sql(rule_sql: &str, urgent: &str) -> String {
    let from = rule_sql.find(" FROM ").unwrap_or(0);
    let end = rule_sql.rfind(" ORDER BY").filter(|&e| e > from).unwrap_or(rule_sql.len());
    // the rule's table stays the outer loop, read through its index as the rule reads it (a
    // count without ORDER BY would otherwise let the planner start from the clients)
    let body = rule_sql[from..end]
        .replace(" CROSS JOIN clients c ON", " JOIN clients c ON")
        .replace(" JOIN clients c ON", " CROSS JOIN clients c ON");
    format!("SELECT count(*), coalesce(sum({urgent}), 0){body}")
}

fn count_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DueCount> {
    let (n, urgent): (i64, i64) = (r.get(0)?, r.get(1)?);
    Ok(DueCount { items: usize::try_from(n).unwrap_or(0), urgent: usize::try_from(urgent).unwrap_or(0) })
}

/// The count of a rule of dated items (`?1` the horizon): overdue when due before today.
fn count_dated(
    store: &Store,
    rule_sql: &str,
    due: &str,
    horizon: NaiveDate,
    ctx: &DueContext<'_>,
) -> Result<DueCount> {
    let mut stmt = store.conn.prepare_cached(&count_sql(rule_sql, &format!("{due} < ?2")))?;
    Ok(stmt.query_row(params![format_date(horizon), format_date(ctx.today)], count_row)?)
}

/// Safety items are all urgent.
fn count_safety(store: &Store, rule_sql: &str) -> Result<DueCount> {
    let mut stmt = store.conn.prepare_cached(&count_sql(rule_sql, "1"))?;
    Ok(stmt.query_row([], count_row)?)
}

/// One line per client with notes to sign; overdue when the oldest is past the window.
fn count_unsigned_notes(store: &Store, ctx: &DueContext<'_>) -> Result<DueCount> {
    let overdue = day_start(ctx, days_ago(ctx, i64::from(ctx.settings.signing_window_days)));
    let mut stmt = store.conn.prepare_cached(
        "SELECT count(*), coalesce(sum(g.oldest < ?2), 0) FROM \
         (SELECT client_id, min(written_at) AS oldest FROM notes INDEXED BY notes_unsigned \
          WHERE signed_at IS NULL AND error_at IS NULL AND written_at < ?1 GROUP BY client_id) g \
         JOIN clients c ON c.id = g.client_id",
    )?;
    Ok(stmt.query_row(params![unsigned_cutoff(ctx), overdue], count_row)?)
}

/// Quiet cases; overdue when the last contact (or the intake) is more than the days ago.
fn count_no_contact(store: &Store, ctx: &DueContext<'_>) -> Result<DueCount> {
    let cutoff = no_contact_cutoff(ctx);
    let overdue = days_ago(ctx, i64::from(ctx.settings.no_contact_days));
    let sql = count_sql(
        NO_CONTACT_SQL,
        "CASE WHEN last_contact_at IS NOT NULL THEN last_contact_at < ?4 ELSE intake_date < ?5 END",
    );
    let mut stmt = store.conn.prepare_cached(&sql)?;
    Ok(stmt.query_row(
        params![
            day_start(ctx, cutoff),
            format_date(cutoff),
            0,
            day_start(ctx, overdue),
            format_date(overdue)
        ],
        count_row,
    )?)
}

/// Screeners due again; those given the same day (PHQ-9 and GAD-7) make one line, as in the rule.
fn count_rescreens(store: &Store, ctx: &DueContext<'_>) -> Result<DueCount> {
    let every = i64::from(ctx.settings.rescreen_days);
    let cutoff = ctx.horizon() - chrono::Duration::days(every);
    let ids: Vec<String> = regiven().map(|i| i.id.clone()).collect();
    if ids.is_empty() {
        return Ok(DueCount::default());
    }
    let slots: Vec<String> = (0..ids.len()).map(|i| format!("?{}", i + 3)).collect();
    let sql = format!(
        "SELECT count(*), coalesce(sum(d.last_on < ?2), 0) FROM (SELECT DISTINCT l.client_id, l.last_on \
         FROM screening_latest l INDEXED BY screening_latest_by_day JOIN clients c ON c.id = l.client_id \
         WHERE l.instrument_id IN ({}) AND l.last_on <= ?1 AND l.case_open = 1 AND c.status = 'open') d",
        slots.join(", ")
    );
    let mut values = vec![format_date(cutoff), format_date(days_ago(ctx, every))];
    values.extend(ids);
    let mut stmt = store.conn.prepare_cached(&sql)?;
    Ok(stmt.query_row(rusqlite::params_from_iter(values), count_row)?)
}

impl Store {
    /// Everything that needs the practitioner, most urgent first.
    pub fn due_items(&self, ctx: &DueContext<'_>) -> Result<Vec<DueItem>> {
        self.due_items_limited(ctx, None).map(|(items, _)| items)
    }

    /// How many items Today has in all, and how many are overdue or safety items: each rule's
    /// count (`COUNTS`), never loading the items.
    pub fn due_count(&self, ctx: &DueContext<'_>) -> Result<DueCount> {
        let snoozed = self.snoozed(ctx.today)?;
        let mut total = DueCount::default();
        for ((name, count), (_, rule)) in COUNTS.iter().zip(RULES) {
            total = total + count(self, ctx)?;
            // a rule with items snoozed: those still in its list are not counted (the few
            // snoozes in force are read through their index; only such a rule is listed)
            if snoozed.iter().any(|(r, _)| r == name) {
                let hidden: Vec<DueItem> =
                    rule(self, ctx, -1)?.into_iter().filter(|i| is_snoozed(&snoozed, i)).collect();
                let h = DueCount::of(&hidden);
                total.items -= h.items.min(total.items);
                total.urgent -= h.urgent.min(total.urgent);
            }
        }
        Ok(total)
    }

    /// The most urgent items, at most about `limit` of each rule (the screen shows a page and
    /// asks for more as it scrolls; a caseload of thousands has tens of thousands of items).
    /// Also says whether a rule had more than it gave. Each rule gives its items soonest first,
    /// so the first `limit` of the merged list are the same as in the full list.
    pub fn due_items_limited(
        &self,
        ctx: &DueContext<'_>,
        limit: Option<usize>,
    ) -> Result<(Vec<DueItem>, bool)> {
        let snoozed = self.snoozed(ctx.today)?;
        let mut items = Vec::new();
        let mut more = false;
        for (name, rule) in RULES {
            // as many more as this rule has items snoozed, so the page is whole without them
            let extra = snoozed.iter().filter(|(r, _)| r == name).count();
            let n = limit.map(|l| (l + extra) as i64).unwrap_or(-1);
            let got = rule(self, ctx, n)?;
            more |= limit.is_some_and(|l| got.len() >= l + extra);
            items.extend(got.into_iter().filter(|i| !is_snoozed(&snoozed, i)));
        }
        sort_items(&mut items);
        if let Some(l) = limit {
            items.truncate(l);
        }
        Ok((items, more))
    }
}

/// The snoozes in force on a day, by rule and record (`domain::due::snooze_key`).
pub type Snoozed = HashSet<(String, i64)>;

fn is_snoozed(snoozed: &Snoozed, item: &DueItem) -> bool {
    !snoozed.is_empty() && snooze_key(item).is_some_and(|k| snoozed.contains(&(item.rule.to_string(), k)))
}

impl Store {
    /// The Today items snoozed to a day after `today`, read through the index on that day.
    pub fn snoozed(&self, today: NaiveDate) -> Result<Snoozed> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT rule, record_id FROM snoozes INDEXED BY snoozes_until WHERE until_on > ?1",
        )?;
        let rows = stmt.query_map([format_date(today)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Snoozes a Today item to a day with a reason: it leaves Today until that day and comes
    /// back on it. The snooze is a line on the client's timeline. One transaction.
    pub fn snooze(&mut self, item: &DueItem, snooze: &Snooze, by: &str, now: DateTime<Utc>) -> Result<i64> {
        let Some(key) = snooze_key(item) else {
            return Err(super::StoreError::Refused("This line cannot be snoozed.".into()));
        };
        let at = to_db(now);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO snoozes (client_id, rule, record_id, until_on, reason, by_name, created_at) \
                 VALUES (?1,?2,?3,?4,?5,?6,?7)",
                params![item.client_id, item.rule, key, format_date(snooze.until), snooze.reason, by, at],
            )?;
            let id = tx.last_insert_rowid();
            if let Some(client) = item.client_id {
                let summary = format!(
                    "Snoozed on Today until {}: {} — {}",
                    format_date(snooze.until),
                    crate::domain::text::fit(&item.title, 60),
                    snooze.reason
                );
                super::clients::log_event(tx, client, &at, &at, "snooze", &summary)?;
            }
            Ok(id)
        })
    }
}

/// A rule's query kept to items due on or after `ctx.since`, when set: `cond(day)` (a condition
/// on the rule's own columns, given a day or moment written by us, never user text) is added
/// before the query's last `before` (" ORDER BY", or " GROUP BY").
fn bounded(
    sql: &str,
    before: &str,
    ctx: &DueContext<'_>,
    cond: impl FnOnce(NaiveDate) -> String,
) -> std::borrow::Cow<'static, str> {
    match (ctx.since, sql.rfind(before)) {
        (Some(since), Some(at)) => format!("{} AND {}{}", &sql[..at], cond(since), &sql[at..]).into(),
        _ => sql.to_string().into(),
    }
}

/// The same for a rule of dated items: due on `due` (a column of dates) on or after the day.
pub(crate) fn bounded_dated(sql: &str, due: &str, ctx: &DueContext<'_>) -> std::borrow::Cow<'static, str> {
    bounded(sql, " ORDER BY", ctx, |since| format!("{due} >= '{}'", format_date(since)))
}

/// The rows give owned names; this fixes their type for the row closures.
fn name(given: String, family: String) -> String {
    joined_name(&given, &family)
}

/// Open follow-ups (`?1` the horizon, `?2` the page).
const FOLLOW_UPS_SQL: &str =
    "SELECT n.id, n.client_id, n.follow_up_on, c.given_name, c.family_name, substr(n.body, 1, 200) FROM notes n \
     INDEXED BY notes_follow_up CROSS JOIN clients c ON c.id = n.client_id \
     WHERE n.follow_up_on IS NOT NULL AND n.follow_up_done_at IS NULL AND n.error_at IS NULL \
     AND n.follow_up_on <= ?1 AND c.status = 'open' \
     AND (c.last_contact_at IS NULL OR c.last_contact_at <= n.contact_at) ORDER BY n.follow_up_on LIMIT ?2";

/// Follow-up dates set on notes, overdue or due soon, until done or until a later contact.
fn follow_ups(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let horizon = ctx.horizon();
    // Start from the partial index of open follow-ups. A later contact with the client clears a
    // follow-up: clients.last_contact_at is the latest client contact (kept by the notes store),
    // so no per-note lookup is needed.
    let mut stmt = store.conn.prepare_cached(&bounded_dated(FOLLOW_UPS_SQL, "n.follow_up_on", ctx))?;
    let rows = stmt.query_map(params![format_date(horizon), limit], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, client_id, due, given, family, body): (i64, i64, String, String, String, String) = row?;
        // what the follow-up is for, in the practitioner's words: the note's first words
        let words = crate::domain::due::first_words(&body, 50);
        let words = if words.is_empty() { String::new() } else { format!(": {words}") };
        out.extend(dated_item(
            ctx,
            "follow-up",
            (client_id, given, family),
            &due,
            Some(id),
            Target::Note(note_ref(id)),
            |due| format!("Follow-up from note {} {}{words}", note_ref(id), due_phrase(due, ctx.today)),
        ));
    }
    Ok(out)
}

/// The moment (stored UTC) local `day` begins: a stored moment is before it exactly when its
/// local day (`local_day`) is before `day`.
fn day_start(ctx: &DueContext<'_>, day: NaiveDate) -> String {
    let start = day.and_time(chrono::NaiveTime::MIN).and_utc();
    to_db(start - chrono::Duration::seconds(local_offset_secs(ctx.now)))
}

/// `days` before (negative: after) today.
fn days_ago(ctx: &DueContext<'_>, days: i64) -> NaiveDate {
    ctx.today - chrono::Duration::days(days)
}

/// Notes written before this are due to be signed by the horizon: written on a day before
/// today − window + due-soon + 1.
fn unsigned_cutoff(ctx: &DueContext<'_>) -> String {
    let window = i64::from(ctx.settings.signing_window_days);
    let soon = i64::from(ctx.settings.due_soon_days);
    day_start(ctx, days_ago(ctx, window - soon - 1))
}

/// Unsigned notes past the signing window (overdue) or reaching it soon, one line per client.
fn unsigned_notes(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let offset = local_offset_secs(ctx.now);
    let cutoff = unsigned_cutoff(ctx);
    let sql = "SELECT g.client_id, g.n, g.oldest, c.given_name, c.family_name FROM \
         (SELECT client_id, count(*) AS n, min(written_at) AS oldest FROM notes INDEXED BY notes_unsigned \
          WHERE signed_at IS NULL AND error_at IS NULL AND written_at < ?1 GROUP BY client_id \
          ORDER BY oldest LIMIT ?2) g \
         JOIN clients c ON c.id = g.client_id ORDER BY g.oldest";
    // signing due on or after the day: written on or after it less the window (a day early,
    // as moments and local days meet; a line seen twice is kept once)
    let window = i64::from(ctx.settings.signing_window_days);
    let sql = bounded(sql, " GROUP BY", ctx, |since| {
        format!("written_at >= '{}'", day_start(ctx, since - chrono::Duration::days(window + 1)))
    });
    let mut stmt = store.conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![cutoff, limit], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get(3)?, r.get(4)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (client_id, count, oldest, given, family) = row?;
        let written = local_day(&oldest, offset).unwrap_or(ctx.today);
        let due = written
            .checked_add_days(Days::new(u64::from(ctx.settings.signing_window_days)))
            .unwrap_or(ctx.today);
        let Some(urgency) = urgency_for(due, ctx.today, ctx.settings.due_soon_days) else { continue };
        let what = crate::domain::words::count(count, "unsigned note", "unsigned notes");
        out.push(DueItem {
            rule: "unsigned-notes",
            urgency,
            due_on: Some(due),
            client_ref: Some(client_ref(client_id)),
            client_name: name(given, family),
            title: format!(
                "{what}: signing {} (oldest written {})",
                due_phrase(due, ctx.today),
                format_date(written)
            ),
            target: Target::Client(client_ref(client_id)),
            client_id: Some(client_id),
            record_id: None,
        });
    }
    Ok(out)
}

/// Quiet open cases (`?1` the moment and `?2` the day before which the last contact or the
/// intake makes a case due by the horizon, `?3` the page).
const NO_CONTACT_SQL: &str = "SELECT id, last_contact_at, intake_date, given_name, family_name FROM clients \
     WHERE status = 'open' AND ((last_contact_at IS NOT NULL AND last_contact_at < ?1) \
     OR (last_contact_at IS NULL AND intake_date < ?2)) ORDER BY coalesce(last_contact_at, intake_date) LIMIT ?3";

/// The day before which a last contact (or intake) makes a case due by the horizon.
fn no_contact_cutoff(ctx: &DueContext<'_>) -> NaiveDate {
    let days = u64::from(ctx.settings.no_contact_days);
    let soon = u64::from(ctx.settings.due_soon_days);
    ctx.today
        .checked_add_days(Days::new(soon + 1))
        .and_then(|d| d.checked_sub_days(Days::new(days)))
        .unwrap_or(ctx.today)
}

/// Open clients with no contact for the configured number of days (or none since intake),
/// and those who will reach it within the due-soon window.
fn no_contact(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let days = u64::from(ctx.settings.no_contact_days);
    let offset = local_offset_secs(ctx.now);
    let cutoff_day = no_contact_cutoff(ctx);
    let cutoff = day_start(ctx, cutoff_day);
    let mut stmt = store.conn.prepare_cached(&bounded(NO_CONTACT_SQL, " ORDER BY", ctx, |since| {
        let quiet_from = since - chrono::Duration::days(i64::from(ctx.settings.no_contact_days) + 1);
        format!("coalesce(last_contact_at, intake_date) >= '{}'", format_date(quiet_from))
    }))?;
    let rows = stmt.query_map(params![cutoff, format_date(cutoff_day), limit], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
            r.get(3)?,
            r.get(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, last, intake, given, family) = row?;
        let since = match last.as_deref().and_then(|l| local_day(l, offset)) {
            Some(d) => d,
            None => parse_ymd(&intake).unwrap_or(ctx.today),
        };
        let gap = (ctx.today - since).num_days();
        let due = since.checked_add_days(Days::new(days)).unwrap_or(ctx.today);
        let Some(urgency) = urgency_for(due, ctx.today, ctx.settings.due_soon_days) else { continue };
        let days = |n: i64| crate::domain::words::count(n, "day", "days");
        let title = match (last.is_some(), urgency) {
            (true, Urgency::Overdue) => format!("No contact for {} (last {})", days(gap), format_date(since)),
            (false, Urgency::Overdue) => format!("No contact since intake {} ago", days(gap)),
            (_, _) => {
                format!("{} since the last contact: a contact is {}", days(gap), due_phrase(due, ctx.today))
            }
        };
        out.push(DueItem {
            rule: "no-contact",
            urgency,
            due_on: Some(due),
            client_ref: Some(client_ref(id)),
            client_name: name(given, family),
            title,
            target: Target::Client(client_ref(id)),
            client_id: Some(id),
            record_id: None,
        });
    }
    Ok(out)
}

/// Forms left unsaved (after a crash, or left for later).
fn drafts(store: &Store, _ctx: &DueContext<'_>, _limit: i64) -> Result<Vec<DueItem>> {
    Ok(store
        .drafts()?
        .into_iter()
        .map(|d| DueItem {
            rule: "draft",
            urgency: Urgency::Info,
            due_on: None,
            client_ref: d.client_id.map(client_ref),
            client_name: String::new(),
            title: format!("Unsaved draft: {}", d.title),
            target: Target::Draft(d.key.clone()),
            client_id: d.client_id,
            record_id: None,
        })
        .collect())
}

const SAFETY_FLAGS_SQL: &str =
    "SELECT f.id, f.client_id, f.area, f.level, f.raised_at, c.given_name, c.family_name \
     FROM risk_flags f INDEXED BY risk_flags_open JOIN clients c ON c.id = f.client_id \
     WHERE f.lowered_at IS NULL AND c.status = 'open'";

/// Open risk flags head the list until reviewed and lowered.
fn safety_flags(store: &Store, _ctx: &DueContext<'_>, _limit: i64) -> Result<Vec<DueItem>> {
    let rows: Vec<(i64, i64, String, String, String, String, String)> =
        rows_of(&store.conn, SAFETY_FLAGS_SQL, [])?;
    let mut out = Vec::new();
    for (id, client_id, area, level, raised, given, family) in rows {
        let area = crate::domain::assessment::RiskArea::parse(&area).map(|a| a.label()).unwrap_or("Risk");
        let since = parse_ymd(&raised).map(format_date).unwrap_or_default();
        out.push(DueItem {
            rule: "safety-flag",
            urgency: Urgency::Safety,
            due_on: None,
            client_ref: Some(client_ref(client_id)),
            client_name: name(given, family),
            title: format!("{area} {}: review the flag (since {since})", level.to_uppercase()),
            target: Target::Flag(flag_ref(id)),
            client_id: Some(client_id),
            record_id: Some(id),
        });
    }
    Ok(out)
}

const SAFETY_ALERTS_SQL: &str =
    "SELECT a.id, a.client_id, a.screening_id, a.raised_at, c.given_name, c.family_name \
     FROM alerts a INDEXED BY alerts_open JOIN clients c ON c.id = a.client_id \
     WHERE a.acknowledged_at IS NULL AND c.status = 'open'";

/// Safety alerts from screener results, until acknowledged with a note.
fn safety_alerts(store: &Store, _ctx: &DueContext<'_>, _limit: i64) -> Result<Vec<DueItem>> {
    let mut stmt = store.conn.prepare_cached(SAFETY_ALERTS_SQL)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, client_id, screening, raised, given, family) = row?;
        let since = parse_ymd(&raised).map(format_date).unwrap_or_default();
        out.push(DueItem {
            rule: "safety-alert",
            urgency: Urgency::Safety,
            due_on: None,
            client_ref: Some(client_ref(client_id)),
            client_name: name(given, family),
            title: format!("Screener safety alert ({}, {since}): acknowledge it", screening_ref(screening)),
            target: Target::Alert(alert_ref(id)),
            client_id: Some(client_id),
            record_id: Some(id),
        });
    }
    Ok(out)
}

/// Screeners re-given on a schedule (`regiven_after_days` in their JSON: PHQ-9, GAD-7) are due
/// again the practitioner's number of days after the last one, while a case is open.
fn rescreens(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let every = u64::from(ctx.settings.rescreen_days);
    let horizon = ctx.horizon();
    let cutoff = horizon.checked_sub_days(Days::new(every)).unwrap_or(horizon);
    // The latest of each client is kept by triggers (migrations 9 and 11). One query per
    // instrument walks its index in date order and stops at the page (an IN over both would
    // sort every due row first); the two are merged by date.
    let sql = "SELECT l.client_id, l.instrument_id, l.last_on, c.given_name, c.family_name FROM screening_latest l \
         INDEXED BY screening_latest_by_day JOIN clients c ON c.id = l.client_id \
         WHERE l.instrument_id = ?1 AND l.last_on <= ?2 AND l.case_open = 1 AND c.status = 'open' \
         ORDER BY l.last_on LIMIT ?3";
    let sql = bounded(sql, " ORDER BY", ctx, |since| {
        format!("l.last_on >= '{}'", format_date(since - chrono::Duration::days(every as i64)))
    });
    let mut stmt = store.conn.prepare_cached(&sql)?;
    let mut rows: Vec<(i64, String, String, String, String)> = Vec::new();
    for instrument in regiven() {
        let got = stmt.query_map(params![instrument.id, format_date(cutoff), limit], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get(3)?, r.get(4)?))
        })?;
        for row in got {
            rows.push(row?);
        }
    }
    rows.sort_by(|a, b| a.2.cmp(&b.2));
    if limit >= 0 {
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    // screeners given together (PHQ-9 and GAD-7) are due together: one line
    let mut same_day: std::collections::HashMap<(i64, NaiveDate), usize> = std::collections::HashMap::new();
    let mut out: Vec<DueItem> = Vec::new();
    for (client_id, instrument, last, given, family) in rows {
        let Some(last) = parse_ymd(&last) else { continue };
        let due = last.checked_add_days(Days::new(every)).unwrap_or(ctx.today);
        let Some(urgency) = urgency_for(due, ctx.today, ctx.settings.due_soon_days) else { continue };
        let short = short_name_of(&instrument);
        if let Some(same) = same_day.get(&(client_id, due)).and_then(|&i| out.get_mut(i)) {
            same.title = same.title.replacen(" due again", &format!(" and {short} due again"), 1);
            continue;
        }
        same_day.insert((client_id, due), out.len());
        out.push(DueItem {
            rule: "rescreen",
            urgency,
            due_on: Some(due),
            client_ref: Some(client_ref(client_id)),
            client_name: name(given, family),
            title: format!(
                "{short} due again {} (last given {})",
                due_phrase(due, ctx.today),
                format_date(last)
            ),
            target: Target::Screeners(client_ref(client_id)),
            client_id: Some(client_id),
            record_id: None,
        });
    }
    Ok(out)
}

const CONSENT_WITHDRAWALS_SQL: &str =
    "SELECT r.id, r.client_id, r.consent_id, r.record_kind, r.record_id, r.what, r.due_on, c.given_name, \
     c.family_name FROM consent_reliances r INDEXED BY consent_reliances_open \
     JOIN clients c ON c.id = r.client_id \
     WHERE r.done_on IS NULL AND r.due_on <= ?1 AND c.status = 'open' \
     ORDER BY r.due_on, r.client_id, r.id LIMIT ?2";

/// (id, client, consent, record kind, record id, what, due, given name, family name)
type RelianceRow = (i64, i64, i64, String, i64, String, String, String, String);

/// What relied on a consent the client withdrew (a referral sent under it, a conference, the
/// recipient as a contact), until the practitioner has told them: overdue from the withdrawal.
fn consent_withdrawals(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let sql = bounded_dated(CONSENT_WITHDRAWALS_SQL, "r.due_on", ctx);
    let rows: Vec<RelianceRow> = rows_of(&store.conn, &sql, params![format_date(ctx.horizon()), limit])?;
    let mut out = Vec::new();
    for (id, client_id, consent, kind, record, what, due, given, family) in rows {
        let target = match kind.as_str() {
            "referral" => Target::Referral(crate::domain::referral::referral_ref(record)),
            "conference" => Target::Conference(crate::domain::coordination::conference_ref(record)),
            _ => Target::Consent(crate::domain::coordination::consent_ref(consent)),
        };
        out.extend(dated_item(
            ctx,
            "consent-withdrawn",
            (client_id, given, family),
            &due,
            Some(id),
            target,
            |_| what,
        ));
    }
    Ok(out)
}

const CONSENTS_SQL: &str = "SELECT s.id, s.client_id, s.to_name, s.expires_on, c.given_name, c.family_name FROM consents s \
     INDEXED BY consents_expiring JOIN clients c ON c.id = s.client_id \
     WHERE s.expires_on IS NOT NULL AND s.revoked_on IS NULL AND s.lapsed_on IS NULL AND s.case_open = 1 \
     AND s.expires_on <= ?1 AND c.status = 'open' \
     AND NOT EXISTS (SELECT 1 FROM consents n WHERE n.client_id = s.client_id AND n.to_name = s.to_name \
         AND n.id != s.id AND n.revoked_on IS NULL AND (n.expires_on IS NULL OR n.expires_on > s.expires_on)) \
     ORDER BY s.expires_on LIMIT ?2";

/// The last expiry day a consent is shown for: the warning window (Settings) from today.
fn consent_horizon(ctx: &DueContext<'_>) -> NaiveDate {
    let warn = u64::from(ctx.settings.consent_warning_days);
    ctx.today.checked_add_days(Days::new(warn)).unwrap_or(ctx.today)
}

/// Consents expiring within the warning window (Settings) and expired ones not yet renewed
/// or let lapse, while the case is open.
fn consents(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let horizon = consent_horizon(ctx);
    // overdue from the day after the last valid day
    let mut stmt = store.conn.prepare_cached(&bounded(CONSENTS_SQL, " ORDER BY", ctx, |since| {
        format!("s.expires_on >= '{}'", format_date(since - chrono::Duration::days(1)))
    }))?;
    let rows = stmt.query_map(params![format_date(horizon), limit], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, client_id, to, expires, given, family) = row?;
        let Some(expires) = parse_ymd(&expires) else { continue };
        // valid up to and including the expiry day: it is overdue from the day after
        let due = expires.checked_add_days(Days::new(1)).unwrap_or(expires);
        let urgency = if due <= ctx.today { Urgency::Overdue } else { Urgency::DueSoon };
        // what matters first (expired or not), then to whom: the line is often cut at 80 columns
        let title = if due <= ctx.today {
            format!(
                "Consent expired (last day {}): {} — renew or let it lapse",
                format_date(expires),
                crate::domain::text::fit(&to, 30)
            )
        } else {
            format!("Consent valid until {}: {}", format_date(expires), crate::domain::text::fit(&to, 30))
        };
        out.push(DueItem {
            rule: "consent",
            urgency,
            due_on: Some(due),
            client_ref: Some(client_ref(client_id)),
            client_name: name(given, family),
            title,
            target: Target::Consent(crate::domain::coordination::consent_ref(id)),
            client_id: Some(client_id),
            record_id: Some(id),
        });
    }
    Ok(out)
}

const ACTION_ITEMS_SQL: &str =
    "SELECT a.id, a.client_id, a.conference_id, a.owner, a.text, a.due_on, c.given_name, c.family_name \
     FROM action_items a INDEXED BY action_items_open JOIN clients c ON c.id = a.client_id \
     WHERE a.done_on IS NULL AND a.due_on IS NOT NULL AND a.due_on <= ?1 AND c.status = 'open' \
     ORDER BY a.due_on LIMIT ?2";

/// Open action items from case conferences, due or overdue.
fn action_items(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let horizon = ctx.horizon();
    let mut stmt = store.conn.prepare_cached(&bounded_dated(ACTION_ITEMS_SQL, "a.due_on", ctx))?;
    let rows = stmt.query_map(params![format_date(horizon), limit], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get(6)?,
            r.get(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, client_id, conference, owner, text, due, given, family) = row?;
        let who = if owner.is_empty() { String::new() } else { format!("{owner}: ") };
        let target = match conference {
            Some(c) => Target::Conference(crate::domain::coordination::conference_ref(c)),
            None => Target::Client(client_ref(client_id)),
        };
        out.extend(dated_item(
            ctx,
            "action-item",
            (client_id, given, family),
            &due,
            Some(id),
            target,
            |due| {
                format!("Action {who}{} {}", crate::domain::text::fit(&text, 40), due_phrase(due, ctx.today))
            },
        ));
    }
    Ok(out)
}

/// A row of the shape several Today rules read: id, client, two texts, the date, given and
/// family name.
type DatedRow = (i64, i64, String, String, String, String, String);

/// Runs a Today rule's query (`?1` the horizon, `?2` the limit) for rows of that shape.
fn dated_rows(store: &Store, sql: &str, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DatedRow>> {
    rows_of(&store.conn, sql, params![format_date(ctx.horizon()), limit])
}

const TRANSITIONS_SQL: &str =
    "SELECT t.id, t.client_id, t.kind, t.to_service, t.follow_up_on, c.given_name, c.family_name \
     FROM transitions t INDEXED BY transitions_follow_up JOIN clients c ON c.id = t.client_id \
     WHERE t.follow_up_on IS NOT NULL AND t.follow_up_done IS NULL AND t.follow_up_on <= ?1 AND c.status = 'open' \
     ORDER BY t.follow_up_on LIMIT ?2";

/// Follow-ups after a move between services (a hospital discharge, a new agency).
fn transition_follow_ups(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let rows = dated_rows(store, &bounded_dated(TRANSITIONS_SQL, "t.follow_up_on", ctx), ctx, limit)?;
    let mut out = Vec::new();
    for (id, client_id, kind, to, due, given, family) in rows {
        let to =
            if to.is_empty() { String::new() } else { format!(" to {}", crate::domain::text::fit(&to, 25)) };
        let target = Target::Transition(crate::domain::coordination::transition_ref(id));
        out.extend(dated_item(
            ctx,
            "transition",
            (client_id, given, family),
            &due,
            Some(id),
            target,
            |due| {
                format!(
                    "Follow up the {}{to} {}",
                    crate::domain::coordination::transition_label(&kind),
                    due_phrase(due, ctx.today)
                )
            },
        ));
    }
    Ok(out)
}

const ADVOCACY_SQL: &str =
    "SELECT a.id, a.client_id, a.target, a.barrier, a.deadline, c.given_name, c.family_name \
     FROM advocacy_items a INDEXED BY advocacy_deadlines JOIN clients c ON c.id = a.client_id \
     WHERE a.deadline IS NOT NULL AND a.closed_on IS NULL AND a.deadline <= ?1 AND c.status = 'open' \
     ORDER BY a.deadline LIMIT ?2";

/// Advocacy deadlines (appeal dates) of open items.
fn advocacy_deadlines(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let rows = dated_rows(store, &bounded_dated(ADVOCACY_SQL, "a.deadline", ctx), ctx, limit)?;
    let mut out = Vec::new();
    for (id, client_id, with, barrier, due, given, family) in rows {
        let target = Target::Advocacy(crate::domain::coordination::advocacy_ref(id));
        out.extend(dated_item(ctx, "advocacy", (client_id, given, family), &due, Some(id), target, |due| {
            format!(
                "Deadline with {} ({}) {}",
                crate::domain::text::fit(&with, 20),
                crate::domain::text::fit(&barrier, 24),
                due_phrase(due, ctx.today)
            )
        }));
    }
    Ok(out)
}

fn referrals_sql() -> String {
    use crate::domain::referral::OPEN_SQL;
    format!(
        "SELECT r.id, r.client_id, r.provider, r.status, r.status_since, r.follow_up_on, r.urgency, c.given_name, \
         c.family_name FROM referrals r INDEXED BY referrals_open JOIN clients c ON c.id = r.client_id \
         WHERE r.status IN {OPEN_SQL} AND r.follow_up_on IS NOT NULL AND r.follow_up_on <= ?1 AND c.status = 'open' \
         ORDER BY r.follow_up_on LIMIT ?2"
    )
}

/// Referral follow-ups due or overdue (a sent referral is chased a week later, an accepted one
/// on its first appointment), urgent referrals said first.
fn referral_follow_ups(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    use crate::domain::referral::{age_phrase, referral_ref, ReferralStatus, Urgency as RUrgency};
    let horizon = ctx.horizon();
    let mut stmt = store.conn.prepare_cached(&bounded_dated(&referrals_sql(), "r.follow_up_on", ctx))?;
    let rows = stmt.query_map(params![format_date(horizon), limit], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get(7)?,
            r.get(8)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, client_id, provider, status, since, due, urgency, given, family) = row?;
        let Some(since) = parse_ymd(&since) else { continue };
        let status: ReferralStatus = status.parse().unwrap_or_default();
        let urgent = match urgency.parse::<RUrgency>() {
            Ok(RUrgency::Urgent) => "URGENT ",
            _ => "",
        };
        let target = Target::Referral(referral_ref(id));
        out.extend(dated_item(ctx, "referral", (client_id, given, family), &due, Some(id), target, |due| {
            format!(
                "{urgent}Referral to {}: {} — follow up {}",
                crate::domain::text::fit(&provider, 28),
                age_phrase(status, since, ctx.today),
                due_phrase(due, ctx.today)
            )
        }));
    }
    // within a day, urgent referrals come first
    out.sort_by_key(|i| (i.due_on, !i.title.starts_with("URGENT")));
    Ok(out)
}

/// Today's referral appointments (`?1` the moment today begins, `?3` tomorrow's, `?2` the page).
fn appointments_sql() -> String {
    use crate::domain::referral::OPEN_SQL;
    format!(
        "SELECT a.id, r.id, r.client_id, a.at, a.place, r.provider, c.given_name, c.family_name \
         FROM appointments a INDEXED BY appointments_by_at CROSS JOIN referrals r ON r.id = a.referral_id \
         CROSS JOIN clients c ON c.id = r.client_id \
         WHERE a.at >= ?1 AND a.at < ?3 AND r.status IN {OPEN_SQL} AND c.status = 'open' ORDER BY a.at LIMIT ?2"
    )
}

/// The moments today begins and ends (stored UTC), as `appointments_sql` reads them.
fn today_span(ctx: &DueContext<'_>) -> (String, String) {
    (day_start(ctx, ctx.today), day_start(ctx, ctx.today + chrono::Duration::days(1)))
}

/// Referral appointments today, in time order: the day's diary (issue 19 point 6). The title
/// starts with the local time, which orders the diary (`domain::due::diary_time`).
fn appointments_today(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    use crate::domain::referral::referral_ref;
    let (from, to) = today_span(ctx);
    let mut stmt = store.conn.prepare_cached(&appointments_sql())?;
    let rows = stmt.query_map(params![from, limit, to], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get(6)?,
            r.get(7)?,
        ))
    })?;
    let offset = chrono::Duration::seconds(local_offset_secs(ctx.now));
    let mut out = Vec::new();
    for row in rows {
        let (id, referral, client_id, at, place, provider, given, family) = row?;
        let Some(at) = crate::domain::dates::from_db(&at) else { continue };
        let place = if place.trim().is_empty() {
            String::new()
        } else {
            format!(" ({})", crate::domain::text::fit(&place, 30))
        };
        out.push(DueItem {
            rule: "appointment",
            urgency: Urgency::DueToday,
            due_on: Some(ctx.today),
            client_ref: Some(client_ref(client_id)),
            client_name: name(given, family),
            title: format!(
                "{} Appointment with {}{place}",
                (at + offset).format("%H:%M"),
                crate::domain::text::fit(&provider, 30)
            ),
            target: Target::Referral(referral_ref(referral)),
            client_id: Some(client_id),
            record_id: Some(id),
        });
    }
    Ok(out)
}

/// Today's appointments are due today, none overdue.
fn count_appointments_today(store: &Store, ctx: &DueContext<'_>) -> Result<DueCount> {
    let (from, to) = today_span(ctx);
    let mut stmt = store.conn.prepare_cached(&count_sql(&appointments_sql(), "0"))?;
    Ok(stmt.query_row(params![from, 0, to], count_row)?)
}

/// Planned contacts still planned (`?1`, `?3` the span of moments, `?2` the page), in time order,
/// through the partial index of planned contacts.
const VISITS_SQL: &str = "SELECT v.id, v.client_id, v.at, v.kind, v.place, c.given_name, c.family_name \
     FROM visits v INDEXED BY visits_planned_by_at CROSS JOIN clients c ON c.id = v.client_id \
     WHERE v.state = 'planned' AND v.at >= ?1 AND v.at < ?3 AND c.status = 'open' ORDER BY v.at, v.id LIMIT ?2";

type VisitRow =
    (i64, i64, chrono::DateTime<chrono::Utc>, crate::domain::visit::VisitKind, String, String, String);

fn visit_rows(store: &Store, sql: &str, from: &str, to: &str, limit: i64) -> Result<Vec<VisitRow>> {
    use crate::domain::visit::VisitKind;
    let rows: Vec<(i64, i64, String, String, String, String, String)> =
        rows_of(&store.conn, sql, params![from, limit, to])?;
    let mut out = Vec::new();
    for (id, client, at, kind, place, given, family) in rows {
        let Some(at) = crate::domain::dates::from_db(&at) else { continue };
        out.push((id, client, at, VisitKind::parse(&kind).unwrap_or(VisitKind::Other), place, given, family));
    }
    Ok(out)
}

/// The moment now, as stored.
fn now_span(ctx: &DueContext<'_>) -> String {
    to_db(ctx.now)
}

/// Planned contacts of today still to come, in time order: the day's diary (issue 19 point 3).
/// The title starts with the local time, which orders the diary.
fn visits_today(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let (_, tomorrow) = today_span(ctx);
    let offset = chrono::Duration::seconds(local_offset_secs(ctx.now));
    let rows = visit_rows(store, VISITS_SQL, &now_span(ctx), &tomorrow, limit)?;
    Ok(rows
        .into_iter()
        .map(|(id, client_id, at, kind, place, given, family)| {
            let place = if place.trim().is_empty() {
                String::new()
            } else {
                format!(" at {}", crate::domain::text::fit(&place, 30))
            };
            DueItem {
                rule: "visit",
                urgency: Urgency::DueToday,
                due_on: Some(ctx.today),
                client_ref: Some(client_ref(client_id)),
                client_name: name(given, family),
                title: format!("{} {}{place}", (at + offset).format("%H:%M"), capitalised(kind.label())),
                target: Target::Client(client_ref(client_id)),
                client_id: Some(client_id),
                record_id: Some(id),
            }
        })
        .collect())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Today's planned contacts still to come: due today, none overdue.
fn count_visits_today(store: &Store, ctx: &DueContext<'_>) -> Result<DueCount> {
    let (_, tomorrow) = today_span(ctx);
    let mut stmt = store.conn.prepare_cached(&count_sql(VISITS_SQL, "0"))?;
    Ok(stmt.query_row(params![now_span(ctx), 0, tomorrow], count_row)?)
}

/// The earliest moment a past planned contact is read from: the start of `ctx.since`, if set.
fn visits_past_from(ctx: &DueContext<'_>) -> String {
    ctx.since.map(|d| day_start(ctx, d)).unwrap_or_default()
}

/// Planned contacts whose time has passed and that are still 'planned' (no note, not marked
/// done or missed): "Home visit 10:00 with C-0007 has no note", due on their day, oldest first.
fn visits_without_note(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let offset = chrono::Duration::seconds(local_offset_secs(ctx.now));
    let rows = visit_rows(store, VISITS_SQL, &visits_past_from(ctx), &now_span(ctx), limit)?;
    Ok(rows
        .into_iter()
        .map(|(id, client_id, at, kind, _place, given, family)| {
            let local = at + offset;
            let day = local.date_naive();
            let when = if day == ctx.today {
                local.format("%H:%M").to_string()
            } else {
                local.format("%Y-%m-%d %H:%M").to_string()
            };
            DueItem {
                rule: "visit-no-note",
                urgency: if day < ctx.today { Urgency::Overdue } else { Urgency::DueToday },
                due_on: Some(day),
                client_ref: Some(client_ref(client_id)),
                client_name: name(given, family),
                title: format!(
                    "{} {when} with {} has no note: write it, or mark it done or missed",
                    capitalised(kind.label()),
                    client_ref(client_id)
                ),
                target: Target::Client(client_ref(client_id)),
                client_id: Some(client_id),
                record_id: Some(id),
            }
        })
        .collect())
}

/// Past planned contacts; overdue when on an earlier day than today.
fn count_visits_without_note(store: &Store, ctx: &DueContext<'_>) -> Result<DueCount> {
    let (today, _) = today_span(ctx);
    let mut stmt = store.conn.prepare_cached(&count_sql(VISITS_SQL, "v.at < ?4"))?;
    Ok(stmt.query_row(params![visits_past_from(ctx), 0, now_span(ctx), today], count_row)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule's count keeps its FROM, index and WHERE, and loads no page (issue 19 point 8).
    #[test]
    fn a_count_is_the_rules_query_without_order_or_page() {
        let sql = count_sql(super::super::closure::DUE_CLOSURE_FOLLOW_UPS_SQL, "cl.follow_up_on < ?2");
        assert!(sql.starts_with("SELECT count(*), coalesce(sum(cl.follow_up_on < ?2), 0) FROM closures cl"));
        assert!(sql.contains("INDEXED BY closures_follow_up"), "{sql}");
        // the subquery's ORDER BY stays, the rule's own order and page go
        assert!(sql.ends_with("ORDER BY e.number DESC LIMIT 1)"), "{sql}");
        assert!(!sql.contains("LIMIT ?2"), "{sql}");
        let flags = count_sql(SAFETY_FLAGS_SQL, "1");
        assert!(
            flags.contains("INDEXED BY risk_flags_open")
                && flags.ends_with("WHERE f.lowered_at IS NULL AND c.status = 'open'"),
            "{flags}"
        );
    }
}
