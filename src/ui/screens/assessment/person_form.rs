//! The form for one person around the client, with their family links.

use chrono::NaiveDate;

use crate::domain::client::client_ref;
use crate::domain::draft::DraftKind;
use crate::domain::genogram::PartnerStatus;
use crate::domain::people::{
    parent_link_question, parent_sex_question, person_ref, validate_person, PersonInput, RELATIONS, SEXES,
};
use crate::domain::text::{display_safe, fit};
use crate::keymap::{key_label, Action, Context};
use crate::store::people::{Links, Partnership, Person};
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{refusal_to_form, DraftInfo, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

pub struct PersonForm {
    pub client_id: i64,
    /// None: a new person.
    pub person_id: Option<i64>,
    is_self: bool,
    old_partner: Option<i64>,
    consent_warned: bool,
    /// The form's edit count when a parent's sex was questioned: Ctrl-S again saves as it is.
    parent_asked_at: Option<u64>,
}

pub type PersonFormScreen = FormScreen<PersonForm>;

fn yes_no() -> Vec<(&'static str, &'static str)> {
    vec![("no", "no"), ("yes", "yes")]
}

impl PersonForm {
    /// `others`: the client's people, for the family-link choices.
    pub fn new(
        client_id: i64,
        person: Option<&Person>,
        others: &[Person],
        partners: &[Partnership],
        today: NaiveDate,
    ) -> PersonFormScreen {
        let me = person.map(|p| p.id);
        let is_self = person.is_some_and(|p| p.is_self);
        let mut choices: Vec<(String, String)> = vec![(String::new(), "(not recorded)".into())];
        for p in others.iter().filter(|p| Some(p.id) != me) {
            let label = if p.is_self {
                format!("{} (the client)", p.name)
            } else {
                format!("{} ({})", p.name, p.relation)
            };
            choices.push((person_ref(p.id), display_safe(&fit(&label, 40)).into_owned()));
        }
        let refs: Vec<(&str, &str)> = choices.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let mut relations: Vec<(&str, &str)> = vec![("", "(not recorded)")];
        relations.extend(RELATIONS.iter().map(|r| (*r, *r)));
        let mut name = Field::text("name", if is_self { "Name (from the intake)" } else { "Name" }).max(200);
        if !is_self {
            name = name.required().help("A first name is enough; \"maternal grandmother\" works too.");
        }
        let mut fields = vec![name];
        if !is_self {
            fields.push(
                Field::choice("relation", "Relation to the client", &relations)
                    .help("Mother, father, partner, child and sibling link the family tree by themselves."),
            );
        }
        fields.extend([
            Field::choice("sex", "Sex", SEXES),
            Field::number("birth_year", "Birth year").help("Four digits, e.g. 1962; leave empty if unknown."),
            Field::choice("deceased", "Deceased", &yes_no()),
            Field::choice("in_household", "Lives with the client", &yes_no()),
            Field::choice("mother", "Mother", &refs).heading("Family links (for the genogram)"),
            Field::choice("father", "Father", &refs),
            Field::choice("partner", "Partner / spouse", &refs),
            Field::choice(
                "partnership",
                "Partnership",
                &[
                    ("current", "current"),
                    ("married", "married"),
                    ("cohabiting", "living together"),
                    ("separated", "separated"),
                    ("divorced", "divorced"),
                    ("former", "former (ended, not said how)"),
                ],
            )
            .help("Drawn on the genogram: married ──, living together ╌╌, separated ─/─, divorced ─//─."),
            Field::text("role", "Role")
                .max(200)
                .heading("Contact")
                .help("e.g. GP, teacher, probation officer, housing officer."),
            Field::text("organisation", "Organisation")
                .max(200)
                .help("Their organisation; a name (or O-3) in the resource directory links them to it."),
            Field::text("phone", "Phone").max(100),
            Field::text("email", "Email").max(200),
            Field::choice(
                "tie_strength",
                "Tie",
                &[("", "(not set)"), ("strong", "strong"), ("weak", "weak"), ("stressful", "stressful")],
            )
            .heading("Tie to the client (for the ecomap)")
            .help("How the client experiences this relationship."),
            Field::choice(
                "support_flow",
                "Support flows",
                &[
                    ("", "(not set)"),
                    ("to-client", "to the client"),
                    ("from-client", "from the client"),
                    ("both", "both ways"),
                    ("none", "neither way"),
                ],
            ),
            Field::choice(
                "emotional_tie",
                "Emotional tie",
                &[
                    ("", "(not recorded)"),
                    ("close", "close"),
                    ("conflict", "conflict"),
                    ("cut-off", "cut off"),
                ],
            )
            .help("Marked by the person on the genogram: ═ close, ⚡ conflict, ┤├ cut off."),
            Field::multiline("notes", "Notes", 3),
        ]);
        let title = match person {
            Some(p) if p.is_self => "The client in the family tree".to_string(),
            Some(p) => format!("Edit {}", p.name),
            None => format!("Add a person around {}", client_ref(client_id)),
        };
        let mut form = Form::new(&title, fields, today);
        let mut old_partner = None;
        if let Some(p) = person {
            form.set_value("name", &p.name);
            form.set_value("relation", &p.relation);
            form.set_value("sex", &p.sex);
            form.set_value("birth_year", &p.birth_year.map(|y| y.to_string()).unwrap_or_default());
            form.set_value("deceased", if p.deceased { "yes" } else { "no" });
            form.set_value("in_household", if p.in_household { "yes" } else { "no" });
            form.set_value("mother", &p.mother_id.map(person_ref).unwrap_or_default());
            form.set_value("father", &p.father_id.map(person_ref).unwrap_or_default());
            // the form shows one partnership: a current one before a former one
            let mine: Vec<&Partnership> = partners.iter().filter(|pt| pt.a == p.id || pt.b == p.id).collect();
            if let Some(pt) = mine.iter().find(|pt| pt.current).or(mine.first()) {
                let other = if pt.a == p.id { pt.b } else { pt.a };
                old_partner = Some(other);
                form.set_value("partner", &person_ref(other));
                form.set_value("partnership", pt.status.as_str());
            }
            form.set_value("role", &p.role);
            form.set_value("organisation", &p.organisation);
            form.set_value("tie_strength", p.tie_strength.as_deref().unwrap_or(""));
            form.set_value("support_flow", p.support_flow.as_deref().unwrap_or(""));
            form.set_value("emotional_tie", p.emotional_tie.as_deref().unwrap_or(""));
            form.set_value("phone", &p.phone);
            form.set_value("email", &p.email);
            form.set_value("notes", &p.notes);
            form.dirty = false;
        }
        FormScreen::new(
            form,
            PersonForm {
                client_id,
                person_id: person.map(|p| p.id),
                is_self,
                old_partner,
                consent_warned: false,
                parent_asked_at: None,
            },
        )
    }

    fn links(form: &Form) -> Links {
        let id = |f: &str| crate::domain::assessment::parse_ref("P", &form.value(f));
        Links {
            mother: id("mother"),
            father: id("father"),
            partner: id("partner")
                .map(|p| (p, PartnerStatus::parse(&form.value("partnership")).unwrap_or_default())),
        }
    }
}

impl FormSpec for PersonForm {
    fn title(&self) -> &'static str {
        "Person"
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel, Action::Undo]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn draft(&self, _form: &Form) -> Option<DraftInfo> {
        Some(match self.person_id {
            Some(id) => DraftInfo {
                key: format!("person:{id}"),
                kind: DraftKind::PersonEdit,
                client_id: Some(self.client_id),
                title: format!("Edit of {}", person_ref(id)),
            },
            None => DraftInfo {
                key: format!("person:new:{}", self.client_id),
                kind: DraftKind::PersonNew,
                client_id: Some(self.client_id),
                title: format!("New person around {}", client_ref(self.client_id)),
            },
        })
    }
    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        let fields_ok = form.check_fields();
        let v = |f: &str| form.value(f);
        let input = PersonInput {
            name: if self.is_self { "client".into() } else { v("name") },
            relation: v("relation"),
            sex: v("sex"),
            birth_year: v("birth_year"),
            deceased: v("deceased"),
            in_household: v("in_household"),
            role: v("role"),
            organisation: v("organisation"),
            phone: v("phone"),
            email: v("email"),
            notes: v("notes"),
            tie_strength: v("tie_strength"),
            support_flow: v("support_flow"),
            emotional_tie: v("emotional_tie"),
        };
        let draft = match validate_person(&input, ctx.today) {
            Err(errors) => {
                form.add_errors(&errors);
                return Ok(Submitted::Stay);
            }
            Ok(_) if !fields_ok => return Ok(Submitted::Stay),
            Ok(d) => d,
        };
        // recording a contact who has no valid consent to receive information: say so now,
        // and save on a second Ctrl-S
        if !draft.family && !self.consent_warned {
            let has = ctx
                .store
                .usable_consent(self.client_id, self.person_id, &draft.name, "", ctx.today)
                .map(|c| c.is_some())
                .unwrap_or(true);
            if !has {
                self.consent_warned = true;
                form.notice = Some(format!(
                    "No valid consent to share information with {}: record one (C, consents) before sharing. Ctrl-S again saves.",
                    crate::domain::text::fit(&draft.name, 30)
                ));
                return Ok(Submitted::Stay);
            }
        }
        let links = Self::links(form);
        // a "father" recorded as female or a "mother" as male (this person, or the people
        // chosen as their mother and father): ask once; Ctrl-S again saves as it is
        if self.parent_asked_at != Some(form.edits) {
            let mut questions: Vec<String> = Vec::new();
            if !self.is_self {
                questions.extend(parent_sex_question(&fit(&draft.name, 30), &draft.relation, &draft.sex));
            }
            for (parent, id) in [("mother", links.mother), ("father", links.father)] {
                if let Some(p) = id.and_then(|id| ctx.store.person(id).ok()) {
                    questions.extend(parent_link_question(&fit(&p.name, 30), parent, &p.sex));
                }
            }
            if !questions.is_empty() {
                self.parent_asked_at = Some(form.edits);
                form.notice = Some(format!(
                    "{} {} again saves as it is.",
                    questions.join(" "),
                    key_label(Context::Form, Action::Save)
                ));
                return Ok(Submitted::Stay);
            }
        }
        let result = match self.person_id {
            None => ctx
                .store
                .add_person(self.client_id, &draft, &links, ctx.now)
                .map(|_| format!("Added {}.", draft.name)),
            Some(id) => ctx
                .store
                .update_person(id, &draft, &links, self.old_partner, ctx.now)
                .map(|_| "Saved.".to_string()),
        };
        match result {
            Ok(status) => Ok(Submitted::Done { status, then: vec![] }),
            Err(e) => refusal_to_form(form, e),
        }
    }
}
