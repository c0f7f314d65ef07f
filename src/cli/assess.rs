//! Command-line screeners: give one from its answers, list a client's, acknowledge an alert.

use std::path::PathBuf;

use chrono::Utc;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::common::{bad, day, open, open_to_read, print_json, today, ClientRef, Output};
use crate::domain::assessment::parse_ref;
use crate::domain::dates::format_date;
use crate::domain::instruments::{
    attribution_for, builtin, find, loinc_export, parse_answer_list, Answer, LoincExport,
};
use crate::store::safety::alert_ref;
use crate::store::screenings::{screening_ref, summary, Screening};

#[derive(Subcommand, Debug)]
pub enum ScreenCommand {
    /// Give a screener from its answers; prints the new result's ref, total and band.
    Add(ScreenAddArgs),
    /// List a client's screener results, newest first.
    List {
        #[command(flatten)]
        client: ClientRef,
        #[command(flatten)]
        output: Output,
    },
    /// Acknowledge a safety alert (AL-3), or every open alert of a result (SC-12), with a note.
    Ack {
        /// The alert (AL-3) or screener result (SC-12).
        reference: String,
        /// What was done about it (risk assessed, safety plan made, crisis team called...).
        #[arg(long)]
        note: String,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Args, Debug)]
pub struct ScreenAddArgs {
    #[command(flatten)]
    pub client: ClientRef,
    /// The screener: phq9, gad7 or ahc (social needs).
    pub instrument: String,
    /// The scored items' answers in order, comma-separated: PHQ-9 and GAD-7 the values 0-3
    /// (e.g. 1,2,0,3,1,0,0,1,0); AHC the printed option numbers (item 2 several joined by +);
    /// "-" for an item asked but declined.
    #[arg(long, allow_hyphen_values = true)]
    pub answers: String,
    /// The unscored difficulty question (PHQ-9 item 10, GAD-7): 0 not difficult at all,
    /// 1 somewhat, 2 very, 3 extremely difficult.
    #[arg(long)]
    pub difficulty: Option<String>,
    /// The day it was given (default today).
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// A note kept with the result.
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

/// A result as printed by `--json`.
#[derive(Serialize)]
struct ResultJson<'a> {
    #[serde(rename = "ref")]
    reference: String,
    client: &'a str,
    instrument: &'a str,
    instrument_name: &'a str,
    administered_on: String,
    total: Option<i32>,
    band: Option<&'a str>,
    complete: bool,
    positive: Option<bool>,
    missing: String,
    missing_items: &'a [u32],
    derived: &'a [crate::domain::instruments::DerivedScore],
    domains: &'a [crate::domain::instruments::DomainResult],
    flags: &'a [crate::domain::instruments::RaisedFlag],
    answers: &'a [(String, Answer)],
    loinc: LoincExport,
    alerts: Vec<String>,
    entered_in_error: bool,
    /// The lines the instrument's owner asks to be shown with every result (PHQ-9, GAD-7).
    attribution: &'a [String],
}

fn to_json<'a>(
    s: &'a Screening,
    inst: Option<&'a crate::domain::instruments::Instrument>,
    alerts: Vec<String>,
) -> ResultJson<'a> {
    let loinc = match inst {
        Some(i) => loinc_export(i, &s.answers, &s.result),
        None => LoincExport { panel: String::new(), answers: Vec::new(), totals: Vec::new() },
    };
    ResultJson {
        reference: s.reference.clone(),
        client: &s.client,
        instrument: &s.instrument,
        instrument_name: inst.map(|i| i.short_name.as_str()).unwrap_or(""),
        administered_on: format_date(s.administered_on),
        total: s.total,
        band: s.band.as_deref(),
        complete: s.complete,
        positive: s.positive,
        missing: s.result.missing_handling.to_string(),
        missing_items: &s.result.missing_items,
        derived: &s.result.derived,
        domains: &s.result.domains,
        flags: &s.result.flags,
        answers: &s.answers,
        loinc,
        alerts,
        entered_in_error: s.entered_in_error,
        attribution: inst.map(|i| i.licence.attribution.as_slice()).unwrap_or(&[]),
    }
}

