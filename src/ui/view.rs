//! The one screen type: every screen implements `View`, and the app keeps them on its stack as
//! `Box<dyn View>`. A screen owns its state, its keys, its rendering and its writes (a form's
//! `submit`, or an `Act`), both through `SubmitCtx`; the app routes messages and keeps drafts.

use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

use crate::app::message::{JobUpdate, Message, Picked};
use crate::domain::draft::DraftKind;
use crate::domain::instruments::Instrument;
use crate::domain::settings::Settings;
use crate::keymap::{Action, Context};
use crate::store::{Result, Store};
use crate::ui::acts::Act;
use crate::ui::widgets::form::{Form, FormEvent};

/// What a screen may read when it loads data for its next frame (render never touches the
/// store or the clock).
pub struct SyncCtx<'a> {
    pub store: &'a Store,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub settings: &'a Settings,
    pub instruments: &'a [Instrument],
}

/// What a form's submission may use: the store to write, and everything `SyncCtx` has.
pub struct SubmitCtx<'a> {
    pub store: &'a mut Store,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub settings: &'a Settings,
    pub instruments: &'a [Instrument],
}

/// The answer of a screen to a key.
pub enum Handled {
    /// Not a key of this screen: the app tries the global keys.
    No,
    /// Handled; the messages (possibly none) are carried out in order.
    Yes(Vec<Message>),
    /// A form key: the app notes edits for the draft and turns Save/Cancel into messages.
    Form(FormEvent),
    /// A one-key write (sign, tick, done): the app carries it out through a `SubmitCtx`.
    Act(Act),
}

/// What a form submission (or an act) came to.
pub enum Submitted {
    /// Not saved: the form shows why (errors at the fields, or its notice); it stays open, and
    /// the status line says why too (`View::refusal`).
    Stay,
    /// Not saved yet: the screen stays and these run (a question, a job, a status line).
    Then(Vec<Message>),
    /// Saved: a form closes (its draft is deleted), `status` is shown and `then` runs; every
    /// screen reloads.
    Done { status: String, then: Vec<Message> },
}

impl Submitted {
    /// Nothing was written, and this says why.
    pub fn said(text: &str) -> Submitted {
        Submitted::Then(vec![Message::Status(text.to_string())])
    }
}

/// What opening a screen came to.
pub enum Opened {
    Screen(Box<dyn View>),
    /// Not opened, and why (a status line): a signed note cannot be edited, say.
    Refused(String),
}

impl Opened {
    pub fn screen(v: impl View + 'static) -> Result<Opened> {
        Ok(Opened::Screen(Box::new(v)))
    }
    pub fn refused(why: impl Into<String>) -> Result<Opened> {
        Ok(Opened::Refused(why.into()))
    }
}

/// How an open form is kept as a draft while typing.
pub struct DraftInfo {
    /// Unique per form instance, e.g. `assessment:new:12`.
    pub key: String,
    /// What reopens it: see `App::resume_draft`.
    pub kind: DraftKind,
    pub client_id: Option<i64>,
    pub title: String,
}

pub trait View {
    /// The name shown in the top bar.
    fn title(&self) -> &'static str;
    /// Where this screen's keys are looked up (the footer and help read the same).
    fn contexts(&self) -> &'static [Context];
    /// The 4–6 keys the footer shows.
    fn hints(&self) -> &'static [Action];
    /// The client the screen is about: the header shows them and quick notes go to them.
    fn client_id(&self) -> Option<i64> {
        None
    }
    fn form(&self) -> Option<&Form> {
        None
    }
    fn form_mut(&mut self) -> Option<&mut Form> {
        None
    }
    /// True for forms and form-like screens (Esc asks before leaving unsaved changes, and
    /// leaving deletes the draft).
    fn is_form(&self) -> bool {
        self.form().is_some() || self.draft().is_some()
    }
    /// Unsaved changes?
    fn dirty(&self) -> bool {
        self.form().is_some_and(|f| f.dirty)
    }
    /// True while printable keys are text (global keys are off).
    fn captures_text(&self) -> bool {
        self.form().is_some()
    }
    /// A screen that lists clients selects this one and says true: going back from the file
    /// that was opened from it returns to it.
    fn select_client(&mut self, _id: i64) -> bool {
        false
    }
    /// A job reports back (a running import shows its progress). A screen whose save started
    /// the job may answer its end as the save's outcome: `Done` closes it, `Stay` keeps it
    /// with the reason at a field (only the screen on top is listened to).
    fn job_update(&mut self, _update: &JobUpdate) -> Option<Submitted> {
        None
    }
    /// Data changed elsewhere: reload on the next sync.
    fn invalidate(&mut self) {}
    /// Called with the body area before keys and syncs, so lists know their page height.
    fn set_area(&mut self, _body: Rect) {}
    fn sync(&mut self, _ctx: &SyncCtx<'_>) -> Result<()> {
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled;
    /// Pasted text (forms take it into the focused field).
    fn paste(&mut self, text: &str) -> bool {
        self.form_mut().is_some_and(|f| f.paste(text) == FormEvent::Changed)
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, today: NaiveDate);
    /// Forms: how the unsaved form is kept as a draft (None: no draft).
    fn draft(&self) -> Option<DraftInfo> {
        None
    }
    /// What the draft holds and an edit counter (the app rewrites the draft when it moves).
    /// Forms keep their field values; other screens (a screener being administered) their own.
    fn draft_payload(&self) -> Option<(String, u64)> {
        let f = self.form()?;
        f.dirty.then(|| (f.to_draft(), f.edits + f.moves))
    }
    /// Takes back a draft left by a crash; true when something was restored.
    fn restore_draft(&mut self, payload: &str) -> bool {
        let Some(f) = self.form_mut() else { return false };
        if !f.restore_draft(payload) {
            return false;
        }
        f.notice = Some("Restored what you had not saved.".into());
        true
    }
    /// Why the last save was refused, in a line (the status bar shows it): by default the
    /// form's first field error or its notice.
    fn refusal(&self) -> Option<String> {
        self.form().and_then(Form::refusal)
    }
    /// Needs the practitioner's name to sign with: opening it asks for the name first when
    /// Settings has none.
    fn signs(&self) -> bool {
        false
    }
    /// A picker over this screen chose something for it (a directory service for a form's
    /// field); true when the screen changed.
    fn picked(&mut self, _picked: &Picked) -> bool {
        false
    }
    /// Settings changed (the name signatures carry, say).
    fn settings_changed(&mut self, _settings: &Settings) {}
    /// Forms: save. Errors the user can fix are shown in the form and give `Stay`.
    fn submit(&mut self, _ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        Ok(Submitted::Stay)
    }
}

/// Shows a store refusal at the form's fields (or as its notice) and says `Stay`; passes
/// other errors on.
pub fn refusal_to_form(form: &mut Form, e: crate::store::StoreError) -> Result<Submitted> {
    use crate::store::StoreError;
    match e {
        StoreError::Invalid(errors) => {
            form.set_errors(&errors);
            Ok(Submitted::Stay)
        }
        StoreError::Refused(m) | StoreError::NotFound(m) => {
            form.notice = Some(format!("Nothing was saved. {m}"));
            Ok(Submitted::Stay)
        }
        other => Err(other),
    }
}
