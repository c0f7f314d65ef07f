//! Choosing a client by typing part of a name (fuzzy, accents ignored).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::domain::text::{display_safe, fit, name_key};
use crate::keymap::{lookup, Action, Context};
use crate::store::clients::NameEntry;
use crate::ui::theme;
use crate::ui::widgets::modal;

pub struct ClientPicker {
    pub title: String,
    pub query: String,
    index: Vec<NameEntry>,
    /// (id, display name) of the best matches.
    pub matches: Vec<(i64, String)>,
    pub selected: usize,
    names: std::collections::HashMap<i64, String>,
}

pub enum PickerOutcome {
    Pending,
    Chosen(i64),
    Cancelled,
}

impl ClientPicker {
    /// `index` are open clients' name keys; `names` their display names.
    pub fn new(title: &str, index: Vec<NameEntry>, names: std::collections::HashMap<i64, String>) -> Self {
        let mut p = ClientPicker {
            title: title.into(),
            query: String::new(),
            index,
            matches: Vec::new(),
            selected: 0,
            names,
        };
        p.refilter();
        p
    }

    fn refilter(&mut self) {
        let q = name_key(&self.query);
        let mut scored: Vec<(u32, i64)> = if q.is_empty() {
            self.index.iter().filter(|e| e.open).map(|e| (0, e.id)).collect()
        } else {
            let mut matcher = Matcher::new(Config::DEFAULT);
            let pattern = Pattern::new(&q, CaseMatching::Ignore, Normalization::Smart, AtomKind::Fuzzy);
            let mut buf = Vec::new();
            self.index
                .iter()
                .filter(|e| e.open)
                .filter_map(|e| {
                    pattern.score(Utf32Str::new(&e.key, &mut buf), &mut matcher).map(|s| (s, e.id))
                })
                .collect()
        };
        scored.sort_by_key(|s| std::cmp::Reverse(s.0));
        self.matches = scored
            .into_iter()
            .take(12)
            .map(|(_, id)| (id, self.names.get(&id).cloned().unwrap_or_default()))
            .collect();
        self.selected = 0;
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> PickerOutcome {
        match lookup(&[Context::Picker], &ev) {
            Some(Action::Open) => {
                return self
                    .matches
                    .get(self.selected)
                    .map(|m| PickerOutcome::Chosen(m.0))
                    .unwrap_or(PickerOutcome::Pending)
            }
            Some(Action::Back) => return PickerOutcome::Cancelled,
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(self.matches.len().saturating_sub(1))
            }
            _ => match ev.code {
                KeyCode::Backspace => {
                    self.query.pop();
                    self.refilter();
                }
                KeyCode::Char(c)
                    if !ev.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                        && !c.is_control()
                        && self.query.chars().count() < 100 =>
                {
                    self.query.push(c);
                    self.refilter();
                }
                _ => {}
            },
        }
        PickerOutcome::Pending
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect) {
        let mut lines = vec![
            Line::from(vec![
                Span::styled("Client: ", theme::key()),
                Span::styled(display_safe(&self.query).into_owned(), theme::input_focused()),
                Span::styled("▏", theme::dim()),
            ]),
            Line::from(""),
        ];
        if self.matches.is_empty() {
            lines.push(Line::from(Span::styled("No open client matches.", theme::dim())));
        }
        for (i, (id, name)) in self.matches.iter().enumerate() {
            let sel = i == self.selected;
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{}  {}",
                    if sel { "▶ " } else { "  " },
                    crate::domain::client::client_ref(*id),
                    fit(&display_safe(name), 50)
                ),
                if sel { theme::selected() } else { ratatui::style::Style::default() },
            )));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("Type part of a name · Enter choose · Esc cancel", theme::dim())));
        modal::render(frame, area, &self.title, lines, 64);
    }
}
