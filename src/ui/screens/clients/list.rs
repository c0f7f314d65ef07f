//! The client list: pages through thousands of clients, filters by name as you type.

use chrono::{Local, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent};
use nucleo_matcher::{Config, Matcher};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::Message;
use crate::domain::client::Client;
use crate::domain::dates::{format_date, from_db};
use crate::domain::text::{display_safe, fit, width};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::clients::{ClientSort, NameEntry};
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::{filter_key, FilterKey};
use crate::ui::widgets::picker::rank_clients;

/// Rows fetched around the visible window; a terminal never shows more.
const PAGE: usize = 120;

#[derive(Default)]
pub struct ClientListScreen {
    pub ids: Vec<i64>,
    pub selected: usize,
    pub offset: usize,
    page_start: usize,
    page: Vec<Client>,
    pub filter: String,
    pub filtering: bool,
    pub sort: ClientSort,
    pub include_closed: bool,
    name_index: Option<Vec<NameEntry>>,
    matcher: Option<Matcher>,
    /// Visible rows, set from the terminal size before keys are handled.
    pub height: usize,
    stale: bool,
}

impl ClientListScreen {
    pub fn new() -> Self {
        ClientListScreen { height: 15, stale: true, ..Default::default() }
    }

    pub fn selected_id(&self) -> Option<i64> {
        self.ids.get(self.selected).copied()
    }

    pub fn select_id(&mut self, id: i64) {
        if let Some(i) = self.ids.iter().position(|x| *x == id) {
            self.selected = i;
        }
    }

    fn move_by(&mut self, delta: isize) {
        let max = self.ids.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, max.max(0)) as usize;
        self.keep_visible();
    }

    fn keep_visible(&mut self) {
        let h = self.height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + h {
            self.offset = self.selected + 1 - h;
        }
    }

    fn fuzzy_ids(&mut self) -> Vec<i64> {
        let Some(index) = &self.name_index else { return Vec::new() };
        let matcher = self.matcher.get_or_insert_with(|| Matcher::new(Config::DEFAULT));
        let include_closed = self.include_closed;
        rank_clients(index, &self.filter, |e| include_closed || e.open, matcher)
    }

    fn row(&self, i: usize) -> Option<&Client> {
        i.checked_sub(self.page_start).and_then(|j| self.page.get(j))
    }

    pub fn rows_for(area: Rect) -> usize {
        area.height.saturating_sub(4) as usize
    }
}

