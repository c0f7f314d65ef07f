//! One advocacy item, with the actions taken.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::{CoordForm, CoordMsg, Message};
use crate::domain::dates::format_date;
use crate::domain::text::{display_safe, fit};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::coordination::AdvocacyItem;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};

pub struct AdvocacyScreen {
    pub id: i64,
    a: Option<AdvocacyItem>,
    stale: bool,
}

impl AdvocacyScreen {
    pub fn new(id: i64) -> Self {
        AdvocacyScreen { id, a: None, stale: true }
    }
}

impl View for AdvocacyScreen {
    fn title(&self) -> &'static str {
        "Advocacy"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::AdvocacyView, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::AddAction, Action::CloseItem, Action::Back, Action::Help]
    }
    fn client_id(&self) -> Option<i64> {
        self.a.as_ref().map(|a| a.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.a = Some(ctx.store.advocacy_item(self.id)?);
            self.stale = false;
        }
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::AdvocacyView], &ev) else { return Handled::No };
        let Some(a) = &self.a else { return Handled::Yes(vec![]) };
        let kind = match action {
            Action::AddAction => CoordForm::AdvocacyAction { item: a.id, client_id: a.client_id },
            Action::CloseItem if a.closed_on.is_some() => {
                return Handled::Yes(vec![Message::Status("It is closed already.".into())])
            }
            Action::CloseItem => CoordForm::AdvocacyClose { item: a.id, client_id: a.client_id },
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        };
        Handled::Yes(vec![Message::Coord(CoordMsg::Form(kind))])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, today: NaiveDate) {
        let Some(a) = &self.a else { return };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Advocacy {} — {} ", a.reference, fit(&a.target, 40)),
            theme::title(),
        ));
        let kv = |k: &str, v: String| {
            Line::from(vec![Span::styled(format!("{k:<12}"), theme::dim()), Span::raw(v)])
        };
        let mut lines = vec![
            kv("Barrier", display_safe(&a.barrier).into_owned()),
            kv("Target", display_safe(&a.target).into_owned()),
            kv("Opened", format_date(a.opened_on)),
        ];
        if let Some(d) = a.deadline {
            let passed = a.closed_on.is_none() && d < today;
            lines.push(Line::from(vec![
                Span::styled(format!("{:<12}", "Deadline"), theme::dim()),
                Span::styled(
                    format!("{}{}", format_date(d), if passed { "  PASSED" } else { "" }),
                    if passed { theme::error() } else { Style::default() },
                ),
            ]));
        }
        match a.closed_on {
            Some(d) => lines.push(kv("Closed", format!("{} — {}", format_date(d), display_safe(&a.outcome)))),
            None => lines.push(kv("Status", "open".into())),
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("Actions taken", theme::title())));
        if a.actions.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("  none yet — {} adds one", key_label(Context::AdvocacyView, Action::AddAction)),
                theme::dim(),
            )));
        }
        for x in &a.actions {
            lines.push(Line::from(format!("  {}  {}", format_date(x.on_date), display_safe(&x.action))));
        }
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    }
}
