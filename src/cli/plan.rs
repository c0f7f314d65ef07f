//! Command-line planning: goals (add, list, show, progress, status, achievement, steps), plan
//! reviews, and the plan exported as Markdown to print and sign. Same contract as every
//! command: refs first, `--json` arrays and objects, exit 2 with a plain message for refusals.

use crate::domain::text::quote_path;
use std::path::PathBuf;

use chrono::Utc;
use clap::{Args, Subcommand};

use super::common::{
    bad, day, json_with, open, open_to_read, print_json, refusal, refuse_existing, store_refusal, today,
    write_export, ClientRef, Output,
};
use crate::domain::dates::format_date;
use crate::domain::instruments::Scoring;
use crate::domain::plan::{
    parse_goal_ref, parse_step_ref, read_achievement_change, read_goal, read_progress, read_review,
    read_status_change, read_step, step_ref, ChangeInput, GoalInput, ProgressInput, ReviewInput, StepInput,
};
use crate::domain::text::display_safe;

#[derive(Subcommand, Debug)]
pub enum GoalCommand {
    /// Add a SMART goal to a client's plan; prints the new goal's ref first.
    Add(GoalAddArgs),
    /// A client's goals with status and progress (open ones unless --all).
    List {
        #[command(flatten)]
        client: ClientRef,
        /// Include completed, cancelled and entered-in-error goals.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        output: Output,
    },
    /// One goal with its steps, progress entries and history.
    Show {
        /// Goal reference (G-12).
        goal: String,
        #[command(flatten)]
        output: Output,
    },
    /// Record a measured value (a milestone: yes or no).
    Progress {
        /// Goal reference (G-12).
        goal: String,
        /// The value measured (a number, negative too, or yes/no for a milestone).
        #[arg(allow_negative_numbers = true)]
        value: String,
        /// What lies behind the value, in a few words.
        #[arg(long)]
        note: Option<String>,
        /// The day it was measured (default today).
        #[arg(long, allow_hyphen_values = true)]
        on: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// Move a goal along its lifecycle: proposed, active, on-hold, completed, cancelled,
    /// entered-in-error (a reason is needed for on-hold, cancelled and entered-in-error).
    Status {
        /// Goal reference (G-12).
        goal: String,
        /// The new status: proposed, active, on-hold, completed, cancelled, entered-in-error.
        status: String,
        /// Why (needed for on-hold, cancelled and entered-in-error).
        #[arg(long)]
        reason: Option<String>,
        /// The day it changed (default today).
        #[arg(long, allow_hyphen_values = true)]
        on: Option<String>,
    },
    /// Record how a goal is going: in-progress, improving, worsening, no-change, achieved,
    /// sustaining, not-achieved, not-attainable.
    Achievement {
        /// Goal reference (G-12).
        goal: String,
        /// How it is going: in-progress, improving, worsening, no-change, achieved, sustaining,
        /// not-achieved, not-attainable.
        achievement: String,
        /// Why it is judged so, in a few words.
        #[arg(long)]
        reason: Option<String>,
        /// The day it was judged (default today).
        #[arg(long, allow_hyphen_values = true)]
        on: Option<String>,
    },
    /// A goal's steps: add one, or tick one done.
    #[command(subcommand)]
    Step(StepCommand),
}

#[derive(Subcommand, Debug)]
pub enum StepCommand {
    /// Add a step to a goal; prints the new step's ref first.
    Add {
        /// Goal reference (G-12).
        goal: String,
        /// What is to be done, in a few words.
        text: String,
        /// client, practitioner, family-member or provider.
        #[arg(long)]
        owner: Option<String>,
        /// Who exactly (the sister, the housing officer...).
        #[arg(long)]
        who: Option<String>,
        /// When it is due (YYYY-MM-DD, friday, +3d, +2w...).
        #[arg(long, allow_hyphen_values = true)]
        due: Option<String>,
    },
    /// Tick a step done (today unless --on), or not done with --undo.
    Done {
        /// Step reference (ST-4).
        step: String,
        /// The day it was done (default today).
        #[arg(long, allow_hyphen_values = true)]
        on: Option<String>,
        /// Mark it not done again (ticked by mistake).
        #[arg(long)]
        undo: bool,
    },
}

#[derive(Args, Debug)]
pub struct GoalAddArgs {
    #[command(flatten)]
    pub client: ClientRef,
    /// The goal in the client's words.
    #[arg(long)]
    pub statement: String,
    /// What is counted, e.g. "nights in stable housing per month".
    #[arg(long)]
    pub measure: Option<String>,
    /// The unit of the numbers (nights, sessions, pounds...).
    #[arg(long)]
    pub unit: Option<String>,
    /// Where things stand now.
    #[arg(long, allow_negative_numbers = true)]
    pub baseline: Option<String>,
    /// The number to reach (below the baseline to reduce something).
    #[arg(long, allow_negative_numbers = true)]
    pub target: Option<String>,
    /// A yes/no milestone instead of a number.
    #[arg(long)]
    pub milestone: bool,
    /// Measure by a screener's total (e.g. phq9): each new screening records progress.
    #[arg(long)]
    pub screener: Option<String>,
    /// Start date (default today).
    #[arg(long, allow_hyphen_values = true)]
    pub start: Option<String>,
    /// The day the target should be reached (YYYY-MM-DD, +3m...).
    #[arg(long, allow_hyphen_values = true)]
    pub target_date: Option<String>,
    /// short or long (default: from the dates; 90 days or less is short).
    #[arg(long)]
    pub term: Option<String>,
    /// high, medium (default) or low.
    #[arg(long)]
    pub priority: Option<String>,
    /// Life domain: housing, food, health, mental health, safety, income, education, ...
    #[arg(long)]
    pub domain: Option<String>,
    /// The assessed need it answers.
    #[arg(long)]
    pub need: Option<String>,
    /// Who agreed (the client, family, a provider).
    #[arg(long)]
    pub agreed_by: Option<String>,
    /// Why it matters to the client.
    #[arg(long)]
    pub why: Option<String>,
    /// active (default) or proposed.
    #[arg(long)]
    pub status: Option<String>,
    /// A first step.
    #[arg(long)]
    pub step: Option<String>,
    /// Who does the first step: client, practitioner, family-member or provider.
    #[arg(long)]
    pub step_owner: Option<String>,
    /// When the first step is due (YYYY-MM-DD, friday, +3d...).
    #[arg(long, allow_hyphen_values = true)]
    pub step_due: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Subcommand, Debug)]
