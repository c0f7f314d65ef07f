//! Making or editing a referral: the need, the provider, what is shared under which consent.

use chrono::NaiveDate;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::message::{Message, Picked, RefMsg};
use crate::domain::client::FieldError;
use crate::domain::consent::Consent;
use crate::domain::coordination::ConsentDraft;
use crate::domain::dates::{format_date, parse_date};
use crate::domain::directory::{parse_service_ref, service_ref};
use crate::domain::draft::DraftKind;
use crate::domain::referral::{referral_ref, validate_referral, ReferralInput, Urgency, METHODS};
use crate::domain::text::fit;
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::assessments::CurrentNeed;
use crate::store::people::Person;
use crate::store::referrals::{NewReferral, Referral};
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{refusal_to_form, DraftInfo, Handled, SubmitCtx, Submitted, SyncCtx};
use crate::ui::widgets::form::{Field, Form, FormEvent};
use crate::ui::widgets::picker::service_label;

pub struct ReferralForm {
    pub client_id: i64,
    /// None: a new referral.
    pub id: Option<i64>,
    needs: Vec<CurrentNeed>,
    goals: Vec<(i64, String, String)>,
    /// The service the form was opened for (`r` on a service), as (value, label): it stays
    /// chosen when a draft of this client's new referral is put back.
    preset: Option<(String, String)>,
    /// A draft was put back over the preset service: choose it again on the next sync.
    reapply_preset: bool,
    /// The service field's value whose label was last read from the directory.
    labelled: String,
}

/// The service field's value when none is chosen.
const NO_SERVICE: &str = "";

pub type ReferralFormScreen = FormScreen<ReferralForm>;

impl ReferralForm {
    /// The form for a client, with what it offers to link: their needs, goals and people.
    pub fn load(
        ctx: &SubmitCtx<'_>,
        client_id: i64,
        existing: Option<&Referral>,
    ) -> Result<ReferralFormScreen> {
        let needs = ctx.store.current_needs(client_id)?;
        let goals = ctx
            .store
            .goals(client_id, false)?
            .into_iter()
            .map(|g| (g.id, g.statement.clone(), g.life_domain.clone()))
            .collect();
        let people = ctx.store.people(client_id)?;
        Ok(ReferralForm::new(client_id, existing, needs, goals, people, ctx.today))
    }

    /// A new referral for a client to a directory service already chosen (`r` on a service).
    pub fn load_to(ctx: &SubmitCtx<'_>, client_id: i64, service_id: i64) -> Result<ReferralFormScreen> {
        let mut screen = Self::load(ctx, client_id, None)?;
        let summary = ctx.store.service_summaries(&[service_id])?;
        let Some(s) = summary.first() else {
            return Err(crate::store::StoreError::NotFound("No such service.".into()));
        };
        let (value, label) = (service_ref(s.id), service_label(s));
        screen.form.choose("service", &value, &label);
        screen.form.dirty = false;
        // the service is chosen: the form starts at the need it serves
        if let Some(i) = screen.form.fields.iter().position(|f| f.id == "need_choice") {
            screen.form.focus = i;
        }
        screen.spec.labelled = value.clone();
        screen.spec.preset = Some((value, label));
        Ok(screen)
    }

