//! The ecomap: the client in the centre and their ties to people and organisations around them,
//! each tie strong, weak or stressful, with the direction support flows. Built from what is
//! already recorded (people, household, referrals); the practitioner only sets a tie's kind.
//!
//! This module is the geometry (the kinds of tie are `domain::ecomap`): labels go on slots
//! packed round an ellipse that fills the area (grouped by kind, clockwise from the left), each
//! tie leaves the client's box from its own port and is routed along the grid around every
//! label, so no label hides another or a line. What does not fit is listed beside or below the
//! picture instead of being squeezed in. The widget beside it (`ui::widgets::ecomap`) paints it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::domain::ecomap::{SupportFlow, TieKind, TieStrength};
use crate::domain::text::{clean_line, fit, width};

/// One tie around the client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tie {
    /// Who or what: "Mum", "Dr Rao", "Housing office".
    pub label: String,
    /// Role or organisation; may be empty.
    pub detail: String,
    pub kind: TieKind,
    /// `None`: the practitioner has not rated the tie yet (drawn as its own line, never as weak).
    pub strength: Option<TieStrength>,
    pub flow: SupportFlow,
}

/// Everything the ecomap is drawn from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EcomapInput {
    pub client: String,
    pub ties: Vec<Tie>,
    /// People who have died: not drawn as living ties, named apart under the map
    /// ("Tom (father)"); the genogram draws them.
    pub deceased: Vec<String>,
}

/// A rectangle of cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cells {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Cells {
    pub fn right(&self) -> i32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> i32 {
        self.y + self.h
    }
    pub fn contains(&self, x: i32, y: i32) -> bool {
        x >= self.x && x < self.right() && y >= self.y && y < self.bottom()
    }
    /// True when the two overlap once this one is grown by `dx` columns and `dy` rows each side.
    pub fn near(&self, o: &Cells, dx: i32, dy: i32) -> bool {
        self.x - dx < o.right()
            && o.x < self.right() + dx
            && self.y - dy < o.bottom()
            && o.y < self.bottom() + dy
    }
}

/// A direction on the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dir {
    Up,
    Down,
    Left,
    Right,
}

impl Dir {
    const ALL: [Dir; 4] = [Dir::Up, Dir::Down, Dir::Left, Dir::Right];

    fn step(self) -> (i32, i32) {
        match self {
            Dir::Up => (0, -1),
            Dir::Down => (0, 1),
            Dir::Left => (-1, 0),
            Dir::Right => (1, 0),
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    pub fn opposite(self) -> Dir {
        match self {
            Dir::Up => Dir::Down,
            Dir::Down => Dir::Up,
            Dir::Left => Dir::Right,
            Dir::Right => Dir::Left,
        }
    }

    /// The direction of a single step from `a` to `b` (neighbouring cells).
    pub fn between(a: (i32, i32), b: (i32, i32)) -> Dir {
        match (b.0 - a.0, b.1 - a.1) {
            (0, d) if d < 0 => Dir::Up,
            (0, _) => Dir::Down,
            (d, _) if d < 0 => Dir::Left,
            _ => Dir::Right,
        }
    }
}

/// A line of label text at a position.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextAt {
    pub x: i32,
    pub y: i32,
    pub text: String,
}

/// A tie drawn on the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedTie {
    /// Index into `EcomapInput::ties`.
    pub tie: usize,
    /// The label's cells; nothing else is drawn there.
    pub rect: Cells,
    /// Name, then role/organisation (or the kind), display-safe and fitted.
    pub text: Vec<TextAt>,
    /// Cells of the line, from the one touching the client's box to the one touching the label.
    pub path: Vec<(i32, i32)>,
    /// Which way an arrow at each end points, if support flows that way.
    pub arrow_at_client: Option<Dir>,
    pub arrow_at_tie: Option<Dir>,
}

/// The whole map in picture cells, `(0, 0)` top left.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EcomapLayout {
    pub width: i32,
    pub height: i32,
    /// The client's box (border included) and the name inside it.
    pub client: Cells,
    pub client_name: TextAt,
    pub ties: Vec<PlacedTie>,
    /// Ties that did not fit on the map, in input order, and where their list goes.
    pub listed: Vec<usize>,
    pub list_area: Option<Cells>,
}

