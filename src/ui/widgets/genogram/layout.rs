//! The genogram's layout: the client's family across generations, drawn from the links the
//! practitioner recorded (mother, father, partner). This module decides who goes on which
//! generation row, in what order, and where every card, partner line, line of descent and the
//! household outline sits; the widget beside it (`ui::widgets::genogram`) only paints the result.
//!
//! Rows are generations, found from parent links: a child sits one row below its lower parent
//! and partners share a row. Within a row, partners sit side by side (a chain such as
//! `former ─//─ person ─── current`), and brothers and sisters sit together, oldest first,
//! under their parents' line. People with no link at all go on a "not linked" row at the bottom.
//! The client's twins sit beside the client and hang from one point on the parents' bar (their
//! row gets one more line for the fork); each child's line says whether they are joined by
//! birth, adoption or fostering; an emotional tie between the client and someone beside them on
//! their row is placed as a line between the two cards.
//!
//! Recorded links can contradict each other (someone their own ancestor, three parents, a
//! partner link to oneself, partners who are also parent and child). Such a link is left out of
//! the picture and named in `GenoLayout::warnings`; the layout never loops or panics.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::domain::genogram::{Bond, ChildLine, EmotionalTie, PartnerStatus, Sex};
use crate::domain::text::{clean_line, fit, width};

/// One person around the client, as the genogram needs them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GenoPerson {
    pub id: i64,
    pub name: String,
    pub sex: Sex,
    pub birth_year: Option<i32>,
    pub deceased: bool,
    /// Lives with the client: drawn inside the household outline.
    pub in_household: bool,
    pub is_client: bool,
    /// How they belong when not by birth or marriage: "adopted", "adoptive", "foster", "twin".
    pub kind_note: String,
    /// Their emotional tie to the client, where recorded (close, conflict, cut off).
    pub emotional: Option<EmotionalTie>,
    /// How they belong to the client when not by birth: decides the line to the client
    /// (dashed for adoption, dotted for fostering) and who are the client's twins.
    pub bond: Bond,
}

/// Everything the genogram is drawn from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GenoInput {
    pub people: Vec<GenoPerson>,
    /// `(child, parent)` pairs of person ids.
    pub parents: Vec<(i64, i64)>,
    pub partners: Vec<(i64, i64, PartnerStatus)>,
}

/// The kind of line joining two people side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoupleKind {
    Current,
    Married,
    /// Living together, not married: a dashed line.
    Cohabiting,
    Former,
    /// One stroke across the line.
    Separated,
    /// Two strokes across the line.
    Divorced,
    /// Both recorded as a child's parents, but no partnership was recorded between them.
    CoParents,
}

/// Two people drawn side by side and joined by a line; `left` is drawn left of `right`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Couple {
    pub left: i64,
    pub right: i64,
    pub kind: CoupleKind,
}

/// A parent or a pair of parents and the children drawn hanging from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// One or two ids; when two are drawn side by side the children hang from their line.
    pub parents: Vec<i64>,
    /// Oldest first.
    pub children: Vec<i64>,
}

/// One row of the picture: a generation, or people not linked to anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenoRow {
    /// Left to right; each unit is one person or a chain of partners drawn side by side.
    pub units: Vec<Vec<i64>>,
    pub unlinked: bool,
}

impl GenoRow {
    /// Person ids left to right.
    pub fn ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.units.iter().flatten().copied()
    }
}

/// Who goes where, before any sizes are known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GenoLayout {
    /// The people, each id once, in the order given.
    pub people: Vec<GenoPerson>,
    /// Generation rows, oldest first, then the "not linked" row if anyone is unlinked.
    pub rows: Vec<GenoRow>,
    /// Partners and co-parents drawn side by side.
    pub couples: Vec<Couple>,
    pub families: Vec<Family>,
    /// Links left out of the picture and why, in plain words; safe to display.
    pub warnings: Vec<String>,
    /// The client and their twins (or triplets) when they share their parents: drawn hanging
    /// from one point on their parents' line.
    pub twins: Vec<Vec<i64>>,
}

/// Longest name kept in a warning; the picture itself fits names to their card.
const WARNING_NAME_CELLS: usize = 24;

fn warn_name(p: &GenoPerson) -> String {
    let n = clean_line(&p.name);
    if n.is_empty() {
        "(no name)".to_string()
    } else {
        fit(&n, WARNING_NAME_CELLS)
    }
}

/// Union-find over person indices: partners (and co-parents) share a generation.
struct Groups {
    parent: Vec<usize>,
    /// Members of each group, kept at its root.
    members: Vec<Vec<usize>>,
}

impl Groups {
    fn new(n: usize) -> Self {
        Groups { parent: (0..n).collect(), members: (0..n).map(|i| vec![i]).collect() }
    }
    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[rb] = ra;
            let moved = std::mem::take(&mut self.members[rb]);
            self.members[ra].extend(moved);
        }
    }
}

/// True when `anc` is `of` or one of its recorded ancestors.
fn is_ancestor(parents_of: &[Vec<usize>], anc: usize, of: usize) -> bool {
    let mut seen = vec![false; parents_of.len()];
    let mut stack = vec![of];
    while let Some(i) = stack.pop() {
        if i == anc {
            return true;
        }
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        stack.extend(parents_of[i].iter().copied());
    }
    false
}

/// True when some member of group `to` descends from some member of group `from`, moving
/// through children and across partners (who share a row): the two groups cannot share a row.
fn group_descends(groups: &mut Groups, children_of: &[Vec<usize>], from: usize, to: usize) -> bool {
    let n = children_of.len();
    let mut seen_group = vec![false; n];
    seen_group[from] = true;
    let mut queue: VecDeque<usize> = groups.members[from].iter().copied().collect();
    while let Some(i) = queue.pop_front() {
        for &c in &children_of[i] {
            let g = groups.find(c);
            if g == to {
                return true;
            }
            if !std::mem::replace(&mut seen_group[g], true) {
                queue.extend(groups.members[g].iter().copied());
            }
        }
    }
    false
}

