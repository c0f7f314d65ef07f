//! Closing a case and what follows: the closure record, the closing checklist of open items,
//! the facts the summary is drafted from, closing, reopening (undo the same day, or a new
//! episode), the post-closure follow-up, and retention (the list, destroying a file).
//! One file per part; this one only names them.

mod close;
mod follow_up;
mod open_items;
mod record;
mod reopen;
mod retention;
mod summary_facts;

pub(crate) use close::close_in;
pub(crate) use follow_up::{due_closure_follow_ups, DUE_CLOSURE_FOLLOW_UPS_SQL};
pub use open_items::{
    open_items_in, ActionItems, AdvocacyItems, AlertItems, GoalItems, ItemCtx, OpenKind, ReferralFacts,
    ReferralItems, UnsignedNotes, OPEN_KINDS, REFERRAL_FACTS,
};
pub use record::{Closure, ClosureItem};
pub(crate) use reopen::new_episode_in;
pub use reopen::{Reopened, UndoReport};
pub(crate) use retention::due_retention;
pub use retention::{DestroyedFile, RetentionEntry};
pub use summary_facts::closure_facts_in;
