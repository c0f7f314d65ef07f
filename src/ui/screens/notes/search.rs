//! Search as you type across the whole record (one client's or everyone's): notes, assessments,
//! goals and their steps, referrals, people..., ranked, hits highlighted.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::Message;
use crate::domain::dates::Stamp;
use crate::domain::record::RecordKind;
use crate::domain::search::snippet_runs;
use crate::domain::text::{display_safe, fit, width};
use crate::keymap::{lookup, Action, Context};
use crate::store::search::{SearchFilter, SearchHit};
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::{edit_query, ListCursor};

pub struct SearchScreen {
    pub client_id: Option<i64>,
    pub query: String,
    pub hits: Vec<SearchHit>,
    pub cursor: ListCursor,
    stale: bool,
}

impl SearchScreen {
    pub fn new(client_id: Option<i64>) -> Self {
        SearchScreen {
            client_id,
            query: String::new(),
            hits: Vec::new(),
            cursor: ListCursor::default(),
            stale: false,
        }
    }
}

impl View for SearchScreen {
    fn title(&self) -> &'static str {
        "Search"
    }

    fn set_area(&mut self, body: Rect) {
        self.cursor.height = (body.height.saturating_sub(4) / 2) as usize;
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Search]
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Open, Action::Up, Action::Down, Action::Back]
    }

    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        let store = ctx.store;
        if self.stale {
            let filter = SearchFilter { client_id: self.client_id, prefix_last: true, ..Default::default() };
            self.hits = store.search(&self.query, &filter, 200)?;
            self.cursor.selected = 0;
            self.cursor.offset = 0;
            self.stale = false;
        }
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if let Some(action) = lookup(&[Context::Search], &ev) {
            if self.cursor.apply(action, self.hits.len()) {
                return Handled::Yes(vec![]);
            }
            return match action {
                Action::Open => {
                    Handled::Yes(self.hits.get(self.cursor.selected).map(open_hit).into_iter().collect())
                }
                Action::Back => Handled::Yes(vec![Message::Back]),
                _ => Handled::Yes(vec![]),
            };
        }
        if edit_query(&mut self.query, &ev, 200) {
            self.stale = true;
        }
        Handled::Yes(vec![])
    }

    /// Pasted text joins the query (control characters removed).
    fn paste(&mut self, text: &str) -> bool {
        let clean = crate::domain::text::clean_line(text);
        self.query.extend(clean.chars().take(200usize.saturating_sub(self.query.chars().count())));
        self.stale = true;
        false
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        // notes, assessments, goals and their steps, referrals, people...: the whole record
        let scope = if self.client_id.is_some() { "this client's whole record" } else { "the whole record" };
        let title = format!(" Search {scope} — {} found ", self.hits.len());
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let mut lines = vec![
            Line::from(vec![
                Span::styled("Find: ", theme::key()),
                Span::styled(display_safe(&self.query).into_owned(), theme::input_focused()),
                Span::styled("▏", theme::dim()),
            ]),
            Line::from(""),
        ];
        if self.hits.is_empty() && !self.query.trim().is_empty() {
            lines.push(Line::from(Span::styled("Nothing in the record contains those words.", theme::dim())));
        } else if self.query.trim().is_empty() {
            lines.push(Line::from(Span::styled(
                "Type words; \"quoted phrases\" and word* work too. Enter opens what was found.",
                theme::dim(),
            )));
        }
        let w = inner.width as usize;
        let mut cursor = self.cursor;
        cursor.height = (inner.height.saturating_sub(2) / 2) as usize;
        for i in cursor.visible(self.hits.len()) {
            let h = &self.hits[i];
            let selected = i == self.cursor.selected;
            let style = if selected { theme::selected() } else { Style::default() };
            let when = h.occurred_at.map(Stamp::local).unwrap_or_default();
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{:<8} {:<7} {}  {}",
                    if selected { "▶ " } else { "  " },
                    h.reference,
                    h.client.as_deref().unwrap_or(""),
                    when,
                    fit(&display_safe(&h.client_name), 30)
                ),
                style,
            )));
            let mut spans = vec![Span::raw("    ")];
            let mut used = 4;
            for (text, hit) in snippet_runs(&h.snippet) {
                let text = display_safe(&text).into_owned();
                let room = w.saturating_sub(used);
                if room == 0 {
                    break;
                }
                let t = fit(&text, room);
                used += width(&t);
                // a hit is bold and underlined, not only coloured
                spans.push(if hit {
                    Span::styled(t, theme::focused().add_modifier(ratatui::style::Modifier::UNDERLINED))
                } else {
                    Span::raw(t)
                });
            }
            lines.push(Line::from(spans));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

fn open_hit(h: &SearchHit) -> Message {
    if let Some(step) = h.step_id {
        return Message::Plan(crate::app::message::PlanMsg::OpenStep(step));
    }
    match h.kind.record() {
        RecordKind::Note => Message::OpenNote(h.record_id),
        kind if h.client_id.is_some() => Message::OpenRecord { kind, id: h.record_id },
        _ => Message::Back,
    }
}