/// Works out rows and order from the recorded links.
pub fn layout(input: &GenoInput) -> GenoLayout {
    let mut warnings = Vec::new();

    // people, each id once
    let mut people: Vec<GenoPerson> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    for p in &input.people {
        if index.contains_key(&p.id) {
            warnings.push(format!("{} is listed twice; drawn once.", warn_name(p)));
            continue;
        }
        index.insert(p.id, people.len());
        people.push(p.clone());
    }
    let n = people.len();
    let mut unknown_links = 0usize;

    // parent links: at most two parents, nobody their own ancestor
    let mut parents_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut children_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(child, parent) in &input.parents {
        let (Some(&c), Some(&p)) = (index.get(&child), index.get(&parent)) else {
            unknown_links += 1;
            continue;
        };
        if c == p {
            warnings
                .push(format!("{} is recorded as their own parent; link not drawn.", warn_name(&people[c])));
            continue;
        }
        if parents_of[c].contains(&p) {
            continue;
        }
        if parents_of[c].len() >= 2 {
            warnings.push(format!(
                "{} has more than two parents recorded; {} not drawn as a parent.",
                warn_name(&people[c]),
                warn_name(&people[p])
            ));
            continue;
        }
        if is_ancestor(&parents_of, c, p) {
            warnings.push(format!(
                "{} would be their own ancestor through {}; link not drawn.",
                warn_name(&people[c]),
                warn_name(&people[p])
            ));
            continue;
        }
        parents_of[c].push(p);
        children_of[p].push(c);
    }

    // the client's twins: recorded as "twin", with the same recorded parents as the client
    let twin_group: Vec<usize> = match people.iter().position(|p| p.is_client) {
        Some(c) if !parents_of[c].is_empty() => {
            let same = |i: usize| {
                let (mut a, mut b) = (parents_of[i].clone(), parents_of[c].clone());
                a.sort_unstable();
                b.sort_unstable();
                a == b
            };
            let mut g: Vec<usize> = (0..n).filter(|&i| people[i].bond == Bond::Twin && same(i)).collect();
            if g.is_empty() {
                g
            } else {
                g.insert(0, c);
                g
            }
        }
        _ => Vec::new(),
    };

    // partner links join two people on one row; a link that would put someone on the row of
    // their own ancestor or descendant is left out
    let mut groups = Groups::new(n);
    let mut couple_links: Vec<(usize, usize, CoupleKind)> = Vec::new();
    let mut linked: HashSet<(usize, usize)> = HashSet::new();
    let key = |a: usize, b: usize| (a.min(b), a.max(b));
    for &(x, y, status) in &input.partners {
        let (Some(&a), Some(&b)) = (index.get(&x), index.get(&y)) else {
            unknown_links += 1;
            continue;
        };
        if a == b {
            warnings
                .push(format!("{} is recorded as their own partner; link not drawn.", warn_name(&people[a])));
            continue;
        }
        if !linked.insert(key(a, b)) {
            continue;
        }
        let (ga, gb) = (groups.find(a), groups.find(b));
        if ga != gb
            && (group_descends(&mut groups, &children_of, ga, gb)
                || group_descends(&mut groups, &children_of, gb, ga))
        {
            warnings.push(format!(
                "{} and {} are recorded as partners but one descends from the other's generation; \
                 partner line not drawn.",
                warn_name(&people[a]),
                warn_name(&people[b])
            ));
            continue;
        }
        groups.union(a, b);
        let kind = match status {
            PartnerStatus::Current => CoupleKind::Current,
            PartnerStatus::Married => CoupleKind::Married,
            PartnerStatus::Cohabiting => CoupleKind::Cohabiting,
            PartnerStatus::Former => CoupleKind::Former,
            PartnerStatus::Separated => CoupleKind::Separated,
            PartnerStatus::Divorced => CoupleKind::Divorced,
        };
        couple_links.push((a, b, kind));
    }
    // a child's two parents are drawn side by side even when no partnership was recorded
    for ps in &parents_of {
        if let [a, b] = ps[..] {
            if linked.contains(&key(a, b)) {
                continue;
            }
            let (ga, gb) = (groups.find(a), groups.find(b));
            if ga != gb
                && (group_descends(&mut groups, &children_of, ga, gb)
                    || group_descends(&mut groups, &children_of, gb, ga))
            {
                continue;
            }
            linked.insert(key(a, b));
            groups.union(a, b);
            couple_links.push((a, b, CoupleKind::CoParents));
        }
    }
    if unknown_links > 0 {
        warnings.push(format!(
            "{unknown_links} link{} name{} someone not in the family list; not drawn.",
            if unknown_links == 1 { "" } else { "s" },
            if unknown_links == 1 { "s" } else { "" }
        ));
    }

    // generations over partner groups: longest path from the oldest, then people with no
    // recorded parents are pulled down to sit just above their children
    let group_of: Vec<usize> = (0..n).map(|i| groups.find(i)).collect();
    let mut gchildren: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut gparents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for c in 0..n {
        for &p in &parents_of[c] {
            let (gp, gc) = (group_of[p], group_of[c]);
            if !gchildren[gp].contains(&gc) {
                gchildren[gp].push(gc);
                gparents[gc].push(gp);
            }
        }
    }
    let roots: Vec<usize> = (0..n).filter(|&i| group_of[i] == i).collect();
    let mut indegree: Vec<usize> = (0..n).map(|g| gparents[g].len()).collect();
    let mut topo: Vec<usize> = Vec::with_capacity(roots.len());
    let mut queue: VecDeque<usize> = roots.iter().copied().filter(|&g| indegree[g] == 0).collect();
    while let Some(g) = queue.pop_front() {
        topo.push(g);
        for &c in &gchildren[g] {
            indegree[c] -= 1;
            if indegree[c] == 0 {
                queue.push_back(c);
            }
        }
    }
    // acyclic by construction; anything left over (cannot happen) is treated as a root
    for &g in &roots {
        if !topo.contains(&g) {
            topo.push(g);
        }
    }
    let mut ggen: Vec<i64> = vec![0; n];
    for &g in &topo {
        for &c in &gchildren[g] {
            ggen[c] = ggen[c].max(ggen[g] + 1);
        }
    }
    for &g in topo.iter().rev() {
        if gparents[g].is_empty() {
            if let Some(m) = gchildren[g].iter().map(|&c| ggen[c]).min() {
                ggen[g] = m - 1;
            }
        }
    }

    // connected families (parents, children, partners); nobody-linked people go to their own row
    let mut comp = Groups::new(n);
    for c in 0..n {
        for &p in &parents_of[c] {
            comp.union(c, p);
        }
        comp.union(c, group_of[c]);
    }
    let is_linked = |i: usize| -> bool {
        !parents_of[i].is_empty()
            || !children_of[i].is_empty()
            || couple_links.iter().any(|l| l.0 == i || l.1 == i)
    };
    let linked_people: Vec<usize> = (0..n).filter(|&i| is_linked(i)).collect();
    let unlinked_people: Vec<usize> = (0..n).filter(|&i| !is_linked(i)).collect();
    // the client's family first, then the others in the order they were given
    let mut comp_rank: HashMap<usize, usize> = HashMap::new();
    let client_comp = linked_people.iter().find(|&&i| people[i].is_client).map(|&i| comp.find(i));
    if let Some(c) = client_comp {
        comp_rank.insert(c, 0);
    }
    for &i in &linked_people {
        let c = comp.find(i);
        let next = comp_rank.len();
        comp_rank.entry(c).or_insert(next);
    }
    let mut comp_min: HashMap<usize, i64> = HashMap::new();
    for &i in &linked_people {
        let e = comp_min.entry(comp.find(i)).or_insert(i64::MAX);
        *e = (*e).min(ggen[group_of[i]]);
    }
    let generation = |i: usize, comp: &mut Groups| -> usize {
        let c = comp.find(i);
        (ggen[group_of[i]] - comp_min.get(&c).copied().unwrap_or(0)).max(0) as usize
    };

    // each partner group becomes a chain drawn side by side
    let mut group_links: HashMap<usize, Vec<(usize, usize, CoupleKind)>> = HashMap::new();
    for &(a, b, k) in &couple_links {
        group_links.entry(group_of[a]).or_default().push((a, b, k));
    }
    let mut rows: Vec<Vec<Unit>> = Vec::new();
    for &g in &roots {
        let members: Vec<usize> = (0..n).filter(|&i| group_of[i] == g && is_linked(i)).collect();
        let Some(&first) = members.first() else { continue };
        let chain = linearise(&members, group_links.get(&g).map(Vec::as_slice).unwrap_or(&[]), &people);
        let r = generation(first, &mut comp);
        if rows.len() <= r {
            rows.resize_with(r + 1, Vec::new);
        }
        let rank = comp_rank.get(&comp.find(first)).copied().unwrap_or(usize::MAX);
        rows[r].push(Unit { members: chain, comp: rank, key: 0.0 });
    }

    // twins sort as one among their brothers and sisters, so they sit side by side
    let twin_key: HashMap<usize, (i32, i64)> = twin_group
        .first()
        .map(|&c| {
            let key = (people[c].birth_year.unwrap_or(i32::MAX), people[c].id);
            twin_group.iter().map(|&i| (i, key)).collect()
        })
        .unwrap_or_default();
    let ctx =
        OrderCtx { parents_of: &parents_of, children_of: &children_of, people: &people, twin_key: &twin_key };
    order_rows(&mut rows, &ctx);

    // couples: adjacent pairs in a chain that are linked; others cannot be drawn
    let kind_of: HashMap<(usize, usize), CoupleKind> =
        couple_links.iter().map(|&(a, b, k)| (key(a, b), k)).collect();
    let mut couples = Vec::new();
    let mut drawn: HashSet<(usize, usize)> = HashSet::new();
    for row in &rows {
        for u in row {
            for w in u.members.windows(2) {
                if let Some(&k) = kind_of.get(&key(w[0], w[1])) {
                    couples.push(Couple { left: people[w[0]].id, right: people[w[1]].id, kind: k });
                    drawn.insert(key(w[0], w[1]));
                }
            }
        }
    }
    for &(a, b, k) in &couple_links {
        if !drawn.contains(&key(a, b)) && k != CoupleKind::CoParents {
            warnings.push(format!(
                "{} and {}: too many partners to draw side by side; partner line not drawn.",
                warn_name(&people[a]),
                warn_name(&people[b])
            ));
        }
    }

    // families: children grouped by their (one or two) parents, oldest first
    let mut order_pos: HashMap<usize, usize> = HashMap::new();
    for row in &rows {
        for (k, i) in row.iter().flat_map(|u| u.members.iter()).enumerate() {
            order_pos.insert(*i, k);
        }
    }
    let at = |i: &usize| order_pos.get(i).copied().unwrap_or(usize::MAX);
    let mut by_parents: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for (c, ps) in parents_of.iter().enumerate() {
        if ps.is_empty() {
            continue;
        }
        let mut ps = ps.clone();
        ps.sort_by_key(at);
        match by_parents.iter_mut().find(|(p, _)| *p == ps) {
            Some((_, kids)) => kids.push(c),
            None => by_parents.push((ps, vec![c])),
        }
    }
    let families = by_parents
        .into_iter()
        .map(|(ps, mut kids)| {
            kids.sort_by_key(|c| (at(c), *c));
            Family {
                parents: ps.iter().map(|&p| people[p].id).collect(),
                children: kids.iter().map(|&c| people[c].id).collect(),
            }
        })
        .collect();

    let mut out_rows: Vec<GenoRow> = rows
        .into_iter()
        .map(|r| GenoRow {
            units: r.into_iter().map(|u| u.members.into_iter().map(|i| people[i].id).collect()).collect(),
            unlinked: false,
        })
        .collect();
    out_rows.retain(|r| !r.units.is_empty());
    if !unlinked_people.is_empty() {
        out_rows.push(GenoRow {
            units: unlinked_people.iter().map(|&i| vec![people[i].id]).collect(),
            unlinked: true,
        });
    }
    let twins = if twin_group.is_empty() {
        Vec::new()
    } else {
        vec![twin_group.iter().map(|&i| people[i].id).collect()]
    };
    GenoLayout { people, rows: out_rows, couples, families, warnings, twins }
}

/// A chain of partners while rows are being ordered.
#[derive(Debug, Clone)]
struct Unit {
    members: Vec<usize>,
    /// The family (connected component) it belongs to: the client's first.
    comp: usize,
    key: f64,
}

struct OrderCtx<'a> {
    parents_of: &'a [Vec<usize>],
    children_of: &'a [Vec<usize>],
    people: &'a [GenoPerson],
    /// The birth order key shared by twins.
    twin_key: &'a HashMap<usize, (i32, i64)>,
}

