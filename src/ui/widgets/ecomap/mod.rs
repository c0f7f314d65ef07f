//! Paints an ecomap laid out by `layout`: the client in a box in the centre, each tie a
//! line whose drawing shows its strength (`═══` strong, `┄┄┄` weak, `─╫─` stressful, `···` not
//! rated yet) with
//! arrowheads where support flows (towards the client: support to them). Ties that do not fit
//! are listed in words beside or below the map. A legend line explains the marks; colour only
//! repeats what the marks say.

mod layout;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub use layout::*;

use crate::domain::ecomap::{SupportFlow, TieStrength};
use crate::domain::text::{clean_line, fit, width};
use crate::ui::theme;

/// An ecomap widget: `Ecomap::new(&input)`; it lays itself out for the area it gets.
pub struct Ecomap<'a> {
    input: &'a EcomapInput,
}

impl<'a> Ecomap<'a> {
    pub fn new(input: &'a EcomapInput) -> Self {
        Ecomap { input }
    }
}

fn line_style(s: Option<TieStrength>) -> Style {
    match s {
        Some(TieStrength::Strong) => theme::title(),
        Some(TieStrength::Weak) | None => theme::dim(),
        Some(TieStrength::Stressful) => theme::warn(),
    }
}

/// The mark for one cell of a line: `arms` are the directions towards its neighbours on the line.
fn glyph(strength: Option<TieStrength>, a: Dir, b: Dir, index: usize) -> &'static str {
    let Some(strength) = strength else {
        // not rated: a dotted line, unlike any rated one
        return "·";
    };
    use Dir::*;
    let horizontal = matches!((a, b), (Left | Right, Left | Right));
    let vertical = matches!((a, b), (Up | Down, Up | Down));
    let corner = |set: [&'static str; 4]| -> &'static str {
        // set: down-right, down-left, up-right, up-left
        let has = |d: Dir| a == d || b == d;
        match (has(Down), has(Right)) {
            (true, true) => set[0],
            (true, false) => set[1],
            (false, true) => set[2],
            (false, false) => set[3],
        }
    };
    match strength {
        TieStrength::Strong if horizontal => "═",
        TieStrength::Strong if vertical => "║",
        TieStrength::Strong => corner(["╔", "╗", "╚", "╝"]),
        TieStrength::Weak if horizontal => "┄",
        TieStrength::Weak if vertical => "┆",
        TieStrength::Weak => corner(["╭", "╮", "╰", "╯"]),
        // hatched: every other cell crossed
        TieStrength::Stressful if horizontal => ["─", "╫"][index % 2],
        TieStrength::Stressful if vertical => ["│", "╪"][index % 2],
        TieStrength::Stressful => corner(["┌", "┐", "└", "┘"]),
    }
}

fn arrow(d: Dir) -> &'static str {
    match d {
        Dir::Up => "▲",
        Dir::Down => "▼",
        Dir::Left => "◀",
        Dir::Right => "▶",
    }
}

/// Strength and flow in words, for the list of ties not on the map.
pub fn tie_words(t: &Tie) -> String {
    let flow = match t.flow {
        SupportFlow::ToClient => ", support to client",
        SupportFlow::FromClient => ", support from client",
        SupportFlow::Both => ", support both ways",
        SupportFlow::None => "",
    };
    format!("{}{flow}", t.strength.map(TieStrength::as_str).unwrap_or("not rated"))
}

/// Writes `s` at picture cell `(x, y)` when it lies in `area`, never past its right edge.
fn put(buf: &mut Buffer, area: Rect, x: i32, y: i32, s: &str, style: Style) {
    if x < 0 || y < 0 || x >= area.width as i32 || y >= area.height as i32 {
        return;
    }
    let room = area.width as usize - x as usize;
    buf.set_stringn(area.x + x as u16, area.y + y as u16, s, room, style);
}