/// Label width: a fifth of the area, within these bounds.
const LABEL_MIN: i32 = 12;
const LABEL_MAX: i32 = 26;
const LABEL_ROWS: i32 = 2;
/// Blank cells kept between labels, and between a label and the client's box.
const GAP_X: i32 = 2;
const GAP_Y: i32 = 1;
const CLIENT_GAP_X: i32 = 4;
const CLIENT_GAP_Y: i32 = 1;
/// Below this the map is not drawn, only listed.
pub const MIN_MAP_WIDTH: u16 = 36;
pub const MIN_MAP_HEIGHT: u16 = 9;
/// A wide area lists what does not fit on the right; a narrow one below.
const SIDE_LIST_FROM: i32 = 110;

/// Lays out the map in an area `width` × `height` cells.
pub fn layout(input: &EcomapInput, width: u16, height: u16) -> EcomapLayout {
    layout_with(input, width, height, false)
}

/// As `layout`; `reserve_list` makes room for the list even when every tie seems to fit.
fn layout_with(input: &EcomapInput, width: u16, height: u16, reserve_list: bool) -> EcomapLayout {
    let (w, h) = (width as i32, height as i32);
    let n = input.ties.len();
    if width < MIN_MAP_WIDTH || height < MIN_MAP_HEIGHT {
        // too small for a picture: the whole area is the list
        return EcomapLayout {
            width: w,
            height: h,
            listed: (0..n).collect(),
            list_area: (n > 0 && w > 0 && h > 0).then_some(Cells { x: 0, y: 0, w, h }),
            ..Default::default()
        };
    }
    // first try the whole area; if ties are left over, make room for the list and try again
    let mut map = Cells { x: 0, y: 0, w, h };
    let mut list_area = None;
    for round in 0..3 {
        if capacity(input, map) >= n && !(reserve_list && round == 0) {
            break;
        }
        if w >= SIDE_LIST_FROM {
            let lw = (w / 4).clamp(24, 40);
            map = Cells { x: 0, y: 0, w: w - lw - 1, h };
            list_area = Some(Cells { x: w - lw, y: 0, w: lw, h });
        } else {
            // a few rows of names below; the map keeps most of the height
            let rows = (h / 5).max(2);
            map = Cells { x: 0, y: 0, w, h: h - rows };
            list_area = Some(Cells { x: 0, y: h - rows, w, h: rows });
        }
    }
    let slots = pack_slots(input, map);
    let drawn = capacity(input, map).min(n);
    let client = client_box(input, map);
    let client_name = TextAt { x: client.x + 2, y: client.y + 1, text: client_text(input, map) };

    // the first ties in the order given are drawn, grouped by kind round the map
    let mut order: Vec<usize> = (0..drawn).collect();
    order.sort_by_key(|&i| (input.ties[i].kind, i));
    // spread them over the slots available
    let chosen: Vec<Cells> = (0..drawn).map(|k| slots[k * slots.len() / drawn.max(1)]).collect();

    let mut ties: Vec<PlacedTie> = order
        .iter()
        .zip(&chosen)
        .map(|(&i, &rect)| {
            let side = side_of(rect, client);
            PlacedTie {
                tie: i,
                rect,
                text: label_text(&input.ties[i], rect, side),
                path: Vec::new(),
                arrow_at_client: None,
                arrow_at_tie: None,
            }
        })
        .collect();
    route_all(&mut ties, client, map, &input.ties);
    // a label with no line would mislead: such a tie is listed instead
    let mut listed: Vec<usize> = ties.iter().filter(|t| t.path.is_empty()).map(|t| t.tie).collect();
    ties.retain(|t| !t.path.is_empty());
    listed.extend(drawn..n);
    listed.sort_unstable();
    if !listed.is_empty() && list_area.is_none() {
        return layout_with(input, width, height, true);
    }
    EcomapLayout {
        width: w,
        height: h,
        client,
        client_name,
        ties,
        list_area: if listed.is_empty() { None } else { list_area },
        listed,
    }
}

/// Labels are as wide as the longest name or detail, up to a fifth of the area.
fn label_width(input: &EcomapInput, map: Cells) -> i32 {
    let longest = input
        .ties
        .iter()
        .flat_map(|t| [width(&clean_line(&t.label)), width(&clean_line(&t.detail)), width(t.kind.label())])
        .max()
        .unwrap_or(0) as i32;
    longest.clamp(LABEL_MIN, (map.w / 5).clamp(LABEL_MIN, LABEL_MAX))
}

