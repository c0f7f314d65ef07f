//! Paints a genogram laid out by `layout` with the usual symbols in text form:
//! `[ ]` a man, `( )` a woman, `< >` other or not known; an `X` inside for someone who has
//! died (and `✝` by the year), `◆` inside for the client; partners joined by a line (`╌╌` living
//! together, `─/─` separated, `─//─` divorced or former), children hanging from their parents'
//! line (dashed `╎╌` for an adoptive parent and child, dotted `⋮⋯` for a foster one), twins
//! hanging from one point on that line, a dashed outline round the household, and under a name
//! how they belong (adopted, foster, twin). An emotional tie to the client is a line between
//! the two when they sit side by side (`══` close, `╱╲` conflict, `─┤├─` cut off), or else a
//! mark under the name (`═`, `⚡`, `┤├`). Every meaning carries a shape or a word, never colour
//! alone.
//!
//! The picture scrolls: the caller passes an offset, and arrows in the legend line say where
//! more of it lies.

mod layout;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub use layout::*;

use crate::domain::genogram::{ChildLine, EmotionalTie, Sex};
use crate::domain::text::{clean_line, display_safe, fit, width};
use crate::ui::theme;

/// A genogram widget: `Genogram::new(&layout).year(2026).offset(x, y)`.
pub struct Genogram<'a> {
    layout: &'a GenoLayout,
    offset: (u16, u16),
    year: Option<i32>,
}

impl<'a> Genogram<'a> {
    pub fn new(layout: &'a GenoLayout) -> Self {
        Genogram { layout, offset: (0, 0), year: None }
    }

    /// Scrolls the picture: the first picture column and row shown. Clamped when drawn.
    pub fn offset(mut self, x: u16, y: u16) -> Self {
        self.offset = (x, y);
        self
    }

    /// This year, to show ages beside birth years (render never reads the clock).
    pub fn year(mut self, year: i32) -> Self {
        self.year = Some(year);
        self
    }

    /// How far the picture can scroll in an area of this size: the largest useful offset.
    pub fn max_offset(layout: &GenoLayout, area: Rect) -> (u16, u16) {
        let placed = layout.place(area.width);
        let below = Genogram::new(layout).below(&placed, area).len() as u16;
        let view_h = area.height.saturating_sub(below);
        (clamp_u16(placed.width - area.width as i32), clamp_u16(placed.height - view_h as i32))
    }
}

fn clamp_u16(v: i32) -> u16 {
    v.clamp(0, u16::MAX as i32) as u16
}

/// The text inside the symbol and its brackets.
fn symbol(p: &GenoPerson) -> [&'static str; 3] {
    let inner = if p.deceased {
        "X"
    } else if p.is_client {
        "◆"
    } else if p.sex == Sex::Unknown {
        "?"
    } else {
        " "
    };
    match p.sex {
        Sex::Male => ["[", inner, "]"],
        Sex::Female => ["(", inner, ")"],
        Sex::Other | Sex::Unknown => ["<", inner, ">"],
    }
}

/// What the card says besides the year: their emotional tie to the client as a mark (the
/// legend names it) unless it is drawn as a line (`tie_drawn`), and how they belong
/// ("adopted", "foster", "twin").
fn note_text(p: &GenoPerson, tie_drawn: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let (Some(t), false) = (p.emotional, tie_drawn) {
        parts.push(t.mark().to_string());
    }
    if !p.kind_note.is_empty() {
        parts.push(clean_line(&p.kind_note));
    }
    parts.join(" ")
}

/// The line under the name: birth year, age, died, and the note when it fits (the note alone
/// when nothing else does).
fn year_line(p: &GenoPerson, this_year: Option<i32>, room: usize, tie_drawn: bool) -> String {
    let note = note_text(p, tie_drawn);
    let years = year_options(p, this_year);
    if !note.is_empty() {
        let with_note =
            years.iter().map(|y| if y.is_empty() { note.clone() } else { format!("{y} · {note}") });
        if let Some(found) = with_note.chain(std::iter::once(note.clone())).find(|o| width(o) <= room) {
            return found;
        }
    }
    years.into_iter().find(|o| width(o) <= room).unwrap_or_default()
}

