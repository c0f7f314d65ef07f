//! Drafts: what is typed in a form is written to the database while typing (shortly after a
//! pause, and at the latest a fixed time after the first unsaved key), on quit and on every
//! way out, and offered back when the form is opened again or after a crash.

use std::time::{Duration, Instant};

use super::message::{AssessMsg, CloseMsg, CoordMsg, Message, PlanMsg, RefMsg};
use super::App;
use crate::app::message::CoordForm;
use crate::domain::draft::DraftKind;
use crate::store::drafts::Draft;
use crate::store::StoreError;
use crate::ui::view::View;

/// A draft is written this long after the last keystroke...
pub const DRAFT_DELAY: Duration = Duration::from_millis(500);
/// ...and at the latest this long after the first unsaved one, however fast the typing: a
/// draft is never more than about a second behind the screen.
pub const DRAFT_MAX_WAIT: Duration = Duration::from_secs(1);

/// When the draft of the form on top is due. The clock is injected so tests can move it.
pub struct DraftTimer {
    pub delay: Duration,
    pub max_wait: Duration,
    clock: fn() -> Instant,
    last_edit: Option<Instant>,
    /// The first change not yet in a draft.
    first_unsaved: Option<Instant>,
    /// The form's edit count when its draft was last written.
    written: u64,
}

impl Default for DraftTimer {
    fn default() -> Self {
        DraftTimer::with_clock(Instant::now)
    }
}

impl DraftTimer {
    pub fn with_clock(clock: fn() -> Instant) -> Self {
        DraftTimer {
            delay: DRAFT_DELAY,
            max_wait: DRAFT_MAX_WAIT,
            clock,
            last_edit: None,
            first_unsaved: None,
            written: 0,
        }
    }

    pub fn set_clock(&mut self, clock: fn() -> Instant) {
        self.clock = clock;
    }

    /// A change to the form on top: its draft is due soon.
    pub fn edited(&mut self) {
        let now = (self.clock)();
        self.last_edit = Some(now);
        self.first_unsaved.get_or_insert(now);
    }

    /// True when the draft should be written now: a pause after typing, or typing too long.
    pub fn due(&self) -> bool {
        let now = (self.clock)();
        let paused = self.last_edit.is_some_and(|t| now.saturating_duration_since(t) >= self.delay);
        let waited = self.first_unsaved.is_some_and(|t| now.saturating_duration_since(t) >= self.max_wait);
        paused || waited
    }

    /// Nothing is pending (the draft was written, or the form left).
    pub fn clear(&mut self) {
        self.last_edit = None;
        self.first_unsaved = None;
    }

    /// A new form is on top: nothing of it is written yet.
    pub fn reset(&mut self) {
        self.clear();
        self.written = 0;
    }
}

/// The draft a screen keeps, with its edit count (None: unchanged, or no draft).
pub fn draft_of(v: &dyn View) -> Option<(Draft, u64)> {
    let d = v.draft()?;
    let (payload, edits) = v.draft_payload()?;
    let draft = Draft {
        key: d.key,
        kind: d.kind.as_str().into(),
        client_id: d.client_id,
        title: d.title,
        payload,
        updated_at: None,
    };
    Some((draft, edits))
}

impl App {
    /// Writes the draft of the form on top, if it changed since the last write. Also called
    /// on quit and on SIGTERM/SIGHUP so a closing terminal keeps the text.
    pub fn save_draft_now(&mut self) {
        self.drafts.clear();
        let Some((draft, edits)) = self.stack.last().and_then(|v| draft_of(v.as_ref())) else { return };
        if edits == self.drafts.written {
            return;
        }
        match self.store.save_draft(&draft, self.now) {
            Ok(()) => self.drafts.written = edits,
            Err(e) => self.status = Some(format!("Draft not saved yet: {e}")),
        }
    }