/// Orders a partner group as a chain so that as many partners as possible sit side by side:
/// a walk from someone with one partner; anyone left over goes at the end. When not everyone
/// can sit beside their partner, current partners are kept together first.
fn linearise(members: &[usize], links: &[(usize, usize, CoupleKind)], people: &[GenoPerson]) -> Vec<usize> {
    if members.len() <= 1 {
        return members.to_vec();
    }
    let rank = |k: CoupleKind| match k {
        CoupleKind::Current | CoupleKind::Married | CoupleKind::Cohabiting => 0,
        CoupleKind::CoParents => 1,
        CoupleKind::Former | CoupleKind::Separated | CoupleKind::Divorced => 2,
    };
    let mut adj: HashMap<usize, Vec<(usize, u8)>> = HashMap::new();
    for &(a, b, k) in links {
        adj.entry(a).or_default().push((b, rank(k)));
        adj.entry(b).or_default().push((a, rank(k)));
    }
    for v in adj.values_mut() {
        v.sort_unstable();
    }
    let degree = |i: usize| adj.get(&i).map_or(0, Vec::len);
    // start from someone with one partner, a former one if possible (the current partnership
    // then comes later in the walk, where it has room)
    let start_rank = |i: usize| adj.get(&i).and_then(|v| v.first()).map_or(0, |&(_, r)| 2 - r);
    let start =
        members.iter().copied().min_by_key(|&i| (degree(i).max(1), start_rank(i), i)).unwrap_or(members[0]);
    let mut chain = vec![start];
    let mut seen: HashSet<usize> = HashSet::from([start]);
    let mut cur = start;
    loop {
        // go on to the unvisited partner who has the fewest other partners (a leaf first),
        // current partners before former ones
        let next = adj
            .get(&cur)
            .into_iter()
            .flatten()
            .copied()
            .filter(|(x, _)| !seen.contains(x))
            .min_by_key(|&(x, r)| {
                (adj.get(&x).map_or(0, |v| v.iter().filter(|y| !seen.contains(&y.0)).count()), r)
            })
            .map(|(x, _)| x);
        let Some(next) = next else { break };
        chain.push(next);
        seen.insert(next);
        cur = next;
    }
    for &m in members {
        if seen.insert(m) {
            chain.push(m);
        }
    }
    // a couple with nothing else to go by: the man on the left, as genograms are usually drawn
    if chain.len() == 2 && people[chain[0]].sex == Sex::Female && people[chain[1]].sex == Sex::Male {
        chain.reverse();
    }
    chain
}

/// Position of every person within its row, as a float index.
fn positions(rows: &[Vec<Unit>]) -> HashMap<usize, f64> {
    let mut pos = HashMap::new();
    for row in rows {
        let mut k = 0.0;
        for u in row {
            for &m in &u.members {
                pos.insert(m, k);
                k += 1.0;
            }
        }
    }
    pos
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Birth order key of a unit: its oldest member with parents (siblings oldest first).
fn birth_key(u: &Unit, ctx: &OrderCtx<'_>) -> (i32, i64) {
    let blood = u.members.iter().copied().find(|&m| !ctx.parents_of[m].is_empty()).unwrap_or(u.members[0]);
    if let Some(&k) = ctx.twin_key.get(&blood) {
        return k;
    }
    (ctx.people[blood].birth_year.unwrap_or(i32::MAX), ctx.people[blood].id)
}

/// Barycentre sweeps: down (children under their parents), up (parents over their children),
/// down again; chains are turned so each partner faces their own family.
fn order_rows(rows: &mut [Vec<Unit>], ctx: &OrderCtx<'_>) {
    for row in rows.iter_mut() {
        row.sort_by(|a, b| a.comp.cmp(&b.comp).then(birth_key(a, ctx).cmp(&birth_key(b, ctx))));
    }
    for sweep in 0..3 {
        let down = sweep % 2 == 0;
        let order: Vec<usize> =
            if down { (1..rows.len()).collect() } else { (0..rows.len()).rev().collect() };
        for r in order {
            let pos = positions(rows);
            let row = &mut rows[r];
            let mut k = 0.0;
            for u in row.iter_mut() {
                let own = k + (u.members.len() as f64 - 1.0) / 2.0;
                k += u.members.len() as f64;
                let keys: Vec<f64> =
                    u.members.iter().filter_map(|&m| member_key(m, down, &pos, ctx)).collect();
                u.key = mean(&keys).unwrap_or(own);
            }
            row.sort_by(|a, b| {
                a.comp
                    .cmp(&b.comp)
                    .then(a.key.total_cmp(&b.key))
                    .then(birth_key(a, ctx).cmp(&birth_key(b, ctx)))
            });
            orient(row, down, &pos, ctx);
        }
    }
}

/// Where a person's family is in the neighbouring row: their parents (going down) or their
/// children (going up).
fn member_key(m: usize, down: bool, pos: &HashMap<usize, f64>, ctx: &OrderCtx<'_>) -> Option<f64> {
    let others = if down { &ctx.parents_of[m] } else { &ctx.children_of[m] };
    let xs: Vec<f64> = others.iter().filter_map(|o| pos.get(o).copied()).collect();
    mean(&xs)
}

/// Turns chains so each partner faces their own family: going down, a partner with parents
/// goes towards their brothers and sisters; going up, each couple towards its own children.
fn orient(row: &mut [Unit], down: bool, pos: &HashMap<usize, f64>, ctx: &OrderCtx<'_>) {
    for idx in 0..row.len() {
        let len = row[idx].members.len();
        if len < 2 {
            continue;
        }
        let keyed: Vec<(f64, f64)> = row[idx]
            .members
            .iter()
            .enumerate()
            .filter_map(|(i, &m)| member_key(m, down, pos, ctx).map(|k| (i as f64, k)))
            .collect();
        let reverse = if keyed.len() >= 2 {
            let (mi, mk) = (
                mean(&keyed.iter().map(|p| p.0).collect::<Vec<_>>()),
                mean(&keyed.iter().map(|p| p.1).collect::<Vec<_>>()),
            );
            let (mi, mk) = (mi.unwrap_or(0.0), mk.unwrap_or(0.0));
            keyed.iter().map(|&(i, k)| (i - mi) * (k - mk)).sum::<f64>() < -1e-9
        } else if down && keyed.len() == 1 {
            let (u, key) = (&row[idx], row[idx].key);
            let same = |v: &Unit| v.comp == u.comp && (v.key - key).abs() < 1e-9;
            let before = row[..idx].iter().filter(|v| same(v)).count();
            let after = row[idx + 1..].iter().filter(|v| same(v)).count();
            let at = keyed[0].0;
            let middle = (len as f64 - 1.0) / 2.0;
            (before > 0 && after == 0 && at > middle) || (after > 0 && before == 0 && at < middle)
        } else {
            false
        };
        // a twin in a chain faces the other twins
        let twin_at = row[idx].members.iter().position(|m| ctx.twin_key.contains_key(m));
        let others = |r: &[Unit]| r.iter().any(|v| v.members.iter().any(|m| ctx.twin_key.contains_key(m)));
        let reverse = match twin_at {
            Some(t) if others(&row[idx + 1..]) && !others(&row[..idx]) => t != len - 1,
            Some(t) if others(&row[..idx]) && !others(&row[idx + 1..]) => t != 0,
            _ => reverse,
        };
        if reverse {
            row[idx].members.reverse();
        }
    }
}

/// Rows of a generation band: the line of descent above the cards, the two card lines, and a
/// spare row below (lines pass through it; the household outline runs along it).
const BAND: i32 = 4;
/// Cells between partners: room for the partner line, its mark and the line of descent.
pub const PARTNER_GAP: i32 = 8;
/// Cells between people of one family who are not partners.
pub const SIBLING_GAP: i32 = 3;
/// Cells between families that are not linked to each other.
pub const FAMILY_GAP: i32 = 6;
/// Cells before a card's text: the symbol and a space.
pub const SYMBOL_CELLS: i32 = 4;
/// Card text widths tried, widest first, until the picture fits.
const MIN_TEXT: usize = 6;
const MAX_TEXT: usize = 20;
/// Room for "b.1950, 76" under the name.
const YEAR_TEXT: usize = 10;

/// A person's card: symbol at `x..x+3` on line `y`, name from `x + 4`, year line at `y + 1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedCard {
    pub id: i64,
    pub x: i32,
    pub y: i32,
    /// The name, display-safe and fitted to the card.
    pub name: String,
}

/// A line between partners on their card line, from `from` to `to` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartnerLine {
    pub y: i32,
    pub from: i32,
    pub to: i32,
    pub kind: CoupleKind,
    /// Where the line to their children leaves it.
    pub junction: Option<i32>,
}

/// The line from parents down to their children: a vertical at `x` from `from_y` to `bar_y`,
/// and along `bar_y` a bar with a drop to each child's symbol column (down to `drop_y`, the
/// row just above the cards). Twins hang from one point on the bar (`forks`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Descent {
    pub x: i32,
    pub from_y: i32,
    pub bar_y: i32,
    pub children: Vec<i32>,
    /// The row just above the children's cards: `bar_y`, or one row lower when twins fork.
    pub drop_y: i32,
    /// How each child (in the order of `children`) is joined: birth, adoption, fostering.
    pub lines: Vec<ChildLine>,
    pub forks: Vec<Fork>,
}

/// Twins hanging from one point `at` on their parents' bar: the fork runs on the row below
/// the bar, from that point to each twin's symbol column in `children`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fork {
    pub at: i32,
    pub children: Vec<i32>,
}