pub fn screen(db: Option<PathBuf>, cmd: ScreenCommand) -> anyhow::Result<()> {
    let all = builtin().map_err(|e| anyhow::anyhow!("{e}"))?;
    match cmd {
        ScreenCommand::Add(a) => {
            let inst = find(&all, &a.instrument).ok_or_else(|| {
                bad(format!(
                    "There is no screener called {}. Use one of: {}.",
                    crate::domain::text::quote(&a.instrument),
                    all.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(", ")
                ))
            })?;
            let mut answers =
                parse_answer_list(inst, &a.answers).map_err(|e| bad(format!("--answers: {e}")))?;
            if let Some(d) = a.difficulty.as_deref() {
                let item = inst.items.iter().find(|i| !i.scored).ok_or_else(|| {
                    bad(format!("--difficulty: {} has no difficulty question.", inst.short_name))
                })?;
                let answer = match d.trim() {
                    "-" => Answer::Declined,
                    t => match t.parse::<usize>() {
                        Ok(n) if n < item.options.len() => Answer::Value(n),
                        _ => {
                            return Err(bad(format!(
                                "--difficulty: give 0 to {} (0 not difficult at all … {} extremely difficult), or - for declined.",
                                item.options.len() - 1,
                                item.options.len() - 1
                            )))
                        }
                    },
                };
                answers.push((item.id.clone(), answer));
            }
            let today = today();
            let on = day("--date", a.date.as_deref(), today)?.unwrap_or(today);
            if on > today {
                return Err(bad("--date: the date is in the future."));
            }
            let mut store = open(db)?;
            let client = a.client.resolve(&store)?;
            let (id, result) = store.add_screening(
                client.id,
                inst,
                &answers,
                on,
                a.note.as_deref().unwrap_or(""),
                Utc::now(),
            )?;
            let alerts = store.alerts_for_screening(id)?;
            if a.output.json {
                let s = store.screening(id)?;
                let refs = alerts.iter().map(|x| x.reference.clone()).collect();
                print_json(&to_json(&s, Some(inst), refs))?;
            } else {
                println!("{} {} {}", screening_ref(id), inst.short_name, summary(&result));
                for d in &result.derived {
                    if let Some(t) = d.total {
                        println!("  {} {t}", d.short_name);
                    }
                }
                for x in &alerts {
                    println!(
                        "  SAFETY ALERT {}: {}\n  Acknowledge it with: caseload screen ack {} --note \"what was done\"",
                        x.reference, x.message, x.reference
                    );
                }
                for line in &inst.licence.attribution {
                    println!("  {line}");
                }
            }
            Ok(())
        }
        ScreenCommand::List { client, output } => {
            let store = open_to_read(db)?;
            let client = client.resolve(&store)?;
            let list = store.screenings(client.id)?;
            if output.json {
                let mut out = Vec::new();
                for s in &list {
                    let refs = store.alerts_for_screening(s.id)?.into_iter().map(|x| x.reference).collect();
                    out.push(serde_json::to_value(to_json(s, find(&all, &s.instrument), refs))?);
                }
                print_json(&out)?;
            } else {
                for s in &list {
                    let name =
                        find(&all, &s.instrument).map(|i| i.short_name.as_str()).unwrap_or(&s.instrument);
                    let open_alerts = store
                        .alerts_for_screening(s.id)?
                        .iter()
                        .filter(|x| x.acknowledged_at.is_none())
                        .count();
                    println!(
                        "{:<7} {}  {:<9} {}{}{}",
                        s.reference,
                        format_date(s.administered_on),
                        name,
                        summary(&s.result),
                        if open_alerts > 0 { "  ALERT OPEN" } else { "" },
                        if s.entered_in_error { "  (entered in error)" } else { "" }
                    );
                }
                for line in attribution_for(list.iter().map(|s| s.instrument.as_str())) {
                    println!("{line}");
                }
            }
            Ok(())
        }
        ScreenCommand::Ack { reference, note, output } => {
            let mut store = open(db)?;
            let r = reference.trim();
            let ids: Vec<i64> = if r.to_ascii_uppercase().starts_with("SC") {
                let id = parse_ref("SC", r).ok_or_else(|| {
                    bad(format!("{} is not a result reference (SC-12).", crate::domain::text::quote(r)))
                })?;
                store.screening(id)?;
                store
                    .alerts_for_screening(id)?
                    .into_iter()
                    .filter(|a| a.acknowledged_at.is_none())
                    .map(|a| a.id)
                    .collect()
            } else {
                let id = parse_ref("AL", r).ok_or_else(|| {
                    bad(format!(
                        "{} is not an alert (AL-3) or result (SC-12) reference.",
                        crate::domain::text::quote(r)
                    ))
                })?;
                vec![id]
            };
            if ids.is_empty() {
                return Err(bad("That result has no open safety alert; nothing was changed."));
            }
            let by = store.settings()?.signature();
            store.acknowledge_alerts(&ids, &note, &by, Utc::now())?;
            if output.json {
                let list: Vec<_> = ids.iter().map(|id| store.alert(*id)).collect::<Result<_, _>>()?;
                print_json(&list)?;
            } else {
                for id in ids {
                    println!("{} acknowledged", alert_ref(id));
                }
            }
            Ok(())
        }
    }
}
