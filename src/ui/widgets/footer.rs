//! The footer: the few keys that matter on this screen, read from the keymap.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
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
    let status = status.map(|s| crate::domain::text::display_safe(s).into_owned());
    if let Some(s) = status.as_ref().filter(|s| crate::domain::text::width(s) > area.width as usize) {
        // a message is never cut: it takes both lines until the next key brings the hints back
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(s.clone(), theme::warn()))).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let mut lines = vec![hints_line(contexts, actions)];
    if let Some(s) = status {
        lines.insert(0, Line::from(Span::styled(s, theme::warn())));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
