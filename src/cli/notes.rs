//! Command-line monitoring: quick notes, note lists, search, the due list and time totals.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use chrono::{Datelike, Local, NaiveDate, Utc};

use super::{open_existing, open_if_exists, BadInput, NoteArgs, SearchArgs};
use crate::domain::dates::{format_local, from_db, parse_date};
use crate::domain::note::{note_ref, validate_note, NoteInput};
use crate::domain::search::snippet_plain;
use crate::domain::text::display_safe;
use crate::store::due::DueContext;
use crate::store::search::SearchFilter;
use crate::store::time::parse_month;

fn bad(msg: impl Into<String>) -> anyhow::Error {
    BadInput(msg.into()).into()
}

/// What a list prints when there is no database yet: nothing (an empty array with --json).
fn empty_list(json: bool) -> anyhow::Result<()> {
    if json {
        println!("[]");
    }
    Ok(())
}

fn local_date(s: &str) -> String {
    from_db(s).map(format_local).unwrap_or_else(|| s.to_string())
}

/// `caseload note REF "text"`: one command, one transaction, the new note's ref first.
pub fn note(db: Option<PathBuf>, a: NoteArgs) -> anyhow::Result<()> {
    let text = match a.text.as_deref() {
        Some("-") | None => {
            if std::io::stdin().is_terminal() {
                return Err(bad(
                    "Give the note text: caseload note REF \"text\" (or pipe it on standard input).",
                ));
            }
            let mut buf = String::new();
            std::io::stdin()
                .take(4 * 1024 * 1024)
                .read_to_string(&mut buf)
                .map_err(|_| bad("The note text on standard input is not valid UTF-8 text."))?;
            buf
        }
        Some(t) => t.to_string(),
    };
    let now = Utc::now();
    let today = Local::now().date_naive();
    let input = NoteInput {
        contact_at: a.at.unwrap_or_default(),
        contact_type: a.contact_type.unwrap_or_default(),
        participants: a.participants.unwrap_or_default(),
        location: a.location.unwrap_or_default(),
        duration_minutes: a.minutes.unwrap_or_default(),
        follow_up_on: a.follow_up.unwrap_or_default(),
        template: String::new(),
        body: text,
    };
    let new = validate_note(&input, now, today).map_err(|errs| {
        bad(errs
            .iter()
            .map(|e| {
                let flag = match e.field {
                    "contact_at" => "--at",
                    "contact_type" => "--type",
                    "duration_minutes" => "--minutes",
                    "follow_up_on" => "--follow-up",
                    "body" => "text",
                    "participants" => "--participants",
                    _ => "--location",
                };
                format!("{flag}: {}", e.message)
            })
            .collect::<Vec<_>>()
            .join("\n"))
    })?;
    let mut store = open_existing(db)?;
    let client = store.resolve_client(&a.reference)?;
    let id = store.add_note(client.id, &new, now)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&store.note(id)?)?);
    } else {
        println!(
            "{} saved for {} ({}, {})",
            note_ref(id),
            client.reference,
            new.contact_type.label(),
            format_local(new.contact_at)
        );
    }
    Ok(())
}

pub fn notes(db: Option<PathBuf>, reference: &str, include_errors: bool, json: bool) -> anyhow::Result<()> {
    let store = open_existing(db)?;
    let client = store.resolve_client(reference)?;
    let mut all = Vec::new();
    let mut before: Option<(String, i64)> = None;
    loop {
        let page = store.notes_page(client.id, 500, before.as_ref().map(|(a, i)| (a.as_str(), *i)))?;
        let Some(last) = page.last() else { break };
        before = Some((last.contact_at.clone(), last.id));
        let n = page.len();
        all.extend(page.into_iter().filter(|n| include_errors || !n.entered_in_error));
        if n < 500 {
            break;
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&all)?);
        return Ok(());
    }
    for n in &all {
        let signed = if n.is_signed() { "signed" } else { "unsigned" };
        let err = if n.entered_in_error { " ENTERED IN ERROR" } else { "" };
        println!(
            "{:<8} {}  {:<18} {:>4} min  {}{}  {}",
            n.reference,
            local_date(&n.contact_at),
            n.contact_type_label(),
            n.duration_minutes.map(|m| m.to_string()).unwrap_or_else(|| "-".into()),
            signed,
            err,
            display_safe(&n.preview())
        );
    }
    Ok(())
}