impl View for ClientListScreen {
    fn title(&self) -> &'static str {
        "Clients"
    }

    fn set_area(&mut self, body: Rect) {
        self.height = Self::rows_for(body);
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::List, Context::Nav, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::Open,
            Action::New,
            Action::Filter,
            Action::Sort,
            Action::ToggleClosed,
            Action::Help,
            Action::Quit,
        ]
    }

    /// True while the filter box takes every key as text.
    fn captures_text(&self) -> bool {
        self.filtering
    }

    /// Marks the list for reloading (a client was added or changed).
    fn select_client(&mut self, id: i64) -> bool {
        self.select_id(id);
        true
    }

    fn invalidate(&mut self) {
        self.stale = true;
        self.name_index = None;
        self.page.clear();
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if self.filtering {
            match filter_key(&mut self.filter, &ev) {
                FilterKey::Cleared => {
                    self.filtering = false;
                    self.stale = true;
                }
                FilterKey::Done => {
                    self.filtering = false;
                    return Handled::Yes(self.selected_id().map(Message::OpenClient).into_iter().collect());
                }
                FilterKey::Typed => self.stale = true,
                FilterKey::Other => match ev.code {
                    KeyCode::Up => self.move_by(-1),
                    KeyCode::Down => self.move_by(1),
                    _ => {}
                },
            }
            return Handled::Yes(vec![]);
        }
        let Some(action) = lookup(&[Context::List, Context::Nav], &ev) else { return Handled::No };
        let page = self.height.max(1) as isize;
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-page),
            Action::PageDown => self.move_by(page),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = self.ids.len().saturating_sub(1),
            Action::Open => {
                return Handled::Yes(self.selected_id().map(Message::OpenClient).into_iter().collect())
            }
            Action::New => return Handled::Yes(vec![Message::NewIntake]),
            Action::OpenRetention => {
                return Handled::Yes(vec![Message::Close(crate::app::message::CloseMsg::OpenRetention)])
            }
            Action::Filter => self.filtering = true,
            Action::Sort => {
                self.sort = self.sort.next();
                self.stale = true;
            }
            Action::ToggleClosed => {
                self.include_closed = !self.include_closed;
                self.stale = true;
            }
            Action::Back if !self.filter.is_empty() => {
                self.filter.clear();
                self.stale = true;
            }
            _ => return Handled::No,
        }
        self.keep_visible();
        Handled::Yes(vec![])
    }

    /// Loads what the next frame needs: the id order (when stale) and the visible page.
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        let store = ctx.store;
        if self.stale {
            let keep = self.selected_id();
            if self.filter.trim().is_empty() {
                self.ids = store.client_ids(self.include_closed, self.sort)?;
            } else {
                if self.name_index.is_none() {
                    self.name_index = Some(store.name_index()?);
                }
                self.ids = self.fuzzy_ids();
            }
            self.stale = false;
            self.page.clear();
            self.selected = 0;
            self.offset = 0;
            if self.filter.trim().is_empty() {
                if let Some(id) = keep {
                    self.select_id(id);
                }
            }
            self.selected = self.selected.min(self.ids.len().saturating_sub(1));
            self.keep_visible();
        }
        let need_end = (self.offset + self.height).min(self.ids.len());
        let cached = self.offset >= self.page_start && need_end <= self.page_start + self.page.len();
        if !cached && !self.ids.is_empty() {
            self.page_start = self.offset.saturating_sub(PAGE / 4);
            let end = (self.page_start + PAGE).min(self.ids.len());
            self.page = store.clients_by_ids(&self.ids[self.page_start..end])?;
        }
        Ok(())
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, today: NaiveDate) {
        let scope = match (self.include_closed, self.ids.len()) {
            (true, 1) => "case",
            (true, _) => "cases (open and closed)",
            (false, 1) => "open case",
            (false, _) => "open cases",
        };
        let title = format!(" Clients — {} {}, sorted by {} ", self.ids.len(), scope, self.sort.label());
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);

        let filter_line = if self.filtering || !self.filter.is_empty() {
            Line::from(vec![
                Span::styled("Filter: ", theme::key()),
                Span::styled(display_safe(&self.filter).into_owned(), theme::input_focused()),
                Span::styled(if self.filtering { "▏ (Enter opens, Esc clears)" } else { "" }, theme::dim()),
            ])
        } else {
            Line::from(Span::styled(
                format!(
                    "Press {} to find a client by name, C-number or phone; {} for a new client.",
                    key_label(Context::List, Action::Filter),
                    key_label(Context::List, Action::New)
                ),
                theme::dim(),
            ))
        };
        let w = inner.width as usize;
        let visible = self.offset..(self.offset + self.height).min(self.ids.len());
        // the flags are never cut: their column is as wide as the widest of the page loaded
        // (steady while scrolling), and the name gives way
        let flags_w = self.page.iter().map(|c| width(&c.short_flags())).max();
        let flags_w = flags_w.unwrap_or(0).max(width("Flags"));
        let name_w = w.saturating_sub(2 + 7 + 1 + 1 + 4 + 1 + 7 + 1 + 12 + 1 + flags_w).max(10);
        let header = Line::from(Span::styled(
            format!(
                "  {:<7} {:<name_w$} {:>4} {:<7} {:<12} {}",
                "Ref", "Name", "Age", "Status", "Last contact", "Flags"
            ),
            theme::title(),
        ));
        let mut lines = vec![filter_line, header];
        if self.ids.is_empty() {
            lines.push(Line::from(""));
            let msg = if self.filter.is_empty() {
                format!(
                    "No clients yet. Press {} to take in your first client.",
                    key_label(Context::List, Action::New)
                )
            } else {
                "No client matches that name, number or phone.".to_string()
            };
            lines.push(Line::from(Span::styled(msg, theme::dim())));
        }
        for i in visible {
            let Some(c) = self.row(i) else { continue };
            let name = fit(&display_safe(&c.display_name()), name_w);
            let pad = name_w.saturating_sub(width(&name));
            let last = c
                .last_contact_at
                .as_deref()
                .and_then(from_db)
                .map(|t| format_date(t.with_timezone(&Local).date_naive()))
                .unwrap_or_else(|| "never".into());
            let flags = c.short_flags();
            let marker = if i == self.selected { "▶ " } else { "  " };
            let text = format!(
                "{marker}{:<7} {}{} {:>4} {:<7} {:<12} {}",
                c.reference,
                name,
                " ".repeat(pad),
                c.age_text(today),
                c.status.as_str(),
                last,
                flags
            );
            let style = if i == self.selected { theme::selected() } else { ratatui::style::Style::default() };
            lines.push(Line::from(Span::styled(text, style)));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