impl Descent {
    /// Where the bar goes down: each child not a twin, and each fork's point, with its line.
    pub fn stops(&self) -> Vec<(i32, ChildLine)> {
        let mut out: Vec<(i32, ChildLine)> = self
            .children
            .iter()
            .zip(&self.lines)
            .filter(|(x, _)| !self.forks.iter().any(|f| f.children.contains(x)))
            .map(|(&x, &l)| (x, l))
            .collect();
        for f in &self.forks {
            out.push((f.at, common_line(f.children.iter().map(|x| self.line_of(*x)))));
        }
        out.sort_unstable_by_key(|s| s.0);
        out
    }

    /// The line of the child at symbol column `x`.
    pub fn line_of(&self, x: i32) -> ChildLine {
        self.children
            .iter()
            .position(|&c| c == x)
            .and_then(|i| self.lines.get(i).copied())
            .unwrap_or_default()
    }
}

/// The line shared by all, or a birth line when they differ.
pub fn common_line(lines: impl IntoIterator<Item = ChildLine>) -> ChildLine {
    let mut it = lines.into_iter();
    let Some(first) = it.next() else { return ChildLine::Birth };
    if it.all(|l| l == first) {
        first
    } else {
        ChildLine::Birth
    }
}

/// An emotional tie between the client and someone next to them on their row, drawn as a line
/// on row `y` from `from` to `to`: on the name row, or the year row when a partner line holds
/// the name row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TieLine {
    /// The person (not the client) the tie is with.
    pub id: i64,
    pub y: i32,
    pub from: i32,
    pub to: i32,
    pub tie: EmotionalTie,
}

/// Which piece of the household outline a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Horizontal,
    Vertical,
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,
}

/// Everything in picture cells, `(0, 0)` top left.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GenoPlacement {
    pub width: i32,
    pub height: i32,
    /// Cells for a card's text (name, year line); a card is `SYMBOL_CELLS + text_width` wide.
    pub text_width: usize,
    pub cards: Vec<PlacedCard>,
    pub partner_lines: Vec<PartnerLine>,
    pub descents: Vec<Descent>,
    /// Emotional ties drawn as lines; a tie not here is marked on the person's card.
    pub ties: Vec<TieLine>,
    pub outline: Vec<(i32, i32, Edge)>,
    /// Row captions such as "not linked", at `(x, y)`.
    pub labels: Vec<(i32, i32, &'static str)>,
}

impl GenoPlacement {
    pub fn card(&self, id: i64) -> Option<&PlacedCard> {
        self.cards.iter().find(|c| c.id == id)
    }
    pub fn card_width(&self) -> i32 {
        SYMBOL_CELLS + self.text_width as i32
    }
}

/// Places blocks left to right in their order, each left edge at least `step[i]` after the
/// previous one's, as close as possible (weighted least squares) to where each wants to be:
/// pool-adjacent-violators on the left edges less their minimum offsets.
fn pava(desired: &[f64], weights: &[f64], step: &[i32]) -> Vec<i32> {
    let n = desired.len();
    let mut off = vec![0i32; n];
    for i in 1..n {
        off[i] = off[i - 1] + step[i];
    }
    // (weight, weighted sum, count)
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(n);
    for i in 0..n {
        let w = weights[i].max(1e-6);
        blocks.push((w, w * (desired[i] - off[i] as f64), 1));
        while blocks.len() >= 2 {
            let (a, b) = (blocks[blocks.len() - 2], blocks[blocks.len() - 1]);
            if a.1 / a.0 <= b.1 / b.0 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
        }
    }
    let mut out = Vec::with_capacity(n);
    for (w, s, count) in blocks {
        let y = (s / w).round() as i32;
        for _ in 0..count {
            out.push(y + off[out.len()]);
        }
    }
    out
}

/// A partner chain being placed.
struct Slot {
    members: Vec<i64>,
    left: i32,
}

impl GenoLayout {
    /// The generation row of a person (0 the oldest), or `None` when they are on the
    /// "not linked" row or not in the picture.
    pub fn generation_of(&self, id: i64) -> Option<usize> {
        self.rows.iter().position(|r| !r.unlinked && r.ids().any(|i| i == id))
    }

    fn person(&self, id: i64) -> Option<&GenoPerson> {
        self.people.iter().find(|p| p.id == id)
    }

    /// The line between a child and one of their parents: birth, adoption or fostering.
    pub fn child_line(&self, child: i64, parent: i64) -> ChildLine {
        match (self.person(child), self.person(parent)) {
            // a twin shares the client's parents, and how the client is joined to them
            (Some(c), Some(_)) if !c.is_client && self.twins.iter().any(|g| g.contains(&child)) => {
                match self.people.iter().find(|p| p.is_client) {
                    Some(me) => self.child_line(me.id, parent),
                    None => ChildLine::Birth,
                }
            }
            (Some(c), Some(p)) => ChildLine::between(c.bond, c.is_client, p.bond, p.is_client),
            _ => ChildLine::Birth,
        }
    }

    /// Cell positions for a picture at most `max_width` cells wide when that can be done by
    /// shortening names; otherwise the narrowest picture (the widget scrolls).
    pub fn place(&self, max_width: u16) -> GenoPlacement {
        let longest = self.people.iter().map(|p| width(&clean_line(&p.name))).max().unwrap_or(0);
        let widest = longest.clamp(YEAR_TEXT, MAX_TEXT);
        // the widest cards that fit (narrower cards never make the picture wider)
        // (the household outline, worked out once at the end, adds at most two columns on each
        // side)
        let border = if self.people.iter().any(|p| p.in_household) { 4 } else { 0 };
        let fits =
            |text: usize| self.place_with(text, max_width as i32, false).width + border <= max_width as i32;
        let (mut lo, mut hi) = (MIN_TEXT, widest);
        if fits(hi) {
            lo = hi;
        }
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if fits(mid) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        self.place_with(lo, max_width as i32, true)
    }

