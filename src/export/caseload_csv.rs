//! The caseload summary as CSV: one row per client with status, dates, counts and the next
//! item due, for a spreadsheet or a supervisor.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::client::client_ref;
use crate::domain::closure::retain_until;
use crate::domain::dates::{format_date, local_day, local_offset_secs, parse_ymd};
use crate::domain::settings::Settings;
use crate::store::due::DueContext;
use crate::store::{Result, Store};

pub const HEADER: &[&str] = &[
    "ref",
    "name",
    "status",
    "intake_date",
    "episode",
    "episode_opened",
    "closed_on",
    "closure_reason",
    "retain_until",
    "last_contact",
    "notes",
    "unsigned_notes",
    "open_goals",
    "open_referrals",
    "open_action_items",
    "open_advocacy_items",
    "open_alerts",
    "next_due_on",
    "next_due",
];

/// One cell: quoted when needed, and never read as a formula by a spreadsheet (a leading
/// `=`, `+`, `-` or `@` gets a `'` in front). Control characters become spaces.
pub fn cell(v: &str) -> String {
    let mut v: String = v.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if v.starts_with(['=', '+', '-', '@']) {
        v.insert(0, '\'');
    }
    if v.contains([',', '"']) || v.starts_with(' ') || v.ends_with(' ') {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

fn counts(store: &Store, sql: &str) -> Result<HashMap<i64, i64>> {
    let mut stmt = store.conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    let mut out = HashMap::new();
    for r in rows {
        let (k, v) = r?;
        out.insert(k, v);
    }
    Ok(out)
}

/// Every client, ordered by name, as CSV text (header first).
pub fn caseload_csv(
    store: &Store,
    settings: &Settings,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<String> {
    let notes =
        counts(store, "SELECT client_id, count(*) FROM notes WHERE error_at IS NULL GROUP BY client_id")?;
    let unsigned =
        counts(store, "SELECT client_id, count(*) FROM notes WHERE signed_at IS NULL AND error_at IS NULL GROUP BY client_id")?;
    let goals = counts(
        store,
        "SELECT client_id, count(*) FROM goals WHERE status IN ('proposed', 'active', 'on-hold') GROUP BY client_id",
    )?;
    let referrals = counts(
        store,
        &format!(
            "SELECT client_id, count(*) FROM referrals WHERE status IN {} GROUP BY client_id",
            crate::domain::referral::OPEN_SQL
        ),
    )?;
    let actions = counts(
        store,
        "SELECT client_id, count(*) FROM action_items WHERE done_on IS NULL GROUP BY client_id",
    )?;
    let advocacy = counts(
        store,
        "SELECT client_id, count(*) FROM advocacy_items WHERE closed_on IS NULL GROUP BY client_id",
    )?;
    // the latest episode of each client, and its closure in force
    let mut episodes: HashMap<i64, (i64, String, Option<String>, Option<String>)> = HashMap::new();
    {
        let mut stmt = store.conn.prepare(
            "SELECT e.client_id, e.number, e.opened_on, cl.closed_on, cl.reason FROM episodes e \
             LEFT JOIN closures cl ON cl.episode_id = e.id AND cl.undone_at IS NULL \
             WHERE e.number = (SELECT max(number) FROM episodes x WHERE x.client_id = e.client_id)",
        )?;
        let rows =
            stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))))?;
        for r in rows {
            let (k, v) = r?;
            episodes.insert(k, v);
        }
    }
    let due = store.due_items(&DueContext { now, today, settings })?;
    let mut next: HashMap<i64, (Option<NaiveDate>, String)> = HashMap::new();
    for item in due {
        if let Some(c) = item.client_id {
            next.entry(c).or_insert((item.due_on, format!("{} {}", item.urgency.marker(), item.title)));
        }
    }
    let offset = local_offset_secs(now);
    let mut out = String::new();
    out.push_str(&HEADER.join(","));
    out.push_str("\r\n");
    let mut stmt = store.conn.prepare(
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
    for row in rows {
        let (id, given, family, status, intake, last, alerts) = row?;
        let (episode, opened, closed, reason) =
            episodes.get(&id).cloned().unwrap_or((1, String::new(), None, None));
        let closed_day = closed.as_deref().and_then(parse_ymd);
        let retain = match (status.as_str(), closed_day) {
            ("closed", Some(d)) => format_date(retain_until(d, settings.retention_years)),
            _ => String::new(),
        };
        let reason = reason
            .as_deref()
            .and_then(crate::domain::closure::ClosureReason::parse)
            .map(|r| r.label().to_string())
            .unwrap_or_default();
        let (next_on, next_what) = next.get(&id).cloned().unwrap_or((None, String::new()));
        let n = |m: &HashMap<i64, i64>| m.get(&id).copied().unwrap_or(0).to_string();
        let cells = [
            client_ref(id),
            crate::domain::client::joined_name(&given, &family),
            status.clone(),
            intake,
            episode.to_string(),
            opened,
            if status == "closed" { closed.unwrap_or_default() } else { String::new() },
            if status == "closed" { reason } else { String::new() },
            retain,
            last.as_deref().and_then(|l| local_day(l, offset)).map(format_date).unwrap_or_default(),
            n(&notes),
            n(&unsigned),
            n(&goals),
            n(&referrals),
            n(&actions),
            n(&advocacy),
            alerts.to_string(),
            next_on.map(format_date).unwrap_or_default(),
            next_what,
        ];
        let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_never_formulas() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1+1"), "'-1+1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("line\nbreak\u{1b}[2J"), "line break [2J");
    }
}
