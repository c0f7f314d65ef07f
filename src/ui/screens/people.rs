//! The people around a client: household and family (with their family links), as a list or
//! as a genogram drawn from those links; and the form for one person.

use chrono::{Datelike, NaiveDate};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::{AssessMsg, Message};
use crate::domain::client::client_ref;
use crate::domain::people::{person_ref, validate_person, PersonInput, RELATIONS, SEXES};
use crate::domain::text::{display_safe, fit, width};
use crate::keymap::{lookup, Action, Context};
use crate::store::people::{Links, Partnership, Person};
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{refusal_to_form, DraftInfo, Handled, SubmitCtx, Submitted, SyncCtx, View};
use crate::ui::widgets::form::{Field, Form};
use crate::ui::widgets::list::ListCursor;

pub struct PeopleScreen {
    pub client_id: i64,
    people: Vec<Person>,
    partners: Vec<Partnership>,
    genogram_layout: Option<crate::ui::widgets::genogram::GenoLayout>,
    ecomap: Option<crate::ui::widgets::ecomap::EcomapInput>,
    /// Showing the ecomap instead of the list.
    pub show_ecomap: bool,
    /// The body area, for clamping the genogram's scrolling.
    area: Rect,
    cursor: ListCursor,
    /// Showing the genogram instead of the list.
    pub genogram: bool,
    scroll: (u16, u16),
    confirm_remove: Option<i64>,
    stale: bool,
}

impl PeopleScreen {
    pub fn new(client_id: i64) -> Self {
        PeopleScreen {
            client_id,
            people: Vec::new(),
            partners: Vec::new(),
            genogram_layout: None,
            ecomap: None,
            show_ecomap: false,
            area: Rect::default(),
            cursor: ListCursor::default(),
            genogram: false,
            scroll: (0, 0),
            confirm_remove: None,
            stale: true,
        }
    }

    fn name_of(&self, id: Option<i64>) -> String {
        id.and_then(|i| self.people.iter().find(|p| p.id == i))
            .map(|p| if p.is_self { "the client".to_string() } else { p.name.clone() })
            .unwrap_or_default()
    }

    fn links_text(&self, p: &Person) -> String {
        let mut parts = Vec::new();
        let (m, f) = (self.name_of(p.mother_id), self.name_of(p.father_id));
        if !m.is_empty() || !f.is_empty() {
            let both: Vec<String> = [m, f].into_iter().filter(|s| !s.is_empty()).collect();
            parts.push(format!("child of {}", both.join(" & ")));
        }
        for pt in self.partners.iter().filter(|pt| pt.a == p.id || pt.b == p.id) {
            let other = if pt.a == p.id { pt.b } else { pt.a };
            parts.push(format!(
                "{} {}",
                if pt.current { "partner of" } else { "ex of" },
                self.name_of(Some(other))
            ));
        }
        parts.join("; ")
    }