    /// Places everything with cards `text` cells wide; the outline only when `outline`.
    fn place_with(&self, text: usize, max_width: i32, outline: bool) -> GenoPlacement {
        let cw = SYMBOL_CELLS + text as i32;
        let pitch = cw + PARTNER_GAP;
        let mut comp_of: HashMap<i64, usize> = HashMap::new();
        {
            // families not linked to each other are kept apart
            let mut g = Groups::new(self.people.len());
            let idx: HashMap<i64, usize> = self.people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
            for f in &self.families {
                for p in &f.parents {
                    for c in &f.children {
                        if let (Some(&a), Some(&b)) = (idx.get(p), idx.get(c)) {
                            g.union(a, b);
                        }
                    }
                }
            }
            for c in &self.couples {
                if let (Some(&a), Some(&b)) = (idx.get(&c.left), idx.get(&c.right)) {
                    g.union(a, b);
                }
            }
            for (i, p) in self.people.iter().enumerate() {
                comp_of.insert(p.id, g.find(i));
            }
        }
        let linked: Vec<&GenoRow> = self.rows.iter().filter(|r| !r.unlinked).collect();
        let mut rows: Vec<Vec<Slot>> = Vec::new();
        let mut steps: Vec<Vec<i32>> = Vec::new();
        for row in &linked {
            let mut slots = Vec::new();
            let mut step = Vec::new();
            let mut left = 0;
            for (k, u) in row.units.iter().enumerate() {
                if k > 0 {
                    let prev = &row.units[k - 1];
                    let gap =
                        if comp_of.get(&prev[0]) == comp_of.get(&u[0]) { SIBLING_GAP } else { FAMILY_GAP };
                    let s = prev.len() as i32 * pitch - PARTNER_GAP + gap;
                    left += s;
                    step.push(s);
                } else {
                    step.push(0);
                }
                slots.push(Slot { members: u.clone(), left });
            }
            rows.push(slots);
            steps.push(step);
        }
        // where each person is: (row, slot, index in chain)
        let mut at: HashMap<i64, (usize, usize, usize)> = HashMap::new();
        for (r, slots) in rows.iter().enumerate() {
            for (s, slot) in slots.iter().enumerate() {
                for (k, &id) in slot.members.iter().enumerate() {
                    at.insert(id, (r, s, k));
                }
            }
        }
        let name_cells: HashMap<i64, i32> =
            self.people.iter().map(|p| (p.id, width(&card_name(p, text)) as i32)).collect();
        let kind_of: HashMap<(i64, i64), CoupleKind> =
            self.couples.iter().map(|c| ((c.left.min(c.right), c.left.max(c.right)), c.kind)).collect();
        let card_x = |rows: &Vec<Vec<Slot>>, id: i64| -> Option<i32> {
            at.get(&id).map(|&(r, s, k)| rows[r][s].left + k as i32 * pitch)
        };
        // the column the line to the children leaves from, and whether it is a couple's line
        let junction = |rows: &Vec<Vec<Slot>>, f: &Family| -> Option<(i32, bool)> {
            if let [a, b] = f.parents[..] {
                if let (Some(&(ra, sa, ka)), Some(&(rb, sb, kb))) = (at.get(&a), at.get(&b)) {
                    if ra == rb && sa == sb && ka.abs_diff(kb) == 1 {
                        let l = if ka < kb { a } else { b };
                        let ax = rows[ra][sa].left + ka.min(kb) as i32 * pitch;
                        let kind =
                            kind_of.get(&(a.min(b), a.max(b))).copied().unwrap_or(CoupleKind::CoParents);
                        let (from, to) = line_span(ax, name_cells.get(&l).copied().unwrap_or(0), ax + pitch);
                        return Some((line_junction(from, to, kind), true));
                    }
                }
            }
            f.parents.iter().find_map(|&p| card_x(rows, p)).map(|x| (x + 1, false))
        };
        let children_span = |rows: &Vec<Vec<Slot>>, f: &Family, r: Option<usize>| -> Option<(i32, i32)> {
            let xs: Vec<i32> = f
                .children
                .iter()
                .filter(|c| r.is_none_or(|r| at.get(c).is_some_and(|a| a.0 == r)))
                .filter_map(|&c| card_x(rows, c).map(|x| x + 1))
                .collect();
            Some((*xs.iter().min()?, *xs.iter().max()?))
        };
        let slot_of = |id: i64| at.get(&id).map(|&(r, s, _)| (r, s));
        for _ in 0..4 {
            // up: parents over their children
            for r in (0..rows.len().saturating_sub(1)).rev() {
                let mut shifts: Vec<Vec<f64>> = vec![Vec::new(); rows[r].len()];
                for f in &self.families {
                    let Some((pr, ps)) = f.parents.iter().find_map(|&p| slot_of(p)) else { continue };
                    if pr != r {
                        continue;
                    }
                    if let (Some((jx, _)), Some((lo, hi))) =
                        (junction(&rows, f), children_span(&rows, f, None))
                    {
                        shifts[ps].push((lo + hi) as f64 / 2.0 - jx as f64);
                    }
                }
                settle(&mut rows[r], &steps[r], &shifts);
            }
            // down: children under their parents, as a block packed as close as it may be
            for r in 1..rows.len() {
                let mut shifts: Vec<Vec<f64>> = vec![Vec::new(); rows[r].len()];
                for f in &self.families {
                    let Some((jx, _)) = junction(&rows, f) else { continue };
                    let mut kids: Vec<(usize, usize)> = f
                        .children
                        .iter()
                        .filter_map(|c| at.get(c))
                        .filter(|a| a.0 == r)
                        .map(|a| (a.1, a.2))
                        .collect();
                    kids.sort_unstable();
                    let Some(&(first, _)) = kids.first() else { continue };
                    let packed = |s: usize| -> i32 { steps[r][first + 1..=s.max(first)].iter().sum() };
                    let xs: Vec<i32> = kids.iter().map(|&(s, k)| packed(s) + k as i32 * pitch + 1).collect();
                    let centre = (xs.iter().min().unwrap_or(&0) + xs.iter().max().unwrap_or(&0)) as f64 / 2.0;
                    let mut done: HashSet<usize> = HashSet::new();
                    for &(s, _) in &kids {
                        if done.insert(s) {
                            let want = jx as f64 - centre + packed(s) as f64;
                            shifts[s].push(want - rows[r][s].left as f64);
                        }
                    }
                }
                settle(&mut rows[r], &steps[r], &shifts);
            }
        }
        // room on the left for the household outline; the picture is trimmed at the end
        let min_left = rows.iter().flatten().map(|s| s.left).min().unwrap_or(0);
        for s in rows.iter_mut().flatten() {
            s.left += 2 - min_left;
        }

        let mut out = GenoPlacement { text_width: text, ..Default::default() };
        let mut bands: Vec<Vec<(i64, i32)>> = Vec::new();
        for slots in &rows {
            let mut band = Vec::new();
            for slot in slots {
                for (k, &id) in slot.members.iter().enumerate() {
                    band.push((id, slot.left + k as i32 * pitch));
                }
            }
            bands.push(band);
        }
        // people linked to nobody: wrapped into as many rows as the width allows
        let linked_right = bands.iter().flatten().map(|&(_, x)| x + cw).max().unwrap_or(0);
        let room = max_width.max(linked_right).max(cw + 2);
        let mut first_unlinked = None;
        for row in self.rows.iter().filter(|r| r.unlinked) {
            let mut band: Vec<(i64, i32)> = Vec::new();
            let mut x = 2;
            for id in row.ids() {
                if x + cw > room && !band.is_empty() {
                    bands.push(std::mem::take(&mut band));
                    x = 2;
                }
                first_unlinked.get_or_insert(bands.len());
                band.push((id, x));
                x += cw + SIBLING_GAP;
            }
            if !band.is_empty() {
                bands.push(band);
            }
        }
        let band_of = |id: i64| at.get(&id).map(|a| a.0);
        let final_x = |id: i64| card_x(&rows, id);
        // twins that sit side by side under their parents fork from one point: their band gets
        // a row for the fork
        let mut forks: Vec<(usize, Fork)> = Vec::new();
        for group in &self.twins {
            let Some(f) = self.families.iter().find(|f| group.iter().all(|t| f.children.contains(t))) else {
                continue;
            };
            let Some(b) = band_of(group[0]) else { continue };
            if group.iter().any(|&t| band_of(t) != Some(b)) {
                continue;
            }
            let mut xs: Vec<i32> = group.iter().filter_map(|&t| final_x(t).map(|x| x + 1)).collect();
            xs.sort_unstable();
            let (Some(&lo), Some(&hi)) = (xs.first(), xs.last()) else { continue };
            let between = f
                .children
                .iter()
                .filter(|c| !group.contains(c) && band_of(**c) == Some(b))
                .any(|&c| final_x(c).is_some_and(|x| x + 1 > lo && x + 1 < hi));
            if xs.len() == group.len() && !between {
                forks.push((b, Fork { at: (lo + hi) / 2, children: xs }));
            }
        }
        let lift: Vec<i32> = (0..bands.len()).map(|b| forks.iter().any(|f| f.0 == b) as i32).collect();
        let mut tops: Vec<i32> = Vec::with_capacity(bands.len() + 1);
        let mut y = 1;
        for l in &lift {
            tops.push(y);
            y += BAND + l;
        }
        let band_top = |b: usize| tops.get(b).copied().unwrap_or(1 + BAND * b as i32);
        let card_y = |b: usize| band_top(b) + 1 + lift.get(b).copied().unwrap_or(0);
        for (b, band) in bands.iter().enumerate() {
            for &(id, x) in band {
                let Some(p) = self.person(id) else { continue };
                out.cards.push(PlacedCard { id, x, y: card_y(b), name: card_name(p, text) });
            }
        }
        if let Some(b) = first_unlinked {
            let caption = if b == 0 { "no family links recorded yet:" } else { "not linked to the family:" };
            out.labels.push((2, band_top(b), caption));
        }
        // partner lines
        for c in &self.couples {
            let (Some(a), Some(b), Some(r)) = (final_x(c.left), final_x(c.right), band_of(c.left)) else {
                continue;
            };
            let children = self
                .families
                .iter()
                .any(|f| f.parents.len() == 2 && f.parents.contains(&c.left) && f.parents.contains(&c.right));
            let (from, to) = line_span(a, name_cells.get(&c.left).copied().unwrap_or(0), b);
            out.partner_lines.push(PartnerLine {
                y: card_y(r),
                from,
                to,
                kind: c.kind,
                junction: children.then_some(line_junction(from, to, c.kind)),
            });
        }
        // lines of descent, one per row of children
        for f in &self.families {
            let Some((jx, _)) = junction(&rows, f) else { continue };
            let Some(pr) = f.parents.iter().find_map(|&p| band_of(p)) else { continue };
            let mut child_rows: Vec<usize> = f.children.iter().filter_map(|&c| band_of(c)).collect();
            child_rows.sort_unstable();
            child_rows.dedup();
            for cr in child_rows {
                let mut children = Vec::new();
                let mut lines = Vec::new();
                for &c in f.children.iter().filter(|&&c| band_of(c) == Some(cr)) {
                    let Some(x) = final_x(c) else { continue };
                    children.push(x + 1);
                    // a child adopted or fostered by one of the two (the client) is drawn so
                    lines.push(
                        f.parents
                            .iter()
                            .map(|&p| self.child_line(c, p))
                            .find(|l| *l != ChildLine::Birth)
                            .unwrap_or_default(),
                    );
                }
                let forks_here: Vec<Fork> = forks
                    .iter()
                    .filter(|(b, fk)| *b == cr && fk.children.iter().all(|x| children.contains(x)))
                    .map(|(_, fk)| fk.clone())
                    .collect();
                out.descents.push(Descent {
                    x: jx,
                    from_y: card_y(pr) + 1,
                    bar_y: band_top(cr),
                    children,
                    drop_y: card_y(cr) - 1,
                    lines,
                    forks: forks_here,
                });
            }
        }
        // emotional ties of the client's neighbours on their row, as lines between the two
        let couple_of = |a: i64, b: i64| {
            self.couples.iter().any(|c| (c.left, c.right) == (a, b) || (c.left, c.right) == (b, a))
        };
        if let Some(client) = self.people.iter().find(|p| p.is_client) {
            if let Some((b, k)) = bands
                .iter()
                .enumerate()
                .find_map(|(b, band)| band.iter().position(|&(id, _)| id == client.id).map(|k| (b, k)))
            {
                let band = &bands[b];
                for nk in [k.wrapping_sub(1), k + 1] {
                    let Some(&(other, ox)) = band.get(nk) else { continue };
                    let Some(tie) = self.person(other).and_then(|p| p.emotional) else { continue };
                    let ((lid, lx), (_, rx)) =
                        if nk < k { ((other, ox), band[k]) } else { (band[k], (other, ox)) };
                    let (y, from) = if couple_of(client.id, other) {
                        (card_y(b) + 1, lx + cw + 1)
                    } else {
                        (card_y(b), line_span(lx, name_cells.get(&lid).copied().unwrap_or(0), rx).0)
                    };
                    let to = rx - 1;
                    if to > from {
                        out.ties.push(TieLine { id: other, y, from, to, tie });
                    }
                }
            }
        }
        if outline {
            out.outline = household_outline(self, &bands, cw, &band_top, &card_y);
        }

        // trim empty rows above and columns to the left, measure
        let ys = out
            .cards
            .iter()
            .flat_map(|c| [c.y, c.y + 1])
            .chain(out.partner_lines.iter().map(|l| l.y))
            .chain(out.descents.iter().flat_map(|d| [d.from_y, d.bar_y, d.drop_y]))
            .chain(out.outline.iter().map(|o| o.1))
            .chain(out.labels.iter().map(|l| l.1));
        let (mut top, mut bottom) = (i32::MAX, i32::MIN);
        for y in ys {
            top = top.min(y);
            bottom = bottom.max(y);
        }
        if top == i32::MAX {
            return GenoPlacement { text_width: text, ..Default::default() };
        }
        let left = out
            .cards
            .iter()
            .map(|c| c.x)
            .chain(out.partner_lines.iter().map(|l| l.from))
            .chain(out.descents.iter().flat_map(|d| d.children.iter().copied().chain([d.x])))
            .chain(out.outline.iter().map(|o| o.0))
            .chain(out.labels.iter().map(|l| l.0))
            .min()
            .unwrap_or(0);
        for c in &mut out.cards {
            c.y -= top;
            c.x -= left;
        }
        for l in &mut out.partner_lines {
            l.y -= top;
            l.from -= left;
            l.to -= left;
            l.junction = l.junction.map(|j| j - left);
        }
        for d in &mut out.descents {
            d.from_y -= top;
            d.bar_y -= top;
            d.drop_y -= top;
            d.x -= left;
            for c in &mut d.children {
                *c -= left;
            }
            for f in &mut d.forks {
                f.at -= left;
                for c in &mut f.children {
                    *c -= left;
                }
            }
        }
        for t in &mut out.ties {
            t.y -= top;
            t.from -= left;
            t.to -= left;
        }
        for o in &mut out.outline {
            o.1 -= top;
            o.0 -= left;
        }
        for l in &mut out.labels {
            l.1 -= top;
            l.0 -= left;
        }
        out.height = bottom - top + 1;
        let right = out
            .cards
            .iter()
            .map(|c| c.x + cw)
            .chain(out.outline.iter().map(|o| o.0 + 1))
            .chain(out.labels.iter().map(|l| l.0 + width(l.2) as i32))
            .chain(out.partner_lines.iter().map(|l| l.to + 1))
            .chain(out.descents.iter().flat_map(|d| d.children.iter().copied().chain([d.x])).map(|x| x + 1))
            .max()
            .unwrap_or(0);
        out.width = right;
        out
    }
}

