//! The people around a client: household and family (and, later, contacts), kept in one
//! table so nobody is typed twice. Pure rules: validation, and the family links that the
//! genogram is drawn from.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::assessment::make_ref;
use super::client::FieldError;
use super::text::{clean_line, clean_multiline};

pub fn person_ref(id: i64) -> String {
    make_ref("P", id)
}

/// What a person is to the client. The first few also link the family tree on save.
pub const RELATIONS: &[&str] = &[
    "mother",
    "father",
    "parent",
    "step-parent",
    "sibling",
    "half-sibling",
    "partner / spouse",
    "spouse (married)",
    "cohabiting partner",
    "former partner",
    "separated partner",
    "divorced partner",
    "adoptive parent",
    "foster parent",
    "twin",
    "child",
    "step-child",
    "adopted child",
    "foster child",
    "grandparent",
    "grandchild",
    "aunt / uncle",
    "cousin",
    "other relative",
    "friend",
    "neighbour",
    "carer",
    "professional",
    "agency worker",
    "landlord",
    "teacher / school",
    "employer",
    "other",
];

/// Sexes as stored, with the labels the form shows.
pub const SEXES: &[(&str, &str)] =
    &[("unknown", "not recorded"), ("female", "female"), ("male", "male"), ("other", "other")];

/// A person as the form produced them, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDraft {
    pub name: String,
    pub relation: String,
    pub sex: String,
    pub birth_year: Option<i32>,
    pub deceased: bool,
    pub in_household: bool,
    /// Drawn in the genogram (family), or only listed (friends, professionals).
    pub family: bool,
    pub role: String,
    pub organisation: String,
    pub phone: String,
    pub email: String,
    pub notes: String,
    /// The tie as the practitioner sees it, for the ecomap: strong, weak, stressful.
    pub tie_strength: Option<String>,
    /// Which way support flows: to-client, from-client, both, none.
    pub support_flow: Option<String>,
    /// The emotional tie to the client the genogram marks: close, conflict, cut-off.
    #[serde(default)]
    pub emotional_tie: Option<String>,
}

/// What the form holds, as typed.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub name: String,
    pub relation: String,
    pub sex: String,
    pub birth_year: String,
    pub deceased: String,
    pub in_household: String,
    pub role: String,
    pub organisation: String,
    pub phone: String,
    pub email: String,
    pub notes: String,
    pub tie_strength: String,
    pub support_flow: String,
    pub emotional_tie: String,
}

/// Relations drawn in the family tree: kin, and people whose relation is not recorded yet.
pub fn is_family_relation(relation: &str) -> bool {
    let r = relation.trim().to_lowercase();
    if r.is_empty() {
        return true;
    }
    if matches!(
        r.as_str(),
        "friend"
            | "neighbour"
            | "carer"
            | "other"
            | "professional"
            | "agency worker"
            | "landlord"
            | "teacher / school"
            | "employer"
    ) {
        return false;
    }
    RELATIONS.contains(&r.as_str()) || is_kin_word(&r)
}

fn is_kin_word(r: &str) -> bool {
    [
        "mother", "father", "sister", "brother", "son", "daughter", "aunt", "uncle", "grand", "cousin",
        "niece", "nephew", "wife", "husband", "partner", "step",
    ]
    .iter()
    .any(|w| r.contains(w))
}

pub fn validate_person(input: &PersonInput, today: NaiveDate) -> Result<PersonDraft, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut err = |field: &'static str, m: &str| errors.push(FieldError { field, message: m.to_string() });
    let name = clean_line(&input.name);
    if name.is_empty() {
        err("name", "Enter a name (a first name or \"maternal grandmother\" is fine).");
    } else if name.chars().count() > 200 {
        err("name", "Too long: at most 200 characters.");
    }
    let relation = clean_line(&input.relation).to_lowercase();
    if relation.chars().count() > 100 {
        err("relation", "Too long: at most 100 characters.");
    }
    let sex = match input.sex.trim() {
        "" => "unknown".to_string(),
        s if SEXES.iter().any(|(v, _)| *v == s) => s.to_string(),
        _ => {
            err("sex", "Choose female, male, other or not recorded.");
            "unknown".into()
        }
    };
    let mut birth_year = None;
    let y = clean_line(&input.birth_year);
    if !y.is_empty() {
        match y.parse::<i32>() {
            Ok(v) if v > today.year() => err("birth_year", "That year is in the future."),
            Ok(v) if v < today.year() - 130 => {
                err("birth_year", "That is more than 130 years ago; check the year.")
            }
            Ok(v) => birth_year = Some(v),
            Err(_) => err("birth_year", "Enter a year as four digits, e.g. 1962 (or leave it empty)."),
        }
    }
    let yes = |s: &str| matches!(s.trim(), "yes" | "y" | "true" | "1");
    let mut line = |field: &'static str, raw: &str, max: usize| {
        let v = clean_line(raw);
        if v.chars().count() > max {
            errors.push(FieldError { field, message: format!("Too long: at most {max} characters.") });
        }
        v
    };
    let role = line("role", &input.role, 200);
    let organisation = line("organisation", &input.organisation, 200);
    let phone = line("phone", &input.phone, 100);
    let email = line("email", &input.email, 200);
    let notes = clean_multiline(&input.notes);
    if notes.chars().count() > 20_000 {
        errors.push(FieldError { field: "notes", message: "Too long: at most 20,000 characters.".into() });
    }
    let tie_strength = match input.tie_strength.trim() {
        "" => None,
        t => match crate::domain::ecomap::TieStrength::parse(t) {
            Some(v) => Some(v.as_str().to_string()),
            None => {
                errors.push(FieldError {
                    field: "tie_strength",
                    message: "Choose strong, weak or stressful.".into(),
                });
                None
            }
        },
    };
    let support_flow = match input.support_flow.trim() {
        "" => None,
        t => match crate::domain::ecomap::SupportFlow::parse(t) {
            Some(v) => Some(v.as_str().to_string()),
            None => {
                errors.push(FieldError {
                    field: "support_flow",
                    message: "Choose to the client, from the client, both ways or none.".into(),
                });
                None
            }
        },
    };
    let emotional_tie = match input.emotional_tie.trim() {
        "" => None,
        t => match crate::domain::genogram::EmotionalTie::parse(t) {
            Some(v) => Some(v.as_str().to_string()),
            None => {
                errors.push(FieldError {
                    field: "emotional_tie",
                    message: "Choose close, conflict or cut off (or leave it empty).".into(),
                });
                None
            }
        },
    };
    if !email.is_empty() && !email.contains('@') {
        errors.push(FieldError { field: "email", message: "An email address has an @ in it.".into() });
    }
    if errors.is_empty() {
        Ok(PersonDraft {
            family: is_family_relation(&relation),
            name,
            relation,
            sex,
            birth_year,
            deceased: yes(&input.deceased),
            in_household: yes(&input.in_household),
            role,
            organisation,
            phone,
            email,
            notes,
            tie_strength,
            support_flow,
            emotional_tie,
        })
    } else {
        Err(errors)
    }
}

