//! The app: a stack of screens, the modal over them, and the one loop. A key goes to the screen
//! on top, which answers with messages (or a form event, or an act); `update` carries the
//! messages out. How a key press flows, and where each kind of code lives: docs/architecture.md.

pub mod drafts;
pub mod jobs;
pub mod message;
pub mod modals;
mod navigate;
mod open;

pub use drafts::{DRAFT_DELAY, DRAFT_MAX_WAIT};
pub use message::{AssessMsg, CloseMsg, CoordMsg, Message, PlanMsg, RefMsg};
pub use modals::{ClientFor, Modal};

use chrono::{DateTime, Local, NaiveDate, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;

use crate::domain::client::Client;
use crate::domain::note::Template;
use crate::domain::settings::Settings;
use crate::keymap::{lookup, Action, Context};
use crate::store::{Store, StoreError};
use crate::ui::acts::Act;
use crate::ui::screens::today::TodayScreen;
use crate::ui::view::{Handled, SubmitCtx, Submitted, SyncCtx, View};
use crate::ui::widgets::form::FormEvent;
use drafts::DraftTimer;
use jobs::Jobs;

pub struct App {
    pub store: Store,
    pub settings: Settings,
    pub templates: Vec<Template>,
    /// Screeners, loaded and validated from the assets at start-up.
    pub instruments: Vec<crate::domain::instruments::Instrument>,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    /// Today at the bottom, the screen shown on top.
    pub stack: Vec<Box<dyn View>>,
    pub modal: Option<Modal>,
    pub help_scroll: Option<u16>,
    pub status: Option<String>,
    pub quit: bool,
    pub size: (u16, u16),
    /// The client the screens on top are about, for the header line.
    pub header: Option<Client>,
    /// When the draft of the form on top is written (tests shorten it and move its clock).
    pub drafts: DraftTimer,
    pub jobs: Jobs,
    /// A warning that stays until it is dealt with (damage found in the database).
    pub banner: Option<String>,
}

impl App {
    pub fn new(store: Store) -> Result<App, StoreError> {
        Self::with_clock(store, Utc::now())
    }

    /// An app whose clock starts at `now` (tests pin it so screens are reproducible).
    pub fn with_clock(mut store: Store, now: DateTime<Utc>) -> Result<App, StoreError> {
        let settings = store.settings()?;
        // what opening did (a file made private) is said once, on the status line
        let notices = store.take_notices();
        let templates = crate::domain::note::templates().map_err(StoreError::Refused)?;
        let instruments =
            crate::domain::instruments::builtin().map_err(|e| StoreError::Refused(e.to_string()))?;
        let mut app = App {
            store,
            settings,
            templates,
            instruments,
            now,
            today: now.with_timezone(&Local).date_naive(),
            stack: vec![Box::new(TodayScreen::new())],
            modal: None,
            help_scroll: None,
            status: (!notices.is_empty()).then(|| notices.join(" ")),
            quit: false,
            size: (80, 24),
            header: None,
            drafts: DraftTimer::default(),
            jobs: Jobs::default(),
            banner: None,
        };
        let drafts = app.store.drafts()?;
        if !drafts.is_empty() {
            app.modal = Some(Modal::Drafts { list: drafts, selected: 0 });
        }
        app.sync();
        Ok(app)
    }

    /// Advances the clock (render never reads it), writes a pending draft, and reloads every
    /// screen when the day changes (Today's list is the new day's at midnight).
    pub fn tick(&mut self, now: DateTime<Utc>) {
        self.poll_jobs();
        let day_changed = now.with_timezone(&Local).date_naive() != self.today;
        self.now = now;
        self.today = now.with_timezone(&Local).date_naive();
        if day_changed {
            self.invalidate_all();
            self.sync();
        }
        if self.drafts.due() {
            self.save_draft_now();
        }
    }

    pub fn contexts(&self) -> &'static [Context] {
        if self.help_scroll.is_some() {
            return &[Context::Help];
        }
        if let Some(m) = &self.modal {
            return m.contexts();
        }
        self.stack.last().map(|v| v.contexts()).unwrap_or(&[Context::Global])
    }

    /// The contexts whose keys the help overlay lists for the current screen.
    pub fn help_contexts(&self) -> Vec<Context> {
        let mut ctx: Vec<Context> = match &self.modal {
            Some(m) => vec![m.context()],
            None => self.stack.last().map(|s| s.contexts().to_vec()).unwrap_or_default(),
        };
        if !ctx.contains(&Context::Global) && self.modal.is_none() && !self.captures_text() {
            ctx.push(Context::Global);
        }
        ctx.push(Context::Help);
        ctx
    }

    pub fn hints(&self) -> &'static [Action] {
        if self.help_scroll.is_some() {
            return &[Action::Back];
        }
        if let Some(m) = &self.modal {
            return m.hints();
        }
        self.stack.last().map(|v| v.hints()).unwrap_or(&[])
    }

    /// The name of the screen on top, for the top bar.
    pub fn title(&self) -> &'static str {
        self.stack.last().map(|v| v.title()).unwrap_or("")
    }

    fn captures_text(&self) -> bool {
        self.stack.last().is_some_and(|v| v.captures_text())
    }

    /// The client the screen on top is about (lists, search and reports are about no one).
    pub fn current_client(&self) -> Option<i64> {
        self.stack.last().and_then(|v| v.client_id())
    }

    pub fn handle_event(&mut self, ev: Event) {
        match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.handle_key(k),
            Event::Paste(text) => self.handle_paste(&text),
            Event::Resize(w, h) => self.size = (w, h),
            _ => {}
        }
        self.sync();
    }

    fn handle_paste(&mut self, text: &str) {
        if self.modal.is_some() || self.help_scroll.is_some() {
            return;
        }
        if self.stack.last_mut().is_some_and(|v| v.paste(text)) {
            self.drafts.edited();
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        self.status = None;
        // Ctrl-C always quits, from a dialog or the help too (an open form keeps its draft).
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.run(vec![Message::Quit]);
            return;
        }
        if self.help_scroll.is_some() {
            self.help_key(key);
            return;
        }
        if self.modal.is_some() {
            let msgs = self.modal_key(key);
            self.run(msgs);
            return;
        }
        // F1 opens the help anywhere, in a form too (where `?` is text)
        if key.code == KeyCode::F(1) {
            self.help_scroll = Some(0);
            return;
        }
        self.set_area();
        let text_mode = self.captures_text();
        let handled = self.stack.last_mut().map(|v| v.handle_key(key)).unwrap_or(Handled::No);
        let msgs = match handled {
            Handled::Yes(m) => m,
            Handled::Form(FormEvent::Changed) => {
                self.drafts.edited();
                vec![]
            }
            Handled::Form(FormEvent::Save) => vec![Message::SubmitForm],
            Handled::Form(FormEvent::Cancel) => vec![Message::CancelForm],
            // where the cursor is goes into the draft too, once there is one to write
            Handled::Form(FormEvent::Moved) => {
                if self.stack.last().is_some_and(|v| v.dirty()) {
                    self.drafts.edited();
                }
                vec![]
            }
            Handled::Form(FormEvent::Nothing) => vec![],
            Handled::Act(act) => {
                if let Err(e) = self.act(act) {
                    self.status = Some(e.to_string());
                }
                vec![]
            }
            Handled::No if text_mode => vec![],
            Handled::No => match self.global_key(key) {
                Some(m) => vec![m],
                None => return,
            },
        };
        self.run(msgs);
    }

    /// A key no screen took, outside a text field.
    fn global_key(&mut self, key: KeyEvent) -> Option<Message> {
        Some(match lookup(&[Context::Global], &key)? {
            Action::Quit => Message::Quit,
            Action::GoClients => Message::GoClients,
            Action::GoSettings => Message::GoSettings,
            Action::GoToday => Message::GoToday,
            Action::GoTime => Message::GoTime,
            Action::GoDirectory => Message::GoDirectory,
            Action::GoBoard => Message::Referral(RefMsg::Board),
            Action::QuickNote => Message::QuickNote,
            Action::Find => Message::OpenSearch(None),
            Action::Drafts => Message::ShowDrafts,
            Action::Help => {
                self.help_scroll = Some(0);
                return None;
            }
            _ => return None,
        })
    }

    /// Keys while the help overlay is up: scroll it, or close it.
    fn help_key(&mut self, key: KeyEvent) {
        let help_end = crate::ui::widgets::help::max_scroll(&self.help_contexts(), self.size);
        let page = self.size.1.saturating_sub(8).max(1);
        let Some(scroll) = self.help_scroll.as_mut() else { return };
        match lookup(&[Context::Help], &key) {
            Some(Action::Down) => *scroll = (*scroll + 1).min(help_end),
            Some(Action::Up) => *scroll = scroll.saturating_sub(1),
            Some(Action::PageDown) => *scroll = scroll.saturating_add(page).min(help_end),
            Some(Action::PageUp) => *scroll = scroll.saturating_sub(page),
            Some(Action::Top) => *scroll = 0,
            Some(Action::Bottom) => *scroll = help_end,
            Some(Action::Back) => self.help_scroll = None,
            _ => {}
        }
    }

    pub fn run(&mut self, msgs: Vec<Message>) {
        for m in msgs {
            if let Err(e) = self.update(m) {
                self.status = Some(e.to_string());
            }
        }
    }

    /// Carries out one message.
    pub fn update(&mut self, msg: Message) -> Result<(), StoreError> {
        match msg {
            Message::Quit => {
                self.save_draft_now();
                self.quit = true;
            }
            Message::Back => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                }
            }
            Message::GoToday => {
                self.stack.truncate(1);
                self.invalidate_all();
            }
            Message::SubmitForm => self.submit(false)?,
            Message::SaveAnyway => self.submit(true)?,
            Message::CancelForm => {
                if let Some(v) = self.stack.last().filter(|v| v.dirty()) {
                    self.modal = Some(Modal::ConfirmDiscard { can_keep: v.draft().is_some() });
                } else {
                    self.close_form()?;
                }
            }
            Message::DiscardForm => self.close_form()?,
            Message::KeepDraft => self.keep_draft(),
            Message::ShowDuplicates(list) => self.modal = Some(Modal::Duplicates { list, selected: 0 }),
            Message::SettingsSaved => {
                self.settings = self.store.settings()?;
                for v in &mut self.stack {
                    v.settings_changed(&self.settings);
                }
            }
            Message::AskName => self.ask_name(),
            Message::Snooze(item) => {
                self.save_draft_now();
                self.drafts.reset();
                self.stack.push(Box::new(crate::ui::screens::snooze::snooze_form(*item, self.today)));
            }
            Message::ShowDrafts => {
                let list = self.store.drafts()?;
                if list.is_empty() {
                    self.status = Some("No unsaved drafts.".into());
                } else {
                    self.modal = Some(Modal::Drafts { list, selected: 0 });
                }
            }
            Message::ResumeDraft(key) => self.resume_draft(&key)?,
            Message::DiscardDraft(key) => {
                self.store.delete_draft(&key)?;
                let list = self.store.drafts()?;
                self.modal = if list.is_empty() { None } else { Some(Modal::Drafts { list, selected: 0 }) };
                self.invalidate_all();
                self.status = Some("Draft discarded.".into());
            }
            Message::Status(s) => self.status = Some(s),
            Message::Picked(p) => {
                // the form on top takes the choice as an edit of its own (its draft keeps it)
                if self.stack.last_mut().is_some_and(|v| v.picked(&p)) {
                    self.drafts.edited();
                }
            }
            Message::OpenRecord { kind, id } => self.open_record(kind, id)?,
            Message::StartJob(job) => {
                let db = self.store.path().to_path_buf();
                self.jobs.start(job, &db);
            }
            Message::JobUpdate(u) => self.job_update(u)?,
            other => self.navigate(other)?,
        }
        Ok(())
    }

    /// What a screen may write with: the one door to the store's writes.
    pub(super) fn submit_ctx(&mut self) -> SubmitCtx<'_> {
        SubmitCtx {
            store: &mut self.store,
            now: self.now,
            today: self.today,
            settings: &self.settings,
            instruments: &self.instruments,
        }
    }

    /// Saves the screen on top; a saved form closes.
    fn submit(&mut self, save_anyway: bool) -> Result<(), StoreError> {
        let (now, today) = (self.now, self.today);
        let Some(v) = self.stack.last_mut() else { return Ok(()) };
        let mut ctx = SubmitCtx {
            store: &mut self.store,
            now,
            today,
            settings: &self.settings,
            instruments: &self.instruments,
        };
        let submitted = v.submit(&mut ctx, save_anyway)?;
        self.submitted(submitted)
    }

    /// What a save of the screen on top came to (at once, or when the job it started ended).
    pub(super) fn submitted(&mut self, submitted: Submitted) -> Result<(), StoreError> {
        match submitted {
            // refused: the form shows why, and so does the status line, always
            Submitted::Stay => {
                if let Some(v) = self.stack.last_mut() {
                    self.status = Some(refusal_of(v.as_mut()));
                }
            }
            Submitted::Then(msgs) => self.run(msgs),
            Submitted::Done { status, then } => {
                self.close_form()?;
                self.status = Some(status);
                self.run(then);
            }
        }
        Ok(())
    }

    /// Carries out a one-key write of the screen on top.
    fn act(&mut self, act: Act) -> Result<(), StoreError> {
        let mut ctx = self.submit_ctx();
        match act.carry_out(&mut ctx)? {
            Submitted::Stay => {}
            Submitted::Then(msgs) => self.run(msgs),
            Submitted::Done { status, then } => {
                self.invalidate_all();
                if !status.is_empty() {
                    self.status = Some(status);
                }
                self.run(then);
            }
        }
        Ok(())
    }

    pub(crate) fn invalidate_all(&mut self) {
        for s in &mut self.stack {
            s.invalidate();
        }
    }

    /// The body area of the screen at the current terminal size (below a banner, if any).
    fn body(&self) -> Rect {
        let banner = self.banner_rows(self.size.0);
        Rect { x: 0, y: 0, width: self.size.0, height: self.size.1.saturating_sub(3 + banner) }
    }

    /// Rows the banner takes at this width (it wraps, up to three rows).
    pub fn banner_rows(&self, width: u16) -> u16 {
        self.banner
            .as_deref()
            .map(|b| crate::domain::text::wrap(b, usize::from(width.max(20))).len().min(3) as u16)
            .unwrap_or(0)
    }

    fn set_area(&mut self) {
        let body = self.body();
        if let Some(v) = self.stack.last_mut() {
            v.set_area(body);
        }
    }

    /// Loads what the screen on top needs for its next frame.
    pub fn sync(&mut self) {
        self.poll_jobs();
        self.set_area();
        let ctx = SyncCtx {
            store: &self.store,
            now: self.now,
            today: self.today,
            settings: &self.settings,
            instruments: &self.instruments,
        };
        let result = self.stack.last_mut().map(|v| v.sync(&ctx)).unwrap_or(Ok(()));
        if let Err(e) = result {
            self.status = Some(e.to_string());
            if matches!(e, StoreError::NotFound(_)) && self.stack.len() > 1 {
                self.stack.pop();
            }
        }
        // the client header of a note screen comes from the client file's data
        self.header = match self.current_client() {
            // reloaded every sync: a few columns by primary key, and never stale
            Some(id) => self.store.client(id).ok().or(self.header.take()),
            None => None,
        };
    }
}

/// Why a save was refused, for the status line. A screen that gave no reason gets one, in the
/// form as well: a refusal is never silent.
fn refusal_of(v: &mut dyn View) -> String {
    if let Some(why) = v.refusal() {
        return why;
    }
    let why = "Nothing was saved: this form could not be saved as it is.".to_string();
    if let Some(f) = v.form_mut() {
        f.notice = Some(why.clone());
    }
    why
}

#[cfg(test)]
mod tests;