fn year_options(p: &GenoPerson, this_year: Option<i32>) -> Vec<String> {
    let died = if p.deceased { " ✝" } else { "" };
    let mut options = Vec::new();
    match p.birth_year {
        Some(b) => {
            if let (Some(now), false) = (this_year, p.deceased) {
                if now >= b {
                    options.push(format!("b.{b}, {}", now - b));
                }
            }
            options.push(format!("b.{b}{died}"));
            options.push(format!("{b}{died}"));
        }
        None if p.deceased => options.push("died".to_string()),
        None => {}
    }
    options.push(died.trim().to_string());
    options
}

/// Draws into a scratch buffer holding the visible rows and every column up to the right edge
/// of the view, so wide characters are cut the way ratatui cuts them.
struct Canvas {
    buf: Buffer,
}

impl Canvas {
    fn inside(&self, x: i32, y: i32) -> bool {
        let a = self.buf.area;
        x >= a.x as i32 && x < a.right() as i32 && y >= a.y as i32 && y < a.bottom() as i32
    }
    fn cell(&mut self, x: i32, y: i32, sym: &str, style: Style) {
        if self.inside(x, y) {
            self.buf[(x as u16, y as u16)].set_symbol(sym).set_style(style);
        }
    }
    fn text(&mut self, x: i32, y: i32, s: &str, max: usize, style: Style) {
        if self.inside(x, y) {
            self.buf.set_stringn(x as u16, y as u16, s, max, style);
        }
    }
}

impl Widget for Genogram<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        if self.layout.people.is_empty() {
            let msg = "No family recorded yet: add people and their links (mother, father, partner).";
            Paragraph::new(Span::styled(msg, theme::dim())).wrap(Wrap { trim: true }).render(area, buf);
            return;
        }
        let placed = self.layout.place(area.width);
        // the legend and warnings take what they need below, if the picture keeps three rows
        let below = self.below(&placed, area);
        let view = Rect { height: area.height - below.len() as u16, ..area };
        // (a picture tens of thousands of cells across is cut at the u16 edge, not wrapped)
        let max_x = u16::MAX as i32 - view.width as i32;
        let max_y = u16::MAX as i32 - view.height as i32;
        let ox = (self.offset.0 as i32).clamp(0, (placed.width - view.width as i32).max(0)).min(max_x);
        let oy = (self.offset.1 as i32).clamp(0, (placed.height - view.height as i32).max(0)).min(max_y);
        // the scratch canvas starts a little left of the view: far enough for any text that
        // starts out of view to be cut where ratatui would cut it, no further
        let reach = (SYMBOL_CELLS + placed.text_width as i32).max(32);
        let canvas_x = (ox - reach).max(0) as u16;
        let canvas_right = (ox + view.width as i32).min(u16::MAX as i32) as u16;
        let canvas_top = oy.min(u16::MAX as i32) as u16;
        let mut canvas = Canvas {
            buf: Buffer::empty(Rect {
                x: canvas_x,
                y: canvas_top,
                width: canvas_right - canvas_x,
                height: view.height,
            }),
        };
        self.paint(&placed, &mut canvas);
        // a picture narrower than the view is centred
        let pad = ((view.width as i32 - placed.width) / 2).max(0) as u16;
        for dy in 0..view.height {
            for dx in 0..view.width.saturating_sub(pad) {
                let (cx, cy) = (ox as u16 + dx, canvas_top + dy);
                if cx >= canvas_right {
                    continue;
                }
                let cell = canvas.buf[(cx, cy)].clone();
                buf[(view.x + pad + dx, view.y + dy)] = cell;
            }
        }
        if !below.is_empty() {
            let more = more_arrows(&placed, view, ox, oy);
            let lines = self.below_lines(&placed, area.width as usize, &more);
            let rect = Rect { y: view.y + view.height, height: area.height - view.height, ..area };
            let skip = lines.len().saturating_sub(rect.height as usize);
            Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()).render(rect, buf);
        }
    }
}

