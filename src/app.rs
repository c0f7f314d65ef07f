//! App state, the Message enum and the one update loop. Keys go to the screen on top, which
//! answers with messages; `update` carries them out against the store.

use std::time::{Duration, Instant};

use chrono::{DateTime, Local, NaiveDate, Utc};
use crossterm::event::{Event, KeyEvent, KeyEventKind};

use crate::domain::client::{client_ref, intake_input_of, validate_intake, Client, DuplicateCandidate};
use crate::domain::settings::Settings;
use crate::keymap::{lookup, Action, Context};
use crate::store::drafts::Draft;
use crate::store::{Store, StoreError};
use crate::ui::screens::client_file::ClientFileScreen;
use crate::ui::screens::client_list::ClientListScreen;
use crate::ui::screens::intake::{IntakeMode, IntakeScreen};
use crate::ui::screens::settings::SettingsScreen;
use crate::ui::widgets::form::{Form, FormEvent};

/// A draft is written this long after the last keystroke.
pub const DRAFT_DELAY: Duration = Duration::from_millis(800);

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Quit,
    Back,
    GoClients,
    GoSettings,
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
}

pub enum Screen {
    Clients(ClientListScreen),
    File(ClientFileScreen),
    Intake(IntakeScreen),
    Settings(SettingsScreen),
}

pub enum Modal {
    ConfirmDiscard,
    Duplicates { list: Vec<(DuplicateCandidate, Client)>, selected: usize },
    Drafts { list: Vec<Draft>, selected: usize },
}

pub struct App {
    pub store: Store,
    pub settings: Settings,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub stack: Vec<Screen>,
    pub modal: Option<Modal>,
    pub help_scroll: Option<u16>,
    pub status: Option<String>,
    pub quit: bool,
    pub size: (u16, u16),
    last_edit: Option<Instant>,
    draft_edits: u64,
}

impl App {
    pub fn new(store: Store) -> Result<App, StoreError> {
        Self::with_clock(store, Utc::now())
    }