    /// Closes the form on top and keeps what it holds as its draft: the drafts list (and
    /// Today) show it, and opening the form again restores it, the cursor where it was. When
    /// the draft cannot be written the form stays open and the status line says why.
    pub(super) fn keep_draft(&mut self) {
        let Some(top) = self.stack.last() else { return };
        if top.draft().is_none() {
            self.status = Some("This form keeps no drafts: save it, or discard the changes.".into());
            return;
        }
        let Some((draft, edits)) = draft_of(top.as_ref()) else {
            // nothing changed: nothing to keep
            self.drafts.clear();
            self.stack.pop();
            return;
        };
        if let Err(e) = self.store.save_draft(&draft, self.now) {
            self.status = Some(format!("Nothing was closed: the draft could not be written ({e})."));
            return;
        }
        self.drafts.written = edits;
        self.drafts.clear();
        self.stack.pop();
        self.invalidate_all();
        self.status = Some(format!(
            "Kept as a draft: {} lists your drafts; opening the form again picks up where you were.",
            crate::keymap::key_label(crate::keymap::Context::Global, crate::keymap::Action::Drafts)
        ));
    }

    /// Leaves the form on top and deletes its draft.
    pub(super) fn close_form(&mut self) -> Result<(), StoreError> {
        if let Some(key) = self.stack.last().and_then(|v| v.draft()).map(|d| d.key) {
            self.store.delete_draft(&key)?;
        }
        self.drafts.clear();
        if self.stack.last().is_some_and(|v| v.is_form()) {
            self.stack.pop();
        }
        self.invalidate_all();
        Ok(())
    }

    /// Pushes a screen, offering back a draft it left after a crash.
    pub fn push_view(&mut self, mut v: Box<dyn View>) {
        if let Some(d) = v.draft() {
            match self.store.draft(&d.key) {
                Ok(Some(saved)) => {
                    v.restore_draft(&saved.payload);
                }
                Ok(None) => {}
                Err(e) => self.status = Some(e.to_string()),
            }
        }
        if v.is_form() {
            self.drafts.reset();
        }
        let ask_name = v.signs() && self.settings.practitioner_name.trim().is_empty();
        self.stack.push(v);
        // what signs needs a name: ask for it now, over the form, not at the end
        if ask_name {
            self.ask_name();
        }
    }

    /// The small form that asks for the name signatures carry and writes it to Settings; the
    /// screen beneath goes on once it is saved.
    pub(super) fn ask_name(&mut self) {
        // the form beneath keeps what was typed in it up to now, whatever happens next
        self.save_draft_now();
        let prompt = crate::ui::screens::settings::name_prompt(&self.settings, self.today);
        self.drafts.reset();
        self.stack.push(Box::new(prompt));
    }

    /// Reopens the form a draft belongs to, over the screens it is opened from.
    pub(super) fn resume_draft(&mut self, key: &str) -> Result<(), StoreError> {
        let Some(d) = self.store.draft(key)? else { return Ok(()) };
        let Some(kind) = DraftKind::parse(&d.kind) else {
            self.status =
                Some("This draft belongs to a newer caseload feature and cannot be opened here.".into());
            return Ok(());
        };
        for m in self.reopening(kind, key, d.client_id)? {
            self.update(m)?;
        }
        Ok(())
    }

