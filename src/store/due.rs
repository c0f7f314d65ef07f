//! The rules behind Today. Each rule reads what is recorded (through indexes) and returns
//! items; a later phase adds its rule to `RULES`, not a screen.

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::params;

use super::{Result, Store};
use crate::domain::client::client_ref;
use crate::domain::dates::{format_date, local_day, local_offset_secs, parse_ymd, to_db};
use crate::domain::due::{due_phrase, sort_items, urgency_for, DueItem, Target, Urgency};
use crate::domain::note::note_ref;
use crate::domain::settings::Settings;

/// What every rule may use.
pub struct DueContext<'a> {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub settings: &'a Settings,
}

pub type Rule = fn(&Store, &DueContext<'_>) -> Result<Vec<DueItem>>;

/// The rules, in no particular order (the list is sorted by urgency afterwards).
pub const RULES: &[(&str, Rule)] = &[
    ("follow-up", follow_ups),
    ("unsigned-notes", unsigned_notes),
    ("no-contact", no_contact),
    ("draft", drafts),
    ("goal-step", super::plan::due_goal_steps),
    ("goal-target", super::plan::due_goals_past_target),
    ("plan-review", super::plan::due_plan_reviews),
];

impl Store {
    /// Everything that needs the practitioner, most urgent first.
    pub fn due_items(&self, ctx: &DueContext<'_>) -> Result<Vec<DueItem>> {
        let mut items = Vec::new();
        for (_, rule) in RULES {
            items.extend(rule(self, ctx)?);
        }
        sort_items(&mut items);
        Ok(items)
    }
}

fn name(given: String, family: String) -> String {
    format!("{given} {family}").trim().to_string()
}

/// Follow-up dates set on notes, overdue or due soon, until done or until a later contact.
fn follow_ups(store: &Store, ctx: &DueContext<'_>) -> Result<Vec<DueItem>> {
    let horizon =
        ctx.today.checked_add_days(Days::new(u64::from(ctx.settings.due_soon_days))).unwrap_or(ctx.today);
    // Start from the partial index of open follow-ups. A later contact with the client clears a
    // follow-up: clients.last_contact_at is the latest client contact (kept by the notes store),
    // so no per-note lookup is needed.
    let sql = "SELECT n.id, n.client_id, n.follow_up_on, c.given_name, c.family_name FROM notes n \
         INDEXED BY notes_follow_up CROSS JOIN clients c ON c.id = n.client_id \
         WHERE n.follow_up_on IS NOT NULL AND n.follow_up_done_at IS NULL AND n.error_at IS NULL \
         AND n.follow_up_on <= ?1 AND c.status = 'open' \
         AND (c.last_contact_at IS NULL OR c.last_contact_at <= n.contact_at)";
    let mut stmt = store.conn.prepare_cached(sql)?;
    let rows = stmt.query_map([format_date(horizon)], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get(3)?, r.get(4)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, client_id, due, given, family) = row?;
        let Some(due) = parse_ymd(&due) else { continue };
        let Some(urgency) = urgency_for(due, ctx.today, ctx.settings.due_soon_days) else { continue };
        out.push(DueItem {
            rule: "follow-up",
            urgency,
            due_on: Some(due),
            client_ref: Some(client_ref(client_id)),
            client_name: name(given, family),
            title: format!("Follow-up from note {} {}", note_ref(id), due_phrase(due, ctx.today)),
            target: Target::Note(note_ref(id)),
            client_id: Some(client_id),
            record_id: Some(id),
        });
    }
    Ok(out)
}

/// Unsigned notes past the signing window (overdue) or reaching it soon, one line per client.
fn unsigned_notes(store: &Store, ctx: &DueContext<'_>) -> Result<Vec<DueItem>> {
    let window = chrono::Duration::days(i64::from(ctx.settings.signing_window_days));
    let soon = chrono::Duration::days(i64::from(ctx.settings.due_soon_days) + 1);
    let cutoff = to_db(ctx.now - window + soon);
    let offset = local_offset_secs(ctx.now);
    let mut stmt = store.conn.prepare_cached(
        "SELECT g.client_id, g.n, g.oldest, c.given_name, c.family_name FROM \
         (SELECT client_id, count(*) AS n, min(written_at) AS oldest FROM notes INDEXED BY notes_unsigned \
          WHERE signed_at IS NULL AND error_at IS NULL AND written_at < ?1 GROUP BY client_id) g \
         JOIN clients c ON c.id = g.client_id",
    )?;
    let rows = stmt.query_map([cutoff], |r| {
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
        let what = if count == 1 { "1 unsigned note".to_string() } else { format!("{count} unsigned notes") };
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

/// Open clients with no contact for the configured number of days (or none since intake),
/// and those who will reach it within the due-soon window.
fn no_contact(store: &Store, ctx: &DueContext<'_>) -> Result<Vec<DueItem>> {
    let days = u64::from(ctx.settings.no_contact_days);
    let soon = u64::from(ctx.settings.due_soon_days);
    let offset = local_offset_secs(ctx.now);
    let cutoff_day = ctx
        .today
        .checked_add_days(Days::new(soon + 1))
        .and_then(|d| d.checked_sub_days(Days::new(days)))
        .unwrap_or(ctx.today);
    let cutoff = format!("{}T00:00:00Z", format_date(cutoff_day));
    let mut stmt = store.conn.prepare_cached(
        "SELECT id, last_contact_at, intake_date, given_name, family_name FROM clients \
         WHERE status = 'open' AND ((last_contact_at IS NOT NULL AND last_contact_at < ?1) \
         OR (last_contact_at IS NULL AND intake_date < ?2))",
    )?;
    let rows = stmt.query_map(params![cutoff, format_date(cutoff_day)], |r| {
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
        let title = match (last.is_some(), urgency) {
            (true, Urgency::Overdue) => format!("No contact for {gap} days (last {})", format_date(since)),
            (false, Urgency::Overdue) => format!("No contact since intake {gap} days ago"),
            (_, _) => {
                format!("{gap} days since the last contact: a contact is {}", due_phrase(due, ctx.today))
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
fn drafts(store: &Store, _ctx: &DueContext<'_>) -> Result<Vec<DueItem>> {
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
