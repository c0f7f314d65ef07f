//! Today: what needs the practitioner now, in sections (Safety, today's diary, due now, the
//! backlog collapsed by client and kind). The screen caseload opens on.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::Message;
use std::collections::HashSet;

use crate::domain::due::{arrange, backlog_groups, group_line, DueCount, DueItem, Section, Target, Urgency};
use crate::domain::text::{display_safe, fit, width};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::due::DueContext;
use crate::store::Result;
use crate::ui::acts::Act;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::{filter_key, FilterKey, ListCursor};

/// A line of the list: a section's heading, an item, or a backlog group (one client's items of
/// one kind) shown as one line until opened.
#[derive(Debug, Clone, PartialEq)]
enum Row {
    Heading(Section, usize),
    Item(usize),
    Group { items: std::ops::Range<usize>, open: bool },
}

pub struct TodayScreen {
    /// The loaded items, arranged in sections (`domain::due::arrange`).
    pub items: Vec<(Section, DueItem)>,
    rows: Vec<Row>,
    /// The backlog groups opened with Enter, by client and kind (kept across reloads).
    opened: HashSet<(Option<i64>, &'static str)>,
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
    /// Words a line must hold (client name or reference, or the item's words), typed after `/`.
    filter: String,
    filtering: bool,
    /// One rule's items only (`v` cycles through the rules that have items).
    kind: Option<&'static str>,
}

/// Items loaded at first: a screenful many times over, cheap at any caseload size.
const FIRST_PAGE: usize = 300;

impl TodayScreen {
    pub fn new() -> Self {
        TodayScreen {
            items: Vec::new(),
            rows: Vec::new(),
            opened: HashSet::new(),
            cursor: ListCursor::default(),
            limit: FIRST_PAGE,
            more: false,
            count: DueCount::default(),
            stale: true,
            needs_name: false,
            filter: String::new(),
            filtering: false,
            kind: None,
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

    /// The key of a backlog group: its client and kind.
    fn group_key(&self, items: &std::ops::Range<usize>) -> Option<(Option<i64>, &'static str)> {
        self.items.get(items.start).map(|(_, i)| (i.client_id, i.rule))
    }

    /// Whether an item passes the filter (`/`) and the kind (`v`).
    fn shown(&self, item: &DueItem) -> bool {
        if self.kind.is_some_and(|k| k != item.rule) {
            return false;
        }
        if self.filter.trim().is_empty() {
            return true;
        }
        let hay = format!("{} {} {}", item.client_name, item.client_ref.as_deref().unwrap_or(""), item.title)
            .to_lowercase();
        self.filter.to_lowercase().split_whitespace().all(|w| hay.contains(w))
    }

    fn narrowed(&self) -> bool {
        self.kind.is_some() || !self.filter.trim().is_empty()
    }

    /// The rules that have items, in the order they first appear.
    fn kinds(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for (_, i) in &self.items {
            if !out.contains(&i.rule) {
                out.push(i.rule);
            }
        }
        out
    }

    /// The lines from the arranged items: each non-empty section under its heading, the backlog's
    /// groups collapsed unless opened. Narrowed by a filter or a kind, every item shown is a line.
    fn build_rows(&mut self) {
        let groups = backlog_groups(&self.items);
        let narrowed = self.narrowed();
        let mut rows = Vec::with_capacity(self.items.len() + 4);
        for section in Section::ALL {
            let n = self.items.iter().filter(|(s, i)| *s == section && self.shown(i)).count();
            if n == 0 {
                continue;
            }
            rows.push(Row::Heading(section, n));
            if section == Section::Backlog && !narrowed {
                for g in &groups {
                    if g.len() == 1 {
                        rows.push(Row::Item(g.start));
                        continue;
                    }
                    let open = self.group_key(g).is_some_and(|k| self.opened.contains(&k));
                    rows.push(Row::Group { items: g.clone(), open });
                    if open {
                        rows.extend(g.clone().map(Row::Item));
                    }
                }
            } else {
                rows.extend(
                    self.items
                        .iter()
                        .enumerate()
                        .filter(|(_, (s, i))| *s == section && self.shown(i))
                        .map(|(k, _)| Row::Item(k)),
                );
            }
        }
        self.rows = rows;
    }

    /// The lines again after the filter or the kind changed, the cursor on the first item.
    fn refilter(&mut self) {
        self.build_rows();
        self.cursor.selected = 0;
        self.cursor.offset = 0;
        self.skip_heading(true);
    }

    /// After a move, the cursor never rests on a heading: it goes on in the direction it moved.
    fn skip_heading(&mut self, down: bool) {
        let len = self.rows.len();
        while matches!(self.rows.get(self.cursor.selected), Some(Row::Heading(..))) {
            let next = if down { self.cursor.selected + 1 } else { self.cursor.selected.wrapping_sub(1) };
            if next >= len {
                // nothing selectable that way: try the other
                if !down {
                    self.cursor.selected = 0;
                    return self.skip_heading(true);
                }
                break;
            }
            self.cursor.selected = next;
        }
        // a heading just above the first line stays in view
        if self.cursor.selected == 1 {
            self.cursor.offset = 0;
        }
        self.cursor.keep_visible();
    }

    /// The item under the cursor, if the line is one.
    fn selected_item(&self) -> Option<&DueItem> {
        match self.rows.get(self.cursor.selected) {
            Some(Row::Item(k)) => self.items.get(*k).map(|(_, i)| i),
            _ => None,
        }
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

    fn captures_text(&self) -> bool {
        self.filtering
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::Open,
            Action::FollowUpDone,
            Action::Snooze,
            Action::GoClients,
            Action::QuickNote,
            // search (f) is in help: the footer keeps help and quit in view at 80 columns
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
        if self.more && self.cursor.selected + self.cursor.height * 2 >= self.rows.len() {
            self.limit *= 2;
            self.stale = true;
        }
        if self.stale {
            let ctx = DueContext { now, today, settings, since: None };
            let (mut items, _) = store.due_items_limited(&ctx, Some(self.limit))?;
            // and the page of what is due now, which a long backlog (the most overdue, first in
            // the list) would otherwise crowd out of the first page
            let horizon = chrono::Duration::days(i64::from(settings.overdue_horizon_days));
            let recent = DueContext { since: Some(today - horizon), ..ctx };
            let (now_due, _) = store.due_items_limited(&recent, Some(self.limit))?;
            let key = |i: &DueItem| (i.rule, i.target.reference().to_string(), i.client_id, i.title.clone());
            let mut seen: HashSet<_> = items.iter().map(key).collect();
            items.extend(now_due.into_iter().filter(|i| seen.insert(key(i))));
            self.count = store.due_count(&ctx)?;
            self.more = self.count.items > items.len();
            self.items = arrange(items, today, settings.overdue_horizon_days);
            self.build_rows();
            self.stale = false;
            self.cursor.clamp(self.rows.len());
            self.skip_heading(true);
        }
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if self.filtering {
            if matches!(filter_key(&mut self.filter, &ev), FilterKey::Cleared | FilterKey::Done) {
                self.filtering = false;
            }
            self.refilter();
            return Handled::Yes(vec![]);
        }
        let Some(action) = lookup(&[Context::Today, Context::Nav], &ev) else { return Handled::No };
        match action {
            Action::Filter => {
                self.filtering = true;
                return Handled::Yes(vec![]);
            }
            Action::CycleFilter => {
                let kinds = self.kinds();
                let at = self.kind.and_then(|k| kinds.iter().position(|x| *x == k));
                self.kind = match at {
                    None => kinds.first().copied(),
                    Some(i) => kinds.get(i + 1).copied(),
                };
                self.refilter();
                return Handled::Yes(vec![]);
            }
            Action::Back if self.narrowed() => {
                self.filter.clear();
                self.kind = None;
                self.refilter();
                return Handled::Yes(vec![]);
            }
            _ => {}
        }
        let before = self.cursor.selected;
        if self.cursor.apply(action, self.rows.len()) {
            let down = self.cursor.selected > before || matches!(action, Action::Top);
            self.skip_heading(down);
            return Handled::Yes(vec![]);
        }
        if let (Action::Open, Some(Row::Group { items, open })) =
            (action, self.rows.get(self.cursor.selected))
        {
            // a backlog group opens in place (and closes again)
            let (items, open) = (items.clone(), *open);
            if let Some(key) = self.group_key(&items) {
                if open {
                    self.opened.remove(&key);
                } else {
                    self.opened.insert(key);
                }
            }
            self.build_rows();
            return Handled::Yes(vec![]);
        }
        let item = self.selected_item();
        match action {
            Action::SetName => Handled::Yes(vec![Message::AskName]),
            Action::Snooze => match item {
                Some(i) if crate::domain::due::snooze_key(i).is_some() => {
                    Handled::Yes(vec![Message::Snooze(Box::new(i.clone()))])
                }
                Some(_) => Handled::Yes(vec![Message::Status("This line cannot be snoozed.".into())]),
                None => Handled::Yes(vec![Message::Status(format!(
                    "{} snoozes an item: choose one (a backlog group opens with {}).",
                    key_label(Context::Today, Action::Snooze),
                    key_label(Context::Nav, Action::Open)
                ))]),
            },
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
        if self.filtering || self.narrowed() {
            // what narrows the list, on the frame's foot (right): the header keeps the true count
            let shown = self.rows.iter().filter(|r| matches!(r, Row::Item(_))).count();
            let mut what = Vec::new();
            if self.filtering || !self.filter.is_empty() {
                what.push(format!(
                    "/{}{}",
                    display_safe(&self.filter),
                    if self.filtering { "▏" } else { "" }
                ));
            }
            if let Some(k) = self.kind {
                what.push(format!("only {}", crate::domain::due::rule_label(k)));
            }
            let text = format!(
                " {} · {shown} shown · {} clears ",
                fit(&what.join(" "), 40),
                key_label(Context::Today, Action::Back)
            );
            block = block.title_bottom(Line::from(Span::styled(text, theme::title())).right_aligned());
        }
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let mut lines = Vec::new();
        if !self.items.is_empty() && self.rows.is_empty() {
            lines.push(Line::from(Span::styled("No item matches.", theme::dim())));
        }
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
        for r in self.cursor.visible(self.rows.len()) {
            let selected = r == self.cursor.selected;
            let row_style = if selected { theme::selected() } else { Style::default() };
            let (it, title) = match &self.rows[r] {
                Row::Heading(section, n) => {
                    // only the most urgent page is loaded: a section may hold more than it shows
                    let more = if self.more { "+" } else { "" };
                    lines.push(Line::from(Span::styled(
                        format!("{} ({n}{more})", section.label()),
                        theme::title(),
                    )));
                    continue;
                }
                Row::Item(k) => {
                    let it = &self.items[*k].1;
                    (it, display_safe(&it.title).to_string())
                }
                Row::Group { items, open } => {
                    let these: Vec<DueItem> =
                        self.items[items.clone()].iter().map(|(_, i)| i.clone()).collect();
                    let Some(first) = self.items.get(items.start).map(|(_, i)| i) else { continue };
                    let sign = if *open { "▾" } else { "▸" };
                    (first, format!("{sign} {}", display_safe(&group_line(&these, today))))
                }
            };
            let marker_style = match it.urgency {
                Urgency::Safety => theme::flag(),
                Urgency::Overdue => theme::error(),
                Urgency::DueToday => theme::warn(),
                _ => theme::dim(),
            };
            let name = fit(&display_safe(&it.client_name), name_w);
            let pad = name_w.saturating_sub(width(&name));
            lines.push(Line::from(vec![
                Span::styled(if selected { "▶ " } else { "  " }, row_style),
                Span::styled(format!("{:<8}", it.urgency.marker()), marker_style),
                Span::styled(
                    format!(
                        " {:<7} {}{} {}",
                        it.client_ref.as_deref().unwrap_or(""),
                        name,
                        " ".repeat(pad),
                        fit(&title, title_w)
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
