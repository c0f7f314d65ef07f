//! The `?` overlay: every binding of this screen and the global ones, from the keymap.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::keymap::{usable_bindings, Context};
use crate::ui::theme;

pub fn lines(contexts: &[Context]) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut shown: Option<Context> = None;
    // the help's own keys are listed last and whole: while it is open, they are the keys
    let screen: Vec<Context> = contexts.iter().copied().filter(|c| *c != Context::Help).collect();
    let mut rows = usable_bindings(&screen);
    if contexts.contains(&Context::Help) {
        rows.extend(usable_bindings(&[Context::Help]));
    }
    for (ctx, label, b) in rows {
        if shown != Some(ctx) {
            if !out.is_empty() {
                out.push(Line::from(""));
            }
            out.push(Line::from(Span::styled(ctx.title(), theme::title())));
            shown = Some(ctx);
        }
        out.push(Line::from(vec![
            Span::styled(format!("  {label:<12}"), theme::key()),
            Span::raw(b.description),
        ]));
    }
    out
}

fn overlay(area: Rect) -> Rect {
    let w = area.width.saturating_sub(8).min(70);
    let h = area.height.saturating_sub(4);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + 2, width: w, height: h }
}

/// How far the overlay can scroll on a terminal of `size`: until its last line is in view.
pub fn max_scroll(contexts: &[Context], size: (u16, u16)) -> u16 {
    let rect = overlay(Rect { x: 0, y: 0, width: size.0, height: size.1 });
    let inner_w = rect.width.saturating_sub(2).max(1) as usize;
    // lines are short; a long description wraps onto as many rows as it needs
    let rows: usize = lines(contexts).iter().map(|l| l.width().max(1).div_ceil(inner_w)).sum();
    u16::try_from(rows.saturating_sub(rect.height.saturating_sub(2) as usize)).unwrap_or(u16::MAX)
}

pub fn render(frame: &mut Frame<'_>, area: Rect, contexts: &[Context], scroll: u16) {
    let rect = overlay(area);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Keys — Esc closes, j/k or PgDn/PgUp scroll ", theme::title()));
    frame.render_widget(
        Paragraph::new(lines(contexts)).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)),
        rect,
    );
}