impl Widget for Ecomap<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let unrated = self.input.ties.iter().any(|t| t.strength.is_none());
        let legend = legend_lines(area.width as usize, unrated, &self.input.deceased);
        let below =
            if area.height >= layout::MIN_MAP_HEIGHT + legend.len() as u16 { legend.len() as u16 } else { 0 };
        let map_area = Rect { height: area.height - below, ..area };
        let placed = layout::layout(self.input, map_area.width, map_area.height);
        let ties = &self.input.ties;

        for t in &placed.ties {
            let tie = &ties[t.tie];
            let style = line_style(tie.strength);
            let last = t.path.len().saturating_sub(1);
            for (i, &(x, y)) in t.path.iter().enumerate() {
                let towards_prev = (i > 0).then(|| Dir::between(t.path[i], t.path[i - 1]));
                let towards_next = (i < last).then(|| Dir::between(t.path[i], t.path[i + 1]));
                let (a, b) = match (towards_prev, towards_next) {
                    (Some(a), Some(b)) => (a, b),
                    (Some(a), None) => (a, a.opposite()),
                    (None, Some(b)) => (b.opposite(), b),
                    (None, None) => (Dir::Left, Dir::Right),
                };
                let mut sym = glyph(tie.strength, a, b, i);
                if i == 0 {
                    if let Some(d) = t.arrow_at_client {
                        sym = arrow(d);
                    }
                }
                if i == last {
                    if let Some(d) = t.arrow_at_tie {
                        sym = arrow(d);
                    }
                }
                put(buf, map_area, x, y, sym, style);
            }
        }
        for t in &placed.ties {
            for (k, line) in t.text.iter().enumerate() {
                let style = if k == 0 { Style::default() } else { theme::dim() };
                put(buf, map_area, line.x, line.y, &line.text, style);
            }
        }
        if placed.client.w > 0 {
            let c = placed.client;
            let bar = "─".repeat((c.w - 2).max(0) as usize);
            put(buf, map_area, c.x, c.y, &format!("╭{bar}╮"), Style::default());
            put(buf, map_area, c.x, c.y + 1, "│", Style::default());
            put(buf, map_area, c.right() - 1, c.y + 1, "│", Style::default());
            put(buf, map_area, c.x, c.y + 2, &format!("╰{bar}╯"), Style::default());
            let n = &placed.client_name;
            put(buf, map_area, n.x, n.y, &n.text, theme::title());
            if ties.is_empty() {
                let msg = "No ties recorded yet: people around the client and active referrals appear here.";
                let y = (c.bottom() + 1).min(map_area.height as i32 - 1);
                let msg = fit(msg, map_area.width as usize);
                let x = (map_area.width as i32 - width(&msg) as i32) / 2;
                put(buf, map_area, x, y, &msg, theme::dim());
            }
        }
        if let Some(list) = placed.list_area {
            let rect = Rect {
                x: map_area.x + list.x as u16,
                y: map_area.y + list.y as u16,
                width: list.w as u16,
                height: list.h as u16,
            };
            let entries: Vec<(String, Style)> = placed
                .listed
                .iter()
                .map(|&i| {
                    let t = &ties[i];
                    let detail = clean_line(&t.detail);
                    let who = if detail.is_empty() {
                        clean_line(&t.label)
                    } else {
                        format!("{} ({detail})", clean_line(&t.label))
                    };
                    (format!("{who} — {}", tie_words(t)), line_style(t.strength))
                })
                .collect();
            let title = if placed.client.w == 0 {
                let name = clean_line(&self.input.client);
                format!("Ties of {}:", if name.is_empty() { "the client" } else { &name })
            } else {
                "Not on the map (no room):".to_string()
            };
            let lines = if list.y > 0 {
                flowing_list(&title, &entries, list.w as usize, list.h as usize)
            } else {
                column_list(&title, &entries, list.w as usize, list.h as usize)
            };
            Paragraph::new(lines).render(rect, buf);
        }
        if below > 0 {
            let rect = Rect { y: area.y + area.height - below, height: below, ..area };
            Paragraph::new(legend).wrap(Wrap { trim: false }).render(rect, buf);
        }
    }
}