    fn render_list(&self, frame: &mut Frame<'_>, inner: Rect, today: NaiveDate) {
        let w = inner.width as usize;
        let mut lines = vec![Line::from(Span::styled(
            format!(
                "  {:<20} {:<14} {:<6} {:<9} {:<4} {}",
                "Name", "Relation", "Sex", "Born", "Home", "Family links"
            ),
            theme::title(),
        ))];
        if self.people.len() <= 1 {
            lines.push(Line::from(Span::styled(
                "Nobody recorded yet. Press n to add the household and family: mother and father first, \
                 then siblings, partners and children link themselves.",
                theme::dim(),
            )));
        }
        let mut cursor = self.cursor;
        cursor.height = inner.height.saturating_sub(2) as usize;
        for i in cursor.visible(self.people.len()) {
            let p = &self.people[i];
            let selected = i == self.cursor.selected;
            let style = if selected { theme::selected() } else { Style::default() };
            let born = match p.birth_year {
                Some(y) if p.deceased => format!("{y} ✝"),
                Some(y) => format!("{y} ({})", today.year() - y),
                None if p.deceased => "✝".into(),
                None => String::new(),
            };
            let name = fit(&display_safe(&p.name), 20);
            let pad = 20usize.saturating_sub(width(&name));
            let links = self.links_text(p);
            let rest = format!(
                " {:<14} {:<6} {:<9} {:<4} {}",
                fit(if p.is_self { "(the client)" } else { &p.relation }, 14),
                fit(if p.sex == "unknown" { "" } else { &p.sex }, 6),
                fit(&born, 9),
                if p.in_household { "home" } else { "" },
                display_safe(&links)
            );
            lines.push(Line::from(Span::styled(
                fit(&format!("{}{name}{}{rest}", if selected { "▶ " } else { "  " }, " ".repeat(pad)), w),
                style,
            )));
        }
        if let Some(id) = self.confirm_remove {
            lines.push(Line::from(Span::styled(
                format!(
                    "Remove {} ({})? y removes, any other key keeps.",
                    display_safe(&self.name_of(Some(id))),
                    person_ref(id)
                ),
                theme::warn(),
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

impl View for PeopleScreen {
    fn title(&self) -> &'static str {
        "People and family"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::People, Context::Nav, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::New, Action::Edit, Action::Genogram, Action::Ecomap, Action::Remove, Action::Back]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn set_area(&mut self, body: Rect) {
        self.cursor.height = body.height.saturating_sub(4) as usize;
        self.area =
            Rect { x: 0, y: 0, width: body.width.saturating_sub(2), height: body.height.saturating_sub(2) };
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.people = ctx.store.people(self.client_id)?;
            self.partners = ctx.store.partnerships(self.client_id)?;
            self.genogram_layout =
                Some(crate::ui::widgets::family::genogram_layout(&self.people, &self.partners));
            let client = ctx.store.client(self.client_id)?;
            let name = if client.preferred_name.is_empty() {
                client.given_name.clone()
            } else {
                client.preferred_name.clone()
            };
            let extra = crate::ui::widgets::family::extra_ties(ctx.store, self.client_id)?;
            self.ecomap = Some(crate::ui::widgets::family::ecomap_input(&name, &self.people, extra));
            self.stale = false;
        }
        self.cursor.clamp(self.people.len());
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if let Some(id) = self.confirm_remove.take() {
            if lookup(&[Context::People], &ev) == Some(Action::Yes) {
                return Handled::Yes(vec![Message::Assess(AssessMsg::RemovePerson(id))]);
            }
            return Handled::Yes(vec![Message::Status("Kept.".into())]);
        }
        let Some(action) = lookup(&[Context::People, Context::Nav], &ev) else { return Handled::No };
        if self.show_ecomap {
            match action {
                Action::Ecomap | Action::Back => self.show_ecomap = false,
                Action::Genogram => {
                    self.show_ecomap = false;
                    self.genogram = true;
                }
                Action::New => {
                    return Handled::Yes(vec![Message::Assess(AssessMsg::AddPerson(self.client_id))])
                }
                _ => return Handled::No,
            }
            return Handled::Yes(vec![]);
        }
        if action == Action::Ecomap {
            self.genogram = false;
            self.show_ecomap = true;
            return Handled::Yes(vec![]);
        }
        if self.genogram {
            let (max_x, max_y) = self
                .genogram_layout
                .as_ref()
                .map(|l| crate::ui::widgets::genogram::Genogram::max_offset(l, self.area))
                .unwrap_or((0, 0));
            let page = self.area.height.max(2) / 2;
            match action {
                Action::Up => self.scroll.1 = self.scroll.1.saturating_sub(1),
                Action::Down => self.scroll.1 = self.scroll.1.saturating_add(1).min(max_y),
                Action::PageUp => self.scroll.1 = self.scroll.1.saturating_sub(page),
                Action::PageDown => self.scroll.1 = self.scroll.1.saturating_add(page).min(max_y),
                Action::ScrollLeft => self.scroll.0 = self.scroll.0.saturating_sub(8),
                Action::ScrollRight => self.scroll.0 = self.scroll.0.saturating_add(8).min(max_x),
                Action::Genogram => self.genogram = false,
                Action::Back => self.genogram = false,
                Action::New => {
                    return Handled::Yes(vec![Message::Assess(AssessMsg::AddPerson(self.client_id))])
                }
                _ => return Handled::No,
            }
            return Handled::Yes(vec![]);
        }
        if self.cursor.apply(action, self.people.len()) {
            return Handled::Yes(vec![]);
        }
        let selected = self.people.get(self.cursor.selected);
        let msg = match action {
            Action::New => Message::Assess(AssessMsg::AddPerson(self.client_id)),
            Action::Edit | Action::Open => match selected {
                Some(p) => Message::Assess(AssessMsg::EditPerson(p.id)),
                None => return Handled::Yes(vec![]),
            },
            Action::Remove => match selected {
                Some(p) if p.is_self => {
                    Message::Status("The client's own place in the family tree stays.".into())
                }
                Some(p) => {
                    self.confirm_remove = Some(p.id);
                    return Handled::Yes(vec![]);
                }
                None => return Handled::Yes(vec![]),
            },
            Action::Genogram => {
                self.genogram = true;
                return Handled::Yes(vec![]);
            }
            Action::Back => Message::Back,
            _ => return Handled::No,
        };
        Handled::Yes(vec![msg])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, today: NaiveDate) {
        let household = self.people.iter().filter(|p| p.in_household).count();
        let title = if self.show_ecomap {
            " Ecomap — the client's ties (set a tie with e on the list) · m back ".to_string()
        } else if self.genogram {
            " Genogram — g back to the list · arrows scroll ".to_string()
        } else {
            format!(
                " People and family — {} recorded, {household} in the household ",
                self.people.len().saturating_sub(1)
            )
        };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if self.show_ecomap {
            if let Some(e) = &self.ecomap {
                frame.render_widget(crate::ui::widgets::ecomap::Ecomap::new(e), inner);
            }
        } else if self.genogram {
            if let Some(l) = &self.genogram_layout {
                let g = crate::ui::widgets::genogram::Genogram::new(l).year(today.year());
                frame.render_widget(g.offset(self.scroll.0, self.scroll.1), inner);
            }
        } else {
            self.render_list(frame, inner, today);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One person
// ---------------------------------------------------------------------------------------------

pub struct PersonFormScreen {
    pub client_id: i64,
    /// None: a new person.
    pub person_id: Option<i64>,
    is_self: bool,
    old_partner: Option<i64>,
    consent_warned: bool,
    pub form: Form,
}

fn yes_no() -> Vec<(&'static str, &'static str)> {
    vec![("no", "no"), ("yes", "yes")]
}

impl PersonFormScreen {
    /// `others`: the client's people, for the family-link choices.
    pub fn new(
        client_id: i64,
        person: Option<&Person>,
        others: &[Person],
        partners: &[Partnership],
        today: NaiveDate,
    ) -> Self {
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
                &[("current", "current"), ("former", "former (separated, divorced)")],
            ),
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
                form.set_value("partnership", if pt.current { "current" } else { "former" });
            }
            form.set_value("role", &p.role);
            form.set_value("organisation", &p.organisation);
            form.set_value("tie_strength", p.tie_strength.as_deref().unwrap_or(""));
            form.set_value("support_flow", p.support_flow.as_deref().unwrap_or(""));
            form.set_value("phone", &p.phone);
            form.set_value("email", &p.email);
            form.set_value("notes", &p.notes);
            form.dirty = false;
        }
        PersonFormScreen {
            client_id,
            person_id: person.map(|p| p.id),
            is_self,
            old_partner,
            consent_warned: false,
            form,
        }
    }

    fn links(&self) -> Links {
        let id = |f: &str| crate::domain::assessment::parse_ref("P", &self.form.value(f));
        Links {
            mother: id("mother"),
            father: id("father"),
            partner: id("partner").map(|p| (p, self.form.value("partnership") != "former")),
        }
    }
}

impl View for PersonFormScreen {
    fn title(&self) -> &'static str {
        "Person"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel, Action::Undo]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn form(&self) -> Option<&Form> {
        Some(&self.form)
    }
    fn form_mut(&mut self) -> Option<&mut Form> {
        Some(&mut self.form)
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        Handled::Form(self.form.handle_key(ev))
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        self.form.render(frame, area);
    }
    fn draft(&self) -> Option<DraftInfo> {
        Some(match self.person_id {
            Some(id) => DraftInfo {
                key: format!("person:{id}"),
                kind: "person-edit",
                client_id: Some(self.client_id),
                title: format!("Edit of {}", person_ref(id)),
            },
            None => DraftInfo {
                key: format!("person:new:{}", self.client_id),
                kind: "person-new",
                client_id: Some(self.client_id),
                title: format!("New person around {}", client_ref(self.client_id)),
            },
        })
    }
    fn submit(&mut self, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        let fields_ok = self.form.check_fields();
        let v = |f: &str| self.form.value(f);
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
        };
        let draft = match validate_person(&input, ctx.today) {
            Err(errors) => {
                self.form.add_errors(&errors);
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
                self.form.notice = Some(format!(
                    "No valid consent to share information with {}: record one (C, consents) before sharing. Ctrl-S again saves.",
                    crate::domain::text::fit(&draft.name, 30)
                ));
                return Ok(Submitted::Stay);
            }
        }
        let links = self.links();
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
            Err(e) => refusal_to_form(&mut self.form, e),
        }
    }
}
