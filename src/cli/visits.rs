//! Command-line planned contacts (the diary): plan one for a client, list them, and mark one
//! done, missed or cancelled. Each change is a row in the contact's history, as in the app.

use std::path::PathBuf;

use chrono::Utc;
use clap::Subcommand;

use super::common::{
    bad, day, empty_list, moment, open, open_existing, open_if_exists, print_json, store_refusal, today,
    Output,
};
use crate::domain::text::display_safe;
use crate::domain::visit::{VisitDetails, VisitKind, VisitState};
use crate::store::visits::{parse_visit_ref, Visit};

#[derive(Subcommand, Debug)]
pub enum VisitCommand {
    /// Plan a contact with a client at a day and time; prints its ref (V-3) first.
    Add {
        /// Client reference (C-0042) or a unique part of a name.
        client: String,
        /// The day and time: "2026-11-27 10:00", "friday 10:00", "tomorrow 14:30". A day
        /// without a time is refused (no time is made up).
        #[arg(long, allow_hyphen_values = true)]
        at: String,
        /// Expected length in minutes (default 60).
        #[arg(long, allow_hyphen_values = true)]
        minutes: Option<String>,
        /// Type: home, office, phone, video, school, court, hospital or other (default home).
        #[arg(long = "type")]
        kind: Option<String>,
        /// Where it is.
        #[arg(long)]
        place: Option<String>,
        /// Who else attends.
        #[arg(long = "with")]
        with_whom: Option<String>,
        /// The purpose of the contact.
        #[arg(long)]
        purpose: Option<String>,
        /// Travel notes (parking, bus, how long it takes).
        #[arg(long)]
        travel: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// List planned contacts in time order, of one client or of everyone.
    List {
        /// Only this client (C-0042 or a unique part of a name).
        client: Option<String>,
        /// From this day (YYYY-MM-DD, today, +3d, -2w...).
        #[arg(long, allow_hyphen_values = true)]
        from: Option<String>,
        /// Up to this day, included.
        #[arg(long, allow_hyphen_values = true)]
        to: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// Mark a planned contact (V-3) done.
    Done {
        /// The planned contact (V-3; `visit list` shows them).
        visit: String,
        /// A word on how it went (optional).
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// Mark a planned contact (V-3) missed: an attempted contact, the client was not there.
    Missed {
        /// The planned contact (V-3).
        visit: String,
        /// What happened (optional: "no answer at the door").
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// Cancel a planned contact (V-3); a reason is needed.
    Cancel {
        /// The planned contact (V-3).
        visit: String,
        /// Why it is cancelled (needed).
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        output: Output,
    },
}

fn flag(field: &'static str) -> String {
    match field {
        "with" => "--with".into(),
        "travel" => "--travel".into(),
        other => format!("--{other}"),
    }
}

fn visit_id(text: &str) -> anyhow::Result<i64> {
    parse_visit_ref(text)
        .ok_or_else(|| bad(format!("\"{}\" is not a planned contact reference (V-3).", display_safe(text))))
}

fn line(v: &Visit) -> String {
    let place = if v.place.is_empty() { String::new() } else { format!(" at {}", display_safe(&v.place)) };
    format!(
        "{} {} {} {} ({} min){place} [{}]",
        v.reference,
        v.when(),
        v.client,
        v.kind().label(),
        v.minutes,
        v.state
    )
}

fn show(v: &Visit, output: Output) -> anyhow::Result<()> {
    if output.json {
        print_json(v)
    } else {
        println!("{}", line(v));
        Ok(())
    }
}

pub fn visit(db: Option<PathBuf>, cmd: VisitCommand) -> anyhow::Result<()> {
    match cmd {
        VisitCommand::Add { client, at, minutes, kind, place, with_whom, purpose, travel, output } => {
            let at = moment("--at", Some(&at))?.ok_or_else(|| bad("--at: say when."))?;
            let mut d = VisitDetails::at(at);
            if let Some(m) = minutes {
                d.minutes = m.trim().parse().map_err(|_| {
                    bad(format!("--minutes: \"{}\" is not a number of minutes.", display_safe(&m)))
                })?;
            }
            if let Some(k) = kind {
                d.kind = VisitKind::parse(&k).ok_or_else(|| {
                    bad(format!(
                        "--type: \"{}\" is not a type: home, office, phone, video, school, court, hospital or other.",
                        display_safe(&k)
                    ))
                })?;
            }
            d.place = place.unwrap_or_default();
            d.with_whom = with_whom.unwrap_or_default();
            d.purpose = purpose.unwrap_or_default();
            d.travel = travel.unwrap_or_default();
            // Checked before the database is opened or created: nothing half-saved.
            crate::domain::visit::validate(&d).map_err(|e| super::common::refusal(&e, flag))?;
            let mut store = open(db)?;
            let c = store.resolve_client(&client)?;
            let by = store.settings()?.signature();
            let id = store.add_visit(c.id, &d, &by, Utc::now()).map_err(store_refusal(flag))?;
            let v = store.visit(id)?;
            if !output.json && d.is_late(Utc::now()) {
                eprintln!("caseload: note: {} is in the past; recorded late.", v.when());
            }
            show(&v, output)
        }
        VisitCommand::List { client, from, to, output } => {
            let t = today();
            let from = day("--from", from.as_deref(), t)?;
            let to = day("--to", to.as_deref(), t)?;
            let Some(store) = open_if_exists(db)? else { return empty_list(output.json) };
            let client = match client {
                Some(c) => Some(store.resolve_client(&c)?.id),
                None => None,
            };
            let list = store.visits(client, from, to)?;
            if output.json {
                print_json(&list)
            } else {
                for v in &list {
                    println!("{}", line(v));
                }
                Ok(())
            }
        }
        VisitCommand::Done { visit, reason, output } => end(db, &visit, VisitState::Done, reason, output),
        VisitCommand::Missed { visit, reason, output } => end(db, &visit, VisitState::Missed, reason, output),
        VisitCommand::Cancel { visit, reason, output } => {
            end(db, &visit, VisitState::Cancelled, reason, output)
        }
    }
}

fn end(
    db: Option<PathBuf>,
    visit: &str,
    to: VisitState,
    reason: Option<String>,
    output: Output,
) -> anyhow::Result<()> {
    let id = visit_id(visit)?;
    let reason = reason.unwrap_or_default();
    crate::domain::visit::check_reason(to, &reason).map_err(|e| super::common::refusal(&[e], flag))?;
    let mut store = open_existing(db)?;
    let by = store.settings()?.signature();
    store.set_visit_state(id, to, &reason, &by, Utc::now()).map_err(store_refusal(flag))?;
    show(&store.visit(id)?, output)
}