/// Arrows for the directions in which part of the picture is out of view.
fn more_arrows(placed: &GenoPlacement, view: Rect, ox: i32, oy: i32) -> String {
    let mut s = String::new();
    if ox > 0 {
        s.push('◀');
    }
    if ox + (view.width as i32) < placed.width {
        s.push('▶');
    }
    if oy > 0 {
        s.push('▲');
    }
    if oy + (view.height as i32) < placed.height {
        s.push('▼');
    }
    s
}

impl Genogram<'_> {
    fn paint(&self, placed: &GenoPlacement, canvas: &mut Canvas) {
        let line = theme::dim();
        // the household outline first: lines cross it
        for &(x, y, edge) in &placed.outline {
            let sym = match edge {
                Edge::Horizontal => "┄",
                Edge::Vertical => "┆",
                Edge::TopLeft => "╭",
                Edge::TopRight => "╮",
                Edge::BottomLeft => "╰",
                Edge::BottomRight => "╯",
            };
            canvas.cell(x, y, sym, theme::ok());
        }
        // emotional ties next: the lines of the family cross them
        for t in &placed.ties {
            let n = t.to - t.from + 1;
            for (i, x) in (t.from..=t.to).enumerate() {
                let i = i as i32;
                let sym = match t.tie {
                    EmotionalTie::Close => "═",
                    EmotionalTie::Conflict if i % 2 == 0 => "╱",
                    EmotionalTie::Conflict => "╲",
                    EmotionalTie::CutOff if i == (n - 2) / 2 => "┤",
                    EmotionalTie::CutOff if i == (n - 2) / 2 + 1 => "├",
                    EmotionalTie::CutOff => "─",
                };
                canvas.cell(x, t.y, sym, Style::default());
            }
        }
        for d in &placed.descents {
            let stops = d.stops();
            let down = crate::ui::widgets::genogram::common_line(stops.iter().map(|s| s.1));
            for y in d.from_y..d.bar_y {
                canvas.cell(d.x, y, down.glyphs().0, Style::default());
            }
            let lo = stops.iter().map(|s| s.0).chain([d.x]).min().unwrap_or(d.x);
            let hi = stops.iter().map(|s| s.0).chain([d.x]).max().unwrap_or(d.x);
            for x in lo..=hi {
                let child = stops.iter().any(|s| s.0 == x);
                let from_above = x == d.x;
                // a stretch of the bar takes the line of the children beyond it
                let beyond = crate::ui::widgets::genogram::common_line(
                    stops.iter().filter(|s| if x < d.x { s.0 <= x } else { s.0 >= x }).map(|s| s.1),
                );
                let sym = match (child, from_above, x == lo, x == hi) {
                    (true, true, true, true) => down.glyphs().0,
                    (true, true, true, false) => "├",
                    (true, true, false, true) => "┤",
                    (true, true, false, false) => "┼",
                    (true, false, true, _) => "┌",
                    (true, false, _, true) => "┐",
                    (true, false, false, false) => "┬",
                    (false, true, true, _) => "└",
                    (false, true, _, true) => "┘",
                    (false, true, false, false) => "┴",
                    (false, false, _, _) => beyond.glyphs().1,
                };
                canvas.cell(x, d.bar_y, sym, Style::default());
            }
            // drops to children below a fork's row
            for &(x, l) in &stops {
                if d.forks.iter().any(|f| f.at == x) {
                    continue;
                }
                for y in d.bar_y + 1..=d.drop_y {
                    canvas.cell(x, y, l.glyphs().0, Style::default());
                }
            }
            for f in &d.forks {
                let (flo, fhi) = (
                    f.children.iter().copied().min().unwrap_or(f.at),
                    f.children.iter().copied().max().unwrap_or(f.at),
                );
                let fy = d.drop_y.max(d.bar_y + 1);
                for x in flo..=fhi {
                    let sym = match (f.children.contains(&x), x == f.at, x == flo, x == fhi) {
                        (true, _, true, _) => "┌",
                        (true, _, _, true) => "┐",
                        (true, true, _, _) => "┼",
                        (true, false, _, _) => "┬",
                        (false, true, _, _) => "┴",
                        (false, false, _, _) => d.line_of(if x < f.at { flo } else { fhi }).glyphs().1,
                    };
                    canvas.cell(x, fy, sym, Style::default());
                }
            }
        }
        for l in &placed.partner_lines {
            let (style, fill) = match l.kind {
                CoupleKind::Current | CoupleKind::Married => (Style::default(), "─"),
                CoupleKind::Cohabiting => (Style::default(), "╌"),
                CoupleKind::Former | CoupleKind::Separated | CoupleKind::Divorced => (Style::default(), "─"),
                CoupleKind::CoParents => (line, "┈"),
            };
            for x in l.from..=l.to {
                canvas.cell(x, l.y, fill, style);
            }
            if let Some(j) = l.junction {
                canvas.cell(j, l.y, "┬", style);
            }
            if matches!(l.kind, CoupleKind::Former | CoupleKind::Divorced) {
                // the two strokes sit before the children's line, or mid-line
                let (lo, hi) = (l.from, l.junction.map_or(l.to, |j| j - 1));
                if hi - lo >= 1 {
                    let start = lo + (hi - lo - 1) / 2;
                    canvas.cell(start, l.y, "/", style);
                    canvas.cell(start + 1, l.y, "/", style);
                }
            }
            if l.kind == CoupleKind::Separated {
                // one stroke: separated, not (yet) divorced
                let (lo, hi) = (l.from, l.junction.map_or(l.to, |j| j - 1));
                if hi - lo >= 1 {
                    canvas.cell(lo + (hi - lo) / 2, l.y, "/", style);
                }
            }
        }
        for c in &placed.cards {
            let Some(p) = self.layout.people.iter().find(|p| p.id == c.id) else { continue };
            let strong = if p.is_client { theme::title() } else { Style::default() };
            let [open, inner, close] = symbol(p);
            canvas.cell(c.x, c.y, open, strong);
            canvas.cell(c.x + 1, c.y, inner, strong);
            canvas.cell(c.x + 2, c.y, close, strong);
            canvas.text(c.x + SYMBOL_CELLS, c.y, &c.name, placed.text_width, strong);
            let tie_drawn = placed.ties.iter().any(|t| t.id == p.id);
            let year = year_line(p, self.year, placed.text_width, tie_drawn);
            canvas.text(c.x + SYMBOL_CELLS, c.y + 1, &year, placed.text_width, theme::dim());
        }
        for &(x, y, text) in &placed.labels {
            canvas.text(x, y, text, width(text), theme::dim());
        }
    }

    /// Warning and legend lines below the picture, as many as fit leaving it three rows, the
    /// legend last; room is kept for the scroll note whether or not it will be needed.
    fn below(&self, placed: &GenoPlacement, area: Rect) -> Vec<Line<'static>> {
        let lines = self.below_lines(placed, area.width as usize, "◀▶▲▼");
        let keep = lines.len().min(area.height.saturating_sub(3) as usize);
        let skip = lines.len() - keep;
        lines.into_iter().skip(skip).collect()
    }

    fn below_lines(&self, placed: &GenoPlacement, room: usize, more: &str) -> Vec<Line<'static>> {
        let mut lines = self.warning_lines(room);
        lines.extend(self.legend_lines(placed, room, more));
        lines
    }

    fn warning_lines(&self, room: usize) -> Vec<Line<'static>> {
        let w = &self.layout.warnings;
        let mut lines: Vec<Line<'static>> = w
            .iter()
            .take(2)
            .map(|t| Line::from(Span::styled(fit(&format!("⚠ {}", display_safe(t)), room), theme::warn())))
            .collect();
        if w.len() > 2 {
            lines.push(Line::from(Span::styled(
                format!("⚠ {} more links not drawn", w.len() - 2),
                theme::warn(),
            )));
        }
        lines
    }

    /// The legend, only for what the picture holds, wrapped to the width; the scroll arrows go
    /// at the end.
    fn legend_lines(&self, placed: &GenoPlacement, room: usize, more: &str) -> Vec<Line<'static>> {
        let people = &self.layout.people;
        let has = |f: &dyn Fn(&GenoPerson) -> bool| people.iter().any(f);
        let kinds = |k: CoupleKind| placed.partner_lines.iter().any(|l| l.kind == k);
        let mut items: Vec<(String, String)> =
            vec![("[ ]".into(), "male".into()), ("( )".into(), "female".into())];
        if has(&|p| matches!(p.sex, Sex::Other | Sex::Unknown)) {
            items.push(("< >".into(), "other/not known".into()));
        }
        if has(&|p| p.is_client) {
            items.push(("◆".into(), "client".into()));
        }
        if has(&|p| p.deceased) {
            items.push(("X ✝".into(), "died".into()));
        }
        if kinds(CoupleKind::Current) {
            items.push(("──".into(), "partners".into()));
        }
        if kinds(CoupleKind::Married) {
            items.push(("──".into(), "married".into()));
        }
        if kinds(CoupleKind::Cohabiting) {
            items.push(("╌╌".into(), "living together".into()));
        }
        if kinds(CoupleKind::Former) {
            items.push(("─//─".into(), "separated".into()));
        }
        if kinds(CoupleKind::Separated) {
            items.push(("─/─".into(), "separated (not divorced)".into()));
        }
        if kinds(CoupleKind::Divorced) {
            items.push(("─//─".into(), "divorced".into()));
        }
        let lines_of = |l: ChildLine| placed.descents.iter().any(|d| d.lines.contains(&l));
        if lines_of(ChildLine::Adoptive) {
            items.push(("╎╌".into(), "adoptive parent and child".into()));
        }
        if lines_of(ChildLine::Foster) {
            items.push(("⋮⋯".into(), "foster parent and child".into()));
        }
        if placed.descents.iter().any(|d| !d.forks.is_empty()) {
            items.push(("┌┴┐".into(), "twins".into()));
        }
        for t in EmotionalTie::ALL {
            let drawn = placed.ties.iter().any(|l| l.tie == *t);
            let marked = has(&|p| p.emotional == Some(*t) && !placed.ties.iter().any(|l| l.id == p.id));
            let line = match t {
                EmotionalTie::Close => "══",
                EmotionalTie::Conflict => "╱╲",
                EmotionalTie::CutOff => "─┤├─",
            };
            let sym = match (drawn, marked) {
                (true, true) => format!("{line} {}", t.mark()),
                (true, false) => line.to_string(),
                (false, true) => t.mark().to_string(),
                (false, false) => continue,
            };
            items.push((sym, format!("{} (tie to the client)", t.label())));
        }
        if kinds(CoupleKind::CoParents) {
            items.push(("┈┈".into(), "co-parents".into()));
        }
        if !placed.outline.is_empty() {
            items.push(("╭┄╮".into(), "household".into()));
        }
        let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
        let mut used = 0;
        let tail = if more.is_empty() { 0 } else { width(more) + 7 };
        for (sym, what) in items {
            let w = width(&sym) + 1 + width(&what) + 2;
            if used + w > room.saturating_sub(tail) && used > 0 {
                lines.push(Vec::new());
                used = 0;
            }
            let cur = lines.last_mut().expect("one line at least");
            cur.push(Span::styled(sym, Style::default()));
            cur.push(Span::styled(format!(" {what}  "), theme::dim()));
            used += w;
        }
        if !more.is_empty() {
            let last = lines.last_mut().expect("one line at least");
            last.push(Span::styled(format!("more {more}"), theme::warn()));
        }
        lines.into_iter().map(Line::from).collect()
    }
}
