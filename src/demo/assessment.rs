//! `caseload demo`, assessment phase: synthetic families, assessments and reassessments with
//! risk and ratings, and screener histories that rise and fall like real ones.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use fake::faker::name::raw::FirstName;
use fake::locales::EN;
use fake::rand::rngs::StdRng;
use fake::rand::RngExt;
use fake::Fake;
use rusqlite::Transaction;
use serde::Deserialize;

use super::{add_days, pick};
use crate::domain::assessment::{Assessment, Need, Risk, RiskArea, RiskLevel, Section};
use crate::domain::client::Client;
use crate::domain::instruments::{find, parse_answer_list, score, Instrument, LIFE_DOMAINS};
use crate::domain::people::{is_family_relation, PersonDraft};
use crate::store::assessments::insert_assessment;
use crate::store::people::{insert_person, Links};
use crate::store::screenings::insert_screening;
use crate::store::Result;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Words {
    needs: Vec<super::Need>,
    strengths: Vec<String>,
    barriers: Vec<String>,
    living: Vec<String>,
    history: Vec<String>,
}

pub(super) fn words() -> Result<&'static Words> {
    static WORDS: OnceLock<Words> = OnceLock::new();
    super::load(&WORDS, "assessment.json", include_str!("../../assets/demo/assessment.json"))
}

fn person(
    name: String,
    relation: &str,
    sex: &str,
    year: Option<i32>,
    deceased: bool,
    home: bool,
) -> PersonDraft {
    PersonDraft {
        family: is_family_relation(relation),
        name,
        relation: relation.to_string(),
        sex: sex.to_string(),
        birth_year: year,
        deceased,
        in_household: home,
        role: String::new(),
        organisation: String::new(),
        phone: String::new(),
        email: String::new(),
        notes: String::new(),
        tie_strength: None,
        support_flow: None,
        emotional_tie: None,
    }
}

fn first_name(rng: &mut StdRng) -> String {
    FirstName(EN).fake_with_rng(rng)
}

