//! Nothing raw reaches a terminal from the command line: every command that may echo what it was
//! given is run with every entry of the nasty-input corpus, and neither standard output nor
//! standard error may carry a control character (C0 other than newline and tab, DEL, C1) or a
//! bidirectional override. No file is created with a control character in its name.

use crate::common;

use std::path::Path;

/// Each corpus entry as one argument: a NUL cannot be passed in argv (it is cut there), and the
/// "huge paste" is repeated to about 118 KB, near the largest single argument Linux takes.
fn corpus() -> Vec<(String, String)> {
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("../fixtures/nasty-input.json")).expect("fixture parses");
    cases
        .iter()
        .map(|c| {
            let label = c["label"].as_str().unwrap_or_default().to_string();
            let mut text = c["text"].as_str().unwrap_or_default().replace('\0', "");
            if label.starts_with("huge paste") {
                text = text.repeat(118_000 / text.len().max(1));
            }
            (label, text)
        })
        .collect()
}

/// Commands with `X` where the nasty value goes, on a database with C-0001, G-1, R-1 and S-0001.
const TEMPLATES: &[&[&str]] = &[
    &["client", "show", "X"],
    &["client", "add", "--given", "X", "--family", "Test", "--allow-duplicate"],
    &["client", "add", "--given", "Ada", "--family", "Test", "--dob", "X"],
    &["client", "add", "--given", "Ada", "--family", "Test", "--phone", "X", "--allow-duplicate"],
    &["client", "add", "--given", "Ada", "--family", "Test", "--intake-date", "X"],
    &["notes", "X"],
    &["note", "X", "Visit went well"],
    &["note", "C-0001", "Visit", "--contact", "X"],
    &["search", "X"],
    &["search", "visit", "--limit", "X"],
    &["search", "visit", "--from", "X"],
    &["time", "--month", "X"],
    &["time", "--client", "X"],
    &["referral", "add", "C-0001", "--need", "food", "--to", "Pantry", "--urgency", "X"],
    &["referral", "add", "C-0001", "--need", "food", "--to", "Pantry", "--method", "X"],
    &["referral", "add", "C-0001", "--need", "food", "--service", "X"],
    &["referral", "add", "C-0001", "--need", "food", "--to", "Pantry", "--follow-up", "X"],
    &["referral", "status", "R-1", "X"],
    &["referral", "status", "X", "sent"],
    &["referral", "list", "X"],
    &["goal", "add", "C-0001", "--statement", "Home", "--priority", "X"],
    &["goal", "add", "C-0001", "--statement", "Home", "--term", "X"],
    &["goal", "add", "C-0001", "--statement", "Home", "--target-date", "X"],
    &["goal", "add", "C-0001", "--statement", "Home", "--domain", "X"],
    &["goal", "progress", "G-1", "X"],
    &["goal", "status", "G-1", "X"],
    &["goal", "show", "X"],
    &["advocacy", "add", "C-0001", "--barrier", "Rent", "--target", "Council", "--deadline", "X"],
    &["contact", "add", "C-0001", "--name", "Dr Test", "--role", "X"],
    &["consent", "add", "C-0001", "--to", "GP", "--expires", "X"],
    &["screen", "add", "C-0001", "X", "--answers", "1"],
    &["screen", "add", "C-0001", "phq9", "--answers", "X"],
    &["export", "X", "--format", "md"],
    &["export", "C-0001", "--format", "X"],
    &["export", "C-0001", "--format", "md", "-o", "X"],
    &["export", "--caseload", "--format", "csv", "-o", "X"],
    &["plan", "export", "C-0001", "-o", "X"],
    &["plan", "review", "C-0001", "--held", "X"],
    &["import", "X"],
    &["directory", "import", "X"],
    &["directory", "show", "X"],
    &["directory", "search", "X"],
    &["directory", "add", "--organisation", "Org", "--name", "Help", "--status", "X"],
    &["directory", "add", "--organisation", "Org", "--name", "Help", "--verified", "X"],
    &["backup", "X"],
    &["init", "X"],
    &["referral", "appointment", "add", "R-1", "--at", "X"],
    &["referral", "appointment", "add", "R-1", "--at", "friday 10:00", "--place", "X"],
    &["referral", "appointment", "add", "R-1", "--at", "friday 10:00", "--transport", "X"],
    &["referral", "appointment", "edit", "X", "--place", "Town hall"],
    &["referral", "appointment", "remove", "X"],
    &["X"],
    &["client", "list", "--X"],
];