    /// An app whose clock starts at `now` (tests pin it so screens are reproducible).
    pub fn with_clock(store: Store, now: DateTime<Utc>) -> Result<App, StoreError> {
        let settings = store.settings()?;
        let mut app = App {
            store,
            settings,
            now,
            today: now.with_timezone(&Local).date_naive(),
            stack: vec![Screen::Clients(ClientListScreen::new())],
            modal: None,
            help_scroll: None,
            status: None,
            quit: false,
            size: (80, 24),
            last_edit: None,
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
    pub fn tick(&mut self, now: DateTime<Utc>) {
        self.now = now;
        self.today = now.with_timezone(&Local).date_naive();
        if self.last_edit.is_some_and(|t| t.elapsed() >= DRAFT_DELAY) {
            self.save_draft_now();
        }
    }

    /// Writes the draft of the form on top, if it changed since the last write. Also called
    /// on SIGTERM/SIGHUP so a closing terminal keeps the text.
    pub fn save_draft_now(&mut self) {
        self.last_edit = None;
        let Some((key, kind, client_id, title, form)) = self.top_form_info() else { return };
        if !form.dirty || form.edits == self.draft_edits {
            return;
        }
        let draft =
            Draft { key, kind, client_id, title, payload: form.to_draft(), updated_at: String::new() };
        let edits = form.edits;
        match self.store.save_draft(&draft, self.now) {
            Ok(()) => self.draft_edits = edits,
            Err(e) => self.status = Some(format!("Draft not saved yet: {e}")),
        }
    }

    fn top_form_info(&self) -> Option<(String, String, Option<i64>, String, &Form)> {
        match self.stack.last()? {
            Screen::Intake(s) => {
                let (kind, cid) = match s.mode {
                    IntakeMode::New => ("intake-new", None),
                    IntakeMode::Edit(id) => ("intake-edit", Some(id)),
                };
                let given = s.form.value("given_name");
                let family = s.form.value("family_name");
                let who = format!("{given} {family}");
                let title = match s.mode {
                    IntakeMode::New => format!("New client intake: {}", who.trim()),
                    IntakeMode::Edit(id) => format!("Intake edit for {}", client_ref(id)),
                };
                Some((s.draft_key(), kind.into(), cid, title, &s.form))
            }
            Screen::Settings(s) => {
                Some(("settings".into(), "settings".into(), None, "Settings".into(), &s.form))
            }
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
            None => {}
        }
        match self.stack.last() {
            Some(Screen::Clients(s)) => s.contexts(),
            Some(Screen::File(s)) => s.contexts(),
            Some(Screen::Intake(s)) => s.contexts(),
            Some(Screen::Settings(s)) => s.contexts(),
            None => &[Context::Global],
        }
    }

    /// The contexts whose keys the help overlay lists for the current screen.
    pub fn help_contexts(&self) -> Vec<Context> {
        let mut ctx: Vec<Context> = match (&self.modal, self.stack.last()) {
            (Some(Modal::ConfirmDiscard), _) => vec![Context::Confirm],
            (Some(Modal::Duplicates { .. }), _) => vec![Context::Duplicates],
            (Some(Modal::Drafts { .. }), _) => vec![Context::Drafts],
            (None, Some(Screen::Clients(s))) => s.contexts().to_vec(),
            (None, Some(Screen::File(s))) => s.contexts().to_vec(),
            (None, Some(Screen::Intake(_))) | (None, Some(Screen::Settings(_))) => vec![Context::Form],
            _ => vec![Context::Global],
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
            None => {}
        }
        match self.stack.last() {
            Some(Screen::Clients(s)) => s.hints(),
            Some(Screen::File(s)) => s.hints(),
            Some(Screen::Intake(s)) => s.hints(),
            Some(Screen::Settings(s)) => s.hints(),
            None => &[],
        }
    }

    /// True when the focused element takes printable keys as text.
    fn captures_text(&self) -> bool {
        match self.stack.last() {
            Some(Screen::Clients(s)) => s.captures_text(),
            Some(Screen::Intake(_)) | Some(Screen::Settings(_)) => true,
            _ => false,
        }
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
            Some(Screen::Intake(s)) => s.form.paste(text) == FormEvent::Changed,
            Some(Screen::Settings(s)) => s.form.paste(text) == FormEvent::Changed,
            _ => false,
        };
        if changed {
            self.last_edit = Some(Instant::now());
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        self.status = None;
        if let Some(scroll) = self.help_scroll.as_mut() {
            match key.code {
                crossterm::event::KeyCode::Char('j') | crossterm::event::KeyCode::Down => *scroll += 1,
                crossterm::event::KeyCode::Char('k') | crossterm::event::KeyCode::Up => {
                    *scroll = scroll.saturating_sub(1)
                }
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
        let text_mode = self.captures_text();
        let height = self.list_height();
        let mut form_event = None;
        let handled = match self.stack.last_mut() {
            Some(Screen::Clients(s)) => {
                s.height = height;
                s.handle_key(key)
            }
            Some(Screen::File(s)) => s.handle_key(key),
            Some(Screen::Intake(s)) => {
                form_event = Some(s.handle_key(key));
                Some(vec![])
            }
            Some(Screen::Settings(s)) => {
                form_event = Some(s.handle_key(key));
                Some(vec![])
            }
            None => None,
        };
        let mut msgs = handled.clone().unwrap_or_default();
        match form_event {
            Some(FormEvent::Changed) => self.last_edit = Some(Instant::now()),
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
                    Action::Drafts => Message::ShowDrafts,
                    Action::Help => {
                        self.help_scroll = Some(0);
                        return;
                    }
                    _ => return,
                });
            }
        }
        // Ctrl-C always quits (forms save their draft first).
        if key.code == crossterm::event::KeyCode::Char('c')
            && key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL)
        {
            msgs.push(Message::Quit);
        }
        self.run(msgs);
    }