    /// The messages that open a draft's form as it was opened: its client's file (and plan)
    /// beneath, then the form. Empty when the key is damaged.
    fn reopening(&self, kind: DraftKind, key: &str, client: Option<i64>) -> Result<Vec<Message>, StoreError> {
        use DraftKind as K;
        let parts: Vec<&str> = key.split(':').collect();
        let num = |i: usize| parts.get(i).and_then(|s| s.parse::<i64>().ok());
        let last = key.rsplit(':').next().and_then(|s| s.parse::<i64>().ok());
        let file = |c: i64, m: Message| vec![Message::OpenClient(c), m];
        let plan = |c: i64, m: Vec<Message>| {
            let mut v = vec![Message::OpenClient(c), Message::Plan(PlanMsg::OpenPlan(c))];
            v.extend(m);
            v
        };
        let msgs = match (kind, client) {
            (K::IntakeNew, _) => vec![Message::NewIntake],
            (K::IntakeEdit, Some(c)) => file(c, Message::EditIntake(c)),
            (K::Settings, _) => vec![Message::GoSettings],
            (K::NoteNew, Some(c)) => file(c, Message::WriteNote(c)),
            (K::NoteEdit, _) => match last {
                Some(id) => vec![Message::OpenNote(id), Message::EditNote(id)],
                None => vec![],
            },
            (K::Addendum, _) => match last {
                Some(id) => vec![Message::OpenNote(id), Message::WriteAddendum(id)],
                None => vec![],
            },
            (K::ServiceNew, _) => vec![Message::GoDirectory, Message::NewService],
            (K::ServiceEdit, _) => match last {
                Some(id) => vec![Message::GoDirectory, Message::OpenService(id), Message::EditService(id)],
                None => vec![],
            },
            (K::AssessmentNew, Some(c)) => {
                file(c, Message::Assess(AssessMsg::NewAssessment { client_id: c, from: num(4) }))
            }
            (K::ScreeningNew, Some(c)) => file(
                c,
                Message::Assess(AssessMsg::Administer {
                    client_id: c,
                    instrument: parts.get(3).unwrap_or(&"").to_string(),
                }),
            ),
            (K::PersonNew, Some(c)) => file(c, Message::Assess(AssessMsg::AddPerson(c))),
            (K::AssessmentEdit | K::FlagReview | K::AlertAck | K::PersonEdit, c) => {
                let Some(id) = num(1) else { return Ok(vec![]) };
                let m = Message::Assess(match kind {
                    K::AssessmentEdit => AssessMsg::EditAssessment(id),
                    K::FlagReview => AssessMsg::ReviewFlag { id, lower: parts.get(2) == Some(&"lower") },
                    K::AlertAck => AssessMsg::AckAlert(id),
                    _ => AssessMsg::EditPerson(id),
                });
                match c {
                    Some(c) => file(c, m),
                    None => vec![m],
                }
            }
            (K::Coordination, _) => match CoordForm::from_draft_key(key) {
                Some(form) => file(form.client(), Message::Coord(CoordMsg::Form(form))),
                None => vec![],
            },
            (K::Referral, c) => {
                let m = match (parts.get(1), c) {
                    (Some(&"new"), Some(c)) => RefMsg::New(c),
                    (Some(id), _) => match id.parse::<i64>() {
                        Ok(id) => RefMsg::Edit(id),
                        Err(_) => return Ok(vec![]),
                    },
                    _ => return Ok(vec![]),
                };
                match c {
                    Some(c) => file(c, Message::Referral(m)),
                    None => vec![Message::Referral(m)],
                }
            }
            (K::GoalNew | K::PlanReview | K::EvaluationNew, c) => {
                let Some(c) = c.or(last) else { return Ok(vec![]) };
                plan(
                    c,
                    vec![Message::Plan(match kind {
                        K::GoalNew => PlanMsg::NewGoal(c),
                        K::PlanReview => PlanMsg::Review(c),
                        _ => PlanMsg::Evaluate(c),
                    })],
                )
            }
            (K::GoalStepEdit, _) => {
                let Some(id) = last else { return Ok(vec![]) };
                let goal = self.store.goal(self.store.step(id)?.goal_id)?;
                plan(
                    goal.client_id,
                    vec![Message::Plan(PlanMsg::OpenGoal(goal.id)), Message::Plan(PlanMsg::EditStep(id))],
                )
            }
            (K::GoalEdit | K::GoalStepNew | K::GoalProgress | K::GoalStatus | K::GoalAchievement, _) => {
                let Some(id) = last else { return Ok(vec![]) };
                let goal = self.store.goal(id)?;
                let m = match kind {
                    K::GoalEdit => PlanMsg::EditGoal(id),
                    K::GoalStepNew => PlanMsg::AddStep(id),
                    K::GoalProgress => PlanMsg::RecordProgress(id),
                    K::GoalStatus => PlanMsg::ChangeStatus(id),
                    _ => PlanMsg::SetAchievement(id),
                };
                plan(goal.client_id, vec![Message::Plan(PlanMsg::OpenGoal(id)), Message::Plan(m)])
            }
            (K::CloseCase, Some(c)) => file(c, Message::Close(CloseMsg::Start(c))),
            (K::Reopen, Some(c)) => file(c, Message::Close(CloseMsg::Reopen(c))),
            (K::VisitNew, Some(c)) => file(c, Message::PlanVisit(c)),
            // a form about a client whose draft lost its client
            (_, None) => vec![],
        };
        Ok(msgs)
    }
}