/// One tie a line under a title, "… and N more" when they do not all fit.
fn column_list(title: &str, entries: &[(String, Style)], room: usize, rows: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(fit(title, room), theme::title()))];
    let cap = rows.saturating_sub(1);
    let shown = if entries.len() > cap { cap.saturating_sub(1) } else { entries.len() };
    for (text, style) in entries.iter().take(shown) {
        lines.push(Line::from(Span::styled(fit(&format!("• {text}"), room), *style)));
    }
    if shown < entries.len() {
        lines.push(Line::from(Span::styled(format!("… and {} more", entries.len() - shown), theme::dim())));
    }
    lines
}

/// Ties one after another, wrapped over a few rows, "… and N more" when they do not all fit.
fn flowing_list(title: &str, entries: &[(String, Style)], room: usize, rows: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Vec<Span<'static>>> = vec![vec![Span::styled(format!("{title} "), theme::title())]];
    let mut used = width(title) + 1;
    for (k, (text, style)) in entries.iter().enumerate() {
        let more = format!("… and {} more", entries.len() - k);
        let sep = if used > 0 && lines.last().is_some_and(|l| l.len() > 1) { " · " } else { "" };
        let w = width(sep) + width(text);
        let last_row = lines.len() == rows;
        // on the last row, keep room for the "and more" note unless this is the last entry
        let reserve = if last_row && k + 1 < entries.len() { width(&more) + 3 } else { 0 };
        if used + w + reserve > room {
            if last_row || width(text) > room {
                let cur = lines.last_mut().expect("a row");
                cur.push(Span::styled(if used > 0 { format!(" {more}") } else { more }, theme::dim()));
                break;
            }
            lines.push(Vec::new());
            used = 0;
            let cur = lines.last_mut().expect("a row");
            cur.push(Span::styled(text.clone(), *style));
            used += width(text);
            continue;
        }
        let cur = lines.last_mut().expect("a row");
        cur.push(Span::raw(sep));
        cur.push(Span::styled(text.clone(), *style));
        used += w;
    }
    lines.into_iter().map(Line::from).collect()
}

/// The legend, wrapped to the width: "not rated" when a tie is not, and the people who have
/// died (not drawn as ties) on a line of their own.
fn legend_lines(room: usize, unrated: bool, deceased: &[String]) -> Vec<Line<'static>> {
    let mut items = vec![
        ("═══", "strong".to_string(), line_style(Some(TieStrength::Strong))),
        ("┄┄┄", "weak".to_string(), line_style(Some(TieStrength::Weak))),
        ("─╫─", "stressful".to_string(), line_style(Some(TieStrength::Stressful))),
    ];
    if unrated {
        items.push(("···", "not rated".to_string(), line_style(None)));
    }
    items.push(("◀ ▶", "support flows the way the arrow points".to_string(), Style::default()));
    let mut lines = legend_items(room, items);
    if !deceased.is_empty() {
        let names: Vec<String> = deceased.iter().map(|d| clean_line(d)).collect();
        let text = format!(" deceased, not drawn as ties (see the genogram): {}", names.join(", "));
        lines.push(Line::from(vec![
            Span::styled("✝", Style::default()),
            Span::styled(fit(&text, room.saturating_sub(1)), theme::dim()),
        ]));
    }
    lines
}

fn legend_items(room: usize, items: Vec<(&'static str, String, Style)>) -> Vec<Line<'static>> {
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for (sym, what, style) in items {
        let w = width(sym) + 1 + width(&what) + 2;
        if used + w > room && used > 0 {
            lines.push(Vec::new());
            used = 0;
        }
        let cur = lines.last_mut().expect("one line at least");
        cur.push(Span::styled(sym, style));
        cur.push(Span::styled(format!(" {what}  "), theme::dim()));
        used += w;
    }
    lines.into_iter().map(Line::from).collect()
}