/// A family of three generations for most clients: parents (and some grandparents), siblings,
/// a partner or a former one, children.
fn family(tx: &Transaction<'_>, rng: &mut StdRng, client_id: i64, c: &Client, now_s: &str) -> Result<usize> {
    // the finer relations (married or living together, separated or divorced, twins, foster
    // and adopted children, emotional ties) come from a draw of their own, so that everything
    // else the demo makes stays as it was
    let mut more = {
        use fake::rand::SeedableRng;
        StdRng::seed_from_u64(0xFA41_u64 ^ (client_id as u64).wrapping_mul(0x9E37_79B9))
    };
    let born = c.date_of_birth.map(|d| d.year()).unwrap_or(1985);
    let family_name = c.family_name.clone();
    let mut n = 0;
    let mum_year = born - rng.random_range(20..36);
    let mum_dead = rng.random_bool(0.15);
    let mum = insert_person(
        tx,
        client_id,
        &PersonDraft {
            emotional_tie: more
                .random_bool(0.3)
                .then(|| pick(&mut more, &["close", "conflict", "cut-off"]).to_string()),
            ..person(
                format!("{} {family_name}", first_name(rng)),
                "mother",
                "female",
                Some(mum_year),
                mum_dead,
                false,
            )
        },
        &Links::default(),
        now_s,
    )?;
    let dad = insert_person(
        tx,
        client_id,
        &person(
            format!("{} {family_name}", first_name(rng)),
            "father",
            "male",
            Some(mum_year - rng.random_range(0..6)),
            rng.random_bool(0.25),
            false,
        ),
        &Links::default(),
        now_s,
    )?;
    n += 2;
    if rng.random_bool(0.5) {
        // the mother's mother, a generation further up
        let gran = insert_person(
            tx,
            client_id,
            &person(
                format!("{} (grandmother)", first_name(rng)),
                "grandparent",
                "female",
                Some(mum_year - 25),
                true,
                false,
            ),
            &Links::default(),
            now_s,
        )?;
        tx.execute("UPDATE people SET mother_id = ?2 WHERE id = ?1", [mum, gran])?;
        n += 1;
    }
    for _ in 0..rng.random_range(0..3) {
        let sex = *pick(rng, &["female", "male"]);
        insert_person(
            tx,
            client_id,
            &person(first_name(rng), "sibling", sex, Some(born + rng.random_range(-8..9)), false, false),
            &Links { mother: Some(mum), father: Some(dad), partner: None },
            now_s,
        )?;
        n += 1;
    }
    if more.random_bool(0.1) {
        let sex = *pick(&mut more, &["female", "male"]);
        let name: String = FirstName(EN).fake_with_rng(&mut more);
        insert_person(
            tx,
            client_id,
            &person(name, "twin", sex, Some(born), false, false),
            &Links { mother: Some(mum), father: Some(dad), partner: None },
            now_s,
        )?;
        n += 1;
    }
    let partner = if rng.random_bool(0.6) {
        let current = rng.random_bool(0.6);
        let id = insert_person(
            tx,
            client_id,
            &person(
                first_name(rng),
                if current {
                    pick::<&str>(&mut more, &["partner / spouse", "spouse (married)", "cohabiting partner"])
                } else {
                    pick::<&str>(&mut more, &["former partner", "separated partner", "divorced partner"])
                },
                pick::<&str>(rng, &["female", "male"]),
                Some(born + rng.random_range(-5..6)),
                false,
                current && rng.random_bool(0.7),
            ),
            &Links::default(),
            now_s,
        )?;
        n += 1;
        Some(id)
    } else {
        None
    };
    let me: i64 =
        tx.query_row("SELECT id FROM people WHERE client_id = ?1 AND is_self = 1", [client_id], |r| {
            r.get(0)
        })?;
    for _ in 0..rng.random_range(0..4) {
        let year = (born + rng.random_range(18..40)).min(c.intake_date.year());
        let kid = insert_person(
            tx,
            client_id,
            &person(
                first_name(rng),
                // now and then a child fostered or adopted rather than born to the client
                match more.random_range(0..20) {
                    0 => "foster child",
                    1 => "adopted child",
                    _ => "child",
                },
                pick::<&str>(rng, &["female", "male"]),
                Some(year),
                false,
                c.intake_date.year() - year < 18,
            ),
            &Links { mother: Some(me), father: partner, partner: None },
            now_s,
        )?;
        let _ = kid;
        n += 1;
    }
    Ok(n)
}

fn risk(rng: &mut StdRng, severe: bool) -> Risk {
    let level = if severe {
        *pick(rng, &[RiskLevel::Medium, RiskLevel::High, RiskLevel::Low])
    } else {
        *pick(rng, &[RiskLevel::None, RiskLevel::None, RiskLevel::Low])
    };
    let plan = if level.raises_flag() {
        "Safety plan agreed: crisis line number saved, sister to be called at night, review weekly."
            .to_string()
    } else {
        String::new()
    };
    Risk { level: Some(level), plan }
}

/// Answers for a PHQ-9 or GAD-7 adding up to about `total`.
pub(super) fn answers_near(rng: &mut StdRng, items: usize, total: i32, item9: Option<u8>) -> String {
    let mut v = vec![0u8; items];
    let mut left = total.clamp(0, (items * 3) as i32);
    while left > 0 {
        let i = rng.random_range(0..items);
        if v[i] < 3 && !(item9.is_some() && i == 8) {
            v[i] += 1;
            left -= 1;
        }
        if v.iter().enumerate().all(|(i, x)| *x == 3 || (item9.is_some() && i == 8)) {
            break;
        }
    }
    if let Some(x) = item9 {
        if items > 8 {
            v[8] = x;
        }
    }
    v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",")
}