    fn modal_key(&mut self, key: KeyEvent) -> Vec<Message> {
        let ctx = self.contexts();
        let action = lookup(ctx, &key);
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
                    match id {
                        Some(id) => vec![Message::DiscardForm, Message::OpenClient(id)],
                        None => vec![],
                    }
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
                    let key = list.get(*selected).map(|d| d.key.clone());
                    key.map(Message::DiscardDraft).into_iter().collect()
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
            Message::GoClients => {
                self.stack.truncate(1);
            }
            Message::GoSettings => {
                if !matches!(self.stack.last(), Some(Screen::Settings(_))) {
                    let mut s = SettingsScreen::new(&self.settings, self.today);
                    if let Some(d) = self.store.draft("settings")? {
                        s.form.restore_draft(&d.payload);
                        s.form.notice = Some("Restored your unsaved changes.".into());
                    }
                    self.push_form(Screen::Settings(s));
                }
            }
            Message::OpenClient(id) => {
                self.stack.truncate(1);
                if let Some(Screen::Clients(list)) = self.stack.first_mut() {
                    list.select_id(id);
                }
                self.stack.push(Screen::File(ClientFileScreen::new(id)));
            }
            Message::NewIntake => {
                let mut s = IntakeScreen::new(IntakeMode::New, self.today);
                if let Some(d) = self.store.draft(&s.draft_key())? {
                    s.form.restore_draft(&d.payload);
                    s.form.notice = Some("Restored the intake you had not saved.".into());
                }
                self.push_form(Screen::Intake(s));
            }
            Message::EditIntake(id) => {
                let client = self.store.client(id)?;
                let mut s =
                    IntakeScreen::with_input(IntakeMode::Edit(id), self.today, &intake_input_of(&client));
                s.form.dirty = false;
                if let Some(d) = self.store.draft(&s.draft_key())? {
                    s.form.restore_draft(&d.payload);
                    s.form.notice = Some("Restored the changes you had not saved.".into());
                }
                self.push_form(Screen::Intake(s));
            }
            Message::SubmitForm => self.submit_form(false)?,
            Message::SaveAnyway => self.submit_form(true)?,
            Message::CancelForm => {
                let dirty = match self.stack.last() {
                    Some(Screen::Intake(s)) => s.form.dirty,
                    Some(Screen::Settings(s)) => s.form.dirty,
                    _ => false,
                };
                if dirty {
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
                self.status = Some("Draft discarded.".into());
            }
            Message::Status(s) => self.status = Some(s),
        }
        Ok(())
    }

    fn push_form(&mut self, s: Screen) {
        self.draft_edits = 0;
        self.last_edit = None;
        self.stack.push(s);
    }

    fn resume_draft(&mut self, key: &str) -> Result<(), StoreError> {
        let Some(d) = self.store.draft(key)? else { return Ok(()) };
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
            _ => {
                self.status =
                    Some("This draft belongs to a newer caseload feature and cannot be opened here.".into());
                Ok(())
            }
        }
    }

    /// Leaves the form on top and deletes its draft.
    fn close_form(&mut self) -> Result<(), StoreError> {
        if let Some((key, ..)) = self.top_form_info() {
            self.store.delete_draft(&key)?;
        }
        self.last_edit = None;
        if matches!(self.stack.last(), Some(Screen::Intake(_)) | Some(Screen::Settings(_))) {
            self.stack.pop();
        }
        Ok(())
    }

    fn submit_form(&mut self, save_anyway: bool) -> Result<(), StoreError> {
        let today = self.today;
        let now = self.now;
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
                        self.invalidate_lists();
                        self.update(Message::OpenClient(id))?;
                        self.status = Some(format!("Saved. {} is now on your caseload.", client_ref(id)));
                    }
                    IntakeMode::Edit(id) => {
                        self.store.update_client(id, &client, now)?;
                        self.close_form()?;
                        self.invalidate_lists();
                        self.status = Some("Intake saved.".into());
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn invalidate_lists(&mut self) {
        for s in &mut self.stack {
            match s {
                Screen::Clients(l) => l.invalidate(),
                Screen::File(f) => f.invalidate(),
                _ => {}
            }
        }
    }

    /// Rows the client list can show at the current terminal size.
    pub fn list_height(&self) -> usize {
        let body =
            ratatui::layout::Rect { x: 0, y: 0, width: self.size.0, height: self.size.1.saturating_sub(3) };
        ClientListScreen::rows_for(body)
    }

    /// Loads what the screen on top needs for its next frame.
    pub fn sync(&mut self) {
        let height = self.list_height();
        let result = match self.stack.last_mut() {
            Some(Screen::Clients(s)) => {
                s.height = height;
                s.sync(&self.store)
            }
            Some(Screen::File(s)) => s.sync(&self.store),
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.status = Some(e.to_string());
            if matches!(e, StoreError::NotFound(_)) && self.stack.len() > 1 {
                self.stack.pop();
            }
        }
    }
}