fn run(dir: &Path, db: &Path, args: &[String]) -> std::process::Output {
    common::caseload_in(dir, db, args)
}

fn raw_char(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c < ' ' && c != '\n' && c != '\t')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

fn setup(db: &Path) {
    for args in [
        &["client", "add", "--given", "Ada", "--family", "Example"][..],
        &[
            "goal",
            "add",
            "C-0001",
            "--statement",
            "A place of my own",
            "--milestone",
            "--target-date",
            "+90d",
        ],
        &["referral", "add", "C-0001", "--need", "food", "--to", "Pantry"],
        &["directory", "add", "--organisation", "Hillview Trust", "--name", "Food pantry"],
    ] {
        let o = common::caseload(db, args);
        assert!(o.status.success(), "{args:?}: {}", common::stderr(&o));
    }
}

#[test]
fn no_command_echoes_a_control_character_whatever_it_is_given() {
    let (dir, db) = common::temp_db();
    setup(&db);
    let corpus = corpus();
    let mut failures = Vec::new();
    std::thread::scope(|s| {
        let halves: Vec<_> = TEMPLATES
            .chunks(TEMPLATES.len().div_ceil(2))
            .map(|templates| {
                let (dir, db, corpus) = (dir.path(), &db, &corpus);
                s.spawn(move || {
                    let mut failed = Vec::new();
                    for template in templates {
                        for (label, text) in corpus {
                            let args: Vec<String> = template
                                .iter()
                                .map(|a| match *a {
                                    "X" => text.clone(),
                                    "--X" => format!("--{text}"),
                                    a => a.to_string(),
                                })
                                .collect();
                            let o = run(dir, db, &args);
                            for (stream, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
                                let shown = String::from_utf8_lossy(bytes);
                                if let Some(c) = raw_char(&shown) {
                                    failed.push(format!("{template:?} with {label}: {stream} has {c:?}"));
                                }
                            }
                        }
                    }
                    failed
                })
            })
            .collect();
        for h in halves {
            failures.extend(h.join().expect("thread"));
        }
    });
    assert!(failures.is_empty(), "{} raw outputs:\n{}", failures.len(), failures.join("\n"));
    for entry in std::fs::read_dir(dir.path()).expect("read dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(raw_char(&name).is_none(), "a file was created with a control character: {name:?}");
    }
}

#[test]
fn a_nasty_database_path_is_not_echoed_raw() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (label, text) in corpus() {
        if text.is_empty() || text.len() > 200 {
            continue;
        }
        let db = dir.path().join("missing").join(&text);
        let o = run(dir.path(), &db, &["client".into(), "list".into()]);
        let o2 = run(dir.path(), &db, &["check".into()]);
        for out in [o, o2] {
            for bytes in [&out.stdout, &out.stderr] {
                let shown = String::from_utf8_lossy(bytes);
                assert!(raw_char(&shown).is_none(), "--db with {label}: {shown:?}");
            }
        }
    }
}

#[test]
fn a_huge_reference_or_reason_is_answered_in_the_users_words() {
    let (_dir, db) = common::temp_db();
    setup(&db);
    let huge = "abc ".repeat(30_000);
    for args in [["client", "show", huge.as_str()], ["directory", "show", huge.as_str()]] {
        let o = common::caseload(&db, &args);
        let err = common::stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("No client matches") || err.contains("No service matches"), "{err}");
        assert!(!err.contains("LIKE") && !err.contains("Database error"), "{err}");
    }
    let long = "x".repeat(3_000);
    let o = common::caseload(&db, &["referral", "status", "R-1", "declined", "--reason", &long]);
    let err = common::stderr(&o);
    assert!(err.contains("--reason: Too long"), "the flag named is the one too long: {err}");
}
