//! Messages that open the everyday screens: Today, the client list and file, notes, search,
//! time, settings and the directory. Each phase's own screens open from its file beside this one.

use super::message::Message;
use super::modals::{ClientFor, Modal};
use super::App;
use crate::domain::client::intake_input_of;
use crate::domain::text::{display_safe, fit};
use crate::keymap::{key_label, Action, Context};
use crate::store::StoreError;
use crate::ui::screens::clients::file::ClientFileScreen;
use crate::ui::screens::clients::intake::{intake_screen, IntakeMode};
use crate::ui::screens::clients::list::ClientListScreen;
use crate::ui::screens::directory::import::ImportScreen;
use crate::ui::screens::directory::list::DirectoryScreen;
use crate::ui::screens::directory::service::ServiceScreen;
use crate::ui::screens::directory::service_form::{service_screen, ServiceMode};
use crate::ui::screens::notes::form::{edit_note_screen, new_note_screen};
use crate::ui::screens::notes::list::NotesScreen;
use crate::ui::screens::notes::note::NoteDetailScreen;
use crate::ui::screens::notes::prompt::{prompt_screen, PromptKind};
use crate::ui::screens::notes::search::SearchScreen;
use crate::ui::screens::notes::time::TimeScreen;
use crate::ui::screens::notes::timeline::TimelineScreen;
use crate::ui::screens::settings::settings_screen;
use crate::ui::view::{Opened, SubmitCtx};
use crate::ui::widgets::picker::{service_running, ClientPicker, ServicePicker};

