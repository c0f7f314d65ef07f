//! Referrals in a list: a client's, or every open one on the board, with what is due.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::{Message, RefMsg};
use crate::domain::dates::format_date;
use crate::domain::referral::{ReferralStatus, Urgency};
use crate::domain::text::{display_safe, fit, width};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::referrals::Referral;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::{filter_key, FilterKey, ListCursor};

pub(super) fn follow_text(r: &Referral, today: NaiveDate) -> (String, Style) {
    match r.follow_up_on {
        Some(d) if r.status.is_open() && d < today => (format!("OVERDUE {}", format_date(d)), theme::error()),
        Some(d) if r.status.is_open() && d == today => ("follow up TODAY".into(), theme::warn()),
        Some(d) if r.status.is_open() => (format!("follow up {}", format_date(d)), Style::default()),
        _ => (String::new(), Style::default()),
    }
}

fn row_line(r: &Referral, today: NaiveDate, selected: bool, with_client: bool, w: usize) -> Line<'static> {
    let style = if selected { theme::selected() } else { Style::default() };
    let urgent = if r.urgency == Urgency::Urgent { "URGENT " } else { "" };
    let (follow, follow_style) = follow_text(r, today);
    let who = if with_client {
        let name = fit(&display_safe(&r.client_name), 18);
        let pad = 18usize.saturating_sub(width(&name));
        format!("{} {name}{} ", r.client, " ".repeat(pad))
    } else {
        String::new()
    };
    // the provider gives way first: where the referral stands must always show
    let age = r.age(today);
    let fixed = 2 + 7 + width(&who) + urgent.len() + 3 + width(&age) + 2 + width(&follow);
    let provider = fit(&display_safe(&r.provider), w.saturating_sub(fixed).max(10));
    let head = format!(
        "{}{:<6} {who}{urgent}{provider} — {age}  ",
        if selected { "▶ " } else { "  " },
        r.reference,
    );
    let head = fit(&head, w.saturating_sub(width(&follow)));
    Line::from(vec![Span::styled(head, style), Span::styled(follow, follow_style)])
}

// ---------------------------------------------------------------------------------------------
// A client's referrals, and the board of all open ones
// ---------------------------------------------------------------------------------------------

pub struct ReferralsScreen {
    /// `None`: the referral board across the caseload.
    pub client_id: Option<i64>,
    list: Vec<Referral>,
    /// The board's filter: words matched against client, provider, need and status.
    filter: String,
    filtering: bool,
    status_filter: Option<ReferralStatus>,
    today: NaiveDate,
    cursor: ListCursor,
    stale: bool,
}

impl ReferralsScreen {
    pub fn for_client(client_id: i64) -> Self {
        Self::new(Some(client_id))
    }
    pub fn board() -> Self {
        Self::new(None)
    }
    fn new(client_id: Option<i64>) -> Self {
        ReferralsScreen {
            client_id,
            list: Vec::new(),
            filter: String::new(),
            filtering: false,
            status_filter: None,
            today: NaiveDate::default(),
            cursor: ListCursor::default(),
            stale: true,
        }
    }

