//! App state, the Message enum and the one update loop. Keys go to the screen on top, which
//! answers with messages; `update` carries them out against the store.

mod assessment;
pub mod close;
mod coordination;
mod referrals;

pub use assessment::AssessMsg;
pub use coordination::CoordMsg;
pub use referrals::RefMsg;
pub mod plan;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Local, NaiveDate, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;

use crate::domain::client::{client_ref, intake_input_of, validate_intake, Client, DuplicateCandidate};
use crate::domain::note::{note_ref, validate_note, Template};
use crate::domain::settings::Settings;
use crate::keymap::{lookup, Action, Context};
use crate::store::drafts::Draft;
use crate::store::{Store, StoreError};
use crate::ui::screens::client_file::ClientFileScreen;
use crate::ui::screens::client_list::ClientListScreen;
use crate::ui::screens::directory::DirectoryScreen;
use crate::ui::screens::directory_import::{ImportEvent, ImportScreen, ImportState};
use crate::ui::screens::intake::{IntakeMode, IntakeScreen};
use crate::ui::screens::note_detail::NoteDetailScreen;
use crate::ui::screens::note_form::{NoteFormScreen, NoteMode};
use crate::ui::screens::notes::NotesScreen;
use crate::ui::screens::prompt::{PromptKind, PromptScreen};
use crate::ui::screens::search::SearchScreen;
use crate::ui::screens::service_detail::ServiceScreen;
use crate::ui::screens::service_form::{ServiceFormScreen, ServiceMode};
use crate::ui::screens::settings::SettingsScreen;
use crate::ui::screens::time::TimeScreen;
use crate::ui::screens::timeline::TimelineScreen;
use crate::ui::screens::today::TodayScreen;
use crate::ui::view::{Handled, SubmitCtx, Submitted, SyncCtx, View};
use crate::ui::widgets::form::{Form, FormEvent};
use crate::ui::widgets::picker::{ClientPicker, PickerOutcome};

/// A draft is written this long after the last keystroke...
pub const DRAFT_DELAY: Duration = Duration::from_millis(800);
/// ...and at the latest this long after the first unsaved one, however fast the typing.
pub const DRAFT_MAX_WAIT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Quit,
    Back,
    GoToday,
    GoClients,
    GoSettings,
    GoTime,
    OpenClient(i64),
    NewIntake,
    EditIntake(i64),
    SubmitForm,
    CancelForm,
    DiscardForm,
    SaveAnyway,
    ShowDrafts,
    ResumeDraft(String),
    DiscardDraft(String),
    Status(String),
    WriteNote(i64),
    QuickNote,
    OpenNotes(i64),
    OpenNote(i64),
    OpenTimeline(i64),
    OpenSearch(Option<i64>),
    EditNote(i64),
    SignNote(i64),
    WriteAddendum(i64),
    MoveNote(i64),
    MarkNoteError(i64),
    FollowUpDone(i64),
    /// Opens what a timeline line, search hit or Today item points at (`note`, `assessment`…).
    OpenRecord {
        kind: String,
        id: i64,
    },
    /// The assessment phase (see `app/assessment.rs`).
    Assess(AssessMsg),
    /// Coordination and advocacy (see `app/coordination.rs`).
    Coord(CoordMsg),
    /// Referrals and the referral board (see `app/referrals.rs`).
    Referral(RefMsg),
    GoDirectory,
    OpenService(i64),
    NewService,
    EditService(i64),
    ImportDirectory,
    /// The case plan: goals, steps, progress, reviews, evaluations (see `app::plan`).
    Plan(plan::PlanMsg),
    /// Closing, reopening, retention and export (see `app::close`).
    Close(close::CloseMsg),
}

pub enum Screen {
    Intake(IntakeScreen),
    Settings(SettingsScreen),
    NoteForm(NoteFormScreen),
    Prompt(PromptScreen),
    /// Every later phase's screens (see `ui::view`).
    View(Box<dyn View>),
    ServiceForm(ServiceFormScreen),
    Import(ImportScreen),
}

