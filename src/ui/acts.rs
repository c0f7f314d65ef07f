//! One-key writes: signing a note, ticking a step, marking a follow-up done. A screen answers
//! such a key with `Handled::Act`; the app carries the act out through the same narrow
//! `SubmitCtx` a form's submit gets, so every write of the app goes through one door.

use crate::app::message::Message;
use crate::domain::consent::Validity;
use crate::domain::dates::format_date;
use crate::domain::note::note_ref;
use crate::domain::text::display_safe;
use crate::keymap::{key_label, Action, Context};
use crate::store::Result;
use crate::ui::view::{SubmitCtx, Submitted};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Act {
    SignNote(i64),
    /// A note's follow-up is done.
    FollowUpDone(i64),
    /// A conference's action item is done.
    ActionDone(i64),
    /// A transition's follow-up is done.
    TransitionDone(i64),
    /// An expired consent is left unrenewed (it leaves Today).
    LapseConsent(i64),
    /// Those who relied on a withdrawn consent have been told (it leaves Today).
    RelianceTold(i64),
    /// A closure's post-closure follow-up is done.
    ClosureFollowUpDone(i64),
    /// A plan step ticked done today, or back to not done.
    ToggleStep(i64),
    MoveStep {
        step: i64,
        delta: i32,
    },
    /// A person recorded by mistake.
    RemovePerson(i64),
    /// An appointment cancelled or recorded by mistake (the referral's history keeps it).
    RemoveAppointment(i64),
    /// Destroy a file past retention; `confirm` is what was typed (it must be the reference).
    Destroy {
        client_id: i64,
        confirm: String,
    },
}

impl Act {
    /// Writes the act; `Done` carries the status line (an act has no form to close).
    pub fn carry_out(self, ctx: &mut SubmitCtx<'_>) -> Result<Submitted> {
        let now = ctx.now;
        let status = match self {
            Act::SignNote(id) => {
                let by = ctx.settings.signature();
                if by.is_empty() {
                    // nothing to sign with yet: ask for the name here, then s again signs
                    return Ok(Submitted::Then(vec![
                        Message::Status(format!(
                            "Not signed: a signature needs your name. Add it, then {} signs the note.",
                            key_label(Context::Note, Action::Sign)
                        )),
                        Message::AskName,
                    ]));
                }
                ctx.store.sign_note(id, &by, now)?;
                format!("Note {} signed and locked.", note_ref(id))
            }
            Act::FollowUpDone(id) => {
                ctx.store.complete_follow_up(id, now)?;
                format!("Follow-up from note {} marked done.", note_ref(id))
            }
            Act::ActionDone(id) => {
                ctx.store.complete_action(id, now)?;
                "Action item done.".into()
            }
            Act::RelianceTold(id) => {
                ctx.store.reliance_told(id, now)?;
                "Marked done: they were told the consent is withdrawn.".into()
            }
            Act::TransitionDone(id) => {
                ctx.store.complete_transition_follow_up(id, now)?;
                "Transition followed up.".into()
            }
            Act::LapseConsent(id) => {
                let c = ctx.store.consent(id)?;
                let v = c.validity(ctx.today, 0);
                if c.lapsed_on.is_some() || c.revoked_on.is_some() {
                    return Ok(Submitted::said("That consent is no longer in play already."));
                }
                if !matches!(v, Validity::Expired { .. }) {
                    return Ok(Submitted::said(&format!(
                        "Only an expired consent can be left unrenewed; to stop sharing now, record the withdrawal ({}).",
                        key_label(Context::Coordination, Action::Withdraw)
                    )));
                }
                ctx.store.let_consent_lapse(id, now)?;
                format!("Consent {} left expired; it leaves Today.", c.reference)
            }
            Act::ClosureFollowUpDone(id) => {
                ctx.store.complete_closure_follow_up(id, now)?;
                "Post-closure follow-up marked done.".into()
            }
            Act::ToggleStep(step_id) => {
                let s = ctx.store.step(step_id)?;
                let done = if s.done.is_some() { None } else { Some(ctx.today) };
                ctx.store.set_step_done(step_id, done, now)?;
                match done {
                    Some(d) => format!("Step done on {}: {}", format_date(d), display_safe(&s.text)),
                    None => format!("Step back to do: {}", display_safe(&s.text)),
                }
            }
            Act::MoveStep { step, delta } => {
                ctx.store.move_step(step, delta, now)?;
                return Ok(Submitted::Done { status: String::new(), then: vec![] });
            }
            Act::RemovePerson(id) => {
                let p = ctx.store.person(id)?;
                ctx.store.remove_person(id, now)?;
                format!("Removed {}.", display_safe(&p.name))
            }
            Act::RemoveAppointment(id) => {
                let a = ctx.store.appointment(id)?;
                ctx.store.remove_appointment(id, &ctx.settings.signature(), now)?;
                format!("Appointment of {} removed; the referral's history keeps it.", a.when())
            }
            Act::Destroy { client_id, confirm } => {
                let by = ctx.settings.signature();
                let years = ctx.settings.retention_years;
                let file = ctx.store.destroy_file(client_id, &confirm, years, &by, ctx.today, now)?;
                format!(
                    "The file of {} was destroyed. Only its reference and dates are kept.",
                    file.reference
                )
            }
        };
        Ok(Submitted::Done { status, then: vec![] })
    }
}
