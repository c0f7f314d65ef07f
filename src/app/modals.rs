//! The questions drawn over a screen: keep or discard unsaved changes?, a likely duplicate, the drafts
//! left by a crash, the client picker (of a quick note, of a referral to a service) and the
//! directory service picker of a referral. Each takes the keys while it is up.

use crossterm::event::KeyEvent;

use super::message::{Message, Picked, RefMsg};
use super::App;
use crate::domain::client::{Client, DuplicateCandidate};
use crate::keymap::{lookup, Action, Context};
use crate::store::drafts::Draft;
use crate::ui::widgets::picker::{ClientPicker, PickerOutcome, ServicePicker};

/// What the client chosen in a client picker is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientFor {
    QuickNote,
    /// A referral to this directory service.
    Referral {
        service_id: i64,
    },
}

pub enum Modal {
    /// Leaving a form with changes: keep them as a draft (when the form keeps drafts), discard
    /// them, or go on editing.
    ConfirmDiscard {
        can_keep: bool,
    },
    Duplicates {
        list: Vec<(DuplicateCandidate, Client)>,
        selected: usize,
    },
    Drafts {
        list: Vec<Draft>,
        selected: usize,
    },
    PickClient(ClientPicker, ClientFor),
    PickService(ServicePicker),
    /// `r` on a service that is not active: refer to it anyway?
    ReferInactive {
        service_id: i64,
        name: String,
        status: String,
    },
}

impl Modal {
    pub fn context(&self) -> Context {
        self.contexts()[0]
    }

    pub fn contexts(&self) -> &'static [Context] {
        match self {
            Modal::ConfirmDiscard { .. } => &[Context::Confirm],
            Modal::Duplicates { .. } => &[Context::Duplicates],
            Modal::Drafts { .. } => &[Context::Drafts],
            Modal::PickClient(..) => &[Context::Picker],
            Modal::PickService(p) if p.asking.is_some() => &[Context::InactiveService],
            Modal::PickService(_) => &[Context::ServicePicker],
            Modal::ReferInactive { .. } => &[Context::InactiveService],
        }
    }

    pub fn hints(&self) -> &'static [Action] {
        match self {
            Modal::ConfirmDiscard { can_keep: true } => &[Action::KeepDraft, Action::Discard, Action::No],
            Modal::ConfirmDiscard { can_keep: false } => &[Action::Discard, Action::No],
            Modal::Duplicates { .. } => &[Action::Open, Action::SaveAnyway, Action::Back],
            Modal::Drafts { .. } => &[Action::Open, Action::Discard, Action::Back],
            Modal::PickClient(..) => &[Action::Open, Action::Back],
            Modal::PickService(p) if p.asking.is_some() => &[Action::Yes, Action::No],
            Modal::PickService(_) => &[Action::Open, Action::Down, Action::Up, Action::Back],
            Modal::ReferInactive { .. } => &[Action::Yes, Action::No],
        }
    }
}

/// Up/down in a modal's list.
fn step(selected: &mut usize, len: usize, action: Action) {
    match action {
        Action::Up => *selected = selected.saturating_sub(1),
        Action::Down => *selected = (*selected + 1).min(len.saturating_sub(1)),
        _ => {}
    }
}

impl App {
    /// A key while a modal is up: what it means there, as messages.
    pub(super) fn modal_key(&mut self, key: KeyEvent) -> Vec<Message> {
        if let Some(Modal::PickClient(p, purpose)) = &mut self.modal {
            let purpose = *purpose;
            return match p.handle_key(key) {
                PickerOutcome::Pending => vec![],
                PickerOutcome::Cancelled => {
                    self.modal = None;
                    vec![]
                }
                PickerOutcome::Chosen(id) => {
                    self.modal = None;
                    match purpose {
                        ClientFor::QuickNote => vec![Message::QuickNoteFor(id)],
                        ClientFor::Referral { service_id } => {
                            vec![Message::Referral(RefMsg::NewTo { client_id: id, service_id })]
                        }
                    }
                }
            };
        }
        if let Some(Modal::PickService(p)) = &mut self.modal {
            return match p.handle_key(key) {
                PickerOutcome::Pending => {
                    // the matches follow what is typed, searched as the directory searches
                    if let Err(e) = p.refresh(&self.store) {
                        self.status = Some(e.to_string());
                    }
                    vec![]
                }
                PickerOutcome::Cancelled => {
                    self.modal = None;
                    vec![]
                }
                PickerOutcome::Chosen(id) => {
                    let label = p.label_of(id).unwrap_or_default();
                    self.modal = None;
                    vec![Message::Picked(Picked::Service { id, label })]
                }
            };
        }
        let Some(modal) = &mut self.modal else { return vec![] };
        let Some(action) = lookup(&[modal.context()], &key) else { return vec![] };
        let (close, msgs) = match (modal, action) {
            (Modal::ConfirmDiscard { can_keep: true }, Action::KeepDraft) => (true, vec![Message::KeepDraft]),
            (Modal::ConfirmDiscard { .. }, Action::Discard) => (true, vec![Message::DiscardForm]),
            (Modal::ConfirmDiscard { .. }, Action::No) => (true, vec![]),
            (Modal::ReferInactive { service_id, .. }, Action::Yes) => {
                (true, vec![Message::ReferToInactiveService(*service_id)])
            }
            (Modal::ReferInactive { .. }, Action::No) => (true, vec![]),
            (Modal::Duplicates { list, selected }, a @ (Action::Up | Action::Down)) => {
                step(selected, list.len(), a);
                (false, vec![])
            }
            (Modal::Duplicates { list, selected }, Action::Open) => {
                let id = list.get(*selected).map(|(d, _)| d.id);
                (true, id.map(|id| vec![Message::DiscardForm, Message::OpenClient(id)]).unwrap_or_default())
            }
            (Modal::Duplicates { .. }, Action::SaveAnyway) => (true, vec![Message::SaveAnyway]),
            (Modal::Drafts { list, selected }, a @ (Action::Up | Action::Down)) => {
                step(selected, list.len(), a);
                (false, vec![])
            }
            (Modal::Drafts { list, selected }, Action::Open) => {
                (true, list.get(*selected).map(|d| Message::ResumeDraft(d.key.clone())).into_iter().collect())
            }
            (Modal::Drafts { list, selected }, Action::Discard) => (
                false,
                list.get(*selected).map(|d| Message::DiscardDraft(d.key.clone())).into_iter().collect(),
            ),
            (Modal::Duplicates { .. } | Modal::Drafts { .. }, Action::Back) => (true, vec![]),
            _ => (false, vec![]),
        };
        if close {
            self.modal = None;
        }
        msgs
    }
}