/// How many ties the map can draw: a slot for each label, and a port on the client's box for
/// each line with a free port between neighbours, so lines stay apart.
fn capacity(input: &EcomapInput, map: Cells) -> usize {
    pack_slots(input, map).len().min(ports(client_box(input, map)).len() / 2)
}

fn client_text(input: &EcomapInput, map: Cells) -> String {
    let name = clean_line(&input.client);
    let name = if name.is_empty() { "Client".to_string() } else { name };
    fit(&name, (map.w / 3).clamp(6, 30) as usize)
}

fn client_box(input: &EcomapInput, map: Cells) -> Cells {
    let bw = width(&client_text(input, map)) as i32 + 4;
    Cells { x: map.x + (map.w - bw) / 2, y: map.y + (map.h - 3) / 2, w: bw, h: 3 }
}

/// Label positions packed round an ellipse filling the map, clockwise from the left, each
/// clear of the others and of the client's box.
fn pack_slots(input: &EcomapInput, map: Cells) -> Vec<Cells> {
    let lw = label_width(input, map);
    let client = client_box(input, map);
    let (cx, cy) = (map.x as f64 + map.w as f64 / 2.0, map.y as f64 + map.h as f64 / 2.0);
    let rx = ((map.w - lw) as f64 / 2.0).max(0.0);
    let ry = ((map.h - LABEL_ROWS) as f64 / 2.0).max(0.0);
    let mut slots: Vec<Cells> = Vec::new();
    // half-degree steps: fine enough for any terminal
    for step in 0..720 {
        let t = (step as f64 / 2.0).to_radians();
        let (px, py) = (cx - rx * t.cos(), cy - ry * t.sin());
        let x = ((px - lw as f64 / 2.0).round() as i32).clamp(map.x, map.right() - lw);
        let y = ((py - LABEL_ROWS as f64 / 2.0).round() as i32).clamp(map.y, map.bottom() - LABEL_ROWS);
        let rect = Cells { x, y, w: lw, h: LABEL_ROWS };
        if rect.near(&client, CLIENT_GAP_X, CLIENT_GAP_Y) {
            continue;
        }
        if slots.iter().any(|s| s.near(&rect, GAP_X, GAP_Y)) {
            continue;
        }
        slots.push(rect);
    }
    slots
}

/// Where a label sits relative to the client: it decides the text's alignment and which side
/// of the label the line arrives at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
    Above,
    Below,
}

fn side_of(rect: Cells, client: Cells) -> Side {
    if rect.right() <= client.x {
        Side::Left
    } else if rect.x >= client.right() {
        Side::Right
    } else if rect.y < client.y {
        Side::Above
    } else {
        Side::Below
    }
}

/// Name and detail lines, aligned towards the client so the line meets the text.
fn label_text(tie: &Tie, rect: Cells, side: Side) -> Vec<TextAt> {
    let name = clean_line(&tie.label);
    let name = if name.is_empty() { "(no name)".to_string() } else { name };
    let detail = clean_line(&tie.detail);
    let second = if detail.is_empty() { tie.kind.label().to_string() } else { detail };
    [name, second]
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let text = fit(t, rect.w as usize);
            let tw = width(&text) as i32;
            let x = match side {
                Side::Left => rect.right() - tw,
                Side::Right => rect.x,
                Side::Above | Side::Below => rect.x + (rect.w - tw) / 2,
            };
            TextAt { x, y: rect.y + k as i32, text }
        })
        .collect()
}

/// The cell beside a label where its line ends, and the way into the label from there.
fn label_end(t: &PlacedTie, client: Cells) -> ((i32, i32), Dir) {
    let name = &t.text[0];
    let name_w = width(&name.text) as i32;
    match side_of(t.rect, client) {
        Side::Left => ((name.x + name_w, name.y), Dir::Left),
        Side::Right => ((name.x - 1, name.y), Dir::Right),
        Side::Above => ((t.rect.x + t.rect.w / 2, t.rect.bottom()), Dir::Up),
        Side::Below => ((t.rect.x + t.rect.w / 2, t.rect.y - 1), Dir::Down),
    }
}

