//! The client's family as the genogram widget draws it, from the stored people and links.

use std::collections::HashSet;

use crate::domain::ecomap::{SupportFlow, TieKind, TieStrength};
use crate::domain::genogram::{Bond, EmotionalTie, Sex};
use crate::store::people::{Partnership, Person};
use crate::ui::widgets::ecomap::{EcomapInput, Tie};
use crate::ui::widgets::genogram::{layout, GenoInput, GenoLayout, GenoPerson};

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
                kind_note: match p.relation.as_str() {
                    "adopted child" => "adopted",
                    "adoptive parent" => "adoptive",
                    "foster parent" | "foster child" => "foster",
                    "twin" => "twin",
                    _ => "",
                }
                .to_string(),
                emotional: p.emotional_tie.as_deref().and_then(EmotionalTie::parse),
                bond: Bond::from_relation(&p.relation),
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
            .map(|pt| (pt.a, pt.b, pt.status))
            .collect(),
    }
}

/// The laid-out genogram (kept by the screen; it changes only when the data does).
pub fn genogram_layout(people: &[Person], partners: &[Partnership]) -> GenoLayout {
    layout(&geno_input(people, partners))
}

/// What kind of tie a person's relation makes, for grouping around the ecomap.
pub fn tie_kind(p: &Person) -> TieKind {
    match p.relation.as_str() {
        "friend" | "neighbour" => TieKind::Friend,
        "carer" | "teacher / school" | "employer" => TieKind::Community,
        "professional" | "landlord" => TieKind::Professional,
        "agency worker" => TieKind::Agency,
        _ if p.family => TieKind::Family,
        _ if !p.organisation.is_empty() => TieKind::Agency,
        _ => TieKind::Other,
    }
}

/// The ecomap of a client: everyone around them (not the client), ties the practitioner set,
/// most telling first (those who live with the client, then strong and stressful ties), with
/// `extra` ties (active referrals) after them.
pub fn ecomap_input(client: &str, people: &[Person], extra: Vec<Tie>) -> EcomapInput {
    // someone who has died is no living tie: named apart (the genogram draws them)
    let deceased: Vec<String> = people
        .iter()
        .filter(|p| !p.is_self && p.deceased)
        .map(|p| if p.relation.is_empty() { p.name.clone() } else { format!("{} ({})", p.name, p.relation) })
        .collect();
    let mut ranked: Vec<(u8, Tie)> = people
        .iter()
        .filter(|p| !p.is_self && !p.deceased)
        .map(|p| {
            let strength = p.tie_strength.as_deref().and_then(TieStrength::parse);
            let rank = match (p.in_household, strength) {
                (true, _) => 0,
                (_, Some(TieStrength::Strong)) | (_, Some(TieStrength::Stressful)) => 1,
                (_, Some(TieStrength::Weak)) => 2,
                _ => 3,
            };
            let mut detail = if p.role.is_empty() { p.relation.clone() } else { p.role.clone() };
            if !p.organisation.is_empty() {
                detail = if detail.is_empty() {
                    p.organisation.clone()
                } else {
                    format!("{detail}, {}", p.organisation)
                };
            }
            if p.in_household {
                detail =
                    if detail.is_empty() { "lives with client".into() } else { format!("{detail}, at home") };
            }
            let tie = Tie {
                label: p.name.clone(),
                detail,
                kind: tie_kind(p),
                strength,
                flow: p.support_flow.as_deref().and_then(SupportFlow::parse).unwrap_or(SupportFlow::None),
            };
            (rank, tie)
        })
        .collect();
    ranked.sort_by_key(|(r, _)| *r);
    let mut ties: Vec<Tie> = ranked.into_iter().map(|(_, t)| t).collect();
    ties.extend(extra);
    EcomapInput { client: client.to_string(), ties, deceased }
}

/// Ties the ecomap shows besides people: the client's open referrals, to the service.
pub fn extra_ties(store: &crate::store::Store, client_id: i64) -> crate::store::Result<Vec<Tie>> {
    Ok(store
        .referrals(client_id)?
        .into_iter()
        .filter(|r| r.status.is_open())
        .map(|r| Tie {
            label: r.provider.clone(),
            detail: format!("referral {}", r.status.label().to_lowercase()),
            kind: TieKind::Referral,
            strength: Some(if r.status == crate::domain::referral::ReferralStatus::InService {
                TieStrength::Strong
            } else {
                TieStrength::Weak
            }),
            flow: SupportFlow::ToClient,
        })
        .collect())
}
