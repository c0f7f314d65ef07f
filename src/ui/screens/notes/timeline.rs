//! A client's timeline: everything dated, newest first, filterable by kind, paged by keyset.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::Message;
use crate::domain::dates::format_local;
use crate::domain::text::{display_safe, fit};
use crate::keymap::{lookup, Action, Context};
use crate::store::search::{TimelineEntry, TimelineFilter};
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::ListCursor;

const PAGE: usize = 100;

pub struct TimelineScreen {
    pub client_id: i64,
    pub entries: Vec<TimelineEntry>,
    pub filter: TimelineFilter,
    pub cursor: ListCursor,
    exhausted: bool,
    stale: bool,
}

impl TimelineScreen {
    pub fn new(client_id: i64) -> Self {
        TimelineScreen {
            client_id,
            entries: Vec::new(),
            filter: TimelineFilter::All,
            cursor: ListCursor::default(),
            exhausted: false,
            stale: true,
        }
    }

    pub fn rows_for(area: Rect) -> usize {
        area.height.saturating_sub(2) as usize
    }
}

impl View for TimelineScreen {
    fn title(&self) -> &'static str {
        "Timeline"
    }

    fn set_area(&mut self, body: Rect) {
        self.cursor.height = Self::rows_for(body);
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Timeline, Context::Nav, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Open, Action::CycleFilter, Action::PageDown, Action::Back, Action::Help]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }

    fn invalidate(&mut self) {
        self.stale = true;
    }

    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        let store = ctx.store;
        if self.stale {
            self.entries = store.timeline(self.client_id, self.filter, PAGE, None)?;
            self.exhausted = self.entries.len() < PAGE;
            self.stale = false;
        }
        while !self.exhausted && self.cursor.offset + self.cursor.height * 2 >= self.entries.len() {
            let before = self.entries.last().map(TimelineEntry::page_key);
            let page = store.timeline(self.client_id, self.filter, PAGE, before.as_ref())?;
            self.exhausted = page.len() < PAGE;
            self.entries.extend(page);
        }
        self.cursor.clamp(self.entries.len());
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Timeline, Context::Nav], &ev) else { return Handled::No };
        if self.cursor.apply(action, self.entries.len()) {
            return Handled::Yes(vec![]);
        }
        match action {
            Action::CycleFilter => {
                self.filter = self.filter.next();
                self.cursor = ListCursor { height: self.cursor.height, ..Default::default() };
                self.stale = true;
                Handled::Yes(vec![])
            }
            Action::Open => {
                let e = self.entries.get(self.cursor.selected);
                Handled::Yes(match e {
                    Some(TimelineEntry { record_kind: Some(kind), record_id: Some(id), .. }) => {
                        vec![Message::OpenRecord { kind: *kind, id: *id }]
                    }
                    Some(_) => vec![Message::OpenClient(self.client_id)],
                    None => vec![],
                })
            }
            Action::Back => Handled::Yes(vec![Message::Back]),
            _ => Handled::No,
        }
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let title = format!(" Timeline — {} (v changes) ", self.filter.label());
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let mut lines = Vec::new();
        if self.entries.is_empty() {
            lines.push(Line::from(Span::styled("Nothing recorded yet.", theme::dim())));
        }
        let summary_w = (inner.width as usize).saturating_sub(2 + 17 + 10);
        let mut cursor = self.cursor;
        cursor.height = inner.height as usize;
        for i in cursor.visible(self.entries.len()) {
            let e = &self.entries[i];
            let selected = i == self.cursor.selected;
            let mut style = if selected { theme::selected() } else { Style::default() };
            if e.in_error {
                style = style.add_modifier(Modifier::CROSSED_OUT);
            }
            let kind = if e.in_error { "ERROR" } else { e.kind.as_str() };
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{:<16} {:<9} {}",
                    if selected { "▶ " } else { "  " },
                    format_local(e.occurred_at),
                    fit(&display_safe(kind), 9),
                    fit(&display_safe(&e.summary), summary_w)
                ),
                style,
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
