//! The resource directory: every service by name, or ranked matches while you type (name,
//! description, need category, language, town). Entries not checked for a year say so in words.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::Message;
use crate::domain::text::{display_safe, fit, width};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::directory::ServiceSummary;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::{edit_query, ListCursor};

/// Rows fetched around the visible window.
const PAGE: usize = 120;
/// Ranked matches kept while typing; more than anyone reads.
const MATCHES: usize = 500;

#[derive(Default)]
pub struct DirectoryScreen {
    pub ids: Vec<i64>,
    pub cursor: ListCursor,
    pub query: String,
    pub searching: bool,
    /// Only services that are active and were verified in the last year.
    pub only_ready: bool,
    page_start: usize,
    page: Vec<ServiceSummary>,
    stale: bool,
}

impl DirectoryScreen {
    pub fn new() -> Self {
        DirectoryScreen {
            stale: true,
            cursor: ListCursor { height: 15, ..Default::default() },
            ..Default::default()
        }
    }

    pub fn selected_id(&self) -> Option<i64> {
        self.ids.get(self.cursor.selected).copied()
    }

    fn open(&self) -> Vec<Message> {
        self.selected_id().map(Message::OpenService).into_iter().collect()
    }

    fn row(&self, i: usize) -> Option<&ServiceSummary> {
        i.checked_sub(self.page_start).and_then(|j| self.page.get(j))
    }

    pub fn rows_for(area: Rect) -> usize {
        area.height.saturating_sub(4) as usize
    }
}

