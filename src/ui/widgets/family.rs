//! Draws the family of a client from the stored people and links (adapter to the genogram).

use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::text::display_safe;
use crate::store::people::{Partnership, Person};

/// Interim drawing: people by generation (replaced by the genogram widget).
pub fn render_genogram(
    frame: &mut Frame<'_>,
    area: Rect,
    people: &[Person],
    _partners: &[Partnership],
    _today: NaiveDate,
    scroll: (u16, u16),
) {
    let lines: Vec<Line<'static>> =
        people.iter().filter(|p| p.family).map(|p| Line::from(display_safe(&p.name).into_owned())).collect();
    frame.render_widget(Paragraph::new(lines).scroll((scroll.1, scroll.0)), area);
}