/// The sex that contradicts the word for a parent: a "father" recorded as female, a "mother"
/// recorded as male (the genogram would draw the wrong symbol, or the word is a slip).
pub fn parent_sex_clash(parent: &str, sex: &str) -> Option<&'static str> {
    match (parent, sex) {
        ("father", "female") => Some("female"),
        ("mother", "male") => Some("male"),
        _ => None,
    }
}

/// What to ask before saving someone recorded as the client's `relation` with a sex that
/// contradicts it. None: no doubt.
pub fn parent_sex_question(who: &str, relation: &str, sex: &str) -> Option<String> {
    let clash = parent_sex_clash(relation, sex)?;
    Some(format!(
        "{who} is recorded as the client's {relation} but as {clash}: check the relation or the sex (\"parent\" fits a parent of any sex)."
    ))
}

/// What to ask before linking `who` as someone's `parent` ("mother", "father") when their
/// recorded sex contradicts it. None: no doubt.
pub fn parent_link_question(who: &str, parent: &str, sex: &str) -> Option<String> {
    let clash = parent_sex_clash(parent, sex)?;
    Some(format!("{who}, chosen as the {parent}, is recorded as {clash}: check the link or their sex."))
}

/// True when making `parent` a parent of `child` would make someone their own ancestor.
/// `links` are (child, parent) pairs.
pub fn would_create_cycle(links: &[(i64, i64)], child: i64, parent: i64) -> bool {
    if child == parent {
        return true;
    }
    // walk up from the parent: reaching the child means the child is the parent's ancestor
    let mut stack = vec![parent];
    let mut seen = std::collections::HashSet::new();
    while let Some(p) = stack.pop() {
        if p == child {
            return true;
        }
        if !seen.insert(p) {
            continue;
        }
        stack.extend(links.iter().filter(|(c, _)| *c == p).map(|(_, par)| *par));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_person_needs_a_name_and_a_sensible_year() {
        let e = validate_person(&PersonInput { birth_year: "2030".into(), ..Default::default() }, today())
            .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["name", "birth_year"]);
        let e = validate_person(
            &PersonInput { name: "Rosa".into(), birth_year: "nineteen".into(), ..Default::default() },
            today(),
        )
        .unwrap_err();
        assert!(e[0].message.contains("four digits"));
        let p = validate_person(
            &PersonInput {
                name: " Rosa\u{1b}[31m ".into(),
                relation: "Mother".into(),
                sex: "female".into(),
                birth_year: "1961".into(),
                deceased: "yes".into(),
                in_household: "no".into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
        assert_eq!(p.name, "Rosa[31m");
        assert_eq!(p.relation, "mother");
        assert!(p.deceased && !p.in_household && p.family);
    }

    #[test]
    fn a_father_recorded_as_female_or_a_mother_as_male_is_questioned() {
        let q = parent_sex_question("Tom", "father", "female").expect("asked");
        assert!(q.contains("Tom is recorded as the client's father but as female"), "{q}");
        let q = parent_link_question("Tom", "mother", "male").expect("asked");
        assert!(q.contains("Tom, chosen as the mother, is recorded as male"), "{q}");
        assert_eq!(parent_link_question("Tom", "father", "male"), None);
        assert!(parent_sex_question("Rosa", "mother", "male").is_some());
        assert_eq!(parent_sex_question("Rosa", "mother", "female"), None);
        assert_eq!(parent_sex_question("Sam", "father", "unknown"), None);
        assert_eq!(parent_sex_question("Sam", "parent", "female"), None);
    }

    #[test]
    fn friends_and_professionals_are_not_drawn_as_family() {
        assert!(is_family_relation("mother"));
        assert!(is_family_relation("grandchild"));
        assert!(is_family_relation("great-aunt"));
        assert!(!is_family_relation("friend"));
        assert!(!is_family_relation("neighbour"));
        assert!(!is_family_relation("GP"));
    }

    #[test]
    fn nobody_becomes_their_own_ancestor() {
        // 1 is the parent of 2, 2 the parent of 3
        let links = [(2, 1), (3, 2)];
        assert!(would_create_cycle(&links, 1, 3), "3 cannot be 1's parent");
        assert!(would_create_cycle(&links, 1, 1));
        assert!(!would_create_cycle(&links, 3, 4));
        assert!(!would_create_cycle(&[(1, 2), (2, 1)], 5, 6), "existing loops do not hang");
    }
}
