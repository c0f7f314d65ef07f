//! The client header shown at the top of every screen about one client: who, and the flags
//! that must never be missed.

use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::client::Client;
use crate::domain::text::display_safe;
use crate::ui::theme;

pub fn line(c: &Client, today: NaiveDate) -> Line<'static> {
    let mut spans =
        vec![Span::styled(display_safe(&c.full_name()).into_owned(), theme::title()), Span::raw(" ")];
    // flags first: on a narrow terminal the end of the line is what gets cut
    for f in c.flags() {
        spans.push(Span::styled(format!("⚑ {f}"), theme::flag()));
        spans.push(Span::raw(" "));
    }
    if !c.preferred_name.is_empty() && c.preferred_name != c.given_name {
        spans.push(Span::raw(format!("\"{}\" ", display_safe(&c.preferred_name))));
    }
    if !c.pronouns.is_empty() {
        spans.push(Span::styled(format!("({}) ", display_safe(&c.pronouns)), theme::dim()));
    }
    let age = c.age_text(today);
    if !age.is_empty() {
        spans.push(Span::raw(format!("age {age} ")));
    }
    spans.push(Span::raw(format!("· {} · {} ", c.reference, c.status.as_str().to_uppercase())));
    Line::from(spans)
}

pub fn render(frame: &mut Frame<'_>, area: Rect, c: &Client, today: NaiveDate) {
    frame.render_widget(Paragraph::new(line(c, today)), area);
}
