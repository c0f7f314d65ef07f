//! The client's family as the genogram widget draws it, from the stored people and links.

use std::collections::HashSet;

use crate::domain::genogram::{layout, GenoInput, GenoLayout, GenoPerson, PartnerStatus, Sex};
use crate::store::people::{Partnership, Person};

/// The family members (friends and professionals are listed, not drawn) and their links.
pub fn geno_input(people: &[Person], partners: &[Partnership]) -> GenoInput {
    let family: Vec<&Person> = people.iter().filter(|p| p.family || p.is_self).collect();
    let ids: HashSet<i64> = family.iter().map(|p| p.id).collect();
    let in_tree = |id: &i64| ids.contains(id);
    GenoInput {
        people: family
            .iter()
            .map(|p| GenoPerson {
                id: p.id,
                name: p.name.clone(),
                sex: Sex::parse(&p.sex).unwrap_or(Sex::Unknown),
                birth_year: p.birth_year,
                deceased: p.deceased,
                in_household: p.in_household,
                is_client: p.is_self,
            })
            .collect(),
        parents: family
            .iter()
            .flat_map(|p| {
                [p.mother_id, p.father_id].into_iter().flatten().filter(in_tree).map(move |par| (p.id, par))
            })
            .collect(),
        partners: partners
            .iter()
            .filter(|pt| in_tree(&pt.a) && in_tree(&pt.b))
            .map(|pt| (pt.a, pt.b, if pt.current { PartnerStatus::Current } else { PartnerStatus::Former }))
            .collect(),
    }
}

/// The laid-out genogram (kept by the screen; it changes only when the data does).
pub fn genogram_layout(people: &[Person], partners: &[Partnership]) -> GenoLayout {
    layout(&geno_input(people, partners))
}
