//! The top bar: where we are, and on every screen about one client, the client header: who,
//! and the flags that must never be missed. The flags are never cut: on a narrow terminal the
//! screen's name and then the client's name give way, and the details after the flags go.

use chrono::NaiveDate;
use ratatui::text::{Line, Span};

use crate::domain::client::Client;
use crate::domain::dates::format_date;
use crate::domain::text::{display_safe, fit, width};
use crate::ui::theme;

/// The fewest cells the client's name is cut to before the screen's name is cut too.
const NAME_MIN: usize = 10;

/// The top bar for a screen called `where_`, `cols` cells wide; `client` when it is about one.
pub fn top_bar(where_: &str, client: Option<&Client>, today: NaiveDate, cols: usize) -> Line<'static> {
    let Some(c) = client else {
        return Line::from(vec![
            Span::styled(format!(" caseload · {where_} "), theme::selected()),
            Span::raw(" "),
            Span::styled(format_date(today), theme::dim()),
        ]);
    };
    let flags: Vec<String> = c.flags().iter().map(|f| format!("⚑ {f} ")).collect();
    let flags_w: usize = flags.iter().map(|f| width(f)).sum();
    let name = display_safe(&c.full_name()).into_owned();
    let (place, name) = fit_place_and_name(where_, &name, cols.saturating_sub(flags_w));
    let mut spans = vec![Span::styled(place, theme::selected()), Span::raw(" ")];
    if !name.is_empty() {
        spans.extend([Span::styled(name, theme::title()), Span::raw(" ")]);
    }
    spans.extend(flags.into_iter().map(|f| Span::styled(f, theme::flag())));
    let mut room = cols.saturating_sub(spans.iter().map(|s| width(&s.content)).sum());
    // the details come after the flags, in order, each whole or not at all
    for detail in details(c, today) {
        if width(&detail.content) > room {
            break;
        }
        room -= width(&detail.content);
        spans.push(detail);
    }
    Line::from(spans)
}

/// The screen's name and the client's name, fitted into `room` cells (with a space after
/// each): the "caseload ·" goes first, then the client's name is cut down to `NAME_MIN`, then
/// the screen's name is cut.
fn fit_place_and_name(where_: &str, name: &str, room: usize) -> (String, String) {
    let full = format!(" caseload · {where_} ");
    let short = format!(" {where_} ");
    let name_w = width(name);
    for place in [&full, &short] {
        if width(place) + name_w + 2 <= room {
            return (place.clone(), name.to_string());
        }
    }
    let name_room = room.saturating_sub(width(&short) + 2);
    if name_room >= NAME_MIN {
        return (short, fit(name, name_room));
    }
    let name_cut = fit(name, NAME_MIN.min(name_w).min(room.saturating_sub(3)));
    let place_room = room.saturating_sub(width(&name_cut) + 2);
    (fit(&short, place_room), name_cut)
}

/// What the header says after the flags: preferred name, pronouns, age, reference, status.
fn details(c: &Client, today: NaiveDate) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    if !c.preferred_name.is_empty() && c.preferred_name != c.given_name {
        spans.push(Span::raw(format!("\"{}\" ", display_safe(&c.preferred_name))));
    }
    if !c.pronouns.is_empty() {
        spans.push(Span::styled(format!("({}) ", display_safe(&c.pronouns)), theme::dim()));
    }
    let age = c.age_text(today);
    if !age.is_empty() {
        spans.push(Span::raw(format!("age {age} ")));
    }
    spans.push(Span::raw(format!("· {} ", c.reference)));
    spans.push(Span::raw(format!("· {} ", c.status.as_str().to_uppercase())));
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::CaseStatus;

    fn everything_flagged() -> Client {
        Client {
            reference: "C-0001".into(),
            given_name: "Maximiliana Concepción".into(),
            family_name: "Wolfeschlegelsteinhausen-Bergdorff".into(),
            preferred_name: "Maxi".into(),
            pronouns: "she/her".into(),
            date_of_birth: NaiveDate::from_ymd_opt(1988, 4, 30),
            safe_to_leave_message: Some(false),
            interpreter_needed: true,
            risk_level: Some("high".into()),
            open_alerts: 1,
            status: CaseStatus::Open,
            ..Default::default()
        }
    }

    fn text(l: &Line<'_>) -> String {
        l.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn every_flag_is_whole_at_the_narrowest_width() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        for where_ in ["Client file", "People and family", "Directory service"] {
            let l = top_bar(where_, Some(&everything_flagged()), today, 80);
            let t = text(&l);
            assert!(width(&t) <= 80, "{t}");
            for f in ["RISK HIGH", "SAFETY ALERT", "NO MESSAGES", "INTERPRETER"] {
                assert!(t.contains(&format!("⚑ {f}")), "{f} missing: {t}");
            }
            assert!(t.contains("Maximil"), "the name is cut, not gone: {t}");
        }
    }

    #[test]
    fn a_wide_terminal_shows_it_all() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let c = Client {
            given_name: "María José".into(),
            family_name: "Nuñez-O'Brien".into(),
            ..everything_flagged()
        };
        let t = text(&top_bar("People and family", Some(&c), today, 160));
        assert!(t.starts_with(" caseload · People and family  María José Nuñez-O'Brien ⚑ RISK HIGH"), "{t}");
        assert!(t.ends_with("\"Maxi\" (she/her) age 38 · C-0001 · OPEN "), "{t}");
    }
}
