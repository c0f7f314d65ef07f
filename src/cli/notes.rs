//! Command-line monitoring: quick notes, note lists, search, the due list and time totals.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use chrono::{Datelike, Utc};
use clap::Args;

use super::common::{
    bad, day, empty_list, json_with, open_existing, open_if_exists, open_to_read, print_json, refusal, today,
    ClientRef, Output,
};
use crate::domain::dates::{format_local, Stamp};
use crate::domain::note::{note_ref, validate_note, NoteInput};
use crate::domain::search::snippet_plain;
use crate::domain::text::display_safe;
use crate::store::due::DueContext;
use crate::store::search::SearchFilter;
use crate::store::time::parse_month;

#[derive(Args, Debug)]
pub struct NoteArgs {
    /// Client reference (C-0042) or a unique part of a name or preferred name.
    pub reference: String,
    /// The note text; omit it (or give -) to read standard input.
    pub text: Option<String>,
    /// Contact type: home-visit, office-visit, phone, video, text-email, collateral, attempted,
    /// case-conference, administrative (default phone).
    #[arg(long = "type")]
    pub contact_type: Option<String>,
    /// When the contact happened: "YYYY-MM-DD HH:MM", a date, "yesterday 14:30" (default now).
    #[arg(long, allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Duration in minutes.
    #[arg(long)]
    pub minutes: Option<String>,
    /// A follow-up date (YYYY-MM-DD, friday, +3d, +2w, +3m...), shown on Today when due.
    #[arg(long, allow_hyphen_values = true)]
    pub follow_up: Option<String>,
    /// Who took part besides you and the client (a parent, an interpreter...).
    #[arg(long)]
    pub participants: Option<String>,
    /// Where the contact took place (home, office, school...).
    #[arg(long)]
    pub location: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words to find (plain words; "quoted phrases"; word* for a prefix).
    pub text: String,
    /// Only this client's notes: a reference (C-0042) or a unique part of a name.
    #[arg(long)]
    pub client: Option<String>,
    /// From this day (YYYY-MM-DD).
    #[arg(long, allow_hyphen_values = true)]
    pub from: Option<String>,
    /// Up to and including this day.
    #[arg(long, allow_hyphen_values = true)]
    pub to: Option<String>,
    /// At most this many results (default 50; with --json, every match).
    #[arg(long)]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub output: Output,
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
    let today = today();
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
    let new = validate_note(&input, now, today).map_err(|e| {
        refusal(&e, |f| match f {
            "contact_at" => "--at",
            "contact_type" => "--type",
            "duration_minutes" => "--minutes",
            "follow_up_on" => "--follow-up",
            "body" => "text",
            "participants" => "--participants",
            _ => "--location",
        })
    })?;
    let mut store = open_existing(db)?;
    let client = store.resolve_client(&a.reference)?;
    let id = store.add_note(client.id, &new, now)?;
    if a.output.json {
        print_json(&store.note(id)?)?;
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

pub fn notes(
    db: Option<PathBuf>,
    client: &ClientRef,
    include_errors: bool,
    json: bool,
) -> anyhow::Result<()> {
    let store = open_to_read(db)?;
    let client = client.resolve(&store)?;
    let mut all = Vec::new();
    let mut before = None;
    loop {
        let page = store.notes_page(client.id, 500, before.as_ref())?;
        let Some(last) = page.last() else { break };
        before = Some(last.page_key());
        let n = page.len();
        all.extend(page.into_iter().filter(|n| include_errors || !n.entered_in_error));
        if n < 500 {
            break;
        }
    }
    if json {
        return print_json(&all);
    }
    for n in &all {
        let signed = if n.is_signed() { "signed" } else { "unsigned" };
        let err = if n.entered_in_error { " ENTERED IN ERROR" } else { "" };
        println!(
            "{:<8} {}  {:<18} {:>4} min  {}{}  {}",
            n.reference,
            format_local(n.contact_at),
            n.contact_type_label(),
            n.duration_minutes.map(|m| m.to_string()).unwrap_or_else(|| "-".into()),
            signed,
            err,
            display_safe(&n.preview())
        );
    }
    Ok(())
}

pub fn search(db: Option<PathBuf>, a: SearchArgs) -> anyhow::Result<()> {
    let today = today();
    let from = day("--from", a.from.as_deref(), today)?;
    let to = day("--to", a.to.as_deref(), today)?;
    let json = a.output.json;
    let Some(store) = open_if_exists(db)? else { return empty_list(json) };
    let client_id = match a.client {
        Some(r) => Some(store.resolve_client(&r)?.id),
        None => None,
    };
    let filter = SearchFilter { client_id, from, to, prefix_last: false };
    let hits = match (a.limit, json) {
        // --json lists are complete unless a limit is asked for
        (None, true) => store.search_all(&a.text, &filter)?,
        (limit, _) => store.search(&a.text, &filter, limit.unwrap_or(50).clamp(1, 10_000))?,
    };
    if json {
        let v: Vec<_> =
            hits.iter().map(|h| json_with(h, vec![("snippet", snippet_plain(&h.snippet).into())])).collect();
        return print_json(&v);
    }
    for h in &hits {
        println!(
            "{:<8} {:<7} {}  {} {}",
            h.reference,
            h.client.as_deref().unwrap_or(""),
            h.occurred_at.map(Stamp::local).unwrap_or_default(),
            super::common::column(&h.client_name, 24),
            display_safe(&snippet_plain(&h.snippet))
        );
    }
    Ok(())
}

pub fn due(db: Option<PathBuf>, json: bool) -> anyhow::Result<()> {
    use crate::domain::due::{arrange, DueCount, DueItem, Section};
    let Some(store) = open_if_exists(db)? else { return empty_list(json) };
    let settings = store.settings()?;
    let ctx = DueContext { now: Utc::now(), today: today(), settings: &settings, since: None };
    let items = store.due_items(&ctx)?;
    // every item is loaded here: the count is of the list printed
    let count = DueCount::of(&items);
    let arranged = arrange(items, ctx.today, settings.overdue_horizon_days);
    if json {
        /// A line as scripts see it: its section, then the item.
        #[derive(serde::Serialize)]
        struct Line<'a> {
            section: Section,
            #[serde(flatten)]
            item: &'a DueItem,
        }
        let lines: Vec<Line<'_>> =
            arranged.iter().map(|(section, item)| Line { section: *section, item }).collect();
        return print_json(&lines);
    }
    if arranged.is_empty() {
        println!("Nothing is due. (Follow-ups, unsigned notes, drafts and quiet cases appear here.)");
        return Ok(());
    }
    println!(
        "{}, {} overdue or urgent",
        crate::domain::words::count(count.items, "item", "items"),
        count.urgent
    );
    for section in Section::ALL {
        let these: Vec<&DueItem> = arranged.iter().filter(|(s, _)| *s == section).map(|(_, i)| i).collect();
        println!();
        println!("{} ({})", section.label(), these.len());
        for i in these {
            println!(
                "{:<8} {:<7} {} {}",
                i.urgency.marker(),
                i.client_ref.as_deref().unwrap_or(""),
                super::common::column(&i.client_name, 24),
                display_safe(&i.title)
            );
        }
    }
    Ok(())
}

pub fn time(
    db: Option<PathBuf>,
    month: Option<String>,
    client: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    let today = today();
    let month = month.unwrap_or_else(|| format!("{:04}-{:02}", today.year(), today.month()));
    let (from, to) = parse_month(&month).ok_or_else(|| bad("--month: use YYYY-MM, e.g. 2026-11."))?;
    let Some(store) = open_if_exists(db)? else { return empty_list(json) };
    let client_id = match client {
        Some(r) => Some(store.resolve_client(&r)?.id),
        None => None,
    };
    let rows = store.time_report(from, to, client_id)?;
    if json {
        return print_json(&rows);
    }
    println!("Time recorded on notes, {month}");
    let mut total = 0;
    for r in &rows {
        total += r.minutes;
        println!(
            "{:<7} {} {:<18} {:>10} {:>6} min",
            r.client,
            super::common::column(&r.client_name, 26),
            r.contact_type,
            crate::domain::words::count(r.notes, "note ", "notes"),
            r.minutes
        );
    }
    println!("Total: {total} min ({:.1} h)", total as f64 / 60.0);
    Ok(())
}