/// The name as shown on a card: display-safe, fitted, never blank.
fn card_name(p: &GenoPerson, cells: usize) -> String {
    let mut name = clean_line(&p.name);
    if name.is_empty() {
        name = "(no name)".to_string();
    }
    // the client's symbol holds ◆, unless it holds the X of someone who has died
    if p.is_client && p.deceased {
        name = format!("◆ {name}");
    }
    let fitted = fit(&name, cells);
    // "Linda…" rather than "Linda …"
    match fitted.strip_suffix('…') {
        Some(head) if head.ends_with(' ') => format!("{}…", head.trim_end()),
        _ => fitted,
    }
}

/// The cells a partner line covers: from one space after the left partner's name up to the
/// right partner's symbol.
fn line_span(left_x: i32, left_name_cells: i32, right_x: i32) -> (i32, i32) {
    (left_x + SYMBOL_CELLS + left_name_cells + 1, right_x - 1)
}

/// Where the children's line leaves a partner line: its middle, or for separated partners far
/// enough along for the `//` mark to sit before it.
fn line_junction(from: i32, to: i32, kind: CoupleKind) -> i32 {
    let mid = (from + to) / 2;
    match kind {
        CoupleKind::Former | CoupleKind::Separated | CoupleKind::Divorced => {
            mid.max(from + 4).min(to - 1).max(from)
        }
        _ => mid,
    }
}

/// Moves a row's chains by the shifts their families want, keeping order and gaps.
fn settle(slots: &mut [Slot], step: &[i32], shifts: &[Vec<f64>]) {
    let desired: Vec<f64> =
        slots.iter().zip(shifts).map(|(s, sh)| s.left as f64 + mean(sh).unwrap_or(0.0)).collect();
    // a chain with nobody to line up with gives way
    let weights: Vec<f64> = shifts.iter().map(|sh| if sh.is_empty() { 0.01 } else { 1.0 }).collect();
    for (s, x) in slots.iter_mut().zip(pava(&desired, &weights, step)) {
        s.left = x;
    }
}

