//! The caseload summary as CSV: one row per client with status, dates, counts and the next
//! item due, for a spreadsheet or a supervisor.

use std::collections::HashMap;
use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::client::{client_ref, joined_name, CaseStatus};
use crate::domain::closure::retain_until;
use crate::domain::dates::{format_date, local_day_of, local_offset_secs};
use crate::domain::settings::Settings;
use crate::store::due::DueContext;
use crate::store::{Store, StoreError};

use super::StreamError;

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

/// Every client, ordered by name, as CSV written to `out` a row at a time (header first).
pub fn write_caseload_csv(
    store: &Store,
    settings: &Settings,
    now: DateTime<Utc>,
    today: NaiveDate,
    out: &mut dyn Write,
) -> std::result::Result<(), StreamError> {
    let due = store.due_items(&DueContext { now, today, settings, since: None })?;
    let mut next: HashMap<i64, (Option<NaiveDate>, String)> = HashMap::new();
    for item in due {
        if let Some(c) = item.client_id {
            next.entry(c).or_insert((item.due_on, format!("{} {}", item.urgency.marker(), item.title)));
        }
    }
    let offset = local_offset_secs(now);
    write!(out, "{}\r\n", HEADER.join(","))?;
    // a failed write stops the rows; it is said as the output's, not the database's
    let mut failed: Option<std::io::Error> = None;
    let day = |d: Option<NaiveDate>| d.map(format_date).unwrap_or_default();
    let read = store.caseload_rows(|row| {
        let closed = row.status == CaseStatus::Closed;
        let retain = match (closed, row.closed_on) {
            (true, Some(d)) => format_date(retain_until(d, settings.retention_years)),
            _ => String::new(),
        };
        let reason = row.closure_reason.map(|r| r.label().to_string()).unwrap_or_default();
        let (next_on, next_what) = next.get(&row.client_id).cloned().unwrap_or((None, String::new()));
        let cells = [
            client_ref(row.client_id),
            joined_name(&row.given_name, &row.family_name),
            row.status.as_str().to_string(),
            day(row.intake_date),
            row.episode.to_string(),
            day(row.episode_opened),
            if closed { day(row.closed_on) } else { String::new() },
            if closed { reason } else { String::new() },
            retain,
            day(row.last_contact_at.map(|t| local_day_of(t, offset))),
            row.notes.to_string(),
            row.unsigned_notes.to_string(),
            row.open_goals.to_string(),
            row.open_referrals.to_string(),
            row.open_action_items.to_string(),
            row.open_advocacy_items.to_string(),
            row.open_alerts.to_string(),
            day(next_on),
            next_what,
        ];
        let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        write!(out, "{}\r\n", line.join(",")).map_err(|e| {
            failed = Some(e);
            StoreError::Refused("the output stopped".into())
        })
    });
    match (failed, read) {
        (Some(e), _) => Err(StreamError::Output(e)),
        (None, read) => Ok(read?),
    }
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
