//! A case plan as Markdown, to print and sign: every open goal with its measure, progress,
//! dates and steps, the next review, and signature lines with the practitioner's name.

use chrono::NaiveDate;

use super::md_inline as md;
use crate::domain::dates::format_date;
use crate::domain::goal::MeasureSource;
use crate::domain::plan::step_marker;
use crate::domain::settings::Settings;
use crate::store::plan::PlanOverview;

pub fn plan_markdown(plan: &PlanOverview, settings: &Settings, today: NaiveDate) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    let c = &plan.client;
    line(format!("# Case plan: {} ({})", md(&c.display_name()), c.reference));
    line(String::new());
    line(format!("Printed {}", format_date(today)));
    line(String::new());
    if !settings.organisation.is_empty() {
        line(format!("- Organisation: {}", md(&settings.organisation)));
    }
    let practitioner = settings.signature();
    line(format!(
        "- Practitioner: {}",
        if practitioner.is_empty() {
            "______________________ (set your name in Settings)".to_string()
        } else {
            md(&practitioner)
        }
    ));
    match &plan.next_review {
        Some(r) => line(format!("- Next review: {}", format_date(r.due_on))),
        None => line("- Next review: not set".into()),
    }
    if let Some(r) = &plan.last_review {
        let summary = if r.summary.is_empty() { String::new() } else { format!(": {}", md(&r.summary)) };
        line(format!("- Last review: {}{summary}", r.held_on.map(format_date).unwrap_or_default()));
    }
    line(String::new());
    if plan.goals.is_empty() {
        line("No open goals.".into());
        line(String::new());
    }
    for (i, (g, steps)) in plan.goals.iter().enumerate() {
        line(format!("## Goal {}: {} ({})", i + 1, md(&g.statement), g.reference));
        line(String::new());
        line("| | |".into());
        line("|---|---|".into());
        let mut row = |k: &str, v: String| {
            if !v.is_empty() {
                line(format!("| {k} | {v} |"));
            }
        };
        row("Status", format!("{} · {}", g.status.label(), g.achievement.label().to_lowercase()));
        row("Priority", g.priority.label().to_string());
        row("Life domain", md(&g.life_domain));
        let need = if g.need_source.is_empty() {
            md(&g.need)
        } else {
            format!("{} ({})", md(&g.need), md(&g.need_source))
        };
        row("Need it answers", if g.need.is_empty() { String::new() } else { need });
        let source = match &g.source {
            MeasureSource::Screener { .. } => " (from each screening)",
            MeasureSource::Manual => "",
        };
        row("Measure", format!("{}{source}", md(&g.measure_text())));
        let progress = match (&g.latest, g.progress_percent) {
            (Some(p), Some(pct)) => {
                format!(
                    "{} % (latest {} on {})",
                    pct.round() as i64,
                    md(&g.value_text(p.value)),
                    format_date(p.on)
                )
            }
            _ => "none recorded yet".into(),
        };
        row("Progress", progress);
        let past = if g.past_target(today) { " — **PAST TARGET**" } else { "" };
        row(
            "Dates",
            format!(
                "{} → {} ({}){past}",
                format_date(g.start),
                format_date(g.target_date),
                g.term.label().to_lowercase()
            ),
        );
        row("Agreed by", md(&g.who_agreed));
        row("Why it matters", md(&g.why_it_matters));
        line(String::new());
        if steps.is_empty() {
            line("No steps yet.".into());
        } else {
            line("| # | Step | Who | Due | Done |".into());
            line("|---|---|---|---|---|".into());
            for (n, s) in steps.iter().enumerate() {
                let marker =
                    step_marker(s.due, s.done, today).map(|m| format!(" **{m}**")).unwrap_or_default();
                line(format!(
                    "| {} | {} | {} | {}{marker} | {} |",
                    n + 1,
                    md(&s.text),
                    md(&s.owner_text()),
                    s.due.map(format_date).unwrap_or_default(),
                    s.done.map(format_date).unwrap_or_default()
                ));
            }
        }
        line(String::new());
    }
    // a goal measured by a screener shows its scores: the screener's attribution goes with them
    let attribution =
        crate::domain::instruments::attribution_for(plan.goals.iter().filter_map(|(g, _)| match &g.source {
            MeasureSource::Screener { instrument } => Some(instrument.as_str()),
            MeasureSource::Manual => None,
        }));
    if !attribution.is_empty() {
        for a in attribution {
            line(format!("_{}_", md(a)));
            line(String::new());
        }
    }
    line("## Signatures".into());
    line(String::new());
    line("We have agreed this plan together.".into());
    line(String::new());
    line(format!("Client: {}", md(&c.display_name())));
    line(String::new());
    line("Signature: ______________________________   Date: ______________".into());
    line(String::new());
    line(format!(
        "Practitioner: {}",
        if practitioner.is_empty() { "______________________".to_string() } else { md(&practitioner) }
    ));
    line(String::new());
    line("Signature: ______________________________   Date: ______________".into());
    out
}