pub enum PlanCommand {
    /// Write the case plan as Markdown to print and sign (standard output unless -o).
    Export {
        /// Client reference (C-0042) or a unique part of a name.
        reference: String,
        /// File to write (owner-only); an existing file is kept unless --force.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Replace the file given with -o if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Record a plan review held (--held) and/or set the next review date (--next).
    Review {
        /// Client reference (C-0042) or a unique part of a name.
        reference: String,
        /// The day the review was held.
        #[arg(long, allow_hyphen_values = true)]
        held: Option<String>,
        /// What the review found and agreed, in a few lines.
        #[arg(long)]
        summary: Option<String>,
        /// The next review (default 90 days after the review or today).
        #[arg(long, allow_hyphen_values = true)]
        next: Option<String>,
    },
}

/// The flag a field of a goal (or its first step) is given with.
fn goal_flag(field: &str) -> String {
    match field {
        "statement" => "--statement",
        "what" | "measure" => "--measure",
        "unit" => "--unit",
        "baseline" => "--baseline",
        "target" => "--target",
        "source" => "--screener",
        "start" => "--start",
        "target_date" => "--target-date",
        "term" => "--term",
        "priority" => "--priority",
        "life_domain" => "--domain",
        "need" | "need_source" => "--need",
        "who_agreed" => "--agreed-by",
        "why_it_matters" => "--why",
        "status" => "--status",
        "steps" | "text" => "--step",
        "owner" | "owner_name" => "--step-owner",
        "due" => "--step-due",
        other => other,
    }
    .to_string()
}

fn goal_id(s: &str) -> anyhow::Result<i64> {
    parse_goal_ref(s).ok_or_else(|| {
        bad(format!("{} is not a goal reference; use one like G-12.", crate::domain::text::quote(s)))
    })
}

fn screeners() -> anyhow::Result<Vec<(String, String)>> {
    let all = crate::domain::instruments::builtin()?;
    Ok(all
        .iter()
        .filter(|i| matches!(i.scoring, Scoring::Sum(_)))
        .map(|i| (i.id.clone(), i.short_name.clone()))
        .collect())
}

pub fn goal(db: Option<PathBuf>, cmd: GoalCommand) -> anyhow::Result<()> {
    match cmd {
        GoalCommand::Add(a) => add(db, a),
        GoalCommand::List { client, all, output } => list(db, &client, all, output.json),
        GoalCommand::Show { goal, output } => show(db, &goal, output.json),
        GoalCommand::Progress { goal, value, note, on, output } => {
            let id = goal_id(&goal)?;
            let mut store = open(db)?;
            let g = store.goal(id)?;
            let input = ProgressInput { on: on.unwrap_or_default(), value, note: note.unwrap_or_default() };
            let p = read_progress(&input, today(), g.is_milestone()).map_err(|e| {
                refusal(&e, |f| match f {
                    "on" => "--on",
                    "note" => "--note",
                    _ => "VALUE",
                })
            })?;
            store.add_progress(id, &p, Utc::now())?;
            let g = store.goal(id)?;
            if output.json {
                print_json(&g)?;
            } else {
                let pct =
                    g.progress_percent.map(|x| format!(" ({} %)", x.round() as i64)).unwrap_or_default();
                println!(
                    "{} progress {} on {}{pct}",
                    g.reference,
                    display_safe(&g.value_text(p.value)),
                    format_date(p.on)
                );
            }
            Ok(())
        }
        GoalCommand::Status { goal, status, reason, on } => {
            let id = goal_id(&goal)?;
            let input =
                ChangeInput { to: status, reason: reason.unwrap_or_default(), on: on.unwrap_or_default() };
            let change = read_status_change(&input, today())
                .map_err(|e| refusal(&e, |f| if f == "to" { "STATUS".into() } else { format!("--{f}") }))?;
            let mut store = open(db)?;
            let by = store.settings()?.signature();
            store
                .set_goal_status(id, &change, &by, Utc::now())
                .map_err(store_refusal(|f| format!("--{f}")))?;
            println!("{} is now {}", crate::domain::plan::goal_ref(id), change.to.as_str());
            Ok(())
        }
        GoalCommand::Achievement { goal, achievement, reason, on } => {
            let id = goal_id(&goal)?;
            let input = ChangeInput {
                to: achievement,
                reason: reason.unwrap_or_default(),
                on: on.unwrap_or_default(),
            };
            let change = read_achievement_change(&input, today()).map_err(|e| {
                refusal(&e, |f| if f == "to" { "ACHIEVEMENT".into() } else { format!("--{f}") })
            })?;
            let mut store = open(db)?;
            let by = store.settings()?.signature();
            store.set_achievement(id, &change, &by, Utc::now())?;
            println!("{} achievement {}", crate::domain::plan::goal_ref(id), change.to.as_str());
            Ok(())
        }
        GoalCommand::Step(StepCommand::Add { goal, text, owner, who, due }) => {
            let id = goal_id(&goal)?;
            let input = StepInput {
                text,
                owner: owner.unwrap_or_default(),
                owner_name: who.unwrap_or_default(),
                due: due.unwrap_or_default(),
                done: String::new(),
            };
            let s = read_step(&input, today()).map_err(|e| {
                refusal(&e, |f| match f {
                    "text" => "TEXT".into(),
                    "owner_name" => "--who".into(),
                    other => format!("--{other}"),
                })
            })?;
            let mut store = open(db)?;
            let step = store.add_step(id, &s, Utc::now())?;
            println!(
                "{} added to {}: {}",
                step_ref(step),
                crate::domain::plan::goal_ref(id),
                display_safe(&s.text)
            );
            Ok(())
        }
        GoalCommand::Step(StepCommand::Done { step, on, undo }) => {
            let id = parse_step_ref(&step).ok_or_else(|| {
                bad(format!(
                    "{} is not a step reference; use one like ST-4.",
                    crate::domain::text::quote(&step)
                ))
            })?;
            let done =
                if undo { None } else { Some(day("--on", on.as_deref(), today())?.unwrap_or_else(today)) };
            let mut store = open(db)?;
            store.set_step_done(id, done, Utc::now())?;
            match done {
                Some(d) => println!("{} done on {}", step_ref(id), format_date(d)),
                None => println!("{} not done", step_ref(id)),
            }
            Ok(())
        }
    }
}

fn add(db: Option<PathBuf>, a: GoalAddArgs) -> anyhow::Result<()> {
    let mut store = open(db)?;
    let client = a.client.resolve(&store)?;
    let input = GoalInput {
        statement: a.statement,
        measure: if a.milestone { "milestone".into() } else { String::new() },
        source: a.screener.unwrap_or_default(),
        what: a.measure.unwrap_or_default(),
        unit: a.unit.unwrap_or_default(),
        baseline: a.baseline.unwrap_or_default(),
        target: a.target.unwrap_or_default(),
        who_agreed: a.agreed_by.unwrap_or_default(),
        why_it_matters: a.why.unwrap_or_default(),
        start: a.start.unwrap_or_default(),
        target_date: a.target_date.unwrap_or_default(),
        term: a.term.unwrap_or_default(),
        priority: a.priority.unwrap_or_default(),
        life_domain: a.domain.unwrap_or_default(),
        need: a.need.clone().unwrap_or_default(),
        need_source: String::new(),
        status: a.status.unwrap_or_default(),
    };
    let step_given = a.step.is_some() || a.step_owner.is_some() || a.step_due.is_some();
    let step = if step_given {
        let s = StepInput {
            text: a.step.unwrap_or_default(),
            owner: a.step_owner.unwrap_or_default(),
            due: a.step_due.unwrap_or_default(),
            ..Default::default()
        };
        Some(read_step(&s, today()).map_err(|e| refusal(&e, goal_flag))?)
    } else {
        None
    };
    let mut input = input;
    // a need typed as one of the client's current needs keeps where it came from
    if let Some(need) = &a.need {
        if let Some(n) =
            store.current_needs(client.id)?.into_iter().find(|n| n.text.eq_ignore_ascii_case(need.trim()))
        {
            input.need = n.text;
            input.need_source = n.source;
        }
    }
    let has_steps = step.is_some();
    let has_owner = step.as_ref().is_some_and(|s| s.owner.is_some());
    let list = screeners()?;
    let screeners: Vec<(&str, &str)> = list.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let reading = read_goal(&input, today(), &screeners, has_steps, has_owner);
    let Some(goal) = reading.goal else { return Err(refusal(&reading.errors, goal_flag)) };
    let by = store.settings()?.signature();
    let steps: Vec<_> = step.into_iter().collect();
    let id = store.add_goal(client.id, &goal, &steps, &by, Utc::now())?;
    let g = store.goal(id)?;
    if a.output.json {
        print_json(&g)?;
    } else {
        println!(
            "{} added for {}: {} ({}, {})",
            g.reference,
            client.reference,
            display_safe(&g.statement),
            g.status.as_str(),
            g.term.label().to_lowercase()
        );
    }
    // gaps that do not refuse are said, once, where a person reads them
    for w in &reading.warnings {
        eprintln!("note: {}", w.message);
    }
    Ok(())
}

fn list(db: Option<PathBuf>, client: &ClientRef, all: bool, json: bool) -> anyhow::Result<()> {
    let store = open_to_read(db)?;
    let client = client.resolve(&store)?;
    let goals = store.goals(client.id, all)?;
    if json {
        let mut rows = Vec::new();
        for g in &goals {
            rows.push(json_with(g, vec![("steps", serde_json::to_value(store.steps(g.id)?)?)]));
        }
        return print_json(&rows);
    }
    let today = today();
    for g in &goals {
        let pct = g
            .progress_percent
            .map(|p| format!("{:>4} %", p.round() as i64))
            .unwrap_or_else(|| "   - %".into());
        let past = if g.past_target(today) { "  PAST TARGET" } else { "" };
        println!(
            "{:<6} {:<16} {pct}  target {}  {}{past}",
            g.reference,
            g.status.as_str(),
            format_date(g.target_date),
            display_safe(&g.statement)
        );
    }
    Ok(())
}

fn show(db: Option<PathBuf>, goal: &str, json: bool) -> anyhow::Result<()> {
    let id = goal_id(goal)?;
    let store = open_to_read(db)?;
    let g = store.goal(id)?;
    let steps = store.steps(id)?;
    let progress = store.progress(id)?;
    let history = store.goal_history(id)?;
    if json {
        return print_json(&json_with(
            &g,
            vec![
                ("steps", serde_json::to_value(&steps)?),
                ("progress", serde_json::to_value(&progress)?),
                ("history", serde_json::to_value(&history)?),
            ],
        ));
    }
    let s = |t: &str| display_safe(t).into_owned();
    println!("{}  {}  ({}, {})", g.reference, s(&g.statement), g.status.as_str(), g.achievement.as_str());
    println!("  Measure   {}", s(&g.measure_text()));
    if let (Some(p), Some(pct)) = (&g.latest, g.progress_percent) {
        println!(
            "  Progress  {} % (latest {} on {})",
            pct.round() as i64,
            s(&g.value_text(p.value)),
            format_date(p.on)
        );
    }
    println!(
        "  Dates     {} → {} ({})",
        format_date(g.start),
        format_date(g.target_date),
        g.term.label().to_lowercase()
    );
    for (i, st) in steps.iter().enumerate() {
        let done = st.done.map(|d| format!(" done {}", format_date(d))).unwrap_or_default();
        let due = st.due.map(|d| format!(" due {}", format_date(d))).unwrap_or_default();
        println!("  {}. {} {} — {}{due}{done}", i + 1, st.reference, s(&st.text), s(&st.owner_text()));
    }
    for h in &history {
        let reason = if h.reason.is_empty() { String::new() } else { format!(" — {}", s(&h.reason)) };
        println!("  {}  {}{reason}", format_date(h.on), h.describe());
    }
    Ok(())
}

pub fn plan(db: Option<PathBuf>, cmd: PlanCommand) -> anyhow::Result<()> {
    match cmd {
        PlanCommand::Export { reference, output, force } => {
            refuse_existing(output.as_deref(), force)?;
            let store = open_to_read(db)?;
            let client = store.resolve_client(&reference)?;
            let plan = store.plan(client.id, false)?;
            let text = crate::export::plan::plan_markdown(&plan, &store.settings()?, today());
            write_export(output.as_deref(), &text, force)?;
            if let Some(path) = &output {
                eprintln!("Plan for {} written to {}", client.reference, quote_path(path));
            }
            Ok(())
        }
        PlanCommand::Review { reference, held, summary, next } => {
            let held = held.unwrap_or_default();
            let next = next.unwrap_or_else(|| {
                let from = crate::domain::dates::parse_date(&held, today()).unwrap_or_else(|_| today());
                format_date(crate::domain::plan::next_review_after(from))
            });
            let input =
                ReviewInput { held_on: held, summary: summary.unwrap_or_default(), next_review: next };
            let r = read_review(&input, today()).map_err(|e| {
                refusal(&e, |f| match f {
                    "held_on" => "--held".into(),
                    "next_review" => "--next".into(),
                    other => format!("--{other}"),
                })
            })?;
            let mut store = open(db)?;
            let client = store.resolve_client(&reference)?;
            let by = store.settings()?.signature();
            store.record_review(client.id, &r, &by, Utc::now())?;
            println!("{} next review {}", client.reference, format_date(r.next_review));
            Ok(())
        }
    }
}