impl View for DirectoryScreen {
    fn title(&self) -> &'static str {
        "Directory"
    }

    fn set_area(&mut self, body: Rect) {
        self.cursor.height = Self::rows_for(body);
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Directory, Context::Nav, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::Open,
            Action::Filter,
            Action::CycleFilter,
            Action::New,
            Action::Edit,
            Action::Import,
            Action::Help,
            Action::Back,
        ]
    }

    /// True while the search box takes every key as text.
    fn captures_text(&self) -> bool {
        self.searching
    }

    fn invalidate(&mut self) {
        self.stale = true;
        self.page.clear();
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if self.searching {
            match ev.code {
                KeyCode::Esc => {
                    self.searching = false;
                    self.query.clear();
                    self.stale = true;
                }
                KeyCode::Enter => {
                    self.searching = false;
                    return Handled::Yes(self.open());
                }
                KeyCode::Up => {
                    self.cursor.apply(Action::Up, self.ids.len());
                }
                KeyCode::Down => {
                    self.cursor.apply(Action::Down, self.ids.len());
                }
                _ => {
                    if edit_query(&mut self.query, &ev, 200) {
                        self.stale = true;
                    }
                }
            }
            return Handled::Yes(vec![]);
        }
        let Some(action) = lookup(&[Context::Directory, Context::Nav], &ev) else { return Handled::No };
        if self.cursor.apply(action, self.ids.len()) {
            return Handled::Yes(vec![]);
        }
        match action {
            Action::Open => Handled::Yes(self.open()),
            Action::New => Handled::Yes(vec![Message::NewService]),
            Action::Edit => Handled::Yes(self.selected_id().map(Message::EditService).into_iter().collect()),
            Action::Import => Handled::Yes(vec![Message::ImportDirectory]),
            Action::Filter => {
                self.searching = true;
                Handled::Yes(vec![])
            }
            Action::CycleFilter => {
                self.only_ready = !self.only_ready;
                self.stale = true;
                Handled::Yes(vec![])
            }
            Action::Back if !self.query.is_empty() => {
                self.query.clear();
                self.stale = true;
                Handled::Yes(vec![])
            }
            Action::Back => Handled::Yes(vec![Message::Back]),
            _ => Handled::No,
        }
    }

    /// Pasted text joins the search (control characters removed).
    fn paste(&mut self, text: &str) -> bool {
        if self.searching {
            let clean = crate::domain::text::clean_line(text);
            self.query.extend(clean.chars().take(200usize.saturating_sub(self.query.chars().count())));
            self.stale = true;
        }
        false
    }

    /// Loads the id order (when stale) and the visible page.
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        let store = ctx.store;
        if self.stale {
            let keep = self.selected_id();
            self.ids = if self.query.trim().is_empty() {
                store.service_ids()?
            } else {
                store.search_directory_ids(&self.query, true, MATCHES)?
            };
            if self.only_ready {
                self.ids = store.active_and_verified(&self.ids, ctx.today)?;
            }
            self.stale = false;
            self.page.clear();
            self.cursor.selected = 0;
            self.cursor.offset = 0;
            if self.query.trim().is_empty() {
                if let Some(i) = keep.and_then(|id| self.ids.iter().position(|x| *x == id)) {
                    self.cursor.selected = i;
                }
            }
            self.cursor.clamp(self.ids.len());
        }
        let need_end = (self.cursor.offset + self.cursor.height).min(self.ids.len());
        let cached = self.cursor.offset >= self.page_start && need_end <= self.page_start + self.page.len();
        if !cached && !self.ids.is_empty() {
            self.page_start = self.cursor.offset.saturating_sub(PAGE / 4);
            let end = (self.page_start + PAGE).min(self.ids.len());
            self.page = store.service_summaries(&self.ids[self.page_start..end])?;
        }
        Ok(())
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, today: NaiveDate) {
        let mut what = if self.query.trim().is_empty() {
            crate::domain::words::count(self.ids.len(), "service", "services")
        } else {
            format!("{} matching", self.ids.len())
        };
        if self.only_ready {
            what.push_str(", active and verified in the last year only");
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" Resource directory — {what} "), theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let search = if self.searching || !self.query.is_empty() {
            Line::from(vec![
                Span::styled("Search: ", theme::key()),
                Span::styled(display_safe(&self.query).into_owned(), theme::input_focused()),
                Span::styled(if self.searching { "▏ (Enter opens, Esc clears)" } else { "" }, theme::dim()),
            ])
        } else {
            Line::from(Span::styled(
                "/ search by name, need, language or town · n add a service · i import HSDS",
                theme::dim(),
            ))
        };
        let w = inner.width as usize;
        // ref, town and status have fixed widths; the rest is split between service and organisation
        let town_w = if w >= 110 { 18 } else { 12 };
        let flag_w = if w >= 110 { 30 } else { 10 };
        let rest = w.saturating_sub(2 + 7 + 1 + 1 + town_w + 1 + flag_w + 1);
        let name_w = (rest * 11 / 20).max(10);
        let org_w = rest.saturating_sub(name_w + 1).max(8);
        let cell = |s: &str, n: usize| {
            let f = fit(&display_safe(s), n);
            let pad = n.saturating_sub(width(&f));
            format!("{f}{}", " ".repeat(pad))
        };
        let header = Line::from(Span::styled(
            format!(
                "  {:<7} {} {} {} {}",
                "Ref",
                cell("Service", name_w),
                cell("Organisation", org_w),
                cell("Town", town_w),
                "Status"
            ),
            theme::title(),
        ));
        let mut lines = vec![search, header];
        if self.ids.is_empty() {
            lines.push(Line::from(""));
            let msg = if self.only_ready {
                format!(
                    "No active service verified in the last year {}. Press {} to see them all.",
                    if self.query.trim().is_empty() { "is in the directory" } else { "matches" },
                    key_label(Context::Directory, Action::CycleFilter)
                )
            } else if self.query.trim().is_empty() {
                format!(
                    "The directory is empty. Press {} to import an HSDS file, or {} to add a service.",
                    key_label(Context::Directory, Action::Import),
                    key_label(Context::Directory, Action::New)
                )
            } else {
                "No service matches. Try fewer words, or part of a word.".to_string()
            };
            lines.push(Line::from(Span::styled(msg, theme::dim())));
        }
        for i in self.cursor.visible(self.ids.len()) {
            let Some(s) = self.row(i) else { continue };
            let selected = i == self.cursor.selected;
            // a service that is not running matters more than an old check when room is short
            let verification = s.verification(today).word();
            let running = s.status == "active" || s.status.is_empty();
            let flag = match (running, flag_w >= 30) {
                (true, _) => verification.to_string(),
                (false, true) if !verification.is_empty() => format!("{}, {verification}", s.status),
                (false, _) => s.status.replace("temporarily closed", "closed"),
            };
            let text = format!(
                "{}{:<7} {} {} {} ",
                if selected { "▶ " } else { "  " },
                s.reference,
                cell(&s.name, name_w),
                cell(&s.organisation, org_w),
                cell(&s.town, town_w),
            );
            let style = if selected { theme::selected() } else { Style::default() };
            let flag_style = if selected { theme::selected() } else { theme::warn() };
            lines.push(Line::from(vec![
                Span::styled(text, style),
                Span::styled(fit(&flag, flag_w), flag_style),
            ]));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