impl Screen {
    pub fn contexts(&self) -> &'static [Context] {
        match self {
            Screen::Intake(s) => s.contexts(),
            Screen::Settings(s) => s.contexts(),
            Screen::NoteForm(s) => s.contexts(),
            Screen::Prompt(s) => s.contexts(),
            Screen::View(v) => v.contexts(),
            Screen::ServiceForm(s) => s.contexts(),
            Screen::Import(s) => s.contexts(),
        }
    }

    pub fn hints(&self) -> &'static [Action] {
        match self {
            Screen::Intake(s) => s.hints(),
            Screen::Settings(s) => s.hints(),
            Screen::NoteForm(s) => s.hints(),
            Screen::Prompt(s) => s.hints(),
            Screen::View(v) => v.hints(),
            Screen::ServiceForm(s) => s.hints(),
            Screen::Import(s) => s.hints(),
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Screen::Intake(_) => "Intake",
            Screen::Settings(_) => "Settings",
            Screen::NoteForm(_) => "Write note",
            Screen::Prompt(_) => "Note",
            Screen::View(v) => v.title(),
            Screen::ServiceForm(_) => "Directory service",
            Screen::Import(_) => "Directory import",
        }
    }

    pub fn form(&self) -> Option<&Form> {
        match self {
            Screen::Intake(s) => Some(&s.form),
            Screen::Settings(s) => Some(&s.form),
            Screen::NoteForm(s) => Some(&s.form),
            Screen::Prompt(s) => Some(&s.form),
            Screen::View(v) => v.form(),
            Screen::ServiceForm(s) => Some(&s.form),
            Screen::Import(s) if s.asking() => Some(&s.form),
            _ => None,
        }
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        match self {
            Screen::Intake(s) => Some(&mut s.form),
            Screen::Settings(s) => Some(&mut s.form),
            Screen::NoteForm(s) => Some(&mut s.form),
            Screen::Prompt(s) => Some(&mut s.form),
            Screen::View(v) => v.form_mut(),
            Screen::ServiceForm(s) => Some(&mut s.form),
            Screen::Import(s) if s.asking() => Some(&mut s.form),
            _ => None,
        }
    }

    /// A form (or form-like screen) with unsaved changes.
    fn dirty(&self) -> bool {
        match self {
            Screen::View(v) => v.dirty(),
            s => s.form().is_some_and(|f| f.dirty),
        }
    }

    fn is_form(&self) -> bool {
        match self {
            Screen::View(v) => v.is_form(),
            s => s.form().is_some(),
        }
    }

    /// The client this screen is about, if any.
    pub fn client_id(&self) -> Option<i64> {
        match self {
            Screen::NoteForm(s) => Some(s.client_id()),
            Screen::Intake(s) => match s.mode {
                IntakeMode::Edit(id) => Some(id),
                IntakeMode::New => None,
            },
            Screen::View(v) => v.client_id(),
            _ => None,
        }
    }

    /// True when printable keys are text for this screen (global keys are off).
    fn captures_text(&self) -> bool {
        match self {
            Screen::View(v) => v.captures_text(),
            s => s.form().is_some(),
        }
    }

    fn select_client(&mut self, id: i64) -> bool {
        match self {
            Screen::View(v) => v.select_client(id),
            _ => false,
        }
    }

    fn invalidate(&mut self) {
        match self {
            Screen::View(v) => v.invalidate(),
            _ => {}
        }
    }
}

pub enum Modal {
    ConfirmDiscard,
    Duplicates { list: Vec<(DuplicateCandidate, Client)>, selected: usize },
    Drafts { list: Vec<Draft>, selected: usize },
    PickClient(ClientPicker),
}

pub struct App {
    pub store: Store,
    pub settings: Settings,
    pub templates: Vec<Template>,
    /// Screeners, loaded and validated from the assets at start-up.
    pub instruments: Vec<crate::domain::instruments::Instrument>,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub stack: Vec<Screen>,
    pub modal: Option<Modal>,
    pub help_scroll: Option<u16>,
    pub status: Option<String>,
    pub quit: bool,
    pub size: (u16, u16),
    /// The client the screens on top are about, for the header line.
    pub header: Option<Client>,
    /// When drafts are written (DRAFT_DELAY, DRAFT_MAX_WAIT; tests shorten them).
    pub draft_delay: Duration,
    pub draft_max_wait: Duration,
    last_edit: Option<Instant>,
    /// The first change not yet in a draft.
    first_unsaved_edit: Option<Instant>,
    draft_edits: u64,
}

impl App {
    pub fn new(store: Store) -> Result<App, StoreError> {
        Self::with_clock(store, Utc::now())
    }

