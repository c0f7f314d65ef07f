//! Choosing a client by typing part of a name (fuzzy, accents ignored), and a directory
//! service by typing what it offers.

use crossterm::event::KeyEvent;
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use chrono::NaiveDate;

use crate::domain::client::{client_ref, parse_client_ref, phone_digits};
use crate::domain::dates::age_on;
use crate::domain::directory::Verification;
use crate::domain::text::{display_safe, fit, name_key, quote, width};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::clients::{NameEntry, PickerEntry};
use crate::store::directory::ServiceSummary;
use crate::store::{Result, Store};
use crate::ui::theme;
use crate::ui::widgets::list::edit_query;
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
            _ => {
                if edit_query(&mut self.query, &ev, 100) {
                    self.refilter();
                }
            }
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

/// How many services the service picker lists for what was typed.
const SERVICE_MATCHES: usize = 12;

/// True for a service that is running (its status is "active", or was never given).
pub fn service_running(status: &str) -> bool {
    status == "active" || status.trim().is_empty()
}

/// How a chosen service shows in a form's field: its reference, name, organisation and town,
/// and its status when it is not active.
pub fn service_label(s: &ServiceSummary) -> String {
    let mut label = format!("{} {}", s.reference, s.name);
    if !service_running(&s.status) {
        label.push_str(&format!(" ({})", s.status.to_uppercase()));
    }
    let place: Vec<&str> =
        [s.organisation.as_str(), s.town.as_str()].into_iter().filter(|x| !x.is_empty()).collect();
    if !place.is_empty() {
        label.push_str(&format!(" — {}", place.join(", ")));
    }
    fit(&display_safe(&label), 70)
}

/// When a service's details were last checked, as the picker says it.
fn verified_words(s: &ServiceSummary, today: NaiveDate) -> String {
    match (s.verification(today), s.last_verified_on) {
        (Verification::Current, Some(d)) => format!("verified {}", d.format("%Y-%m-%d")),
        (_, Some(d)) => format!("unverified since {}", d.format("%Y-%m-%d")),
        _ => "never verified".to_string(),
    }
}

/// Choosing a directory service by what it offers: what is typed is searched as the directory
/// screen searches (names, need categories, taxonomy terms and their synonyms, places), and
/// each match shows its name, organisation, town, status and when it was verified. Choosing a
/// service that is not active asks first.
pub struct ServicePicker {
    pub title: String,
    pub query: String,
    pub matches: Vec<ServiceSummary>,
    pub selected: usize,
    /// The match (by index) that is not active, while the picker asks whether to refer to it.
    pub asking: Option<usize>,
    today: NaiveDate,
    /// The query changed since the matches were read.
    stale: bool,
}

impl ServicePicker {
    /// A picker whose search starts with `query` (the first letter typed into the field).
    pub fn new(title: &str, query: &str, today: NaiveDate) -> Self {
        ServicePicker {
            title: title.into(),
            query: query.chars().filter(|c| !c.is_control()).take(100).collect(),
            matches: Vec::new(),
            selected: 0,
            asking: None,
            today,
            stale: true,
        }
    }

    /// Reads the matches for the query, when it changed: by name with nothing typed.
    pub fn refresh(&mut self, store: &Store) -> Result<()> {
        if !self.stale {
            return Ok(());
        }
        self.stale = false;
        self.selected = 0;
        self.matches = if self.query.trim().is_empty() {
            store.services_page(0, SERVICE_MATCHES)?
        } else {
            store.search_directory(&self.query, true, SERVICE_MATCHES)?
        };
        Ok(())
    }