/// The cells just outside the client's box where lines may start, each with the way out,
/// clockwise from the bottom of the left side.
fn ports(client: Cells) -> Vec<((i32, i32), Dir)> {
    let mut out = Vec::new();
    for y in (client.y..client.bottom()).rev() {
        out.push(((client.x - 1, y), Dir::Left));
    }
    for x in client.x..client.right() {
        out.push(((x, client.y - 1), Dir::Up));
    }
    for y in client.y..client.bottom() {
        out.push(((client.right(), y), Dir::Right));
    }
    for x in (client.x..client.right()).rev() {
        out.push(((x, client.bottom()), Dir::Down));
    }
    out
}

/// The port where a straight line from the centre of the client's box towards `end` leaves it.
fn ideal_port(client: Cells, ports: &[((i32, i32), Dir)], end: (i32, i32)) -> usize {
    let (cx, cy) =
        (client.x as f64 + (client.w as f64 - 1.0) / 2.0, client.y as f64 + (client.h as f64 - 1.0) / 2.0);
    let (dx, dy) = (end.0 as f64 - cx, end.1 as f64 - cy);
    let (hx, hy) = (client.w as f64 / 2.0 + 0.5, client.h as f64 / 2.0 + 0.5);
    let scale = (dx.abs() / hx).max(dy.abs() / hy).max(1e-9);
    let (px, py) = (cx + dx / scale, cy + dy / scale);
    ports
        .iter()
        .enumerate()
        .min_by(|a, b| {
            let d = |&((x, y), _): &((i32, i32), Dir)| (x as f64 - px).powi(2) + (y as f64 - py).powi(2);
            d(a.1).total_cmp(&d(b.1))
        })
        .map_or(0, |(i, _)| i)
}

/// Gives each tie a port near its ideal one, keeping a free port between lines when there
/// are enough (lines side by side read as one).
fn assign_ports(ideal: &[usize], count: usize) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..ideal.len()).collect();
    order.sort_by_key(|&k| ideal[k]);
    let mut taken = vec![false; count];
    let mut out = vec![None; ideal.len()];
    for k in order {
        let free = |p: usize, spaced: bool, taken: &[bool]| {
            !taken[p] && (!spaced || (!taken[(p + 1) % count] && !taken[(p + count - 1) % count]))
        };
        let nearest = |spaced: bool, taken: &[bool]| {
            (0..count).find_map(|d| {
                let a = (ideal[k] + d) % count;
                let b = (ideal[k] + count - d % count) % count;
                [b, a].into_iter().find(|&p| free(p, spaced, taken))
            })
        };
        let found = nearest(true, &taken).or_else(|| nearest(false, &taken));
        if let Some(p) = found {
            taken[p] = true;
            out[k] = Some(p);
        }
    }
    out
}

/// Routes every tie's line: from a free port on the side of the client's box facing its
/// label, along the grid, around labels and the box, avoiding other lines where it can.
fn route_all(ties: &mut [PlacedTie], client: Cells, map: Cells, input: &[Tie]) {
    let (gw, gh) = (map.w.max(0) as usize, map.h.max(0) as usize);
    let idx = |x: i32, y: i32| (y - map.y) as usize * gw + (x - map.x) as usize;
    let mut blocked = vec![false; gw * gh];
    let mark = |c: Cells, blocked: &mut Vec<bool>| {
        for y in c.y.max(map.y)..c.bottom().min(map.bottom()) {
            for x in c.x.max(map.x)..c.right().min(map.right()) {
                blocked[idx(x, y)] = true;
            }
        }
    };
    mark(client, &mut blocked);
    for t in ties.iter() {
        mark(t.rect, &mut blocked);
    }
    let all_ports = ports(client);
    for &((x, y), _) in &all_ports {
        if map.contains(x, y) {
            blocked[idx(x, y)] = true;
        }
    }
    let ends: Vec<((i32, i32), Dir)> = ties.iter().map(|t| label_end(t, client)).collect();
    for &((x, y), _) in &ends {
        if map.contains(x, y) {
            blocked[idx(x, y)] = true;
        }
    }
    let mut used = vec![false; gw * gh];
    let ideal: Vec<usize> = ends.iter().map(|&(e, _)| ideal_port(client, &all_ports, e)).collect();
    let assigned = assign_ports(&ideal, all_ports.len());
    let (ccx, ccy) = (client.x as f64 + client.w as f64 / 2.0, client.y as f64 + client.h as f64 / 2.0);
    // short lines first: they have the fewest ways round
    let mut order: Vec<usize> = (0..ties.len()).collect();
    order.sort_by_key(|&k| {
        let ((ex, ey), _) = ends[k];
        ((ex as f64 - ccx).abs() + 2.0 * (ey as f64 - ccy).abs()) as i64
    });
    for k in order {
        let (end, into_label) = ends[k];
        let Some(p) = assigned[k] else { continue };
        let (start, out) = all_ports[p];
        if !map.contains(end.0, end.1) || !map.contains(start.0, start.1) {
            continue;
        }
        blocked[idx(start.0, start.1)] = false;
        blocked[idx(end.0, end.1)] = false;
        // arrive head-on if at all possible
        let path = route(map, &blocked, &used, start, out, end, Some(into_label))
            .or_else(|| route(map, &blocked, &used, start, out, end, None));
        blocked[idx(start.0, start.1)] = true;
        blocked[idx(end.0, end.1)] = true;
        let Some(path) = path else { continue };
        for &(x, y) in &path {
            used[idx(x, y)] = true;
        }
        let flow = input[ties[k].tie].flow;
        let t = &mut ties[k];
        t.path = path;
        t.arrow_at_client =
            matches!(flow, SupportFlow::ToClient | SupportFlow::Both).then_some(out.opposite());
        t.arrow_at_tie = matches!(flow, SupportFlow::FromClient | SupportFlow::Both).then_some(into_label);
    }
}