impl App {
    /// Opens the screen a message asks for (the everyday screens and each phase's).
    pub(super) fn navigate(&mut self, msg: Message) -> Result<(), StoreError> {
        let today = self.today;
        match msg {
            Message::GoClients => {
                self.stack.truncate(1);
                self.push_view(Box::new(ClientListScreen::new()));
            }
            Message::GoSettings => {
                let on_settings =
                    self.stack.last().and_then(|v| v.draft()).is_some_and(|d| d.key == "settings");
                if !on_settings {
                    self.push_view(Box::new(settings_screen(&self.settings, today, self.store.path())));
                }
            }
            Message::GoTime => self.push_view(Box::new(TimeScreen::new(today))),
            Message::GoDirectory => {
                self.stack.truncate(1);
                self.push_view(Box::new(DirectoryScreen::new()));
            }
            Message::OpenService(id) => self.push_view(Box::new(ServiceScreen::new(id))),
            Message::ReferToService(service_id) => {
                let service = self.store.service(service_id)?;
                if !service_running(&service.status) {
                    // as in the picker: a service that is not running is asked about first
                    self.modal = Some(Modal::ReferInactive {
                        service_id,
                        name: service.name.clone(),
                        status: service.status.clone(),
                    });
                    return Ok(());
                }
                return self.navigate(Message::ReferToInactiveService(service_id));
            }
            Message::ReferToInactiveService(service_id) => {
                let service = self.store.service(service_id)?;
                let entries = self.store.picker_entries()?;
                let title = format!("Refer to {}: which client?", fit(&display_safe(&service.name), 40));
                self.modal = Some(Modal::PickClient(
                    ClientPicker::new(&title, entries, today),
                    ClientFor::Referral { service_id },
                ));
            }
            Message::PickService(query) => {
                let mut picker = ServicePicker::new("Choose a directory service", &query, today);
                picker.refresh(&self.store)?;
                self.modal = Some(Modal::PickService(picker));
            }
            Message::NewService => self.push_view(Box::new(service_screen(ServiceMode::New, today, None))),
            Message::EditService(id) => {
                let input = self.store.service(id)?.input();
                self.push_view(Box::new(service_screen(ServiceMode::Edit(id), today, Some(&input))));
            }
            Message::ImportDirectory => self.push_view(Box::new(ImportScreen::new(today))),
            Message::OpenClient(id) => {
                // back from a file goes to the list it was opened from
                while self.stack.len() > 1 && !self.stack.last_mut().is_some_and(|s| s.select_client(id)) {
                    self.stack.pop();
                }
                self.push_view(Box::new(ClientFileScreen::new(id)));
            }
            Message::NewIntake => self.push_view(Box::new(intake_screen(IntakeMode::New, today, None))),
            Message::EditIntake(id) => {
                let input = intake_input_of(&self.store.client(id)?);
                self.push_view(Box::new(intake_screen(IntakeMode::Edit(id), today, Some(&input))));
            }
            Message::WriteNote(client_id) => self.open_note_form(client_id, false)?,
            Message::PlanVisit(c) => {
                self.open_with(|ctx| crate::ui::screens::clients::visit_form::open(ctx, c))?
            }
            Message::QuickNoteFor(client_id) => self.open_note_form(client_id, true)?,
            Message::QuickNote => match self.current_client() {
                Some(id) => self.open_note_form(id, true)?,
                None => {
                    let entries = self.store.picker_entries()?;
                    self.modal = Some(Modal::PickClient(
                        ClientPicker::new("Quick note for…", entries, today),
                        ClientFor::QuickNote,
                    ));
                }
            },
            Message::OpenNotes(id) => self.push_view(Box::new(NotesScreen::new(id))),
            Message::OpenNote(id) => self.push_view(Box::new(NoteDetailScreen::new(id))),
            Message::OpenTimeline(id) => self.push_view(Box::new(TimelineScreen::new(id))),
            Message::OpenSearch(client) => self.push_view(Box::new(SearchScreen::new(client))),
            Message::EditNote(id) => {
                let note = self.store.note(id)?;
                if note.entered_in_error {
                    return self.say("This note was marked entered in error; it is kept as it was.");
                }
                if note.is_signed() {
                    return self.say(format!(
                        "Signed notes are locked: press {} to add an addendum instead.",
                        key_label(Context::Note, Action::Addendum)
                    ));
                }
                self.push_view(Box::new(edit_note_screen(&note, today, self.templates.clone())));
            }
            Message::WriteAddendum(id) => {
                self.push_view(Box::new(prompt_screen(PromptKind::Addendum { note_id: id }, today)))
            }
            Message::MoveNote(id) => {
                let note = self.store.note(id)?;
                if note.entered_in_error {
                    return self.say("A note entered in error stays where it is.");
                }
                if note.is_signed() {
                    return self.say(format!(
                        "Signed notes cannot be moved: press {} to mark it entered in error and write it again on the right client.",
                        key_label(Context::Note, Action::MarkError)
                    ));
                }
                self.push_view(Box::new(prompt_screen(PromptKind::MoveNote { note_id: id }, today)));
            }
            Message::MarkNoteError(id) => {
                if self.store.note(id)?.entered_in_error {
                    return self.say("This note is already marked entered in error.");
                }
                self.push_view(Box::new(prompt_screen(PromptKind::MarkError { note_id: id }, today)));
            }
            Message::Assess(m) => self.open_with(|ctx| crate::ui::screens::assessment::open(ctx, m))?,
            Message::Coord(m) => self.open_with(|ctx| crate::ui::screens::coordination::open(ctx, m))?,
            Message::Referral(m) => self.open_with(|ctx| crate::ui::screens::referrals::open(ctx, m))?,
            Message::Plan(m) => self.open_with(|ctx| crate::ui::screens::plan::open(ctx, m))?,
            Message::Close(m) => self.open_with(|ctx| crate::ui::screens::close::open(ctx, m))?,
            // the app-wide messages are carried out by `App::update` itself
            _ => {}
        }
        Ok(())
    }

    /// Opens what `open` makes of the store: a screen, or a status line saying why not.
    pub(super) fn open_with(
        &mut self,
        open: impl FnOnce(&mut SubmitCtx<'_>) -> Result<Opened, StoreError>,
    ) -> Result<(), StoreError> {
        let mut ctx = self.submit_ctx();
        match open(&mut ctx)? {
            Opened::Screen(v) => self.push_view(v),
            Opened::Refused(why) => self.status = Some(why),
        }
        Ok(())
    }

    /// A status line instead of a screen.
    pub(super) fn say(&mut self, text: impl Into<String>) -> Result<(), StoreError> {
        self.status = Some(text.into());
        Ok(())
    }

    fn open_note_form(&mut self, client_id: i64, quick: bool) -> Result<(), StoreError> {
        self.store.client(client_id)?;
        let s = new_note_screen(client_id, self.now, self.today, self.templates.clone(), quick);
        self.push_view(Box::new(s));
        Ok(())
    }
}