    /// The field's label for a match.
    pub fn label_of(&self, id: i64) -> Option<String> {
        self.matches.iter().find(|s| s.id == id).map(service_label)
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> PickerOutcome {
        if let Some(i) = self.asking {
            match lookup(&[Context::InactiveService], &ev) {
                Some(Action::Yes) => {
                    self.asking = None;
                    return self
                        .matches
                        .get(i)
                        .map(|s| PickerOutcome::Chosen(s.id))
                        .unwrap_or(PickerOutcome::Pending);
                }
                Some(Action::No) => self.asking = None,
                _ => {}
            }
            return PickerOutcome::Pending;
        }
        match lookup(&[Context::ServicePicker], &ev) {
            Some(Action::Open) => match self.matches.get(self.selected) {
                Some(s) if !service_running(&s.status) => self.asking = Some(self.selected),
                Some(s) => return PickerOutcome::Chosen(s.id),
                None => {}
            },
            Some(Action::Back) => return PickerOutcome::Cancelled,
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(self.matches.len().saturating_sub(1))
            }
            _ => {
                if edit_query(&mut self.query, &ev, 100) {
                    self.stale = true;
                }
            }
        }
        PickerOutcome::Pending
    }

    /// Organisation · town · when it was verified.
    fn place_line(&self, s: &ServiceSummary) -> String {
        let mut parts: Vec<String> = [&s.organisation, &s.town]
            .into_iter()
            .filter(|x| !x.is_empty())
            .map(|x| display_safe(x).into_owned())
            .collect();
        parts.push(verified_words(s, self.today));
        parts.join(" · ")
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect) {
        let modal_w = area.width.saturating_sub(2).min(100);
        let row = usize::from(modal_w.saturating_sub(4));
        let mut lines = vec![
            Line::from(vec![
                Span::styled("Service: ", theme::key()),
                Span::styled(display_safe(&self.query).into_owned(), theme::input_focused()),
                Span::styled("▏", theme::dim()),
            ]),
            Line::from(""),
        ];
        if let Some(s) = self.asking.and_then(|i| self.matches.get(i)) {
            let question = format!(
                "{} is {} — refer to it anyway? ({} yes / {} no)",
                quote(&s.name),
                display_safe(&s.status),
                key_label(Context::InactiveService, Action::Yes),
                key_label(Context::InactiveService, Action::No)
            );
            for l in crate::domain::text::wrap(&question, row.max(20)) {
                lines.push(Line::from(Span::styled(l, theme::warn())));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(fit(&self.place_line(s), row), theme::dim())));
            modal::render(frame, area, &self.title, lines, modal_w);
            return;
        }
        if self.matches.is_empty() {
            let said = if self.query.trim().is_empty() {
                format!(
                    "The directory is empty: {} opens it to add or import services.",
                    key_label(Context::Global, Action::GoDirectory)
                )
            } else {
                "No service matches. Try what it offers (food, housing) or a town.".to_string()
            };
            lines.push(Line::from(Span::styled(said, theme::dim())));
        }
        // two lines a match; as many as fit, the selected one always among them
        let fit_rows = usize::from(area.height.saturating_sub(2 + 2 + 4)) / 2;
        let shown = fit_rows.max(1);
        let first = self.selected.saturating_sub(shown.saturating_sub(1));
        for (i, s) in self.matches.iter().enumerate().skip(first).take(shown) {
            let sel = i == self.selected;
            let running = service_running(&s.status);
            let status = if running { "active".to_string() } else { s.status.to_uppercase() };
            let head = format!("{}{}  ", if sel { "▶ " } else { "  " }, s.reference);
            let name_w = row.saturating_sub(width(&head) + width(&status) + 2).max(10);
            let name = fit(&display_safe(&s.name), name_w);
            let pad = " ".repeat(row.saturating_sub(width(&head) + width(&name) + width(&status)));
            let base = if sel { theme::selected() } else { ratatui::style::Style::default() };
            lines.push(Line::from(vec![
                Span::styled(format!("{head}{name}{pad}"), base),
                Span::styled(status, if running { theme::dim() } else { theme::warn() }),
            ]));
            lines.push(Line::from(Span::styled(
                fit(&format!("          {}", self.place_line(s)), row),
                theme::dim(),
            )));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "Type what it offers, a name or a town · Enter choose · Esc cancel",
            theme::dim(),
        )));
        modal::render(frame, area, &self.title, lines, modal_w);
    }
}
