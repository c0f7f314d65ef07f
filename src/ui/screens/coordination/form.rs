//! The forms of coordination and advocacy: a consent, a withdrawal, a conference, a transition,
//! an advocacy item, its actions and its closing, a mandated report and its addendum.

use chrono::{Local, NaiveDate};

use crate::app::message::{CoordForm, CoordMsg, Message};
use crate::domain::coordination::{
    mandated_ref, validate_advocacy, validate_conference, validate_consent, validate_mandated,
    validate_transition, validate_withdrawal, AdvocacyInput, ConferenceInput, ConsentInput, MandatedInput,
    TransitionInput, ADVOCACY_TARGETS, MANDATED_KINDS, TRANSITION_KINDS,
};
use crate::domain::dates::{format_date, parse_date};
use crate::domain::draft::DraftKind;
use crate::domain::text::fit;
use crate::keymap::Action;
use crate::store::coordination::Conference;
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{refusal_to_form, DraftInfo, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

pub struct CoordinationForm {
    pub kind: CoordForm,
    /// Names the consent warning was already shown for (a second Ctrl-S saves).
    warned: bool,
}

pub type CoordFormScreen = FormScreen<CoordinationForm>;

fn choices(list: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    list.to_vec()
}

impl CoordinationForm {
    /// `existing`: the conference being edited, whose record fills the form.
    pub fn new(
        kind: CoordForm,
        today: NaiveDate,
        now_text: &str,
        existing: Option<&Conference>,
        by: &str,
    ) -> CoordFormScreen {
        let (title, fields): (String, Vec<Field>) = match kind {
            CoordForm::Consent { .. } => (
                "Consent to share information".into(),
                vec![
                    Field::text("to_name", "May be shared with").required().max(200).help(
                        "A person or an organisation (GP practice, school, housing office); a name recorded under people links to them.",
                    ),
                    Field::text("covers", "What may be shared").max(1000).help(
                        "e.g. \"medical history, housing\"; leave empty for everything the client agreed to.",
                    ),
                    Field::date("signed_on", "Signed on").help("Default today."),
                    Field::date("expires_on", "Expires on").help("The last day it is valid, e.g. +52w."),
                    Field::multiline("notes", "Notes", 3),
                ],
            ),
            CoordForm::Withdraw { consent_id, .. } => (
                format!("Withdraw consent {}", crate::domain::coordination::consent_ref(consent_id)),
                vec![
                    Field::date("revoked_on", "Withdrawn on").help("Default today."),
                    Field::text("reason", "Reason").max(500).help("Optional: what the client said."),
                ],
            ),
            CoordForm::Conference { id, .. } => (
                if id.is_some() { "Case conference record".into() } else { "New case conference".into() },
                vec![
                    Field::text("held_at", "Date and time")
                        .required()
                        .max(40)
                        .help("YYYY-MM-DD HH:MM, now, yesterday 14:30, last friday 10:00."),
                    Field::text("purpose", "Purpose").required().max(500),
                    Field::multiline("attendees", "Attendees", 3).help(
                        "One per line (or commas). Names recorded under people are linked to them.",
                    ),
                    Field::multiline("agenda", "Agenda", 3),
                    Field::multiline("minutes", "Minutes", 5),
                    Field::multiline("decisions", "Decisions", 3),
                    Field::multiline(
                        "actions",
                        if id.is_some() { "More action items" } else { "Action items" },
                        3,
                    )
                    .help("One per line: owner: what needs doing by DATE — e.g. \"Sam: call the landlord by +1w\"."),
                ],
            ),
            CoordForm::Transition { .. } => (
                "Transition between services".into(),
                vec![
                    Field::choice("kind", "Kind", &choices(TRANSITION_KINDS)),
                    Field::date("on_date", "Date").required(),
                    Field::text("from_service", "From").max(500).help("e.g. St Mary's Hospital, ward 7"),
                    Field::text("to_service", "To").max(500).help("e.g. home with community nursing"),
                    Field::multiline("handed_over", "What was handed over", 4)
                        .help("Documents, medication lists, who now holds what."),
                    Field::date("follow_up_on", "Follow-up date").help("Shown on Today when due."),
                ],
            ),
            CoordForm::Advocacy { .. } => {
                let targets: Vec<(&str, &str)> = ADVOCACY_TARGETS.iter().map(|t| (*t, *t)).collect();
                (
                    "Advocacy: a barrier to take up".into(),
                    vec![
                        Field::text("barrier", "Barrier").required().max(500).help("What stands in the client's way."),
                        Field::choice("target", "Aimed at", &targets)
                            .help("Whom you are pressing; the name can go in the first action."),
                        Field::date("deadline", "Deadline").help("An appeal or response date; shown on Today."),
                        Field::multiline("first_action", "First action", 3).help("Optional: what you did today."),
                    ],
                )
            }
            CoordForm::AdvocacyAction { .. } => (
                "Action taken".into(),
                vec![
                    Field::date("on_date", "Date").required(),
                    Field::multiline("action", "What was done", 5).required(),
                ],
            ),
            CoordForm::AdvocacyClose { .. } => (
                "Close the advocacy item".into(),
                vec![Field::multiline("outcome", "Outcome", 5).required().help("How it ended.")],
            ),
            CoordForm::Mandated { .. } => (
                "Mandated report (cannot be changed after saving)".into(),
                vec![
                    Field::choice("kind", "Kind", &choices(MANDATED_KINDS)),
                    Field::text("agency", "Reported to (agency)").required().max(200),
                    Field::text("reported_at", "Date and time").required().max(40).help("When the report was made."),
                    Field::text("reference_number", "Reference number").max(100),
                    Field::text("reported_by", "Reported by").required().max(200),
                    Field::multiline("what_reported", "What was reported", 8).required(),
                ],
            ),
            CoordForm::ReportAddendum { report, .. } => (
                format!("Addendum to mandated report {}", mandated_ref(report)),
                vec![Field::multiline("body", "Addendum", 8).required()],
            ),
        };
        let mut form = Form::new(&title, fields, today);
        match kind {
            CoordForm::Conference { .. } => form.set_value("held_at", now_text),
            CoordForm::Mandated { .. } => {
                form.set_value("reported_at", now_text);
                form.set_value("reported_by", by);
            }
            CoordForm::Transition { .. } | CoordForm::AdvocacyAction { .. } => {
                form.set_value("on_date", &format_date(today));
            }
            _ => {}
        }
        if let Some(c) = existing {
            form.set_value(
                "held_at",
                &c.held_at.with_timezone(&Local).format(crate::domain::dates::DATETIME_FORMAT).to_string(),
            );
            form.set_value("purpose", &c.purpose);
            form.set_value(
                "attendees",
                &c.attendees.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join("\n"),
            );
            form.set_value("agenda", &c.agenda);
            form.set_value("minutes", &c.minutes);
            form.set_value("decisions", &c.decisions);
        }
        form.dirty = false;
        FormScreen::new(form, CoordinationForm { kind, warned: false })
    }
}

impl FormSpec for CoordinationForm {
    fn title(&self) -> &'static str {
        "Coordination"
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel, Action::Undo]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.kind.client())
    }
    fn draft(&self, form: &Form) -> Option<DraftInfo> {
        Some(DraftInfo {
            key: self.kind.draft_key(),
            kind: DraftKind::Coordination,
            client_id: Some(self.kind.client()),
            title: form.title.clone(),
        })
    }
    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let (now, today) = (ctx.now, ctx.today);
        let client = self.kind.client();
        macro_rules! valid {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(errors) => {
                        form.add_errors(&errors);
                        return Ok(Submitted::Stay);
                    }
                }
            };
        }
        let result: Result<(String, Vec<Message>)> = match self.kind {
            CoordForm::Consent { client_id } => {
                let d = valid!(validate_consent(
                    &ConsentInput {
                        to_name: form.value("to_name"),
                        covers: form.value("covers"),
                        signed_on: form.value("signed_on"),
                        expires_on: form.value("expires_on"),
                        notes: form.value("notes"),
                    },
                    today
                ));
                ctx.store.add_consent(client_id, &d, None, now).map(|id| {
                    (format!("Consent {} recorded.", crate::domain::coordination::consent_ref(id)), vec![])
                })
            }
            CoordForm::Withdraw { consent_id, .. } => {
                let c = ctx.store.consent(consent_id)?;
                match validate_withdrawal(c.signed_on, &form.value("revoked_on"), today) {
                    Err(m) => {
                        form.set_errors(&[crate::domain::client::FieldError {
                            field: "revoked_on",
                            message: m,
                        }]);
                        return Ok(Submitted::Stay);
                    }
                    Ok(on) => {
                        let by = ctx.settings.signature();
                        ctx.store.withdraw_consent(consent_id, on, &form.value("reason"), &by, now).map(
                            |relied| {
                                let told = if relied.is_empty() {
                                    String::new()
                                } else {
                                    let refs: Vec<&str> = relied.iter().map(|r| r.reference()).collect();
                                    format!(
                                        " {} on it ({}): each is on Today until you have told them.",
                                        crate::domain::words::count(
                                            relied.len(),
                                            "record relied",
                                            "records relied"
                                        ),
                                        refs.join(", ")
                                    )
                                };
                                (
                                    format!(
                                        "Consent {} withdrawn; nothing more may be shared under it.{told}",
                                        c.reference
                                    ),
                                    vec![],
                                )
                            },
                        )
                    }
                }
            }
            CoordForm::Conference { client_id, id } => {
                let d = valid!(validate_conference(
                    &ConferenceInput {
                        held_at: form.value("held_at"),
                        purpose: form.value("purpose"),
                        attendees: form.value("attendees"),
                        agenda: form.value("agenda"),
                        minutes: form.value("minutes"),
                        decisions: form.value("decisions"),
                        actions: form.value("actions"),
                    },
                    now,
                    today
                ));
                // adding attendees who may not receive information: warn now, save on a second Ctrl-S
                if !self.warned {
                    let mut missing = Vec::new();
                    for a in &d.attendees {
                        if ctx.store.usable_consent(client_id, None, a, "", today)?.is_none() {
                            missing.push(a.clone());
                        }
                    }
                    if !missing.is_empty() {
                        self.warned = true;
                        form.notice = Some(format!(
                            "No valid consent to share information with: {}. Ctrl-S again saves anyway.",
                            fit(&missing.join(", "), 60)
                        ));
                        return Ok(Submitted::Stay);
                    }
                }
                match id {
                    None => ctx.store.add_conference(client_id, &d, now).map(|id| {
                        (
                            format!(
                                "Conference saved with {} action item(s); open ones show on Today.",
                                d.actions.len()
                            ),
                            vec![Message::Coord(CoordMsg::OpenConference(id))],
                        )
                    }),
                    Some(id) => ctx
                        .store
                        .update_conference(id, &d, now)
                        .map(|_| ("Conference record saved.".into(), vec![])),
                }
            }
            CoordForm::Transition { client_id } => {
                let d = valid!(validate_transition(
                    &TransitionInput {
                        kind: form.value("kind"),
                        on_date: form.value("on_date"),
                        from_service: form.value("from_service"),
                        to_service: form.value("to_service"),
                        handed_over: form.value("handed_over"),
                        follow_up_on: form.value("follow_up_on"),
                    },
                    today
                ));
                ctx.store.add_transition(client_id, &d, now).map(|_| ("Transition recorded.".into(), vec![]))
            }
            CoordForm::Advocacy { client_id } => {
                let d = valid!(validate_advocacy(
                    &AdvocacyInput {
                        barrier: form.value("barrier"),
                        target: form.value("target"),
                        deadline: form.value("deadline"),
                        first_action: form.value("first_action"),
                        opened_on: String::new(),
                    },
                    today
                ));
                ctx.store.add_advocacy(client_id, &d, now).map(|id| {
                    ("Advocacy item opened.".into(), vec![Message::Coord(CoordMsg::OpenAdvocacy(id))])
                })
            }
            CoordForm::AdvocacyAction { item, .. } => {
                let on = match parse_date(&form.value("on_date"), today) {
                    Ok(d) if d <= today => d,
                    Ok(_) => {
                        form.set_errors(&[crate::domain::client::FieldError {
                            field: "on_date",
                            message: "An action is recorded on or after the day it was taken.".into(),
                        }]);
                        return Ok(Submitted::Stay);
                    }
                    Err(m) => {
                        form.set_errors(&[crate::domain::client::FieldError {
                            field: "on_date",
                            message: m,
                        }]);
                        return Ok(Submitted::Stay);
                    }
                };
                ctx.store
                    .add_advocacy_action(item, on, &form.value("action"), now)
                    .map(|_| ("Action recorded.".into(), vec![]))
            }
            CoordForm::AdvocacyClose { item, .. } => ctx
                .store
                .close_advocacy(item, &form.value("outcome"), now)
                .map(|_| ("Advocacy item closed.".into(), vec![])),
            CoordForm::Mandated { client_id } => {
                let d = valid!(validate_mandated(
                    &MandatedInput {
                        kind: form.value("kind"),
                        agency: form.value("agency"),
                        reported_at: form.value("reported_at"),
                        reference_number: form.value("reference_number"),
                        what_reported: form.value("what_reported"),
                        reported_by: form.value("reported_by"),
                    },
                    now
                ));
                ctx.store.add_mandated_report(client_id, &d, now).map(|id| {
                    (
                        format!("Mandated report {} saved and locked.", mandated_ref(id)),
                        vec![Message::Coord(CoordMsg::OpenReport(id))],
                    )
                })
            }
            CoordForm::ReportAddendum { report, .. } => ctx
                .store
                .add_mandated_addendum(report, &form.value("body"), &ctx.settings.signature(), now)
                .map(|_| ("Addendum saved.".into(), vec![])),
        };
        let _ = client;
        match result {
            Ok((status, then)) => Ok(Submitted::Done { status, then }),
            Err(e) => refusal_to_form(form, e),
        }
    }
}
