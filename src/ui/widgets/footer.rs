//! The footer: the few keys that matter on this screen, read from the keymap.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::keymap::{binding, Action, Context};
use crate::ui::theme;

pub fn hints_line(contexts: &[Context], actions: &[Action]) -> Line<'static> {
    let mut spans = Vec::new();
    for a in actions {
        if let Some(b) = binding(contexts, *a) {
            if !spans.is_empty() {
                spans.push(Span::raw("  "));
            }
            spans.push(Span::styled(b.label, theme::key()));
            spans.push(Span::raw(format!(" {}", b.hint())));
        }
    }
    Line::from(spans)
}

pub fn render(
    frame: &mut Frame<'_>,
    area: Rect,
    contexts: &[Context],
    actions: &[Action],
    status: Option<&str>,
) {
    let mut lines = vec![hints_line(contexts, actions)];
    if let Some(s) = status {
        lines.insert(
            0,
            Line::from(Span::styled(crate::domain::text::display_safe(s).into_owned(), theme::warn())),
        );
    }
    frame.render_widget(Paragraph::new(lines), area);
}