    /// `goals`: open goals as (id, statement, life domain).
    pub fn new(
        client_id: i64,
        existing: Option<&Referral>,
        needs: Vec<CurrentNeed>,
        goals: Vec<(i64, String, String)>,
        people: Vec<Person>,
        today: NaiveDate,
    ) -> ReferralFormScreen {
        let mut need_opts: Vec<(String, String)> = vec![("".into(), "(describe it below)".into())];
        for (i, n) in needs.iter().enumerate() {
            need_opts.push((format!("need:{i}"), fit(&format!("{}: {}", n.life_domain, n.text), 50)));
        }
        for (id, statement, _) in &goals {
            need_opts.push((format!("goal:{id}"), fit(&format!("goal G-{id}: {statement}"), 50)));
        }
        let need_refs: Vec<(&str, &str)> = need_opts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let mut people_opts: Vec<(String, String)> = vec![("".into(), "(none recorded)".into())];
        for p in people.iter().filter(|p| !p.is_self) {
            let what = if p.role.is_empty() { p.relation.clone() } else { p.role.clone() };
            people_opts
                .push((crate::domain::people::person_ref(p.id), fit(&format!("{} ({what})", p.name), 40)));
        }
        let people_refs: Vec<(&str, &str)> =
            people_opts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let urgencies: Vec<(&str, &str)> = Urgency::ALL.iter().map(|u| (u.as_str(), u.label())).collect();
        let mut fields = Vec::new();
        if existing.is_none() {
            let help = format!(
                "{} or type what it offers (food, housing…) to choose from the directory; {} clears it. Or type a provider below.",
                key_label(Context::Form, Action::Enter),
                key_label(Context::Form, Action::DeleteBack)
            );
            fields.push(
                Field::choice(
                    "service",
                    "Directory service",
                    &[(NO_SERVICE, "(none chosen — Enter to search the directory)")],
                )
                .from_picker()
                .help(&help),
            );
        }
        fields.extend([
            Field::text("provider", if existing.is_some() { "Provider" } else { "Or provider" })
                .max(300)
                .help("A provider not in the directory: name, and team if it helps."),
            Field::choice("need_choice", "Need it serves", &need_refs)
                .help("From the latest assessment, the social-needs screen and the open goals."),
            Field::text("need", "Or the need, in words").max(300),
            Field::choice("urgency", "Urgency", &urgencies),
            Field::choice("method", "How it is made", METHODS),
            Field::choice("contact_person", "Contact person", &people_refs).help(&format!(
                "Someone recorded under people ({}).",
                key_label(Context::ClientFile, Action::OpenPeople)
            )),
            Field::text("contact_name", "Or contact name").max(200),
            Field::text("info_shared", "Information shared")
                .max(1000)
                .help("e.g. \"name, address, housing situation\"."),
        ]);
        if existing.is_none() {
            fields.push(
                Field::choice(
                    "consent",
                    "Consent to share",
                    &[
                        ("on-file", "on file already (checked when it is sent)"),
                        ("today", "the client agreed today: record it"),
                        ("not-yet", "not yet asked"),
                    ],
                )
                .heading("Consent")
                .help("A referral cannot be marked sent without a valid consent to share with the provider."),
            );
            fields.push(
                Field::date("consent_expires", "Consent expires")
                    .help("For a consent recorded today; default a year."),
            );
        }
        fields.push(
            Field::date("follow_up_on", "Follow-up date")
                .help("Set when it is sent (a week later); change it here."),
        );
        fields.push(Field::multiline("notes", "Notes", 3));
        let title = match existing {
            Some(r) => format!("Edit referral {}", r.reference),
            None => "New referral".to_string(),
        };
        let mut form = Form::new(&title, fields, today);
        if let Some(r) = existing {
            form.set_value("provider", &r.provider);
            form.set_value("need", &r.need);
            form.set_value("urgency", r.urgency.as_str());
            form.set_value("method", &r.method);
            form.set_value(
                "contact_person",
                &r.contact_person_id.map(crate::domain::people::person_ref).unwrap_or_default(),
            );
            form.set_value("contact_name", &r.contact_name);
            form.set_value("info_shared", &r.info_shared);
            form.set_value("follow_up_on", &r.follow_up_on.map(format_date).unwrap_or_default());
            form.set_value("notes", &r.notes);
        }
        form.dirty = false;
        FormScreen::new(
            form,
            ReferralForm {
                client_id,
                id: existing.map(|r| r.id),
                needs,
                goals,
                preset: None,
                reapply_preset: false,
                labelled: NO_SERVICE.into(),
            },
        )
    }
}