/// Cheapest grid path from `start` (leaving in direction `out`) to `end` (arriving in direction
/// `arrive`, if given): each step costs 1,
/// a turn 3 more, running right beside another line 2 more, a cell another line already uses
/// 12 more. `None` when walled in.
fn route(
    map: Cells,
    blocked: &[bool],
    used: &[bool],
    start: (i32, i32),
    out: Dir,
    end: (i32, i32),
    arrive: Option<Dir>,
) -> Option<Vec<(i32, i32)>> {
    const TURN: u32 = 3;
    const BESIDE: u32 = 2;
    const SHARED: u32 = 12;
    let gw = map.w as usize;
    let cell = |x: i32, y: i32| (y - map.y) as usize * gw + (x - map.x) as usize;
    let state = |c: usize, d: Dir| c * 4 + d.index();
    let n = blocked.len() * 4;
    let mut dist = vec![u32::MAX; n];
    let mut prev = vec![usize::MAX; n];
    let mut heap = BinaryHeap::new();
    // A*: the distance still to go never overestimates (every step costs at least 1)
    let to_go = |x: i32, y: i32| (x - end.0).unsigned_abs() + (y - end.1).unsigned_abs();
    let s0 = state(cell(start.0, start.1), out);
    dist[s0] = 0;
    heap.push(Reverse((to_go(start.0, start.1), s0)));
    while let Some(Reverse((f, s))) = heap.pop() {
        let c = s / 4;
        let (x, y) = ((c % gw) as i32 + map.x, (c / gw) as i32 + map.y);
        let d = dist[s];
        if f > d + to_go(x, y) {
            continue;
        }
        if (x, y) == end && arrive.is_none_or(|a| a == Dir::ALL[s % 4]) {
            let mut path = vec![(x, y)];
            let mut cur = s;
            while prev[cur] != usize::MAX {
                cur = prev[cur];
                let pc = cur / 4;
                path.push(((pc % gw) as i32 + map.x, (pc / gw) as i32 + map.y));
            }
            path.reverse();
            return Some(path);
        }
        let dir = Dir::ALL[s % 4];
        for nd in Dir::ALL {
            if nd == dir.opposite() {
                continue;
            }
            let (dx, dy) = nd.step();
            let (nx, ny) = (x + dx, y + dy);
            if !map.contains(nx, ny) {
                continue;
            }
            let nc = cell(nx, ny);
            if blocked[nc] {
                continue;
            }
            let beside = Dir::ALL.iter().any(|b| {
                let (bx, by) = (nx + b.step().0, ny + b.step().1);
                (bx, by) != (x, y) && map.contains(bx, by) && used[cell(bx, by)]
            });
            let cost = d
                + 1
                + if nd != dir { TURN } else { 0 }
                + if used[nc] { SHARED } else { 0 }
                + if beside { BESIDE } else { 0 };
            let ns = state(nc, nd);
            if cost < dist[ns] {
                dist[ns] = cost;
                prev[ns] = s;
                heap.push(Reverse((cost + to_go(nx, ny), ns)));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tie(label: &str, detail: &str, kind: TieKind, strength: TieStrength, flow: SupportFlow) -> Tie {
        Tie { label: label.into(), detail: detail.into(), kind, strength: Some(strength), flow }
    }

    fn ties(n: usize) -> EcomapInput {
        let kinds = TieKind::ALL;
        let ties = (0..n)
            .map(|i| {
                tie(
                    &format!("Tie number {i}"),
                    ["", "a role somewhere", "a role at the county council offices"][i % 3],
                    kinds[(i * 5) % kinds.len()],
                    TieStrength::ALL[i % 3],
                    SupportFlow::ALL[i % 4],
                )
            })
            .collect();
        EcomapInput { client: "Sarah Marsh".into(), ties, ..Default::default() }
    }

    /// Everything a legible map promises.
    fn check(input: &EcomapInput, l: &EcomapLayout) {
        let n = input.ties.len();
        let mut seen: Vec<usize> = l.ties.iter().map(|t| t.tie).chain(l.listed.iter().copied()).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..n).collect::<Vec<_>>(), "every tie drawn or listed, once");
        let area = Cells { x: 0, y: 0, w: l.width, h: l.height };
        for (a, t) in l.ties.iter().enumerate() {
            assert!(
                t.rect.x >= 0 && t.rect.right() <= l.width && t.rect.y >= 0 && t.rect.bottom() <= l.height
            );
            assert!(!t.rect.near(&l.client, 1, 0), "label clear of the client {t:?}");
            for (b, u) in l.ties.iter().enumerate() {
                if a != b {
                    assert!(!t.rect.near(&u.rect, 1, 0), "labels apart {t:?} {u:?}");
                }
            }
            if let Some(list) = l.list_area {
                assert!(!t.rect.near(&list, 0, 0), "label clear of the list");
            }
            for line in &t.text {
                assert!(line.x >= t.rect.x && line.x + width(&line.text) as i32 <= t.rect.right());
                assert!(!line.text.chars().any(char::is_control));
            }
            // the line: from beside the client's box to beside the label, step by step, over
            // no label and not through the box
            let (first, last) = (t.path[0], t.path[t.path.len() - 1]);
            let beside = |c: &Cells, (x, y): (i32, i32)| {
                !c.contains(x, y) && Dir::ALL.iter().any(|d| c.contains(x + d.step().0, y + d.step().1))
            };
            assert!(beside(&l.client, first), "{t:?}");
            assert!(beside(&t.rect, last), "{t:?}");
            for w in t.path.windows(2) {
                assert_eq!((w[0].0 - w[1].0).abs() + (w[0].1 - w[1].1).abs(), 1, "{t:?}");
            }
            for &(x, y) in &t.path {
                assert!(area.contains(x, y));
                assert!(!l.client.contains(x, y));
                assert!(!l.ties.iter().any(|u| u.rect.contains(x, y)), "line under a label {t:?}");
            }
            let flow = input.ties[t.tie].flow;
            assert_eq!(
                t.arrow_at_client.is_some(),
                matches!(flow, SupportFlow::ToClient | SupportFlow::Both)
            );
            assert_eq!(t.arrow_at_tie.is_some(), matches!(flow, SupportFlow::FromClient | SupportFlow::Both));
        }
        // no two lines leave the box from the same cell
        let mut starts: Vec<(i32, i32)> = l.ties.iter().map(|t| t.path[0]).collect();
        starts.sort_unstable();
        starts.dedup();
        assert_eq!(starts.len(), l.ties.len());
    }

    #[test]
    fn a_dozen_ties_fit_at_80x24_without_overlap() {
        let input = ties(12);
        // the body of an 80x24 screen less the legend
        let l = layout(&input, 80, 19);
        assert!(l.listed.is_empty(), "all twelve drawn: {:?}", l.listed);
        check(&input, &l);
        // the client is in the middle
        let (cx, cy) = (l.client.x + l.client.w / 2, l.client.y + 1);
        assert!((cx - 40).abs() <= 1 && (cy - 9).abs() <= 1, "{:?}", l.client);
    }

    #[test]
    fn kinds_sit_together_clockwise_from_the_left() {
        let input = ties(12);
        let l = layout(&input, 80, 19);
        // ties are placed in slot order, which runs clockwise; their kinds never go backwards
        let kinds: Vec<TieKind> = l.ties.iter().map(|t| input.ties[t.tie].kind).collect();
        assert!(kinds.windows(2).all(|w| w[0] <= w[1]), "{kinds:?}");
        let first = &l.ties[0];
        assert!(first.rect.right() <= l.client.x, "family starts on the left: {first:?}");
    }

    #[test]
    fn a_wide_area_is_used() {
        let input = ties(12);
        let narrow = layout(&input, 80, 19);
        let wide = layout(&input, 160, 40);
        check(&input, &wide);
        let spread = |l: &EcomapLayout| {
            let xs = l.ties.iter().map(|t| t.rect.x);
            let ys = l.ties.iter().map(|t| t.rect.y);
            (
                xs.clone().max().unwrap_or(0) - xs.min().unwrap_or(0),
                ys.clone().max().unwrap_or(0) - ys.min().unwrap_or(0),
            )
        };
        let (nw, nh) = spread(&narrow);
        let (ww, wh) = spread(&wide);
        assert!(ww > nw + 40 && wh > nh + 10, "{nw}x{nh} vs {ww}x{wh}");
        assert!(
            wide.ties.iter().all(|t| t.rect.w > narrow.ties[0].rect.w),
            "longer labels when there is room"
        );
    }

    #[test]
    fn what_does_not_fit_is_listed() {
        let input = ties(40);
        for (w, h) in [(80, 19), (140, 38), (200, 60)] {
            let l = layout(&input, w, h);
            check(&input, &l);
            assert!(!l.listed.is_empty());
            let list = l.list_area.expect("a list");
            assert!(list.x >= 0 && list.right() <= w as i32 && list.bottom() <= h as i32);
            assert!(l.ties.len() >= 8, "{} drawn at {w}x{h}", l.ties.len());
            // listed in the order given
            assert!(l.listed.windows(2).all(|p| p[0] < p[1]));
        }
        // wide: beside the map; narrow: below it
        assert!(layout(&input, 140, 38).list_area.is_some_and(|a| a.x > 0 && a.y == 0));
        assert!(layout(&input, 80, 19).list_area.is_some_and(|a| a.x == 0 && a.y > 0));
    }

    #[test]
    fn none_one_and_tiny_areas() {
        let l = layout(&ties(0), 80, 19);
        assert!(l.ties.is_empty() && l.listed.is_empty() && l.list_area.is_none());
        assert!(l.client.w > 0);
        let one = ties(1);
        let l = layout(&one, 80, 19);
        check(&one, &l);
        assert_eq!(l.ties.len(), 1);
        for n in [0, 1, 12, 40] {
            let input = ties(n);
            for w in [0, 1, 5, 20, 35, 36, 40, 60] {
                for h in [0, 1, 3, 8, 9, 12] {
                    let l = layout(&input, w, h);
                    if w < MIN_MAP_WIDTH || h < MIN_MAP_HEIGHT {
                        assert!(l.ties.is_empty());
                        assert_eq!(l.listed.len(), n);
                    } else {
                        check(&input, &l);
                    }
                }
            }
        }
    }

    #[test]
    fn nasty_labels_are_cleaned_and_fitted() {
        let mut input = ties(6);
        input.client = "\u{1b}[2J\u{1b}[H王小明 さくら 김민준 and a very long surname indeed".into();
        input.ties[0].label = "\u{1b}]0;owned\u{7}".into();
        input.ties[1].label = "👨\u{200d}👩\u{200d}👧 family 🙂👍🏽".into();
        input.ties[2].label = "Zoe\u{308} Be\u{301}langer-Nu\u{f1}ez".into();
        input.ties[3].label = "x".repeat(20_000);
        input.ties[4].label = String::new();
        input.ties[5].detail = "abc\u{202e}dcba\ttab".into();
        let l = layout(&input, 80, 19);
        check(&input, &l);
        assert!(!l.client_name.text.chars().any(char::is_control));
        assert!(width(&l.client_name.text) as i32 <= l.client.w - 4);
        assert!(l.ties.iter().any(|t| t.text[0].text == "(no name)"));
    }
}