    /// An app whose clock starts at `now` (tests pin it so screens are reproducible).
    pub fn with_clock(store: Store, now: DateTime<Utc>) -> Result<App, StoreError> {
        let settings = store.settings()?;
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
            stack: vec![Screen::View(Box::new(TodayScreen::new()))],
            modal: None,
            help_scroll: None,
            status: None,
            quit: false,
            size: (80, 24),
            header: None,
            draft_delay: DRAFT_DELAY,
            draft_max_wait: DRAFT_MAX_WAIT,
            last_edit: None,
            first_unsaved_edit: None,
            draft_edits: 0,
        };
        let drafts = app.store.drafts()?;
        if !drafts.is_empty() {
            app.modal = Some(Modal::Drafts { list: drafts, selected: 0 });
        }
        app.sync();
        Ok(app)
    }

    /// Advances the clock (render never reads it) and writes a pending draft.
    /// True while a background job (a directory import) is running.
    pub fn busy(&self) -> bool {
        self.stack.iter().any(|s| matches!(s, Screen::Import(i) if i.running()))
    }

    /// Takes in what background jobs reported since the last frame.
    pub fn poll_jobs(&mut self) {
        let mut finished = false;
        for s in &mut self.stack {
            if let Screen::Import(i) = s {
                if i.poll() {
                    finished = true;
                    self.status = Some(match &i.state {
                        ImportState::Finished(Ok(r)) => format!(
                            "Import finished: {} services added, {} updated.",
                            r.services.added, r.services.updated
                        ),
                        _ => "Nothing was imported.".to_string(),
                    });
                }
            }
        }
        if finished {
            self.invalidate_all();
        }
    }

    pub fn tick(&mut self, now: DateTime<Utc>) {
        self.poll_jobs();
        let day_changed = now.with_timezone(&Local).date_naive() != self.today;
        self.now = now;
        self.today = now.with_timezone(&Local).date_naive();
        if day_changed {
            self.invalidate_all();
        }
        let paused = self.last_edit.is_some_and(|t| t.elapsed() >= self.draft_delay);
        let waited = self.first_unsaved_edit.is_some_and(|t| t.elapsed() >= self.draft_max_wait);
        if paused || waited {
            self.save_draft_now();
        }
    }

    /// Notes a change to the form on top: its draft is due soon.
    fn edited(&mut self) {
        let now = Instant::now();
        self.last_edit = Some(now);
        self.first_unsaved_edit.get_or_insert(now);
    }

    /// Writes the draft of the form on top, if it changed since the last write. Also called
    /// on quit and on SIGTERM/SIGHUP so a closing terminal keeps the text.
    pub fn save_draft_now(&mut self) {
        self.last_edit = None;
        self.first_unsaved_edit = None;
        let Some((draft, edits)) = self.top_draft() else { return };
        if edits == self.draft_edits {
            return;
        }
        match self.store.save_draft(&draft, self.now) {
            Ok(()) => self.draft_edits = edits,
            Err(e) => self.status = Some(format!("Draft not saved yet: {e}")),
        }
    }

    /// The draft of the form on top (None when the form is unchanged or keeps no draft).
    fn top_draft(&self) -> Option<(Draft, u64)> {
        let screen = self.stack.last()?;
        if let Screen::View(v) = screen {
            let d = v.draft()?;
            let (payload, edits) = v.draft_payload()?;
            let draft = Draft {
                key: d.key,
                kind: d.kind.into(),
                client_id: d.client_id,
                title: d.title,
                payload,
                updated_at: String::new(),
            };
            return Some((draft, edits));
        }
        let form = screen.form()?;
        if !form.dirty {
            return None;
        }
        let (key, kind, client_id, title) = match screen {
            Screen::Intake(s) => {
                let who = format!("{} {}", s.form.value("given_name"), s.form.value("family_name"));
                match s.mode {
                    IntakeMode::New => {
                        (s.draft_key(), "intake-new", None, format!("New client intake: {}", who.trim()))
                    }
                    IntakeMode::Edit(id) => (
                        s.draft_key(),
                        "intake-edit",
                        Some(id),
                        format!("Intake edit for {}", client_ref(id)),
                    ),
                }
            }
            Screen::Settings(_) => ("settings".into(), "settings", None, "Settings".into()),
            Screen::NoteForm(s) => match s.mode {
                NoteMode::New { client_id } => (
                    s.draft_key(),
                    "note-new",
                    Some(client_id),
                    format!("Note for {}", client_ref(client_id)),
                ),
                NoteMode::Edit { note_id, client_id } => (
                    s.draft_key(),
                    "note-edit",
                    Some(client_id),
                    format!("Edit of note {}", note_ref(note_id)),
                ),
            },
            Screen::ServiceForm(s) => match s.mode {
                ServiceMode::New => (s.draft_key(), "service-new", None, "New directory service".to_string()),
                ServiceMode::Edit(id) => (
                    s.draft_key(),
                    "service-edit",
                    None,
                    format!("Edit of directory service {}", crate::domain::directory::service_ref(id)),
                ),
            },
            Screen::Prompt(s) => {
                let key = s.draft_key()?;
                let PromptKind::Addendum { note_id } = s.kind else { return None };
                (key, "addendum", None, format!("Addendum to note {}", note_ref(note_id)))
            }
            _ => return None,
        };
        let draft = Draft {
            key,
            kind: kind.into(),
            client_id,
            title,
            payload: form.to_draft(),
            updated_at: String::new(),
        };
        Some((draft, form.edits))
    }

    fn top_draft_key(&self) -> Option<String> {
        match self.stack.last()? {
            Screen::Intake(s) => Some(s.draft_key()),
            Screen::Settings(_) => Some("settings".into()),
            Screen::NoteForm(s) => Some(s.draft_key()),
            Screen::Prompt(s) => s.draft_key(),
            Screen::View(v) => v.draft().map(|d| d.key),
            Screen::ServiceForm(s) => Some(s.draft_key()),
            _ => None,
        }
    }

    pub fn contexts(&self) -> &'static [Context] {
        if self.help_scroll.is_some() {
            return &[Context::Help];
        }
        match &self.modal {
            Some(Modal::ConfirmDiscard) => return &[Context::Confirm],
            Some(Modal::Duplicates { .. }) => return &[Context::Duplicates],
            Some(Modal::Drafts { .. }) => return &[Context::Drafts],
            Some(Modal::PickClient(_)) => return &[Context::Picker],
            None => {}
        }
        self.stack.last().map(Screen::contexts).unwrap_or(&[Context::Global])
    }

    /// The contexts whose keys the help overlay lists for the current screen.
    pub fn help_contexts(&self) -> Vec<Context> {
        let mut ctx: Vec<Context> = match &self.modal {
            Some(Modal::ConfirmDiscard) => vec![Context::Confirm],
            Some(Modal::Duplicates { .. }) => vec![Context::Duplicates],
            Some(Modal::Drafts { .. }) => vec![Context::Drafts],
            Some(Modal::PickClient(_)) => vec![Context::Picker],
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
        match &self.modal {
            Some(Modal::ConfirmDiscard) => return &[Action::Yes, Action::No],
            Some(Modal::Duplicates { .. }) => return &[Action::Open, Action::SaveAnyway, Action::Back],
            Some(Modal::Drafts { .. }) => return &[Action::Open, Action::Discard, Action::Back],
            Some(Modal::PickClient(_)) => return &[Action::Open, Action::Back],
            None => {}
        }
        self.stack.last().map(Screen::hints).unwrap_or(&[])
    }

    fn captures_text(&self) -> bool {
        self.stack.last().is_some_and(Screen::captures_text)
    }

    /// The client the screen on top is about (lists, search and reports are about no one).
    pub fn current_client(&self) -> Option<i64> {
        self.stack.last().and_then(Screen::client_id)
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
        let changed = match self.stack.last_mut() {
            Some(Screen::View(v)) => v.paste(text),
            Some(s) => s.form_mut().is_some_and(|f| f.paste(text) == FormEvent::Changed),
            None => false,
        };
        if changed {
            self.edited();
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
            let help_end = crate::ui::widgets::help::max_scroll(&self.help_contexts(), self.size);
            let Some(scroll) = self.help_scroll.as_mut() else { return };
            match key.code {
                KeyCode::Char('j') | KeyCode::Down => *scroll = (*scroll + 1).min(help_end),
                KeyCode::Char('k') | KeyCode::Up => *scroll = scroll.saturating_sub(1),
                _ => {
                    if lookup(&[Context::Help], &key).is_some() {
                        self.help_scroll = None;
                    }
                }
            }
            return;
        }
        if self.modal.is_some() {
            let msgs = self.modal_key(key);
            self.run(msgs);
            return;
        }
        self.set_heights();
        let text_mode = self.captures_text();
        let mut form_event = None;
        let handled = match self.stack.last_mut() {
            Some(Screen::ServiceForm(s)) => {
                form_event = Some(s.handle_key(key));
                Some(vec![])
            }
            Some(Screen::Import(s)) if s.asking() => {
                form_event = Some(s.form.handle_key(key));
                Some(vec![])
            }
            Some(Screen::Import(s)) => s.handle_key(key),
            Some(Screen::Intake(s)) => {
                form_event = Some(s.handle_key(key));
                Some(vec![])
            }
            Some(Screen::Settings(s)) => {
                form_event = Some(s.handle_key(key));
                Some(vec![])
            }
            Some(Screen::NoteForm(s)) => {
                form_event = Some(s.handle_key(key));
                Some(vec![])
            }
            Some(Screen::Prompt(s)) => {
                form_event = Some(s.handle_key(key));
                Some(vec![])
            }
            Some(Screen::View(v)) => match v.handle_key(key) {
                Handled::No => None,
                Handled::Yes(m) => Some(m),
                Handled::Form(e) => {
                    form_event = Some(e);
                    Some(vec![])
                }
            },
            None => None,
        };
        let mut msgs = handled.clone().unwrap_or_default();
        match form_event {
            Some(FormEvent::Changed) => self.edited(),
            Some(FormEvent::Save) => msgs.push(Message::SubmitForm),
            Some(FormEvent::Cancel) => msgs.push(Message::CancelForm),
            _ => {}
        }
        if handled.is_none() && !text_mode {
            if let Some(action) = lookup(&[Context::Global], &key) {
                msgs.push(match action {
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
                        return;
                    }
                    _ => return,
                });
            }
        }
        self.run(msgs);
    }

    fn modal_key(&mut self, key: KeyEvent) -> Vec<Message> {
        if let Some(Modal::PickClient(p)) = &mut self.modal {
            return match p.handle_key(key) {
                PickerOutcome::Pending => vec![],
                PickerOutcome::Cancelled => {
                    self.modal = None;
                    vec![]
                }
                PickerOutcome::Chosen(id) => {
                    self.modal = None;
                    self.quick_note_for(id);
                    vec![]
                }
            };
        }
        let action = lookup(self.contexts(), &key);
        match (&mut self.modal, action) {
            (Some(Modal::ConfirmDiscard), Some(Action::Yes)) => {
                self.modal = None;
                vec![Message::DiscardForm]
            }
            (Some(Modal::ConfirmDiscard), Some(Action::No)) => {
                self.modal = None;
                vec![]
            }
            (Some(Modal::Duplicates { list, selected }), Some(a)) => match a {
                Action::Up => {
                    *selected = selected.saturating_sub(1);
                    vec![]
                }
                Action::Down => {
                    *selected = (*selected + 1).min(list.len().saturating_sub(1));
                    vec![]
                }
                Action::Open => {
                    let id = list.get(*selected).map(|(d, _)| d.id);
                    self.modal = None;
                    id.map(|id| vec![Message::DiscardForm, Message::OpenClient(id)]).unwrap_or_default()
                }
                Action::SaveAnyway => {
                    self.modal = None;
                    vec![Message::SaveAnyway]
                }
                Action::Back => {
                    self.modal = None;
                    vec![]
                }
                _ => vec![],
            },
            (Some(Modal::Drafts { list, selected }), Some(a)) => match a {
                Action::Up => {
                    *selected = selected.saturating_sub(1);
                    vec![]
                }
                Action::Down => {
                    *selected = (*selected + 1).min(list.len().saturating_sub(1));
                    vec![]
                }
                Action::Open => {
                    let key = list.get(*selected).map(|d| d.key.clone());
                    self.modal = None;
                    key.map(Message::ResumeDraft).into_iter().collect()
                }
                Action::Discard => {
                    list.get(*selected).map(|d| Message::DiscardDraft(d.key.clone())).into_iter().collect()
                }
                Action::Back => {
                    self.modal = None;
                    vec![]
                }
                _ => vec![],
            },
            _ => vec![],
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
            Message::GoClients => {
                self.stack.truncate(1);
                self.push_view(Box::new(ClientListScreen::new()));
            }
            Message::GoSettings => {
                if !matches!(self.stack.last(), Some(Screen::Settings(_))) {
                    let mut s = SettingsScreen::new(&self.settings, self.today);
                    self.restore_into(&mut s.form, "settings")?;
                    self.push_form(Screen::Settings(s));
                }
            }
            Message::GoTime => self.push_view(Box::new(TimeScreen::new(self.today))),
            Message::GoDirectory => {
                self.stack.truncate(1);
                self.push_view(Box::new(DirectoryScreen::new()));
            }
            Message::OpenService(id) => self.push_view(Box::new(ServiceScreen::new(id))),
            Message::NewService => {
                let mut s = ServiceFormScreen::new(ServiceMode::New, self.today);
                let key = s.draft_key();
                self.restore_into(&mut s.form, &key)?;
                self.push_form(Screen::ServiceForm(s));
            }
            Message::EditService(id) => {
                let service = self.store.service(id)?;
                let mut s =
                    ServiceFormScreen::with_input(ServiceMode::Edit(id), self.today, &service.input());
                let key = s.draft_key();
                self.restore_into(&mut s.form, &key)?;
                self.push_form(Screen::ServiceForm(s));
            }
            Message::ImportDirectory => self.push_form(Screen::Import(ImportScreen::new(self.today))),
            Message::OpenClient(id) => {
                // back from a file goes to the list it was opened from
                while self.stack.len() > 1 && !self.stack.last_mut().is_some_and(|s| s.select_client(id)) {
                    self.stack.pop();
                }
                self.push_view(Box::new(ClientFileScreen::new(id)));
            }
            Message::NewIntake => {
                let mut s = IntakeScreen::new(IntakeMode::New, self.today);
                let key = s.draft_key();
                self.restore_into(&mut s.form, &key)?;
                self.push_form(Screen::Intake(s));
            }
            Message::EditIntake(id) => {
                let client = self.store.client(id)?;
                let mut s =
                    IntakeScreen::with_input(IntakeMode::Edit(id), self.today, &intake_input_of(&client));
                s.form.dirty = false;
                let key = s.draft_key();
                self.restore_into(&mut s.form, &key)?;
                self.push_form(Screen::Intake(s));
            }
            Message::WriteNote(client_id) => self.open_note_form(client_id, false)?,
            Message::QuickNote => match self.current_client() {
                Some(id) => self.open_note_form(id, true)?,
                None => {
                    let entries = self.store.picker_entries()?;
                    let names: HashMap<i64, String> =
                        entries.iter().map(|(e, n)| (e.id, n.clone())).collect();
                    let index = entries.into_iter().map(|(e, _)| e).collect();
                    self.modal = Some(Modal::PickClient(ClientPicker::new("Quick note for…", index, names)));
                }
            },
            Message::OpenNotes(id) => self.push_view(Box::new(NotesScreen::new(id))),
            Message::OpenNote(id) => self.push_view(Box::new(NoteDetailScreen::new(id))),
            Message::OpenTimeline(id) => self.push_view(Box::new(TimelineScreen::new(id))),
            Message::OpenSearch(client) => self.push_view(Box::new(SearchScreen::new(client))),
            Message::EditNote(id) => {
                let note = self.store.note(id)?;
                if note.entered_in_error {
                    self.status = Some("This note was marked entered in error; it is kept as it was.".into());
                    return Ok(());
                }
                if note.is_signed() {
                    self.status = Some("Signed notes are locked: press a to add an addendum instead.".into());
                    return Ok(());
                }
                let mut s = NoteFormScreen::edit(&note, self.today, self.templates.clone());
                let key = s.draft_key();
                self.restore_into(&mut s.form, &key)?;
                self.push_form(Screen::NoteForm(s));
            }
            Message::SignNote(id) => {
                self.store.sign_note(id, &self.settings.signature(), self.now)?;
                self.invalidate_all();
                self.status = Some(format!("Note {} signed and locked.", note_ref(id)));
            }
            Message::WriteAddendum(id) => {
                let mut s = PromptScreen::new(PromptKind::Addendum { note_id: id }, self.today);
                if let Some(key) = s.draft_key() {
                    self.restore_into(&mut s.form, &key)?;
                }
                self.push_form(Screen::Prompt(s));
            }
            Message::MoveNote(id) => {
                let note = self.store.note(id)?;
                if note.entered_in_error {
                    self.status = Some("A note entered in error stays where it is.".into());
                    return Ok(());
                }
                if note.is_signed() {
                    self.status = Some(
                        "Signed notes cannot be moved: press E to mark it entered in error and write it again on the right client.".into(),
                    );
                    return Ok(());
                }
                self.push_form(Screen::Prompt(PromptScreen::new(
                    PromptKind::MoveNote { note_id: id },
                    self.today,
                )));
            }
            Message::MarkNoteError(id) => {
                if self.store.note(id)?.entered_in_error {
                    self.status = Some("This note is already marked entered in error.".into());
                    return Ok(());
                }
                self.push_form(Screen::Prompt(PromptScreen::new(
                    PromptKind::MarkError { note_id: id },
                    self.today,
                )))
            }
            Message::FollowUpDone(id) => {
                self.store.complete_follow_up(id, self.now)?;
                self.invalidate_all();
                self.status = Some(format!("Follow-up from note {} marked done.", note_ref(id)));
            }
            Message::SubmitForm => self.submit_form(false)?,
            Message::SaveAnyway => self.submit_form(true)?,
            Message::CancelForm => {
                if self.stack.last().is_some_and(Screen::dirty) {
                    self.modal = Some(Modal::ConfirmDiscard);
                } else {
                    self.close_form()?;
                }
            }
            Message::DiscardForm => self.close_form()?,
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
            Message::OpenRecord { kind, id } => self.open_record(&kind, id)?,
            Message::Assess(m) => self.update_assess(m)?,
            Message::Coord(m) => self.update_coord(m)?,
            Message::Referral(m) => self.update_referral(m)?,
            Message::Plan(m) => self.update_plan(m)?,
            Message::Close(m) => self.update_close(m)?,
        }
        Ok(())
    }

    /// One place that knows which screen shows which kind of record.
    fn open_record(&mut self, kind: &str, id: i64) -> Result<(), StoreError> {
        match kind {
            "note" | "addendum" => self.update(Message::OpenNote(id)),
            _ if self.open_assess_record(kind, id)? => Ok(()),
            _ if self.open_coord_record(kind, id)? => Ok(()),
            _ if self.open_referral_record(kind, id)? => Ok(()),
            _ if self.open_close_record(kind, id)? => Ok(()),
            "goal" | "goal-notes" => self.update_plan(plan::PlanMsg::OpenGoal(id)),
            "evaluation" => self.update_plan(plan::PlanMsg::OpenEvaluation(id)),
            "plan" => self.update_plan(plan::PlanMsg::OpenPlan(id)),
            _ => {
                self.status = Some("That record cannot be opened from here.".into());
                Ok(())
            }
        }
    }

    /// Pushes a screen of a later phase, offering back a draft it left after a crash.
    pub fn push_view(&mut self, mut v: Box<dyn View>) {
        if let Some(d) = v.draft() {
            match self.store.draft(&d.key) {
                Ok(Some(saved)) => {
                    v.restore_draft(&saved.payload);
                }
                Ok(None) => {}
                Err(e) => self.status = Some(e.to_string()),
            }
            self.push_form(Screen::View(v));
        } else {
            self.stack.push(Screen::View(v));
        }
    }

    fn quick_note_for(&mut self, client_id: i64) {
        if let Err(e) = self.open_note_form(client_id, true) {
            self.status = Some(e.to_string());
        }
    }

    fn open_note_form(&mut self, client_id: i64, quick: bool) -> Result<(), StoreError> {
        self.store.client(client_id)?;
        let mut s = NoteFormScreen::new(client_id, self.now, self.today, self.templates.clone(), quick);
        let key = s.draft_key();
        self.restore_into(&mut s.form, &key)?;
        self.push_form(Screen::NoteForm(s));
        Ok(())
    }

    /// Offers back a draft left for this form, if there is one.
    fn restore_into(&self, form: &mut Form, key: &str) -> Result<(), StoreError> {
        if let Some(d) = self.store.draft(key)? {
            if form.restore_draft(&d.payload) {
                form.notice = Some("Restored what you had not saved.".into());
            }
        }
        Ok(())
    }

    fn push_form(&mut self, s: Screen) {
        self.draft_edits = 0;
        self.last_edit = None;
        self.first_unsaved_edit = None;
        self.stack.push(s);
    }

    fn resume_draft(&mut self, key: &str) -> Result<(), StoreError> {
        let Some(d) = self.store.draft(key)? else { return Ok(()) };
        let id_in_key = || key.rsplit(':').next().and_then(|s| s.parse::<i64>().ok());
        match d.kind.as_str() {
            "intake-new" => self.update(Message::NewIntake),
            "intake-edit" => match d.client_id {
                Some(id) => {
                    self.update(Message::OpenClient(id))?;
                    self.update(Message::EditIntake(id))
                }
                None => Ok(()),
            },
            "settings" => self.update(Message::GoSettings),
            "note-new" => match d.client_id {
                Some(id) => {
                    self.update(Message::OpenClient(id))?;
                    self.open_note_form(id, false)
                }
                None => Ok(()),
            },
            "note-edit" => match id_in_key() {
                Some(id) => {
                    self.update(Message::OpenNote(id))?;
                    self.update(Message::EditNote(id))
                }
                None => Ok(()),
            },
            "service-new" => {
                self.update(Message::GoDirectory)?;
                self.update(Message::NewService)
            }
            "service-edit" => match id_in_key() {
                Some(id) => {
                    self.update(Message::GoDirectory)?;
                    self.update(Message::OpenService(id))?;
                    self.update(Message::EditService(id))
                }
                None => Ok(()),
            },
            "addendum" => match id_in_key() {
                Some(id) => {
                    self.update(Message::OpenNote(id))?;
                    self.update(Message::WriteAddendum(id))
                }
                None => Ok(()),
            },
            kind if self.resume_assess_draft(kind, key, d.client_id)? => Ok(()),
            kind if self.resume_coord_draft(kind, key)? => Ok(()),
            kind if self.resume_referral_draft(kind, key, d.client_id)? => Ok(()),
            kind if plan::is_plan_draft(kind) => self.resume_plan_draft(kind, key, d.client_id),
            kind if close::is_close_draft(kind) => self.resume_close_draft(kind, d.client_id),
            _ => {
                self.status =
                    Some("This draft belongs to a newer caseload feature and cannot be opened here.".into());
                Ok(())
            }
        }
    }

    /// Leaves the form on top and deletes its draft.
    fn close_form(&mut self) -> Result<(), StoreError> {
        if let Some(key) = self.top_draft_key() {
            self.store.delete_draft(&key)?;
        }
        self.last_edit = None;
        self.first_unsaved_edit = None;
        if self.stack.last().is_some_and(Screen::is_form) {
            self.stack.pop();
        }
        self.invalidate_all();
        Ok(())
    }

    fn submit_form(&mut self, save_anyway: bool) -> Result<(), StoreError> {
        let today = self.today;
        let now = self.now;
        if let Some(Screen::View(v)) = self.stack.last_mut() {
            let mut ctx = SubmitCtx {
                store: &mut self.store,
                now,
                today,
                settings: &self.settings,
                instruments: &self.instruments,
            };
            if let Submitted::Done { status, then } = v.submit(&mut ctx, save_anyway)? {
                self.close_form()?;
                self.status = Some(status);
                self.run(then);
            }
            return Ok(());
        }
        match self.stack.last_mut() {
            Some(Screen::Settings(s)) => {
                if !s.form.check_fields() {
                    return Ok(());
                }
                match s.apply(&self.settings) {
                    Err(errors) => s.form.set_errors(&errors),
                    Ok(new) => {
                        self.store.save_settings(&new)?;
                        self.settings = new;
                        self.close_form()?;
                        self.status = Some("Settings saved.".into());
                    }
                }
            }
            Some(Screen::Intake(s)) => {
                // Every problem at once: the form's own checks, then the domain's.
                let fields_ok = s.form.check_fields();
                let client = match validate_intake(&s.input(), today) {
                    Err(errors) => {
                        s.form.add_errors(&errors);
                        return Ok(());
                    }
                    Ok(c) if fields_ok => c,
                    Ok(_) => return Ok(()),
                };
                s.form.clear_errors();
                match s.mode {
                    IntakeMode::New => {
                        if !save_anyway && !s.duplicates_confirmed {
                            let dups = self.store.find_duplicates(&client, None)?;
                            if !dups.is_empty() {
                                self.modal = Some(Modal::Duplicates { list: dups, selected: 0 });
                                return Ok(());
                            }
                        }
                        let id = self.store.add_client(&client, now)?;
                        self.close_form()?;
                        self.update(Message::OpenClient(id))?;
                        self.status = Some(format!("Saved. {} is now on your caseload.", client_ref(id)));
                    }
                    IntakeMode::Edit(id) => {
                        self.store.update_client(id, &client, now)?;
                        self.close_form()?;
                        self.status = Some("Intake saved.".into());
                    }
                }
            }
            Some(Screen::NoteForm(s)) => {
                let fields_ok = s.form.check_fields();
                let note = match validate_note(&s.input(), now, today) {
                    Err(errors) => {
                        s.form.add_errors(&errors);
                        return Ok(());
                    }
                    Ok(n) if fields_ok => n,
                    Ok(_) => return Ok(()),
                };
                if let Some(t) = self.templates.iter().find(|t| t.id == note.template) {
                    if crate::domain::note::is_only_headings(&note.body, t) {
                        s.form.add_errors(&[crate::domain::client::FieldError {
                            field: "body",
                            message: "Write something under the headings: the note is still empty.".into(),
                        }]);
                        return Ok(());
                    }
                }
                match s.mode {
                    NoteMode::New { client_id } => {
                        let id = self.store.add_note(client_id, &note, now)?;
                        self.close_form()?;
                        self.status = Some(format!(
                            "Saved note {}. Sign it from the note (s) when ready.",
                            note_ref(id)
                        ));
                    }
                    NoteMode::Edit { note_id, .. } => {
                        self.store.update_note(note_id, &note, now)?;
                        self.close_form()?;
                        self.status = Some(format!("Note {} saved.", note_ref(note_id)));
                    }
                }
            }
            Some(Screen::ServiceForm(s)) => {
                let fields_ok = s.form.check_fields();
                let entry = match crate::domain::directory::validate_service(&s.input(), today) {
                    Err(errors) => {
                        s.form.add_errors(&errors);
                        return Ok(());
                    }
                    Ok(e) if fields_ok => e,
                    Ok(_) => return Ok(()),
                };
                s.form.clear_errors();
                let mode = s.mode;
                let saved = match mode {
                    ServiceMode::New => self.store.add_service(&entry, now),
                    ServiceMode::Edit(id) => self.store.update_service(id, &entry, now).map(|_| id),
                };
                match saved {
                    Ok(id) => {
                        self.close_form()?;
                        if mode == ServiceMode::New {
                            self.update(Message::OpenService(id))?;
                        }
                        self.status = Some(format!(
                            "Saved {} in the directory.",
                            crate::domain::directory::service_ref(id)
                        ));
                    }
                    Err(StoreError::Invalid(errors)) => {
                        if let Some(Screen::ServiceForm(s)) = self.stack.last_mut() {
                            s.form.set_errors(&errors);
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            Some(Screen::Import(s)) if s.asking() => {
                if !s.form.check_fields() {
                    return Ok(());
                }
                let path = expand_home(s.form.value("path").trim());
                s.path_shown = path.display().to_string();
                let (tx, rx) = std::sync::mpsc::channel();
                let db = self.store.path().to_path_buf();
                // Its own connection on its own thread: the screen keeps drawing progress.
                std::thread::spawn(move || {
                    let result = (|| -> Result<crate::store::directory::ImportReport, String> {
                        let mut store = Store::open_existing(&db).map_err(|e| e.to_string())?;
                        let progress_tx = tx.clone();
                        crate::import::import_path(&mut store, &path, chrono::Utc::now(), &mut |p| {
                            let _ = progress_tx.send(ImportEvent::Progress(p));
                        })
                        .map_err(|e| e.to_string())
                    })();
                    let _ = tx.send(ImportEvent::Done(result));
                });
                s.state = ImportState::Running {
                    progress: crate::store::directory::ImportProgress { done: 0, total: 0 },
                    events: rx,
                };
            }
            Some(Screen::Prompt(s)) => {
                if !s.form.check_fields() {
                    return Ok(());
                }
                let kind = s.kind;
                let by = self.settings.signature();
                let result = match kind {
                    PromptKind::Addendum { note_id } => self
                        .store
                        .add_addendum(note_id, &s.form.value("body"), &by, now)
                        .map(|_| "Addendum saved.".to_string()),
                    PromptKind::MoveNote { note_id } => {
                        match self.store.resolve_client(&s.form.value("to")) {
                            Err(e) => Err(field_error("to", e)),
                            Ok(c) => self
                                .store
                                .move_note(note_id, c.id, now)
                                .map(|_| format!("Note {} moved to {}.", note_ref(note_id), c.reference)),
                        }
                    }
                    PromptKind::MarkError { note_id } => {
                        let target = s.form.value("rewrite_to");
                        let to = if target.trim().is_empty() {
                            None
                        } else {
                            match self.store.resolve_client(&target) {
                                Ok(c) => Some(c.id),
                                Err(e) => {
                                    s.form.set_errors(&invalid_fields(field_error("rewrite_to", e)));
                                    return Ok(());
                                }
                            }
                        };
                        self.store.mark_note_in_error(note_id, &s.form.value("reason"), to, now).map(|new| {
                            match new {
                                Some(n) => format!(
                                    "Marked in error; written again as {} on {}.",
                                    note_ref(n),
                                    to.map(client_ref).unwrap_or_default()
                                ),
                                None => "Marked entered in error.".to_string(),
                            }
                        })
                    }
                };
                match result {
                    Ok(msg) => {
                        self.close_form()?;
                        self.status = Some(msg);
                    }
                    Err(StoreError::Invalid(errors)) => {
                        if let Some(Screen::Prompt(s)) = self.stack.last_mut() {
                            s.form.set_errors(&errors);
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            _ => {}
        }
        Ok(())
    }

    pub(crate) fn invalidate_all(&mut self) {
        for s in &mut self.stack {
            s.invalidate();
        }
    }

    /// The body area of the screen at the current terminal size.
    fn body(&self) -> Rect {
        Rect { x: 0, y: 0, width: self.size.0, height: self.size.1.saturating_sub(3) }
    }

    fn set_heights(&mut self) {
        let body = self.body();
        match self.stack.last_mut() {
            Some(Screen::View(v)) => v.set_area(body),
            _ => {}
        }
    }

    /// Loads what the screen on top needs for its next frame.
    pub fn sync(&mut self) {
        self.poll_jobs();
        self.set_heights();
        let (now, today) = (self.now, self.today);
        let result = match self.stack.last_mut() {
            Some(Screen::View(v)) => v.sync(&SyncCtx {
                store: &self.store,
                now,
                today,
                settings: &self.settings,
                instruments: &self.instruments,
            }),
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.status = Some(e.to_string());
            if matches!(e, StoreError::NotFound(_)) && self.stack.len() > 1 {
                self.stack.pop();
            }
        }
        // the client header of a note screen comes from the client file's data
        if let Some(id) = self.current_client() {
            // reloaded every sync: a few columns by primary key, and never stale
            if let Ok(c) = self.store.client(id) {
                self.header = Some(c);
            }
        } else {
            self.header = None;
        }
    }
}

fn field_error(field: &'static str, e: StoreError) -> StoreError {
    match e {
        StoreError::NotFound(m) | StoreError::Refused(m) => StoreError::invalid(field, m),
        other => other,
    }
}

fn invalid_fields(e: StoreError) -> Vec<crate::domain::client::FieldError> {
    match e {
        StoreError::Invalid(v) => v,
        other => vec![crate::domain::client::FieldError { field: "reason", message: other.to_string() }],
    }
}

/// `~/x` → the home folder's `x`, as a shell would.
pub(crate) fn expand_home(path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::PathBuf::from(home).join(rest),
        _ if path == "~" => std::env::var_os("HOME").map(std::path::PathBuf::from).unwrap_or_default(),
        _ => std::path::PathBuf::from(path),
    }
}
