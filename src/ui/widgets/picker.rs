//! Choosing a client by typing part of a name (fuzzy, accents ignored).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use chrono::NaiveDate;

use crate::domain::client::{client_ref, parse_client_ref, phone_digits};
use crate::domain::dates::age_on;
use crate::domain::text::{display_safe, fit, name_key, width};
use crate::keymap::{lookup, Action, Context};
use crate::store::clients::{NameEntry, PickerEntry};
use crate::ui::theme;
use crate::ui::widgets::modal;

pub struct ClientPicker {
    pub title: String,
    pub query: String,
    index: Vec<NameEntry>,
    /// (id, display name, birth year and age) of the best matches.
    pub matches: Vec<(i64, String, String)>,
    pub selected: usize,
    shown: std::collections::HashMap<i64, (String, String)>,
}

/// How wide a row of the picker is (the modal is two wider).
const ROW_WIDTH: usize = 60;

/// The fewest digits typed before a filter is taken as part of a phone number.
const PHONE_QUERY_DIGITS: usize = 3;

/// The clients a typed filter finds, best first: the client whose reference it is (`C-0019`,
/// `c19`), those whose phone number holds the digits typed (`555 01`), then fuzzy name matches
/// (accents and case ignored). `include` says which entries count (open only, or all).
pub fn rank_clients(
    index: &[NameEntry],
    query: &str,
    include: impl Fn(&NameEntry) -> bool,
    matcher: &mut Matcher,
) -> Vec<i64> {
    let q = name_key(query);
    if q.is_empty() {
        return index.iter().filter(|e| include(e)).map(|e| e.id).collect();
    }
    let mut ids = Vec::new();
    if let Some(id) = parse_client_ref(query) {
        ids.extend(index.iter().filter(|e| e.id == id && include(e)).map(|e| e.id));
    }
    let digits = phone_digits(query);
    let phone_like = digits.len() >= PHONE_QUERY_DIGITS
        && query.trim().chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if phone_like {
        ids.extend(
            index
                .iter()
                .filter(|e| include(e) && e.phone_digits.contains(&digits) && !ids.contains(&e.id))
                .map(|e| e.id)
                .collect::<Vec<_>>(),
        );
        return ids;
    }
    let pattern = Pattern::new(&q, CaseMatching::Ignore, Normalization::Smart, AtomKind::Fuzzy);
    let mut buf = Vec::new();
    let mut hits: Vec<(u32, i64)> = index
        .iter()
        .filter(|e| include(e) && !ids.contains(&e.id))
        .filter_map(|e| pattern.score(Utf32Str::new(&e.key, &mut buf), matcher).map(|s| (s, e.id)))
        .collect();
    // stable: equal scores keep alphabetical order from the index
    hits.sort_by_key(|h| std::cmp::Reverse(h.0));
    ids.extend(hits.into_iter().map(|(_, id)| id));
    ids
}

/// "b. 1988 · 38" (or "b. ~1988 · ~38" for an estimated date): what tells two clients of the
/// same name apart.
pub fn born_label(born: Option<NaiveDate>, estimated: bool, today: NaiveDate) -> String {
    let Some(b) = born else { return String::new() };
    let tilde = if estimated { "~" } else { "" };
    match age_on(b, today) {
        Some(age) => format!("b. {tilde}{} · {tilde}{age}", b.format("%Y")),
        None => format!("b. {tilde}{}", b.format("%Y")),
    }
}

pub enum PickerOutcome {
    Pending,
    Chosen(i64),
    Cancelled,
}

impl ClientPicker {
    /// A picker over open clients (from `Store::picker_entries`); ages are as of `today`.
    pub fn new(title: &str, entries: Vec<PickerEntry>, today: NaiveDate) -> Self {
        let shown = entries
            .iter()
            .map(|e| (e.entry.id, (e.name.clone(), born_label(e.born, e.born_estimated, today))))
            .collect();
        let mut p = ClientPicker {
            title: title.into(),
            query: String::new(),
            index: entries.into_iter().map(|e| e.entry).collect(),
            matches: Vec::new(),
            selected: 0,
            shown,
        };
        p.refilter();
        p
    }

    fn refilter(&mut self) {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let ids = rank_clients(&self.index, &self.query, |e| e.open, &mut matcher);
        self.matches = ids
            .into_iter()
            .take(12)
            .map(|id| {
                let (name, born) = self.shown.get(&id).cloned().unwrap_or_default();
                (id, name, born)
            })
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
        for (i, (id, name, born)) in self.matches.iter().enumerate() {
            let sel = i == self.selected;
            // the birth year and age are never cut: the name gives way
            let reference = client_ref(*id);
            let fixed = 2 + width(&reference) + 2 + 2 + width(born);
            let name = fit(&display_safe(name), ROW_WIDTH.saturating_sub(fixed).max(10));
            let pad = " ".repeat(ROW_WIDTH.saturating_sub(fixed + width(&name)));
            lines.push(Line::from(Span::styled(
                format!("{}{reference}  {name}{pad}  {born}", if sel { "▶ " } else { "  " }),
                if sel { theme::selected() } else { ratatui::style::Style::default() },
            )));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "Type a name, C-number or phone · Enter choose · Esc cancel",
            theme::dim(),
        )));
        modal::render(frame, area, &self.title, lines, ROW_WIDTH as u16 + 4);
    }
}