/// The dashed line around the household: household members next to each other on a row form
/// a box (their cards and the line of descent above them); boxes on neighbouring rows that
/// overlap are joined. Nobody outside the household is ever inside it.
fn household_outline(
    layout: &GenoLayout,
    bands: &[Vec<(i64, i32)>],
    cw: i32,
    band_top: &dyn Fn(usize) -> i32,
    card_y: &dyn Fn(usize) -> i32,
) -> Vec<(i32, i32, Edge)> {
    let home: HashSet<i64> = layout.people.iter().filter(|p| p.in_household).map(|p| p.id).collect();
    if home.is_empty() {
        return Vec::new();
    }
    let mut segments: Vec<Vec<(i32, i32)>> = Vec::new();
    for band in bands {
        let mut segs = Vec::new();
        let mut cur: Option<(i32, i32)> = None;
        for &(id, x) in band {
            if home.contains(&id) {
                cur = Some(match cur {
                    Some((lo, _)) => (lo, x + cw - 1),
                    None => (x, x + cw - 1),
                });
            } else if let Some(s) = cur.take() {
                segs.push(s);
            }
        }
        segs.extend(cur);
        segments.push(segs);
    }
    // a box joined to the one above or below is widened to match it where nobody outside the
    // household would end up inside, so the outline reads as one shape
    let fits = |b: usize, lo: i32, hi: i32| -> bool {
        !bands[b].iter().any(|&(id, x)| !home.contains(&id) && x + cw > lo - 3 && x < hi + 4)
    };
    for _ in 0..2 {
        for b in 0..segments.len() {
            for nb in [b.wrapping_sub(1), b + 1] {
                let Some(other) = segments.get(nb).cloned() else { continue };
                for seg in segments[b].iter_mut() {
                    for &(o0, o1) in &other {
                        if o0 <= seg.1 && seg.0 <= o1 {
                            let (lo, hi) = (seg.0.min(o0), seg.1.max(o1));
                            if fits(b, lo, hi) {
                                *seg = (lo, hi);
                            }
                        }
                    }
                }
            }
        }
    }
    // inside: each box (its cards and the row above them) and a one-row neck between boxes
    // on neighbouring rows that overlap
    let mut rects: Vec<(i32, i32, i32, i32)> = Vec::new();
    for (b, segs) in segments.iter().enumerate() {
        let (top, bottom) = (band_top(b), card_y(b) + 1);
        rects.extend(segs.iter().map(|&(lo, hi)| (lo - 1, hi + 1, top, bottom)));
    }
    for b in 1..segments.len() {
        let y = band_top(b) - 1;
        for &(a0, a1) in &segments[b - 1] {
            for &(b0, b1) in &segments[b] {
                let (lo, hi) = (a0.max(b0), a1.min(b1));
                if lo <= hi {
                    rects.push((lo - 1, hi + 1, y, y));
                }
            }
        }
    }
    if rects.is_empty() {
        return Vec::new();
    }
    // a dense grid with a one-cell margin all round
    let x0 = rects.iter().map(|r| r.0).min().unwrap_or(0) - 2;
    let x1 = rects.iter().map(|r| r.1).max().unwrap_or(0) + 2;
    let y0 = rects.iter().map(|r| r.2).min().unwrap_or(0) - 2;
    let y1 = rects.iter().map(|r| r.3).max().unwrap_or(0) + 2;
    let (gw, gh) = ((x1 - x0 + 1) as usize, (y1 - y0 + 1) as usize);
    let at = |x: i32, y: i32| (y - y0) as usize * gw + (x - x0) as usize;
    let mut inside = vec![false; gw * gh];
    for &(lo, hi, top, bottom) in &rects {
        for y in top..=bottom {
            for x in lo..=hi {
                inside[at(x, y)] = true;
            }
        }
    }
    let mut border = vec![false; gw * gh];
    for y in y0 + 1..y1 {
        for x in x0 + 1..x1 {
            if !inside[at(x, y)] && (-1..=1).any(|dy| (-1..=1).any(|dx| inside[at(x + dx, y + dy)])) {
                border[at(x, y)] = true;
            }
        }
    }
    let is_border = |x: i32, y: i32| x >= x0 && x <= x1 && y >= y0 && y <= y1 && border[at(x, y)];
    let mut cells = Vec::new();
    for y in y0..=y1 {
        for x in x0..=x1 {
            if !border[at(x, y)] {
                continue;
            }
            let (u, d) = (is_border(x, y - 1), is_border(x, y + 1));
            let (l, r) = (is_border(x - 1, y), is_border(x + 1, y));
            let edge = match (u, d, l, r) {
                (false, true, false, true) => Edge::TopLeft,
                (false, true, true, false) => Edge::TopRight,
                (true, false, false, true) => Edge::BottomLeft,
                (true, false, true, false) => Edge::BottomRight,
                (_, _, true, _) | (_, _, _, true) => Edge::Horizontal,
                _ => Edge::Vertical,
            };
            cells.push((x, y, edge));
        }
    }
    cells.sort_by_key(|c| (c.1, c.0));
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: i64, sex: Sex, born: i32) -> GenoPerson {
        GenoPerson { id, name: format!("Person {id}"), sex, birth_year: Some(born), ..Default::default() }
    }

    /// Grandparents 1+2 (1 died); their daughters 3 (mother) and 4 (aunt); father 5 separated
    /// from 3 and now with 6; brother 7, client 8, half-brother 9; client's partner 10 and
    /// children 11, 12; household 8, 10, 11, 12.
    fn family() -> GenoInput {
        use Sex::*;
        let mut people = vec![
            p(1, Male, 1938),
            p(2, Female, 1941),
            p(3, Female, 1962),
            p(4, Female, 1965),
            p(5, Male, 1960),
            p(6, Female, 1968),
            p(7, Male, 1987),
            p(8, Female, 1990),
            p(9, Male, 2001),
            p(10, Male, 1988),
            p(11, Female, 2015),
            p(12, Male, 2018),
        ];
        people[0].deceased = true;
        people[7].is_client = true;
        for i in [7, 9, 10, 11] {
            people[i].in_household = true;
        }
        GenoInput {
            people,
            parents: vec![
                (3, 1),
                (3, 2),
                (4, 1),
                (4, 2),
                (7, 3),
                (7, 5),
                (8, 3),
                (8, 5),
                (9, 5),
                (9, 6),
                (11, 8),
                (11, 10),
                (12, 8),
                (12, 10),
            ],
            partners: vec![
                (1, 2, PartnerStatus::Current),
                (3, 5, PartnerStatus::Former),
                (5, 6, PartnerStatus::Current),
                (8, 10, PartnerStatus::Current),
            ],
        }
    }

    fn unit_of(l: &GenoLayout, id: i64) -> &Vec<i64> {
        l.rows.iter().flat_map(|r| r.units.iter()).find(|u| u.contains(&id)).expect("placed")
    }

    fn adjacent(l: &GenoLayout, a: i64, b: i64) -> bool {
        let u = unit_of(l, a);
        u.windows(2).any(|w| (w[0] == a && w[1] == b) || (w[0] == b && w[1] == a))
    }

    #[test]
    fn generations_come_from_parent_links() {
        let l = layout(&family());
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        let g = |id| l.generation_of(id);
        assert_eq!((g(1), g(2)), (Some(0), Some(0)), "grandparents on top");
        assert_eq!(
            (g(3), g(4), g(5), g(6)),
            (Some(1), Some(1), Some(1), Some(1)),
            "parents, aunt, step-mother"
        );
        assert_eq!(
            (g(7), g(8), g(9), g(10)),
            (Some(2), Some(2), Some(2), Some(2)),
            "client, siblings, partner"
        );
        assert_eq!((g(11), g(12)), (Some(3), Some(3)), "client's children");
        assert_eq!(l.rows.len(), 4);
        assert!(l.rows.iter().all(|r| !r.unlinked));
    }

    #[test]
    fn partners_sit_together_and_children_under_their_couple() {
        let l = layout(&family());
        assert!(adjacent(&l, 1, 2));
        assert!(adjacent(&l, 3, 5), "separated parents still side by side");
        assert!(adjacent(&l, 5, 6), "father between his former and current partner");
        assert!(adjacent(&l, 8, 10));
        let former = l.couples.iter().find(|c| [c.left, c.right].contains(&3)).expect("couple");
        assert_eq!(former.kind, CoupleKind::Former);
        // the mother faces her own sister, and the older brother comes first
        let row1: Vec<i64> = l.rows[1].ids().collect();
        let pos = |row: &[i64], id| row.iter().position(|&i| i == id).expect("in row");
        assert_eq!(pos(&row1, 4), pos(&row1, 3) + 1, "{row1:?}");
        let row2: Vec<i64> = l.rows[2].ids().collect();
        assert!(pos(&row2, 7) < pos(&row2, 8), "{row2:?}");
        // half-brother on the step-mother's side
        assert_eq!(pos(&row1, 6) < pos(&row1, 3), pos(&row2, 9) < pos(&row2, 8), "{row1:?} {row2:?}");

        let placed = l.place(80);
        assert!(placed.width <= 80, "fits 80 columns: {}", placed.width);
        for f in &l.families {
            let d = placed
                .descents
                .iter()
                .find(|d| {
                    f.children.iter().all(|c| d.children.contains(&(placed.card(*c).expect("card").x + 1)))
                })
                .expect("a line of descent per family");
            let lo = *d.children.iter().min().expect("child");
            let hi = *d.children.iter().max().expect("child");
            // the line comes down within (or next to) the children it serves
            assert!(d.x >= lo - placed.card_width() && d.x <= hi + placed.card_width(), "{f:?} {d:?}");
        }
        let couple = placed.partner_lines.iter().filter(|l| l.junction.is_some()).count();
        assert_eq!(couple, 4, "every couple with children has a junction");
    }

    #[test]
    fn cards_never_overlap_and_the_household_holds_only_members() {
        for w in [40, 80, 140] {
            let l = layout(&family());
            let placed = l.place(w);
            let cw = placed.card_width();
            for a in &placed.cards {
                for b in &placed.cards {
                    if a.id != b.id && a.y == b.y {
                        assert!(a.x + cw < b.x || b.x + cw < a.x, "{a:?} {b:?}");
                    }
                }
            }
            assert!(!placed.outline.is_empty());
            let home: HashSet<i64> = l.people.iter().filter(|p| p.in_household).map(|p| p.id).collect();
            for c in &placed.cards {
                // no outline cell on a card
                assert!(!placed
                    .outline
                    .iter()
                    .any(|o| o.1 >= c.y && o.1 <= c.y + 1 && o.0 >= c.x && o.0 < c.x + cw));
                // crossing the outline's sides from the left edge of the picture: an odd
                // count means inside; members are inside, nobody else is
                let sides: Vec<&(i32, i32, Edge)> =
                    placed.outline.iter().filter(|o| o.1 == c.y + 1 && o.0 < c.x).collect();
                assert!(sides.iter().all(|o| o.2 == Edge::Vertical), "{sides:?}");
                assert_eq!(sides.len() % 2 == 1, home.contains(&c.id), "person {} at width {w}", c.id);
            }
        }
    }

    #[test]
    fn contradictory_links_are_left_out_and_named() {
        use Sex::*;
        let input = GenoInput {
            people: vec![
                p(1, Male, 1950),
                p(2, Female, 1952),
                p(3, Female, 1975),
                p(4, Male, 1949),
                p(5, Male, 1948),
            ],
            parents: vec![
                (3, 1),
                (3, 2),
                (1, 3), // 1 would be their own grandparent
                (2, 2), // own parent
                (3, 4), // a third parent
                (3, 5),
                (42, 1), // nobody
            ],
            partners: vec![
                (1, 1, PartnerStatus::Current), // own partner
                (1, 3, PartnerStatus::Current), // partner and child
                (1, 2, PartnerStatus::Current),
                (2, 1, PartnerStatus::Former), // the same pair again
            ],
        };
        let l = layout(&input);
        let all = l.warnings.join("\n");
        assert!(all.contains("own ancestor"), "{all}");
        assert!(all.contains("own parent"), "{all}");
        assert!(all.contains("more than two parents"), "{all}");
        assert!(all.contains("own partner"), "{all}");
        assert!(all.contains("one descends from the other"), "{all}");
        assert!(all.contains("not in the family list"), "{all}");
        assert_eq!(l.generation_of(1), Some(0));
        assert_eq!(l.generation_of(3), Some(1));
        assert!(adjacent(&l, 1, 2));
        assert_eq!(l.couples.len(), 1, "the repeated pair is drawn once");
        assert_eq!(l.people.len(), 5);
        // people whose links were all refused are still drawn
        assert!(l.rows.iter().any(|r| r.unlinked && r.ids().any(|i| i == 4)));
        let placed = l.place(80);
        assert_eq!(placed.cards.len(), 5);
    }

    #[test]
    fn a_partner_who_would_close_a_loop_is_refused() {
        use Sex::*;
        // 1 and 2 have child 3; 3 has child 4; a partnership between 4 and 1 would put a
        // grandparent on their grandchild's row
        let input = GenoInput {
            people: vec![
                p(1, Male, 1950),
                p(2, Female, 1950),
                p(3, Female, 1970),
                p(4, Male, 1990),
                p(5, Female, 1990),
            ],
            parents: vec![(3, 1), (3, 2), (4, 3)],
            partners: vec![(4, 5, PartnerStatus::Current), (5, 1, PartnerStatus::Current)],
        };
        let l = layout(&input);
        assert_eq!(l.warnings.len(), 1, "{:?}", l.warnings);
        assert_eq!(l.generation_of(4), Some(2));
        assert_eq!(l.generation_of(5), Some(2));
    }

    #[test]
    fn people_without_links_and_missing_partners() {
        use Sex::*;
        // a child whose second parent has no recorded parents and no partner link; a lone
        // neighbour; someone with three partners
        let input = GenoInput {
            people: vec![
                p(1, Female, 1980),
                p(2, Male, 1978),
                p(3, Male, 2005),
                p(4, Other, 1960),
                p(5, Male, 1970),
                p(6, Female, 1971),
                p(7, Female, 1972),
                p(8, Female, 1973),
            ],
            parents: vec![(3, 1), (3, 2)],
            partners: vec![
                (5, 6, PartnerStatus::Former),
                (5, 7, PartnerStatus::Former),
                (5, 8, PartnerStatus::Current),
            ],
        };
        let l = layout(&input);
        assert_eq!(l.generation_of(1), l.generation_of(2), "co-parents share a row");
        assert!(adjacent(&l, 1, 2));
        assert_eq!(
            l.couples.iter().find(|c| [c.left, c.right].contains(&1)).map(|c| c.kind),
            Some(CoupleKind::CoParents)
        );
        assert_eq!(l.generation_of(3).map(|g| g - l.generation_of(1).unwrap_or(0)), Some(1));
        assert_eq!(l.generation_of(4), None);
        assert!(l.rows.last().is_some_and(|r| r.unlinked));
        // two of three partners sit beside 5; the third is named as not drawn
        assert_eq!(l.couples.iter().filter(|c| [c.left, c.right].contains(&5)).count(), 2);
        assert!(l.warnings.iter().any(|w| w.contains("too many partners")), "{:?}", l.warnings);
    }

    /// The client (3) adopted by 1 and 2, with a twin (4) and an older brother (5); the client's
    /// partner (6), their adopted child (7) and the client's foster child (8).
    fn adoptive() -> GenoInput {
        use Sex::*;
        let mut people = vec![
            p(1, Male, 1950),
            p(2, Female, 1952),
            p(3, Female, 1984),
            p(4, Female, 1984),
            p(5, Male, 1980),
            p(6, Female, 1983),
            p(7, Unknown, 2012),
            p(8, Male, 2015),
        ];
        people[0].bond = Bond::AdoptiveParent;
        people[1].bond = Bond::AdoptiveParent;
        people[2].is_client = true;
        people[3].bond = Bond::Twin;
        people[3].emotional = Some(EmotionalTie::Conflict);
        people[5].emotional = Some(EmotionalTie::Close);
        people[0].emotional = Some(EmotionalTie::CutOff);
        people[6].bond = Bond::AdoptedChild;
        people[7].bond = Bond::FosterChild;
        GenoInput {
            people,
            parents: vec![(3, 1), (3, 2), (4, 1), (4, 2), (5, 1), (5, 2), (7, 3), (7, 6), (8, 3)],
            partners: vec![(1, 2, PartnerStatus::Married), (3, 6, PartnerStatus::Cohabiting)],
        }
    }

    #[test]
    fn twins_fork_from_one_point_and_sit_side_by_side() {
        let l = layout(&adoptive());
        assert_eq!(l.twins, vec![vec![3, 4]]);
        let row: Vec<i64> = l.rows[1].ids().collect();
        let pos = |id| row.iter().position(|&i| i == id).expect("in row");
        assert_eq!(pos(4).abs_diff(pos(3)), 1, "the client faces the twin: {row:?}");
        for w in [80, 140] {
            let placed = l.place(w);
            let x = |id| placed.card(id).expect("card").x + 1;
            let d = placed.descents.iter().find(|d| d.children.contains(&x(3))).expect("descent");
            assert_eq!(d.forks.len(), 1);
            let f = &d.forks[0];
            assert_eq!(f.children, {
                let mut v = vec![x(3), x(4)];
                v.sort();
                v
            });
            assert_eq!(f.at, (x(3) + x(4)) / 2, "one point between the twins");
            assert_eq!(d.drop_y, d.bar_y + 1, "the fork has its own row");
            assert_eq!(placed.card(3).expect("card").y, d.drop_y + 1);
            // the bar goes down once for both twins, and once for the brother
            let stops: Vec<i32> = d.stops().iter().map(|s| s.0).collect();
            assert_eq!(stops, {
                let mut v = vec![f.at, x(5)];
                v.sort();
                v
            });
        }
        // without the twin, no fork and no extra row
        let mut single = adoptive();
        single.people[3].bond = Bond::None;
        let l = layout(&single);
        assert!(l.twins.is_empty());
        assert!(l.place(80).descents.iter().all(|d| d.forks.is_empty() && d.drop_y == d.bar_y));
    }

    #[test]
    fn adoptive_and_foster_lines_are_told_apart_from_birth() {
        let l = layout(&adoptive());
        assert_eq!(l.child_line(3, 1), ChildLine::Adoptive, "the client and an adoptive parent");
        assert_eq!(l.child_line(4, 2), ChildLine::Adoptive, "the twin shares the client's line");
        assert_eq!(l.child_line(5, 1), ChildLine::Birth, "nothing recorded for the brother");
        assert_eq!(l.child_line(7, 3), ChildLine::Adoptive);
        assert_eq!(l.child_line(8, 3), ChildLine::Foster);
        let placed = l.place(80);
        let x = |id| placed.card(id).expect("card").x + 1;
        let line =
            |id| placed.descents.iter().find(|d| d.children.contains(&x(id))).map(|d| d.line_of(x(id)));
        assert_eq!(line(3), Some(ChildLine::Adoptive));
        assert_eq!(line(5), Some(ChildLine::Birth));
        assert_eq!(line(7), Some(ChildLine::Adoptive), "adopted by the client and her partner");
        assert_eq!(line(8), Some(ChildLine::Foster));
    }

    #[test]
    fn emotional_ties_beside_the_client_are_lines_others_stay_marks() {
        let l = layout(&adoptive());
        for w in [80, 140] {
            let placed = l.place(w);
            let client = placed.card(3).expect("card");
            let tie = |id| placed.ties.iter().find(|t| t.id == id);
            let partner = tie(6).expect("partner's tie drawn");
            assert_eq!(partner.tie, EmotionalTie::Close);
            assert_eq!(partner.y, client.y + 1, "under the partner line, on the year row");
            let twin = tie(4).expect("twin's tie drawn");
            assert_eq!(twin.y, client.y, "on the name row");
            assert!(twin.to - twin.from >= 1, "{twin:?}");
            // between the two cards, never on a symbol, a name or a year line
            let cw = placed.card_width();
            for t in &placed.ties {
                for c in &placed.cards {
                    let end = if t.y == c.y { c.x + SYMBOL_CELLS + width(&c.name) as i32 } else { c.x + cw };
                    let on_card = (t.y == c.y || t.y == c.y + 1) && t.from <= end && t.to >= c.x;
                    assert!(!on_card, "{t:?} {c:?}");
                }
            }
            assert!(tie(1).is_none(), "a parent a row above keeps the mark");
        }
    }

    #[test]
    fn empty_and_single() {
        let l = layout(&GenoInput::default());
        assert!(l.rows.is_empty());
        assert_eq!(l.place(80), GenoPlacement { text_width: YEAR_TEXT, ..Default::default() });
        let one = GenoInput { people: vec![p(1, Sex::Female, 1990)], ..Default::default() };
        let placed = layout(&one).place(10);
        assert_eq!(placed.cards.len(), 1);
        assert!(placed.width > 0 && placed.height >= 3);
    }

    /// A tiny deterministic generator: no dependency for a few random links.
    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        *seed >> 33
    }

    #[test]
    fn random_tangles_never_panic() {
        let mut seed = 7;
        for round in 0..30 {
            let n = 1 + (lcg(&mut seed) % 30) as i64;
            let people: Vec<GenoPerson> = (0..n)
                .map(|i| GenoPerson {
                    id: i,
                    name: "x".repeat((lcg(&mut seed) % 30) as usize),
                    sex: Sex::ALL[(lcg(&mut seed) % 4) as usize],
                    birth_year: (!lcg(&mut seed).is_multiple_of(3))
                        .then_some(1900 + (lcg(&mut seed) % 120) as i32),
                    deceased: lcg(&mut seed).is_multiple_of(5),
                    in_household: lcg(&mut seed).is_multiple_of(3),
                    is_client: i == 0,
                    // twins, adoption, fostering and emotional ties tangled in too
                    bond: [Bond::None, Bond::Twin, Bond::AdoptiveParent, Bond::FosterChild, Bond::Twin]
                        [(lcg(&mut seed) % 5) as usize],
                    emotional: [None, Some(EmotionalTie::Close), Some(EmotionalTie::CutOff)]
                        [(lcg(&mut seed) % 3) as usize],
                    ..Default::default()
                })
                .collect();
            let links = (lcg(&mut seed) % (3 * n as u64 + 1)) as usize;
            let id = |s: &mut u64| (lcg(s) % (n as u64 + 2)) as i64;
            let parents = (0..links).map(|_| (id(&mut seed), id(&mut seed))).collect();
            let partners = (0..links / 2)
                .map(|_| (id(&mut seed), id(&mut seed), PartnerStatus::ALL[(lcg(&mut seed) % 6) as usize]))
                .collect();
            let l = layout(&GenoInput { people, parents, partners });
            let placed = l.place((20 + round * 5) as u16);
            assert_eq!(placed.cards.len(), n as usize, "everyone is drawn (round {round})");
            for c in &placed.cards {
                assert!(c.x >= 0 && c.y >= 0 && c.y < placed.height && c.x < placed.width);
            }
            for d in &placed.descents {
                assert!(d.drop_y >= d.bar_y && d.drop_y < placed.height, "{d:?}");
                for f in &d.forks {
                    assert!(f.children.len() >= 2 && f.children.iter().all(|x| d.children.contains(x)));
                }
            }
            for t in &placed.ties {
                assert!(t.from <= t.to && t.from >= 0 && t.to < placed.width, "{t:?}");
            }
        }
    }
}
