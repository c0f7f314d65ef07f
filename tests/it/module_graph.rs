//! The dependency rules of docs/architecture.md, checked on the source: `domain` uses nothing of
//! ours; `store` uses `domain` only; screens, widgets and forms (`ui` but its renderer, `ui/mod.rs`)
//! name `app::message` and nothing else of `app`, so there is no cycle between the app and its
//! screens. Comments are not code and are skipped.

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out
}

/// `crate::a::b` paths used in code (not in comments) of every file under `src/<module>`.
fn uses(module: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(module);
    let mut out = Vec::new();
    for f in files(&root) {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            for part in code.split("crate::").skip(1) {
                let path: String =
                    part.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
                out.push((f.display().to_string(), path));
            }
        }
    }
    out
}

fn top(path: &str) -> &str {
    path.split("::").next().unwrap_or_default()
}

#[test]
fn dependencies_point_one_way() {
    let mut wrong = Vec::new();
    for (file, path) in uses("domain") {
        if top(&path) != "domain" {
            wrong.push(format!("{file}: domain uses crate::{path}"));
        }
    }
    for (file, path) in uses("store") {
        if !matches!(top(&path), "domain" | "store") {
            wrong.push(format!("{file}: store uses crate::{path}"));
        }
    }
    for (file, path) in uses("ui") {
        // ui/mod.rs is the renderer of the whole app (its stack, modal and footer)
        if top(&path) == "app" && !path.starts_with("app::message") && !file.ends_with("src/ui/mod.rs") {
            wrong.push(format!("{file}: a screen uses crate::{path} (only app::message)"));
        }
        if matches!(top(&path), "cli" | "tui") {
            wrong.push(format!("{file}: ui uses crate::{path}"));
        }
    }
    for module in ["export", "import"] {
        for (file, path) in uses(module) {
            if matches!(top(&path), "ui" | "app" | "cli" | "tui") {
                wrong.push(format!("{file}: {module} uses crate::{path}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_checker_sees_a_use_in_code_and_not_in_a_comment() {
    let here = uses("domain");
    assert!(here.iter().any(|(_, p)| p.starts_with("domain::")), "it reads the code");
    assert!(
        !here.iter().any(|(_, p)| p.starts_with("import")),
        "a comment naming crate::import is not a use"
    );
}

/// `app/mod.rs` is routing only (issue 14 point 3: under 500 lines); jobs, drafts, modals and
/// navigation live in files of their own.
#[test]
fn the_apps_routing_file_stays_small() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app/mod.rs");
    let lines = std::fs::read_to_string(&path).unwrap().lines().count();
    assert!(lines < 500, "src/app/mod.rs has {lines} lines: move a job out to its own file in src/app/");
}
