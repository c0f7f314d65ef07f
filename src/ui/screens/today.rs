//! Today: what needs the practitioner now, most urgent first. The screen caseload opens on.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::Message;
use crate::domain::due::{DueCount, DueItem, Target, Urgency};
use crate::domain::text::{display_safe, fit, width};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::due::DueContext;
use crate::store::Result;
use crate::ui::acts::Act;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::ListCursor;

pub struct TodayScreen {
    pub items: Vec<DueItem>,
    pub cursor: ListCursor,
    /// How many of the most urgent items are loaded; more as the cursor nears the end.
    limit: usize,
    /// Some rule had more items than loaded.
    more: bool,
    /// How many items there are in all (not the page), counted by the rules.
    count: DueCount,
    stale: bool,
    /// Settings has no name to sign with yet: a line at the foot of the list offers to add one.
    needs_name: bool,
}

/// Items loaded at first: a screenful many times over, cheap at any caseload size.
const FIRST_PAGE: usize = 300;

impl TodayScreen {
    pub fn new() -> Self {
        TodayScreen {
            items: Vec::new(),
            cursor: ListCursor::default(),
            limit: FIRST_PAGE,
            more: false,
            count: DueCount::default(),
            stale: true,
            needs_name: false,
        }
    }
}

impl Default for TodayScreen {
    fn default() -> Self {
        Self::new()
    }
}

impl TodayScreen {
    pub fn rows_for(area: Rect) -> usize {
        area.height.saturating_sub(2) as usize
    }
}

impl View for TodayScreen {
    fn title(&self) -> &'static str {
        "Today"
    }

    fn set_area(&mut self, body: Rect) {
        self.cursor.height = Self::rows_for(body);
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Today, Context::Nav, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::Open,
            Action::FollowUpDone,
            Action::GoClients,
            Action::QuickNote,
            Action::Find,
            Action::Help,
            Action::Quit,
        ]
    }

    fn invalidate(&mut self) {
        self.stale = true;
    }

    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        let (store, now, today, settings) = (ctx.store, ctx.now, ctx.today, ctx.settings);
        self.needs_name = settings.practitioner_name.trim().is_empty();
        // nearing the end of what is loaded: load twice as many
        if self.more && self.cursor.selected + self.cursor.height * 2 >= self.items.len() {
            self.limit *= 2;
            self.stale = true;
        }
        if self.stale {
            let ctx = DueContext { now, today, settings };
            let (items, _) = store.due_items_limited(&ctx, Some(self.limit))?;
            self.count = store.due_count(&ctx)?;
            self.more = self.count.items > items.len();
            self.items = items;
            self.stale = false;
            self.cursor.clamp(self.items.len());
        }
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Today, Context::Nav], &ev) else { return Handled::No };
        if self.cursor.apply(action, self.items.len()) {
            return Handled::Yes(vec![]);
        }
        let item = self.items.get(self.cursor.selected);
        match action {
            Action::SetName => Handled::Yes(vec![Message::AskName]),
            Action::Open => {
                Handled::Yes(item.map(|i| open_message(&i.target, i.client_id)).into_iter().collect())
            }
            Action::FollowUpDone => match item {
                Some(i) if done_act(i.rule, 0).is_some() => {
                    match i.record_id.and_then(|id| done_act(i.rule, id)) {
                        Some(act) => Handled::Act(act),
                        None => Handled::Yes(vec![]),
                    }
                }
                Some(_) => Handled::Yes(vec![Message::Status(format!(
                    "{} marks follow-ups and action items done; open this item ({}) to deal with it.",
                    key_label(Context::Today, Action::FollowUpDone),
                    key_label(Context::Nav, Action::Open)
                ))]),
                None => Handled::Yes(vec![]),
            },
            _ => Handled::No,
        }
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, today: NaiveDate) {
        // the true counts, also when only the most urgent page is loaded
        let title = format!(
            " Today, {} — {}, {} overdue or urgent ",
            today.format("%A %-d %B"),
            crate::domain::words::count(self.count.items, "item", "items"),
            self.count.urgent,
        );
        let mut block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        if self.needs_name {
            // offered, never in the way: the list is all there, the key is at its foot
            block = block.title_bottom(Span::styled(
                format!(
                    " {} add your name: signatures and closing summaries need it ",
                    key_label(Context::Today, Action::SetName)
                ),
                theme::warn(),
            ));
        }
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let mut lines = Vec::new();
        if self.items.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled("Nothing needs you right now.", theme::dim())));
            lines.push(Line::from(Span::styled(
                "Follow-ups, unsigned notes, drafts and quiet cases appear here.",
                theme::dim(),
            )));
            lines.push(Line::from(Span::styled(
                format!("Press {} for the client list.", key_label(Context::Global, Action::GoClients)),
                theme::dim(),
            )));
        }
        let w = inner.width as usize;
        let name_w = 22usize;
        let title_w = w.saturating_sub(2 + 8 + 1 + 7 + 1 + name_w + 1);
        for i in self.cursor.visible(self.items.len()) {
            let it = &self.items[i];
            let selected = i == self.cursor.selected;
            let marker_style = match it.urgency {
                Urgency::Safety => theme::flag(),
                Urgency::Overdue => theme::error(),
                Urgency::DueToday => theme::warn(),
                _ => theme::dim(),
            };
            let name = fit(&display_safe(&it.client_name), name_w);
            let pad = name_w.saturating_sub(width(&name));
            let row_style = if selected { theme::selected() } else { Style::default() };
            lines.push(Line::from(vec![
                Span::styled(if selected { "▶ " } else { "  " }, row_style),
                Span::styled(format!("{:<8}", it.urgency.marker()), marker_style),
                Span::styled(
                    format!(
                        " {:<7} {}{} {}",
                        it.client_ref.as_deref().unwrap_or(""),
                        name,
                        " ".repeat(pad),
                        fit(&display_safe(&it.title), title_w)
                    ),
                    row_style,
                ),
            ]));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// The message that opens what a Today line is about.
/// What `x` does to an item of this Today rule: the follow-ups and action items it marks done.
fn done_act(rule: &str, id: i64) -> Option<Act> {
    Some(match rule {
        "follow-up" => Act::FollowUpDone(id),
        "action-item" => Act::ActionDone(id),
        "closure-follow-up" => Act::ClosureFollowUpDone(id),
        "transition" => Act::TransitionDone(id),
        "consent-withdrawn" => Act::RelianceTold(id),
        _ => return None,
    })
}

pub fn open_message(target: &Target, client_id: Option<i64>) -> Message {
    match target {
        Target::Client(_) => client_id.map(Message::OpenClient).unwrap_or(Message::GoClients),
        Target::Note(r) => match crate::domain::note::parse_note_ref(r) {
            Some(id) => Message::OpenNote(id),
            None => Message::GoClients,
        },
        Target::Draft(key) => Message::ResumeDraft(key.clone()),
        other => match other.record() {
            Some((kind, id)) => Message::OpenRecord { kind, id },
            None => client_id.map(Message::OpenClient).unwrap_or(Message::GoClients),
        },
    }
}
