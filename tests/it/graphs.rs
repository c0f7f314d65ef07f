//! The genogram and ecomap pictures rendered into ratatui's TestBackend and compared with
//! snapshots. Every person here is synthetic.

use caseload::domain::ecomap::{SupportFlow, TieKind, TieStrength};
use caseload::domain::genogram::{PartnerStatus, Sex};
use caseload::ui::widgets::ecomap::{Ecomap, EcomapInput, Tie};
use caseload::ui::widgets::genogram::{self, GenoInput, GenoPerson, Genogram};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// Renders a widget into a test terminal and returns the screen as text.
pub(crate) fn draw(w: u16, h: u16, f: impl FnOnce(&mut ratatui::Frame<'_>)) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(f).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..w {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn person(id: i64, name: &str, sex: Sex, born: i32) -> GenoPerson {
    GenoPerson { id, name: name.into(), sex, birth_year: Some(born), ..Default::default() }
}

/// Three generations above the client's children: a deceased grandfather, a father who
/// divorced and remarried, a brother, a half-brother, the client's partner and children, and
/// a household of four.
pub fn family() -> GenoInput {
    use Sex::*;
    let mut people = vec![
        person(1, "Walter Hughes", Male, 1938),
        person(2, "Edith Hughes", Female, 1941),
        person(3, "Carol Hughes", Female, 1962),
        person(4, "Joan Hughes", Female, 1965),
        person(5, "David Marsh", Male, 1960),
        person(6, "Linda Marsh", Female, 1968),
        person(7, "Tom Marsh", Male, 1987),
        person(8, "Sarah Marsh", Female, 1990),
        person(9, "Ben Marsh", Male, 2001),
        person(10, "Ravi Patel", Male, 1988),
        person(11, "Maya Patel", Female, 2015),
        person(12, "Leo Patel", Male, 2018),
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

fn geno(input: &GenoInput, w: u16, h: u16, offset: (u16, u16)) -> String {
    let layout = genogram::layout(input);
    draw(w, h, |f| f.render_widget(Genogram::new(&layout).year(2026).offset(offset.0, offset.1), f.area()))
}

/// Every cell the widget wrote is free of control characters (escape sequences never reach
/// the terminal).
fn assert_no_controls(w: u16, h: u16, f: impl FnOnce(&mut ratatui::Frame<'_>)) {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(f).unwrap();
    let buf = term.backend().buffer();
    for cell in buf.content() {
        assert!(!cell.symbol().chars().any(|c| c.is_control()), "{:?}", cell.symbol());
    }
}

#[test]
fn genogram_family_80x21_and_wide() {
    let s = geno(&family(), 80, 21, (0, 0));
    assert!(s.contains("[X] Walter"), "deceased grandfather: {s}");
    assert!(s.contains("(◆) Sarah"), "the client: {s}");
    assert!(s.contains("─//─"), "separated parents: {s}");
    assert!(s.contains("╭┄") && s.contains("┄╯"), "household outline: {s}");
    assert!(!s.contains("more"), "all of it fits at 80x21: {s}");
    insta::assert_snapshot!("genogram_80x21", s);
    let s = geno(&family(), 140, 40, (0, 0));
    assert!(s.contains("b.1941, 85"), "ages when there is room: {s}");
    insta::assert_snapshot!("genogram_140x40", s);
}

#[test]
fn genogram_scrolls_and_says_more_is_off_screen() {
    let layout = genogram::layout(&family());
    let area = ratatui::layout::Rect::new(0, 0, 40, 12);
    let (mx, my) = Genogram::max_offset(&layout, area);
    assert!(mx > 0 && my > 0, "{mx} {my}");
    let s = geno(&family(), 40, 12, (0, 0));
    assert!(s.contains("more ▶▼"), "{s}");
    let s = geno(&family(), 40, 12, (20, 3));
    assert!(s.contains("more ◀▶▲▼"), "{s}");
    insta::assert_snapshot!("genogram_scrolled", s);
    // an offset past the end is clamped: the bottom right corner shows
    let s = geno(&family(), 40, 12, (u16::MAX, u16::MAX));
    assert!(s.contains("more ◀▲"), "{s}");
    assert!(s.contains("┄╯"), "{s}");
}

#[test]
fn genogram_empty_and_one_person() {
    insta::assert_snapshot!("genogram_empty", geno(&GenoInput::default(), 80, 21, (0, 0)));
    let one = GenoInput { people: vec![person(1, "Ada Example", Sex::Female, 1990)], ..Default::default() };
    insta::assert_snapshot!("genogram_one_person", geno(&one, 80, 21, (0, 0)));
}

/// One of the project's nasty inputs (tests/fixtures/nasty-input.json), by its label.
fn nasty(label: &str) -> String {
    let raw =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/nasty-input.json"))
            .unwrap();
    let items: Vec<serde_json::Value> = serde_json::from_str(&raw).unwrap();
    let item = items.iter().find(|v| v["label"] == label).unwrap_or_else(|| panic!("no {label}"));
    item["text"].as_str().unwrap().to_string()
}

#[test]
fn genogram_survives_nasty_names_and_tangled_links() {
    use Sex::*;
    let mut people = vec![
        person(1, &nasty("CJK wide characters"), Female, 1970),
        person(2, &nasty("accents combining"), Male, 1971),
        person(3, &nasty("terminal clear screen escape"), Female, 1995),
        person(4, &nasty("emoji"), Other, 1973),
        person(5, &nasty("right-to-left override control"), Unknown, 1998),
        person(6, &nasty("spaces only"), Male, 1930),
        person(7, &nasty("very long single line (20k chars)"), Female, 1996),
        person(8, &nasty("terminal hyperlink escape (OSC 8)"), Male, 1999),
    ];
    people[2].is_client = true;
    people[5].deceased = true;
    people[0].in_household = true;
    people[2].in_household = true;
    let input = GenoInput {
        people,
        parents: vec![(3, 1), (3, 2), (1, 3), (4, 4), (5, 1), (5, 2), (5, 4), (7, 1), (7, 2), (99, 1)],
        partners: vec![
            (1, 2, PartnerStatus::Former),
            (6, 6, PartnerStatus::Current),
            (1, 3, PartnerStatus::Current),
            (3, 8, PartnerStatus::Current),
        ],
    };
    let layout = genogram::layout(&input);
    assert!(layout.warnings.len() >= 5, "{:?}", layout.warnings);
    let s = geno(&input, 80, 21, (0, 0));
    assert!(!s.contains('\u{1b}'), "{s}");
    assert!(s.contains("王小明"), "{s}");
    insta::assert_snapshot!("genogram_nasty", s);
    for (w, h) in [(80, 21), (140, 40), (33, 9)] {
        assert_no_controls(w, h, |f| f.render_widget(Genogram::new(&layout).year(2026), f.area()));
    }
}

#[test]
fn genogram_tiny_areas_do_not_panic() {
    let layout = genogram::layout(&family());
    for w in 0..12 {
        for h in 0..6 {
            draw(w.max(1), h.max(1), |f| {
                let area = ratatui::layout::Rect {
                    width: w.min(f.area().width),
                    height: h.min(f.area().height),
                    ..f.area()
                };
                f.render_widget(Genogram::new(&layout).offset(3, 3), area)
            });
        }
    }
}

fn tie(label: &str, detail: &str, kind: TieKind, strength: TieStrength, flow: SupportFlow) -> Tie {
    Tie { label: label.into(), detail: detail.into(), kind, strength: Some(strength), flow }
}

/// A dozen ties of every kind, strength and flow.
fn twelve_ties() -> EcomapInput {
    use SupportFlow::*;
    use TieKind::*;
    use TieStrength::*;
    EcomapInput {
        client: "Sarah Marsh".into(),
        ties: vec![
            tie("Ravi Patel", "partner", Family, Strong, Both),
            tie("Carol Hughes", "mother", Family, Stressful, FromClient),
            tie("David Marsh", "father", Family, Weak, None),
            tie("Maya and Leo", "children", Family, Strong, FromClient),
            tie("Priya", "friend from work", Friend, Strong, ToClient),
            tie("St Anne's School", "Maya's school", Community, Weak, ToClient),
            tie("Dr Rao", "GP", Professional, Weak, ToClient),
            tie("J. Okafor", "probation officer", Professional, Stressful, None),
            tie("Benefits office", "", Agency, Stressful, ToClient),
            tie("Northside Housing", "landlord", Agency, Stressful, FromClient),
            tie("Food bank", "referral sent", Referral, Weak, ToClient),
            tie("Talking therapies", "referral accepted", Referral, Strong, ToClient),
        ],
        deceased: vec![],
    }
}

fn eco(input: &EcomapInput, w: u16, h: u16) -> String {
    draw(w, h, |f| f.render_widget(Ecomap::new(input), f.area()))
}

/// Forty ties: more than any terminal can draw legibly.
fn forty_ties() -> EcomapInput {
    let mut input = twelve_ties();
    let base = input.ties.clone();
    for i in 0..28 {
        let mut t = base[i % 12].clone();
        t.label = format!("{} ({})", t.label, i + 2);
        input.ties.push(t);
    }
    input
}

#[test]
fn ecomap_twelve_ties_80x21_and_wide() {
    let s = eco(&twelve_ties(), 80, 21);
    for t in &twelve_ties().ties {
        let shown = caseload::domain::text::fit(&t.label, 16);
        assert!(s.contains(&shown), "{} on the map: {s}", t.label);
    }
    assert!(!s.contains("Not on the map"), "{s}");
    assert!(s.contains("│ Sarah Marsh │"), "{s}");
    assert!(s.contains("═══ strong") && s.contains("┄┄┄ weak") && s.contains("─╫─ stressful"), "{s}");
    insta::assert_snapshot!("ecomap_80x21", s);
    let s = eco(&twelve_ties(), 140, 40);
    assert!(s.contains("probation officer") && s.contains("Talking therapies"), "no cuts when wide: {s}");
    insta::assert_snapshot!("ecomap_140x40", s);
}

/// Issue 17 point 6: a tie never rated is drawn as its own line with its own legend entry, not
/// as a weak one; someone who has died is named apart, not drawn as a living tie.
#[test]
fn ecomap_legend_with_an_unrated_and_a_deceased_tie() {
    use SupportFlow::*;
    use TieKind::*;
    let input = EcomapInput {
        client: "Sarah Marsh".into(),
        ties: vec![
            tie("Ravi Patel", "partner", Family, TieStrength::Strong, Both),
            tie("Priya", "friend from work", Friend, TieStrength::Weak, ToClient),
            Tie {
                label: "Dr Rao".into(),
                detail: "GP".into(),
                kind: Professional,
                strength: Option::None,
                flow: None,
            },
        ],
        deceased: vec!["David Marsh (father)".into()],
    };
    let s = eco(&input, 80, 21);
    assert!(s.contains("··· not rated"), "its own legend entry: {s}");
    assert!(s.contains("✝ deceased, not drawn as ties (see the genogram): David Marsh (father)"), "{s}");
    let map: String = s.lines().take_while(|l| !l.contains("═══ strong")).collect::<Vec<_>>().join("\n");
    assert!(map.contains('·'), "the unrated tie is dotted: {s}");
    assert!(map.contains('┄'), "the weak tie is still dashed: {s}");
    assert!(!map.contains("David Marsh"), "no living tie to him: {s}");
    insta::assert_snapshot!("ecomap_unrated_and_deceased", s);
    // in words, beside a map too small: "not rated", never "weak"
    let s = eco(&input, 34, 8);
    assert!(s.contains("Dr Rao (GP) — not rated"), "{s}");
}

#[test]
fn ecomap_lists_what_does_not_fit() {
    let s = eco(&forty_ties(), 80, 21);
    assert!(s.contains("Not on the map (no room):"), "{s}");
    assert!(s.contains("more"), "{s}");
    insta::assert_snapshot!("ecomap_40_ties_80x21", s);
    let s = eco(&forty_ties(), 140, 40);
    assert!(s.contains("• "), "one a line beside the map: {s}");
    insta::assert_snapshot!("ecomap_40_ties_140x40", s);
}

#[test]
fn ecomap_none_one_and_small() {
    let none = EcomapInput { client: "Sarah Marsh".into(), ..Default::default() };
    insta::assert_snapshot!("ecomap_no_ties", eco(&none, 80, 21));
    let one = EcomapInput {
        client: "Sarah Marsh".into(),
        ties: vec![twelve_ties().ties[1].clone()],
        ..Default::default()
    };
    insta::assert_snapshot!("ecomap_one_tie", eco(&one, 80, 21));
    // too small for a map: the ties in words
    let s = eco(&twelve_ties(), 34, 8);
    assert!(s.starts_with("Ties of Sarah Marsh:"), "{s}");
    insta::assert_snapshot!("ecomap_small", s);
    for w in 1..40 {
        for h in 1..12 {
            eco(&forty_ties(), w, h);
        }
    }
}

#[test]
fn ecomap_survives_nasty_names() {
    let mut input = twelve_ties();
    input.client = nasty("terminal title escape (OSC)");
    input.ties[0].label = nasty("CJK wide characters");
    input.ties[1].label = nasty("emoji");
    input.ties[2].label = nasty("accents combining");
    input.ties[3].label = nasty("colour escape");
    input.ties[4].detail = nasty("very long single line (20k chars)");
    input.ties[5].label = nasty("empty");
    input.ties[6].label = nasty("right-to-left override control");
    input.ties[7].detail = nasty("bell and backspace");
    let s = eco(&input, 80, 21);
    assert!(s.contains("王小明"), "{s}");
    insta::assert_snapshot!("ecomap_nasty", s);
    for (w, h) in [(80, 21), (140, 40), (30, 6)] {
        assert_no_controls(w, h, |f| f.render_widget(Ecomap::new(&input), f.area()));
    }
}

/// Parents who never recorded a partnership, someone with three partners, a client who has
/// died, and someone linked to nobody.
#[test]
fn genogram_co_parents_many_partners_and_a_deceased_client() {
    use Sex::*;
    let mut people = vec![
        person(1, "Amy Stone", Female, 1980),
        person(2, "Bob Stone", Male, 1978),
        person(3, "Cal Stone", Male, 2005),
        person(4, "Dee Lone", Other, 1960),
        person(5, "Ed Many", Male, 1970),
        person(6, "Fay One", Female, 1971),
        person(7, "Gail Two", Female, 1972),
        person(8, "Hana Three", Female, 1973),
        person(9, "Ivy Many", Female, 1995),
        person(10, "Jon Many", Male, 1998),
    ];
    people[2].is_client = true;
    people[2].deceased = true;
    people[0].in_household = true;
    people[2].in_household = true;
    let input = GenoInput {
        people,
        parents: vec![(3, 1), (3, 2), (9, 5), (9, 6), (10, 5), (10, 8)],
        partners: vec![
            (5, 6, PartnerStatus::Former),
            (5, 7, PartnerStatus::Former),
            (5, 8, PartnerStatus::Current),
        ],
    };
    let s = geno(&input, 100, 21, (0, 0));
    assert!(s.contains("┈┈┈┬┈┈┈") && s.contains("co-parents"), "{s}");
    assert!(s.contains("[X] ◆ Cal"), "a deceased client keeps the client mark: {s}");
    assert!(s.contains("Ed Many and Gail Two: too many partners"), "{s}");
    assert!(s.contains("not linked to the family:"), "{s}");
    insta::assert_snapshot!("genogram_co_parents_many_partners", s);
}

#[test]
fn genogram_scrolls_across_a_very_wide_family() {
    // forty children with wide-character names: every scroll position cuts some of them
    let mut people = vec![person(1, "王 父親", Sex::Male, 1950), person(2, "王 母親", Sex::Female, 1952)];
    let mut parents = Vec::new();
    for i in 0..40 {
        let id = 10 + i;
        people.push(person(
            id,
            &format!("王小明 {i}"),
            if i % 2 == 0 { Sex::Female } else { Sex::Male },
            1975 + i as i32,
        ));
        parents.push((id, 1));
        parents.push((id, 2));
    }
    let input = GenoInput { people, parents, partners: vec![(1, 2, PartnerStatus::Current)] };
    let layout = genogram::layout(&input);
    let area = ratatui::layout::Rect::new(0, 0, 80, 21);
    let (mx, _) = Genogram::max_offset(&layout, area);
    assert!(mx > 400, "{mx}");
    for x in (0..=mx).step_by(37).chain([mx]) {
        let s = geno(&input, 80, 21, (x, 0));
        assert!(s.contains('王') && s.contains("more"), "offset {x}: {s}");
        assert_no_controls(80, 21, |f| f.render_widget(Genogram::new(&layout).offset(x, 0), f.area()));
    }
    let s = geno(&input, 80, 21, (mx, 0));
    assert!(s.contains("b.2014"), "the youngest at the right end: {s}");
    assert!(s.contains("more ◀"), "{s}");
}

/// Issue 17 point 7: the client adopted by Hugo and Greta, with a twin; an older brother; the
/// client's partner and their adopted and foster children. Emotional ties: close to the partner
/// (side by side: a line on the year row), conflict with the twin (side by side: a line on the
/// name row), cut off from Hugo (another row: the mark stays).
pub fn adoptive_family() -> GenoInput {
    use caseload::domain::genogram::{Bond, EmotionalTie};
    use Sex::*;
    let mut people = vec![
        person(1, "Hugo Brandt", Male, 1950),
        person(2, "Greta Brandt", Female, 1952),
        person(3, "Ada Brandt", Female, 1984),
        person(4, "Eva Brandt", Female, 1984),
        person(5, "Jon Brandt", Male, 1980),
        person(6, "Ines Roth", Female, 1983),
        person(7, "Kim Roth", Unknown, 2012),
        person(8, "Lou Roth", Male, 2015),
    ];
    people[0].bond = Bond::AdoptiveParent;
    people[0].kind_note = "adoptive".into();
    people[0].emotional = Some(EmotionalTie::CutOff);
    people[1].bond = Bond::AdoptiveParent;
    people[1].kind_note = "adoptive".into();
    people[2].is_client = true;
    people[3].bond = Bond::Twin;
    people[3].kind_note = "twin".into();
    people[3].emotional = Some(EmotionalTie::Conflict);
    people[5].emotional = Some(EmotionalTie::Close);
    people[6].bond = Bond::AdoptedChild;
    people[6].kind_note = "adopted".into();
    people[7].bond = Bond::FosterChild;
    people[7].kind_note = "foster".into();
    for i in [2, 5, 6, 7] {
        people[i].in_household = true;
    }
    GenoInput {
        people,
        parents: vec![(3, 1), (3, 2), (4, 1), (4, 2), (5, 1), (5, 2), (7, 3), (7, 6), (8, 3)],
        partners: vec![(1, 2, PartnerStatus::Married), (3, 6, PartnerStatus::Cohabiting)],
    }
}

#[test]
fn genogram_adoption_fostering_twins_and_emotional_lines_80x24_and_wide() {
    let layout = genogram::layout(&adoptive_family());
    assert!(layout.warnings.is_empty(), "{:?}", layout.warnings);
    for (w, h) in [(80, 24), (140, 40)] {
        let s = geno(&adoptive_family(), w, h, (0, 0));
        // adoptive: a dashed line from the parents to the client; fostering: dotted
        assert!(s.contains('╎') && s.contains("╎╌ adoptive parent and child"), "{w}: {s}");
        assert!(s.contains('⋮') && s.contains("⋮⋯ foster parent and child"), "{w}: {s}");
        // the twins hang from one point on their parents' bar
        assert!(s.contains("┌┴┐ twins"), "{w}: {s}");
        let fork = s.lines().find(|l| l.contains('┴') && l.contains('┌') && l.contains('┐')).expect("fork");
        assert!(!fork.contains('('), "the fork has its own row: {fork}");
        // side by side: the ties are lines; Hugo's cut-off, a row away, keeps its mark
        assert!(s.contains("══ close (tie to the client)"), "{w}: {s}");
        assert!(s.contains("╱╲ conflict (tie to the client)"), "{w}: {s}");
        assert!(s.contains("┤├ cut off (tie to the client)") && !s.contains("─┤├─ cut off"), "{w}: {s}");
        assert!(s.contains("╱╲╱"), "{w}: {s}");
        assert!(s.contains("═══"), "{w}: {s}");
        insta::assert_snapshot!(format!("genogram_adoption_twins_{w}x{h}"), s);
    }
}