/// Assessments, a family and screener histories for one client.
pub fn assessment_phase(
    tx: &Transaction<'_>,
    rng: &mut StdRng,
    client_id: i64,
    c: &Client,
    until: NaiveDate,
    now: DateTime<Utc>,
    instruments: &[Instrument],
) -> Result<(usize, usize, usize)> {
    let w = words()?;
    let now_s = crate::store::now_db(now);
    let people = if rng.random_bool(0.8) { family(tx, rng, client_id, c, &now_s)? } else { 0 };

    // an assessment at intake, reassessments every six months or so
    let mut assessments = 0;
    let mut on = add_days(c.intake_date, rng.random_range(0..14)).min(until);
    let severe = rng.random_bool(0.12);
    let mut previous: Option<(i64, Assessment)> = None;
    let mut ratings: Vec<(String, u8)> =
        LIFE_DOMAINS.iter().map(|d| (d.to_string(), rng.random_range(1..5u8))).collect();
    while on <= until && assessments < 4 {
        let mut needs: Vec<Need> = Vec::new();
        for _ in 0..rng.random_range(1..4) {
            let n = pick(rng, &w.needs);
            let need = Need { life_domain: n.domain.clone(), text: n.text.clone() };
            if !needs.contains(&need) {
                needs.push(need);
            }
        }
        let mut sections = vec![String::new(); Section::ALL.len()];
        let fill = |rng: &mut StdRng, i: usize, s: &mut Vec<String>, pool: &[String]| {
            if rng.random_bool(0.8) {
                s[i] = pick(rng, pool).to_string();
            }
        };
        fill(rng, 1, &mut sections, &w.strengths);
        fill(rng, 2, &mut sections, &w.barriers);
        fill(rng, 4, &mut sections, &w.history);
        fill(rng, 9, &mut sections, &w.living);
        // ratings drift towards "good" as the work goes on
        for (_, r) in ratings.iter_mut() {
            if rng.random_bool(0.4) && *r < 4 {
                *r += 1;
            }
        }
        let a = Assessment {
            assessed_on: on,
            needs,
            sections,
            risks: (0..RiskArea::ALL.len()).map(|i| risk(rng, severe && i == assessments % 4)).collect(),
            ratings: if rng.random_bool(0.7) { ratings.clone() } else { Vec::new() },
        };
        let based_on = previous.as_ref().map(|(id, _)| *id);
        let id = insert_assessment(tx, client_id, &a, based_on, now)?;
        previous = Some((id, a));
        assessments += 1;
        on = add_days(on, rng.random_range(150..220));
    }

    // flags raised long ago were reviewed and lowered since, as a practitioner would
    let reviewed = crate::domain::dates::format_date(until.checked_sub_days(Days::new(60)).unwrap_or(until));
    let lowered_at = format!("{}T12:00:00Z", crate::domain::dates::format_date(until));
    tx.execute(
        "INSERT INTO risk_flag_events (flag_id, at, action, level, source, reason, by_whom) \
         SELECT id, ?3, 'lowered', 'low', 'review', 'Reviewed at a visit: the safety plan is working; risk now low.', \
         'Demo Practitioner' FROM risk_flags WHERE client_id = ?1 AND lowered_at IS NULL AND raised_at < ?2",
        rusqlite::params![client_id, reviewed, lowered_at],
    )?;
    tx.execute(
        "UPDATE risk_flags SET lowered_at = ?3, reviewed_at = ?3 WHERE client_id = ?1 AND lowered_at IS NULL AND raised_at < ?2",
        rusqlite::params![client_id, reviewed, lowered_at],
    )?;

    // PHQ-9 and GAD-7 about every 90 days, improving with noise; AHC at intake
    let mut screenings = 0;
    if let Some(ahc) = find(instruments, "ahc") {
        let list = format!(
            "{},{},{},{},{},{},{},{},{},{}",
            rng.random_range(1..4),
            *pick(rng, &["8", "1", "1+6", "4"]),
            rng.random_range(1..4),
            rng.random_range(1..4),
            rng.random_range(1..3),
            rng.random_range(1..4),
            rng.random_range(1..3),
            1,
            rng.random_range(1..3),
            1
        );
        if let Ok(answers) = parse_answer_list(ahc, &list) {
            let result = score(ahc, &answers);
            let day = add_days(c.intake_date, 1).min(until);
            insert_screening(tx, client_id, ahc, &answers, &result, day, "", now)?;
            screenings += 1;
        }
    }
    let mut level: i32 = rng.random_range(6..22);
    // at most the last couple of years of a long case, so that recent results exist
    let start = c.intake_date.max(until.checked_sub_days(Days::new(7 * 77)).unwrap_or(until));
    let mut day = add_days(start, rng.random_range(0..10)).min(until);
    while day <= until && screenings < 16 {
        for (id, items) in [("phq9", 9usize), ("gad7", 7)] {
            let Some(inst) = find(instruments, id) else { continue };
            let total = (level + rng.random_range(-3..4)).clamp(0, (items * 3) as i32);
            let item9 = (id == "phq9").then(|| if severe && rng.random_bool(0.3) { 1 } else { 0 });
            let Ok(answers) = parse_answer_list(inst, &answers_near(rng, items, total, item9)) else {
                continue;
            };
            let result = score(inst, &answers);
            let sid = insert_screening(tx, client_id, inst, &answers, &result, day, "", now)?;
            // alerts older than a fortnight were dealt with at the time
            if (until - day).num_days() > 14 {
                tx.execute(
                    "UPDATE alerts SET acknowledged_at = ?2, ack_note = 'Risk assessed at the visit; safety plan reviewed.', \
                     ack_by = 'Demo Practitioner' WHERE screening_id = ?1",
                    rusqlite::params![sid, crate::store::now_db(now)],
                )?;
            }
            screenings += 1;
        }
        level = (level - rng.random_range(-1..4)).max(0);
        day = add_days(day, rng.random_range(65..90));
    }
    crate::store::safety::refresh_safety(tx, client_id)?;
    Ok((people, assessments, screenings))
}

