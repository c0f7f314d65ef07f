//! Styles. Colour is never the only signal (markers and words carry meaning too), and with
//! `NO_COLOR` set only bold, underline and reverse are used.

use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::style::{Color, Modifier, Style};

static NO_COLOR: AtomicBool = AtomicBool::new(false);

/// Reads `NO_COLOR` once at start-up.
pub fn init_from_env() {
    let off = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    NO_COLOR.store(off, Ordering::Relaxed);
}

fn color(c: Color) -> Style {
    if NO_COLOR.load(Ordering::Relaxed) {
        Style::default()
    } else {
        Style::default().fg(c)
    }
}

pub fn title() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
pub fn focused() -> Style {
    color(Color::Cyan).add_modifier(Modifier::BOLD)
}
pub fn input() -> Style {
    Style::default().add_modifier(Modifier::UNDERLINED)
}
pub fn input_focused() -> Style {
    color(Color::Cyan).add_modifier(Modifier::UNDERLINED)
}
pub fn error() -> Style {
    color(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn warn() -> Style {
    color(Color::Yellow).add_modifier(Modifier::BOLD)
}
pub fn ok() -> Style {
    color(Color::Green)
}
pub fn dim() -> Style {
    if NO_COLOR.load(Ordering::Relaxed) {
        Style::default()
    } else {
        Style::default().add_modifier(Modifier::DIM)
    }
}
pub fn selected() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}
pub fn key() -> Style {
    color(Color::Cyan).add_modifier(Modifier::BOLD)
}
pub fn flag() -> Style {
    color(Color::Red).add_modifier(Modifier::BOLD | Modifier::REVERSED)
}
