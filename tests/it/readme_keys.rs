//! The README's key table says what the keymap does. Each row says where (a help section's
//! title, or "lists" for moving around), the keys, and what they do: every key in the Key column
//! is bound there, and every binding of a place the table has rows for is named in those rows,
//! in the Key column or in backticks in what it does ("`Enter` edits the selected step").
//! Moving and scrolling (the "lists" row) and Esc backing out are the same on every screen and
//! written once.

use caseload::keymap::{Action, Context, Key, KEYMAP};
use crossterm::event::{KeyCode, KeyModifiers};

/// A row of the table: where, its keys, the keys its description names, what it does.
struct Row {
    line: usize,
    place: Context,
    keys: Vec<(KeyCode, KeyModifiers)>,
    named: Vec<(KeyCode, KeyModifiers)>,
    text: String,
}

/// The places the README names that are not a help section's title.
const PLACES: &[(&str, Context)] = &[("lists", Context::Nav)];

fn place(name: &str) -> Option<Context> {
    let name = name.to_lowercase();
    PLACES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| *c)
        .or_else(|| KEYMAP.iter().map(|b| b.context).find(|c| c.title().to_lowercase() == name))
}

/// A key as the README writes it (`j`, `Ctrl-S`, `Shift-↑`, `PgUp`), as the keymap writes it.
fn key(token: &str) -> Option<(KeyCode, KeyModifiers)> {
    let named = |s: &str| {
        Some(match s {
            "Enter" => KeyCode::Enter,
            "Esc" => KeyCode::Esc,
            "Tab" => KeyCode::Tab,
            "Backspace" => KeyCode::Backspace,
            "Delete" => KeyCode::Delete,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "PgUp" => KeyCode::PageUp,
            "PgDn" => KeyCode::PageDown,
            "Space" => KeyCode::Char(' '),
            "←" => KeyCode::Left,
            "→" => KeyCode::Right,
            "↑" => KeyCode::Up,
            "↓" => KeyCode::Down,
            f if f.starts_with('F') && f.len() > 1 => KeyCode::F(f[1..].parse().ok()?),
            c if c.chars().count() == 1 => KeyCode::Char(c.chars().next()?),
            _ => return None,
        })
    };
    for (prefix, mods) in [("Ctrl-", KeyModifiers::CONTROL), ("Alt-", KeyModifiers::ALT)] {
        if let Some(rest) = token.strip_prefix(prefix) {
            // Ctrl-S is a letter (written capital, read small); Ctrl-← a named key
            let code = match rest.chars().count() {
                1 if rest.chars().all(char::is_alphabetic) => {
                    KeyCode::Char(rest.to_lowercase().chars().next()?)
                }
                _ => named(rest)?,
            };
            return Some((code, mods));
        }
    }
    // Shift-Tab is BackTab, as the keymap writes it
    if token == "Shift-Tab" {
        return Some((KeyCode::BackTab, KeyModifiers::NONE));
    }
    if let Some(k) = token.strip_prefix("Shift-") {
        return Some((named(k)?, KeyModifiers::SHIFT));
    }
    Some((named(token)?, KeyModifiers::NONE))
}

/// The keys of a Key cell: each `…` in it, and `a`–`b` for a range of digits.
fn cell_keys(cell: &str, line: usize) -> Vec<(KeyCode, KeyModifiers)> {
    let tokens: Vec<&str> = cell.split('`').skip(1).step_by(2).collect();
    let between: Vec<&str> = cell.split('`').step_by(2).skip(1).collect();
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let k = key(t).unwrap_or_else(|| panic!("README line {line}: unknown key `{t}`"));
        if between.get(i).is_some_and(|b| b.trim() == "–") {
            let (from, to) = (t.parse::<u32>().unwrap(), tokens[i + 1].parse::<u32>().unwrap());
            for d in from..to {
                out.push((KeyCode::Char(char::from_digit(d, 10).unwrap()), KeyModifiers::NONE));
            }
        } else {
            out.push(k);
        }
    }
    out
}

fn table() -> Vec<Row> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.lines().position(|l| l == "| Where | Key | What it does |").expect("the key table");
    let mut rows = Vec::new();
    let mut current = None;
    for (i, l) in readme.lines().enumerate().skip(start + 2).take_while(|(_, l)| l.starts_with('|')) {
        let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
        assert_eq!(cells.len(), 3, "README line {}: three cells", i + 1);
        if !cells[0].is_empty() {
            current = Some(place(cells[0]).unwrap_or_else(|| {
                panic!("README line {}: {:?} is not a place in the keymap (Context::title)", i + 1, cells[0])
            }));
        }
        let place = current.unwrap_or_else(|| panic!("README line {}: the first row says where", i + 1));
        // a description also names keys of the screens a row opens (`n` new...), and words (`today`)
        let named = cells[2].split('`').skip(1).step_by(2).filter_map(key).collect();
        let keys = cell_keys(cells[1], i + 1);
        assert!(!keys.is_empty(), "README line {}: no `key` in the Key column", i + 1);
        rows.push(Row { line: i + 1, place, keys, named, text: cells[2].to_string() });
    }
    rows
}

fn same(k: &Key, (code, mods): &(KeyCode, KeyModifiers)) -> bool {
    k.code == *code && k.mods == *mods
}

#[test]
fn every_key_in_the_readme_table_is_bound_where_it_says() {
    let mut wrong = Vec::new();
    for row in table() {
        for k in &row.keys {
            let bound = KEYMAP.iter().any(|b| b.context == row.place && b.keys.iter().any(|bk| same(bk, k)));
            if !bound {
                wrong.push(format!("line {}: {:?} {k:?} ({})", row.line, row.place, row.text));
            }
        }
    }
    assert!(wrong.is_empty(), "README keys the keymap does not bind there:\n{}", wrong.join("\n"));
}

/// Moving and scrolling with the keys of the "lists" row, and Esc backing out, need no row of
/// their own.
fn said_once(b: &caseload::keymap::Binding) -> bool {
    let moves = [Action::Up, Action::Down, Action::PageUp, Action::PageDown, Action::Top, Action::Bottom];
    let nav = |k: &Key| {
        KEYMAP
            .iter()
            .any(|n| n.context == Context::Nav && n.keys.iter().any(|nk| same(nk, &(k.code, k.mods))))
    };
    let esc = |k: &Key| k.code == KeyCode::Esc;
    (moves.contains(&b.action) && b.keys.iter().all(nav))
        || (matches!(b.action, Action::Back | Action::Cancel) && b.keys.iter().all(esc))
}

#[test]
fn every_binding_of_a_place_in_the_readme_table_is_in_it() {
    let rows = table();
    let mut missing = Vec::new();
    for b in KEYMAP.iter().filter(|b| rows.iter().any(|r| r.place == b.context) && !said_once(b)) {
        let listed = rows
            .iter()
            .filter(|r| r.place == b.context)
            .any(|r| r.keys.iter().chain(&r.named).any(|k| b.keys.iter().any(|bk| same(bk, k))));
        if !listed {
            missing.push(format!("{:?}: {} {}", b.context, b.label, b.description));
        }
    }
    assert!(missing.is_empty(), "bindings the README table leaves out:\n{}", missing.join("\n"));
}