/// Live safety items on open cases, as a practitioner has on any given day: one risk flag
/// raised a few days ago and waiting for review, and one screener safety alert not yet
/// acknowledged, on two different open cases (fewer when there are fewer open cases). Other
/// open flags and alerts were dealt with already, so Today's Safety section holds two or three
/// lines rather than none or a dozen.
pub fn live_safety(
    tx: &Transaction<'_>,
    rng: &mut StdRng,
    clients: &[super::DemoClient],
    now: DateTime<Utc>,
    instruments: &[Instrument],
) -> Result<()> {
    let today = now.date_naive();
    let now_s = crate::store::now_db(now);
    let open: Vec<i64> = clients.iter().filter(|c| !c.closed).map(|c| c.id).collect();
    let reviewed = format!("{}T09:00:00Z", crate::domain::dates::format_date(add_days(today, -1)));
    for &id in &open {
        tx.execute(
            "INSERT INTO risk_flag_events (flag_id, at, action, level, source, reason, by_whom) \
             SELECT id, ?2, 'lowered', 'low', 'review', 'Reviewed at a visit: the safety plan is working; risk now low.', \
             'Demo Practitioner' FROM risk_flags WHERE client_id = ?1 AND lowered_at IS NULL",
            rusqlite::params![id, reviewed],
        )?;
        tx.execute(
            "UPDATE risk_flags SET lowered_at = ?2, reviewed_at = ?2 WHERE client_id = ?1 AND lowered_at IS NULL",
            rusqlite::params![id, reviewed],
        )?;
        tx.execute(
            "UPDATE alerts SET acknowledged_at = ?2, ack_note = 'Risk assessed at the visit; safety plan reviewed.', \
             ack_by = 'Demo Practitioner' WHERE client_id = ?1 AND acknowledged_at IS NULL",
            rusqlite::params![id, reviewed],
        )?;
    }
    if let Some(&flagged) = open.first() {
        let raised = format!("{}T11:30:00Z", crate::domain::dates::format_date(add_days(today, -3)));
        crate::store::safety::raise_flags(
            tx,
            flagged,
            &[(RiskArea::ToSelf, RiskLevel::Medium)],
            "assessment",
            &raised,
            &now_s,
        )?;
    }
    if let (Some(&alerted), Some(inst)) = (open.get(1).or(open.first()), find(instruments, "phq9")) {
        let total = rng.random_range(14..20);
        if let Ok(answers) = parse_answer_list(inst, &answers_near(rng, 9, total, Some(1))) {
            let result = score(inst, &answers);
            insert_screening(tx, alerted, inst, &answers, &result, add_days(today, -1), "", now)?;
        }
    }
    for &id in &open {
        crate::store::safety::refresh_safety(tx, id)?;
    }
    Ok(())
}
