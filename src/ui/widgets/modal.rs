//! Small centred dialogs.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::ui::theme;

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width.saturating_sub(2));
    let h = height.min(area.height.saturating_sub(2));
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

pub fn render(frame: &mut Frame<'_>, area: Rect, title: &str, body: Vec<Line<'static>>, width: u16) {
    let height = (body.len() as u16 + 2).max(5);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block =
        Block::default().borders(Borders::ALL).title(Span::styled(format!(" {title} "), theme::title()));
    frame.render_widget(Paragraph::new(body).block(block).wrap(Wrap { trim: false }), rect);
}
