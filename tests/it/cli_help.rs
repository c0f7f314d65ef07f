//! The command line explains itself: every option and argument has a help line, and no help
//! line stops mid-sentence (issue 15).

use caseload::cli::Cli;
use clap::CommandFactory;

/// Words a finished sentence does not end on: a help line ending so was cut off.
const DANGLING: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for", "with", "from",
    "into", "as", "than", "its", "their", "your", "updates", "if", "when",
];

/// A help text that reads as cut off: a trailing comma, colon or dash, or a dangling word.
fn cut_off(text: &str) -> Option<String> {
    let t = text.trim().trim_end_matches('.');
    if t.ends_with([',', ':', ';', '-', '(']) {
        return Some("ends with punctuation that leads on".into());
    }
    let last = t.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_lowercase();
    DANGLING.contains(&last.as_str()).then(|| format!("ends on {last:?}"))
}

fn walk(cmd: &clap::Command, path: &str, problems: &mut Vec<String>) {
    let here = format!("{path} {}", cmd.get_name()).trim().to_string();
    for text in [cmd.get_about(), cmd.get_long_about()].into_iter().flatten() {
        if let Some(why) = cut_off(&text.to_string()) {
            problems.push(format!("{here}: its description {why}: {text}"));
        }
    }
    for arg in cmd.get_arguments() {
        let name = arg.get_long().map(|l| format!("--{l}")).unwrap_or_else(|| format!("<{}>", arg.get_id()));
        if matches!(arg.get_id().as_str(), "help" | "version") {
            continue;
        }
        let help = arg.get_help().or(arg.get_long_help()).map(|h| h.to_string()).unwrap_or_default();
        if help.trim().is_empty() {
            problems.push(format!("{here} {name}: no help line"));
        } else if let Some(why) = cut_off(&help) {
            problems.push(format!("{here} {name}: help {why}: {help}"));
        }
    }
    for sub in cmd.get_subcommands() {
        if sub.get_name() != "help" {
            walk(sub, &here, problems);
        }
    }
}

#[test]
fn every_option_and_argument_has_a_help_line_that_ends_as_a_sentence() {
    let mut problems = Vec::new();
    walk(&Cli::command(), "", &mut problems);
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn a_cut_off_help_line_is_caught() {
    assert!(cut_off("Importing again updates.").is_some());
    assert!(cut_off("Sent to the").is_some());
    assert!(cut_off("Name,").is_some());
    assert!(cut_off("Print the report as JSON.").is_none());
    assert!(cut_off("Date of birth, YYYY-MM-DD").is_none());
}
