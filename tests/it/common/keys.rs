//! Key scripts: a screen test reads as the keys a person presses,
//! `keys(&mut app, "c<enter>w<tab>hello<s-tab><c-s><esc>")`.
//!
//! Each character stands for itself (a space too). `<…>` names a key: `<enter>` `<esc>` `<tab>`
//! `<s-tab>` (also `<backtab>`) `<bs>` `<del>` `<up>` `<down>` `<left>` `<right>` `<home>`
//! `<end>` `<pgup>` `<pgdn>` `<space>` `<f1>`…`<f12>`, and `<lt>` for a `<` itself. `c-`, `a-`
//! and `s-` in front add Ctrl, Alt and Shift: `<c-s>`, `<a-x>`, `<s-up>`, `<c-a-x>`.
//!
//! The events are the ones crossterm reads from a terminal for those keys: a capital letter
//! comes with Shift, Shift-Tab is BackTab with Shift.

use caseload::app::App;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// Presses the keys of `script`, one event each, as the app would get them from a terminal.
pub fn keys(app: &mut App, script: &str) {
    for ev in parse_keys(script) {
        app.handle_event(Event::Key(ev));
    }
}

/// The key events of a script; an unknown `<name>` panics with the script.
pub fn parse_keys(script: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let end = rest.find('>').unwrap_or_else(|| panic!("unclosed < in key script {script:?}"));
            out.push(named(&rest[1..end], script));
            rest = &rest[end + 1..];
        } else {
            out.push(typed(c, KeyModifiers::NONE));
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn typed(c: char, mods: KeyModifiers) -> KeyEvent {
    let shift = if c.is_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    KeyEvent::new(KeyCode::Char(c), mods | shift)
}

fn named(name: &str, script: &str) -> KeyEvent {
    let mut mods = KeyModifiers::NONE;
    let mut base = name;
    loop {
        let flag = match base.get(..2) {
            Some("c-") => KeyModifiers::CONTROL,
            Some("a-") => KeyModifiers::ALT,
            Some("s-") => KeyModifiers::SHIFT,
            _ => break,
        };
        mods |= flag;
        base = &base[2..];
    }
    let code = match base {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
        "tab" => KeyCode::Tab,
        "backtab" => {
            mods |= KeyModifiers::SHIFT;
            KeyCode::BackTab
        }
        "bs" => KeyCode::Backspace,
        "del" => KeyCode::Delete,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" => KeyCode::PageUp,
        "pgdn" => KeyCode::PageDown,
        "space" => return typed(' ', mods),
        "lt" => return typed('<', mods),
        f if f.len() > 1 && f.starts_with('f') => match f[1..].parse::<u8>() {
            Ok(n @ 1..=12) => KeyCode::F(n),
            _ => unknown(name, script),
        },
        one => match one.chars().collect::<Vec<_>>()[..] {
            // a capital says Shift itself: <c-x>, never <s-x>
            [c] if !mods.contains(KeyModifiers::SHIFT) => return typed(c, mods),
            _ => unknown(name, script),
        },
    };
    KeyEvent::new(code, mods)
}

fn unknown(name: &str, script: &str) -> ! {
    panic!("unknown key <{name}> in key script {script:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn a_key_script_reads_as_a_terminal_sends_it() {
        let none = KeyModifiers::NONE;
        assert_eq!(
            parse_keys("cG <enter><s-tab><backtab><c-s><a-x><s-up><lt>><f1><space><c-a-x>"),
            [
                ev(KeyCode::Char('c'), none),
                ev(KeyCode::Char('G'), KeyModifiers::SHIFT),
                ev(KeyCode::Char(' '), none),
                ev(KeyCode::Enter, none),
                ev(KeyCode::BackTab, KeyModifiers::SHIFT),
                ev(KeyCode::BackTab, KeyModifiers::SHIFT),
                ev(KeyCode::Char('s'), KeyModifiers::CONTROL),
                ev(KeyCode::Char('x'), KeyModifiers::ALT),
                ev(KeyCode::Up, KeyModifiers::SHIFT),
                ev(KeyCode::Char('<'), none),
                ev(KeyCode::Char('>'), none),
                ev(KeyCode::F(1), none),
                ev(KeyCode::Char(' '), none),
                ev(KeyCode::Char('x'), KeyModifiers::CONTROL | KeyModifiers::ALT),
            ]
        );
        assert_eq!(parse_keys("Zoë 王"), "Zoë 王".chars().map(|c| typed(c, none)).collect::<Vec<_>>());
    }

    #[test]
    #[should_panic(expected = "unknown key <return>")]
    fn an_unknown_key_name_is_an_error_in_the_test() {
        parse_keys("<return>");
    }
}
