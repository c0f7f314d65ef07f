//! The command line explains itself: every option and argument has a help line, and no help
//! line stops mid-sentence (issue 15).

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
    walk(&caseload::cli::command(), "", &mut problems);
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

/// The binary with its data directory in `home` (XDG_DATA_HOME and HOME), no CASELOAD_DB.
fn at_home(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(crate::common::BIN)
        .args(args)
        .env_remove("CASELOAD_DB")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run caseload")
}

#[test]
fn caseload_where_prints_the_database_in_use_and_creates_nothing() {
    use crate::common::{caseload, stdout, temp_db};
    let home = tempfile::tempdir().unwrap();
    let default = home.path().join("data/caseload/caseload.db");
    let o = at_home(home.path(), &["where"]);
    assert!(o.status.success(), "{}", crate::common::stderr(&o));
    assert_eq!(stdout(&o).trim_end(), default.display().to_string());
    assert!(crate::common::stderr(&o).contains("no database there yet"));
    assert!(!home.path().join("data").exists(), "where creates nothing, not even the folder");
    // --db and CASELOAD_DB are what the other commands use, and so what `where` prints
    let (_d, db) = temp_db();
    let o = caseload(&db, &["where"]);
    assert_eq!(stdout(&o).trim_end(), db.display().to_string());
    let o =
        std::process::Command::new(crate::common::BIN).arg("where").env("CASELOAD_DB", &db).output().unwrap();
    assert_eq!(stdout(&o).trim_end(), db.display().to_string());
    // a relative --db is shown as the absolute path it is from here
    let o = crate::common::caseload_in(db.parent().unwrap(), std::path::Path::new("rel.db"), &["where"]);
    assert_eq!(stdout(&o).trim_end(), db.parent().unwrap().join("rel.db").display().to_string());
}

#[test]
fn help_names_the_default_database_found_at_run_time() {
    let home = tempfile::tempdir().unwrap();
    let default = home.path().join("data/caseload/caseload.db").display().to_string();
    for args in [vec!["--help"], vec!["client", "add", "--help"], vec!["check", "--help"]] {
        let o = at_home(home.path(), &args);
        assert!(o.status.success(), "{args:?}");
        let help = crate::common::stdout(&o);
        assert!(help.contains(&format!("(default: {default})")), "{args:?}: {help}");
    }
    let top = crate::common::stdout(&at_home(home.path(), &["--help"]));
    assert!(top.contains("caseload where"), "{top}");
}

#[test]
fn check_names_the_database_it_checked() {
    use crate::common::{caseload, stdout, temp_db};
    let (_d, db) = temp_db();
    assert!(caseload(&db, &["init"]).status.success());
    let o = caseload(&db, &["check"]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("ok"), "{}", stdout(&o));
    assert!(stdout(&o).contains(&db.display().to_string()), "{}", stdout(&o));
}