fn parse_day(flag: &str, s: Option<String>) -> anyhow::Result<Option<NaiveDate>> {
    match s {
        None => Ok(None),
        Some(s) => {
            parse_date(&s, Local::now().date_naive()).map(Some).map_err(|m| bad(format!("{flag}: {m}")))
        }
    }
}

pub fn search(db: Option<PathBuf>, a: SearchArgs) -> anyhow::Result<()> {
    let from = parse_day("--from", a.from)?;
    let to = parse_day("--to", a.to)?;
    let Some(store) = open_if_exists(db)? else { return empty_list(a.json) };
    let client_id = match a.client {
        Some(r) => Some(store.resolve_client(&r)?.id),
        None => None,
    };
    let filter = SearchFilter { client_id, from, to, prefix_last: false };
    let hits = match (a.limit, a.json) {
        // --json lists are complete unless a limit is asked for
        (None, true) => store.search_all(&a.text, &filter)?,
        (limit, _) => store.search(&a.text, &filter, limit.unwrap_or(50).clamp(1, 10_000))?,
    };
    if a.json {
        let v: Vec<serde_json::Value> = hits
            .iter()
            .map(|h| {
                let mut v = serde_json::to_value(h).unwrap_or_default();
                if let Some(o) = v.as_object_mut() {
                    o.insert("snippet".into(), snippet_plain(&h.snippet).into());
                }
                v
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    for h in &hits {
        println!(
            "{:<8} {:<7} {}  {} {}",
            h.reference,
            h.client.as_deref().unwrap_or(""),
            local_date(&h.occurred_at),
            crate::domain::text::pad(&display_safe(&h.client_name), 24),
            display_safe(&snippet_plain(&h.snippet))
        );
    }
    Ok(())
}

pub fn due(db: Option<PathBuf>, json: bool) -> anyhow::Result<()> {
    let Some(store) = open_if_exists(db)? else { return empty_list(json) };
    let settings = store.settings()?;
    let ctx = DueContext { now: Utc::now(), today: Local::now().date_naive(), settings: &settings };
    let items = store.due_items(&ctx)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&items)?);
        return Ok(());
    }
    if items.is_empty() {
        println!("Nothing is due. (Follow-ups, unsigned notes, drafts and quiet cases appear here.)");
    }
    for i in &items {
        println!(
            "{:<8} {:<7} {} {}",
            i.urgency.marker(),
            i.client_ref.as_deref().unwrap_or(""),
            crate::domain::text::pad(&display_safe(&i.client_name), 24),
            display_safe(&i.title)
        );
    }
    Ok(())
}

pub fn time(
    db: Option<PathBuf>,
    month: Option<String>,
    client: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    let today = Local::now().date_naive();
    let month = month.unwrap_or_else(|| format!("{:04}-{:02}", today.year(), today.month()));
    let (from, to) = parse_month(&month).ok_or_else(|| bad("--month: use YYYY-MM, e.g. 2026-11."))?;
    let Some(store) = open_if_exists(db)? else { return empty_list(json) };
    let client_id = match client {
        Some(r) => Some(store.resolve_client(&r)?.id),
        None => None,
    };
    let rows = store.time_report(from, to, client_id)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    println!("Time recorded on notes, {month}");
    let mut total = 0;
    for r in &rows {
        total += r.minutes;
        println!(
            "{:<7} {} {:<18} {:>4} notes {:>6} min",
            r.client,
            crate::domain::text::pad(&display_safe(&r.client_name), 26),
            r.contact_type,
            r.notes,
            r.minutes
        );
    }
    println!("Total: {total} min ({:.1} h)", total as f64 / 60.0);
    Ok(())
}