    fn shown(&self) -> Vec<&Referral> {
        let words: Vec<String> = self.filter.split_whitespace().map(crate::domain::text::name_key).collect();
        self.list
            .iter()
            .filter(|r| self.status_filter.is_none_or(|s| r.status == s))
            .filter(|r| {
                let hay = crate::domain::text::name_key(&format!(
                    "{} {} {} {} {} {}",
                    r.client,
                    r.client_name,
                    r.provider,
                    r.need,
                    r.status.label(),
                    r.reference
                ));
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .collect()
    }
}

impl View for ReferralsScreen {
    fn title(&self) -> &'static str {
        if self.client_id.is_some() {
            "Referrals"
        } else {
            "Referral board"
        }
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Referrals, Context::Nav, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        if self.client_id.is_some() {
            &[Action::Open, Action::New, Action::NextStatus, Action::Back, Action::Help]
        } else {
            &[Action::Open, Action::NextStatus, Action::Filter, Action::CycleFilter, Action::Back]
        }
    }
    fn client_id(&self) -> Option<i64> {
        self.client_id
    }
    fn captures_text(&self) -> bool {
        self.filtering
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn set_area(&mut self, body: Rect) {
        self.cursor.height = body.height.saturating_sub(4) as usize;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        self.today = ctx.today;
        if self.stale {
            self.list = match self.client_id {
                Some(c) => ctx.store.referrals(c)?,
                None => ctx.store.open_referrals()?,
            };
            self.stale = false;
        }
        self.cursor.clamp(self.shown().len());
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if self.filtering {
            if matches!(filter_key(&mut self.filter, &ev), FilterKey::Cleared | FilterKey::Done) {
                self.filtering = false;
            }
            self.cursor.selected = 0;
            self.cursor.offset = 0;
            return Handled::Yes(vec![]);
        }
        let Some(action) = lookup(&[Context::Referrals, Context::Nav], &ev) else { return Handled::No };
        let len = self.shown().len();
        if self.cursor.apply(action, len) {
            return Handled::Yes(vec![]);
        }
        let selected = self.shown().get(self.cursor.selected).map(|r| (r.id, r.status));
        let msg = match action {
            Action::Open => match selected {
                Some((id, _)) => RefMsg::Open(id),
                None => return Handled::Yes(vec![]),
            },
            Action::NextStatus => match selected {
                Some((_, s)) if s.is_terminal() => {
                    return Handled::Yes(vec![Message::Status(format!(
                        "This referral is {}: nothing follows. Make a new referral instead.",
                        s.label().to_lowercase()
                    ))])
                }
                Some((id, _)) => RefMsg::Status(id),
                None => return Handled::Yes(vec![]),
            },
            Action::New => match self.client_id {
                Some(c) => RefMsg::New(c),
                None => {
                    return Handled::Yes(vec![Message::Status(
                        "Open a client's file to make a referral (r there).".into(),
                    )])
                }
            },
            Action::Filter => {
                self.filtering = true;
                return Handled::Yes(vec![]);
            }
            Action::CycleFilter => {
                let open: Vec<ReferralStatus> =
                    ReferralStatus::ALL.iter().copied().filter(|s| s.is_open()).collect();
                self.status_filter = match self.status_filter {
                    None => open.first().copied(),
                    Some(s) => open.iter().position(|x| *x == s).and_then(|i| open.get(i + 1)).copied(),
                };
                self.cursor.selected = 0;
                return Handled::Yes(vec![]);
            }
            Action::Back if !self.filter.is_empty() => {
                self.filter.clear();
                return Handled::Yes(vec![]);
            }
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        };
        Handled::Yes(vec![Message::Referral(msg)])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let shown = self.shown();
        let title = match self.client_id {
            Some(_) => format!(
                " Referrals — {} ({} open) ",
                self.list.len(),
                self.list.iter().filter(|r| r.status.is_open()).count()
            ),
            None => format!(
                " Referral board — {} open{} ",
                shown.len(),
                self.status_filter
                    .map(|s| format!(", {} only (v changes)", s.label().to_lowercase()))
                    .unwrap_or_default()
            ),
        };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let w = inner.width as usize;
        let mut lines = Vec::new();
        if self.client_id.is_none() || self.filtering || !self.filter.is_empty() {
            lines.push(Line::from(vec![
                Span::styled("Filter: ", theme::dim()),
                Span::styled(
                    format!("{}{}", display_safe(&self.filter), if self.filtering { "▏" } else { "" }),
                    if self.filtering { theme::input_focused() } else { theme::input() },
                ),
                Span::styled("  (/ to type: client, provider, need or status)", theme::dim()),
            ]));
        }
        if shown.is_empty() {
            lines.push(Line::from(Span::styled(
                if self.client_id.is_some() {
                    format!(
                        "No referrals yet. Press {} to refer to a directory service or a provider.",
                        key_label(Context::Referrals, Action::New)
                    )
                } else {
                    "No open referrals match.".to_string()
                },
                theme::dim(),
            )));
        }
        let mut cursor = self.cursor;
        cursor.height = inner.height.saturating_sub(lines.len() as u16) as usize;
        for i in cursor.visible(shown.len()) {
            lines.push(row_line(
                shown[i],
                self.today,
                i == self.cursor.selected,
                self.client_id.is_none(),
                w,
            ));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