impl FormSpec for ReferralForm {
    fn title(&self) -> &'static str {
        "Referral"
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel, Action::Undo]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn draft(&self, form: &Form) -> Option<DraftInfo> {
        Some(DraftInfo {
            key: match self.id {
                Some(id) => format!("referral:{id}"),
                None => format!("referral:new:{}", self.client_id),
            },
            kind: DraftKind::Referral,
            client_id: Some(self.client_id),
            title: form.title.clone(),
        })
    }
    /// On the directory service: Enter, or a letter (the start of the search), opens the
    /// service picker; Backspace or Delete clears the choice.
    fn key(&mut self, form: &mut Form, ev: KeyEvent) -> Option<Handled> {
        if form.jumping() || form.fields.get(form.focus).map(|f| f.id) != Some("service") {
            return None;
        }
        match lookup(&[Context::Form], &ev) {
            Some(Action::Enter) => return Some(Handled::Yes(vec![Message::PickService(String::new())])),
            Some(Action::DeleteBack | Action::DeleteForward) => {
                let changed = form.choose("service", NO_SERVICE, "");
                return Some(Handled::Form(if changed { FormEvent::Changed } else { FormEvent::Nothing }));
            }
            Some(_) => return None,
            None => {}
        }
        match ev.code {
            KeyCode::Char(c)
                if c != ' '
                    && !c.is_control()
                    && !ev.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(Handled::Yes(vec![Message::PickService(c.to_string())]))
            }
            _ => None,
        }
    }
    fn picked(&mut self, form: &mut Form, picked: &Picked) -> bool {
        let Picked::Service { id, label } = picked;
        if self.id.is_some() {
            return false;
        }
        let value = service_ref(*id);
        let changed = form.choose("service", &value, label);
        self.labelled = value;
        // on to the need it serves: the service is chosen, so the provider typed by hand
        // (its alternative) is skipped
        if form.fields.get(form.focus).is_some_and(|f| f.id == "service") {
            match form.fields.iter().position(|f| f.id == "need_choice") {
                Some(i) => form.focus = i,
                None => form.focus_next(),
            }
        }
        changed
    }
    fn restored(&mut self, form: &Form) {
        // a draft put back over a form opened for a service: that service is still the one
        if let Some((value, _)) = &self.preset {
            self.reapply_preset = form.value("service") != *value;
        }
    }
    fn sync(&mut self, form: &mut Form, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.id.is_some() {
            return Ok(());
        }
        if std::mem::take(&mut self.reapply_preset) {
            if let Some((value, label)) = &self.preset {
                form.choose("service", value, label);
                self.labelled = value.clone();
            }
        }
        // a service kept by a draft shows by its name again, as the picker showed it
        let value = form.value("service");
        if value != self.labelled {
            self.labelled = value.clone();
            if let Some(id) = parse_service_ref(&value) {
                if let Some(s) = ctx.store.service_summaries(&[id])?.first() {
                    form.label_option("service", &value, &service_label(s));
                }
            }
        }
        Ok(())
    }
    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        let fields_ok = form.check_fields();
        let v = |f: &str| form.value(f);
        // the directory service chosen in the picker, by its reference: exactly that one
        let chosen = v("service");
        let service = if self.id.is_none() && !chosen.trim().is_empty() {
            let found = match parse_service_ref(&chosen) {
                Some(id) => match ctx.store.service(id) {
                    Ok(s) => Ok(s),
                    Err(crate::store::StoreError::NotFound(_)) => {
                        Err("That service is no longer in the directory: choose another.".to_string())
                    }
                    Err(e) => return Err(e),
                },
                None => Err(format!(
                    "Choose the service from the directory ({} on this field).",
                    key_label(Context::Form, Action::Enter)
                )),
            };
            match found {
                Ok(s) => Some(s),
                Err(message) => {
                    form.set_errors(&[FieldError { field: "service", message }]);
                    return Ok(Submitted::Stay);
                }
            }
        } else {
            None
        };
        let (mut need, mut need_domain, mut goal_id) = (v("need"), String::new(), None);
        let choice = v("need_choice");
        if let Some(i) = choice.strip_prefix("need:").and_then(|i| i.parse::<usize>().ok()) {
            if let Some(n) = self.needs.get(i) {
                if need.trim().is_empty() {
                    need = n.text.clone();
                }
                need_domain = n.life_domain.clone();
            }
        } else if let Some(id) = choice.strip_prefix("goal:").and_then(|i| i.parse::<i64>().ok()) {
            if let Some((gid, statement, domain)) = self.goals.iter().find(|g| g.0 == id) {
                if need.trim().is_empty() {
                    need = statement.clone();
                }
                need_domain = domain.clone();
                goal_id = Some(*gid);
            }
        }
        let input = ReferralInput {
            provider: v("provider"),
            need,
            urgency: v("urgency"),
            method: v("method"),
            contact_name: v("contact_name"),
            info_shared: v("info_shared"),
            follow_up_on: v("follow_up_on"),
            notes: v("notes"),
        };
        let details = match validate_referral(&input, service.is_some() || self.id.is_some(), ctx.today) {
            Err(mut errors) => {
                if self.id.is_none() && input.provider.trim().is_empty() {
                    // here a service is chosen from the picker, not typed as S-12
                    for e in errors.iter_mut().filter(|e| e.field == "provider") {
                        e.message = format!(
                            "Choose a directory service ({} on its field), or type the provider.",
                            key_label(Context::Form, Action::Enter)
                        );
                    }
                }
                form.add_errors(&errors);
                return Ok(Submitted::Stay);
            }
            Ok(_) if !fields_ok => return Ok(Submitted::Stay),
            Ok(d) => d,
        };
        let contact = crate::domain::assessment::parse_ref("P", &v("contact_person"));
        let by = ctx.settings.signature();
        match self.id {
            Some(id) => match ctx.store.update_referral(id, &details, contact, ctx.now) {
                Ok(()) => Ok(Submitted::Done { status: "Referral saved.".into(), then: vec![] }),
                Err(e) => refusal_to_form(form, e),
            },
            None => {
                let consent = if v("consent") == "today" {
                    let expires = match v("consent_expires").trim() {
                        "" => ctx.today.checked_add_days(chrono::Days::new(365)),
                        t => match parse_date(t, ctx.today) {
                            Ok(d) if d < ctx.today => {
                                form.set_errors(&[FieldError {
                                    field: "consent_expires",
                                    message: "The consent would expire before it was signed.".into(),
                                }]);
                                return Ok(Submitted::Stay);
                            }
                            Ok(d) => Some(d),
                            Err(m) => {
                                form.set_errors(&[FieldError { field: "consent_expires", message: m }]);
                                return Ok(Submitted::Stay);
                            }
                        },
                    };
                    let to = match &service {
                        Some(s) => s.organisation.name.clone(),
                        None => details.provider.clone(),
                    };
                    Some(ConsentDraft {
                        consent: Consent {
                            to_name: to,
                            covers: if details.info_shared.is_empty() {
                                Vec::new()
                            } else {
                                vec![details.info_shared.clone()]
                            },
                            signed_on: Some(ctx.today),
                            expires_on: expires,
                            revoked_on: None,
                        },
                        notes: "Given with a referral.".into(),
                    })
                } else {
                    None
                };
                let n = NewReferral {
                    service_id: service.as_ref().map(|s| s.id),
                    details,
                    need_domain,
                    goal_id,
                    contact_person_id: contact,
                    consent,
                };
                match ctx.store.add_referral(self.client_id, &n, &by, ctx.now) {
                    Ok(id) => Ok(Submitted::Done {
                        status: format!(
                            "Referral {} saved as a draft; {} marks it sent.",
                            referral_ref(id),
                            key_label(Context::ReferralView, Action::NextStatus)
                        ),
                        then: vec![Message::Referral(RefMsg::Open(id))],
                    }),
                    Err(e) => refusal_to_form(form, e),
                }
            }
        }
    }
}
