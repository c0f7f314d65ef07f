//! Referrals to other services, tracked until the loop is closed.
//!
//! The life of a referral (see `case-record.md` §4):
//!
//! ```text
//! draft → sent → acknowledged → accepted → in-service → completed
//!              └──────────────→ (acknowledged may be skipped)
//! ```
//!
//! with these exits:
//!
//! * `declined` (by the provider, a reason is required): from sent, acknowledged or accepted
//!   (a provider may still turn the client down at the first appointment);
//! * `client-declined`: from any open state — the client may change their mind at any point;
//! * `no-response`: from sent or acknowledged, when the provider never answers;
//! * `cancelled`: from any open state, drafts included;
//! * `on-hold`: from any open state, and back to the state it was held from (and only that one),
//!   or out through `cancelled` / `client-declined`.
//!
//! `completed`, `declined`, `client-declined` and `cancelled` are final: nothing follows them
//! (make a new referral instead). `no-response` is closed but **not** final: a provider who
//! answers late may still acknowledge, accept or decline, so the referral picks up where it was
//! rather than being re-entered.
//!
//! Marking a referral sent (including returning to "sent" from a hold) needs the client's
//! consent to share information.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Days after sending (or acknowledgement) before the practitioner should chase an answer.
pub const FOLLOW_UP_AFTER_SENT_DAYS: u64 = 7;
/// Days after a service starts before checking it is working for the client.
pub const FOLLOW_UP_IN_SERVICE_DAYS: u64 = 30;

use super::words::text_enum;
pub use super::words::UnknownWord as ParseError;

/// Where a referral stands in closed-loop tracking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ReferralStatus {
    #[default]
    Draft,
    Sent,
    Acknowledged,
    Accepted,
    InService,
    Completed,
    /// Declined by the provider.
    Declined,
    ClientDeclined,
    NoResponse,
    Cancelled,
    OnHold,
}

impl ReferralStatus {
    pub const ALL: &'static [Self] = &[
        Self::Draft,
        Self::Sent,
        Self::Acknowledged,
        Self::Accepted,
        Self::InService,
        Self::Completed,
        Self::Declined,
        Self::ClientDeclined,
        Self::NoResponse,
        Self::Cancelled,
        Self::OnHold,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::Acknowledged => "acknowledged",
            Self::Accepted => "accepted",
            Self::InService => "in-service",
            Self::Completed => "completed",
            Self::Declined => "declined",
            Self::ClientDeclined => "client-declined",
            Self::NoResponse => "no-response",
            Self::Cancelled => "cancelled",
            Self::OnHold => "on-hold",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Sent => "Sent",
            Self::Acknowledged => "Acknowledged",
            Self::Accepted => "Accepted",
            Self::InService => "In service",
            Self::Completed => "Completed",
            Self::Declined => "Declined by provider",
            Self::ClientDeclined => "Declined by client",
            Self::NoResponse => "No response",
            Self::Cancelled => "Cancelled",
            Self::OnHold => "On hold",
        }
    }

    /// Still being worked on: draft, sent, acknowledged, accepted, in service or on hold.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Draft | Self::Sent | Self::Acknowledged | Self::Accepted | Self::InService | Self::OnHold
        )
    }

    /// Nothing can follow: completed, declined, client-declined, cancelled. (`no-response` is
    /// closed but not final: a referral that hears back late is reopened, with a reason.)
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Declined | Self::ClientDeclined | Self::Cancelled)
    }

    /// Moving into this state needs a written reason (only a provider's decline).
    pub fn requires_reason(self) -> bool {
        self == Self::Declined
    }

    /// A state a referral may be put on hold from, and so return to.
    fn can_be_held(self) -> bool {
        self.is_open() && self != Self::OnHold
    }
}

text_enum!(ReferralStatus, "referral status");

/// How soon the client needs the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    #[default]
    Routine,
    Soon,
    Urgent,
}

impl Urgency {
    pub const ALL: &'static [Self] = &[Self::Routine, Self::Soon, Self::Urgent];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Routine => "routine",
            Self::Soon => "soon",
            Self::Urgent => "urgent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Routine => "Routine",
            Self::Soon => "Soon",
            Self::Urgent => "Urgent",
        }
    }
}

text_enum!(Urgency, "urgency");

/// Why a referral cannot move to the state asked for.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransitionError {
    #[error("The referral is already \"{}\".", .0.label())]
    AlreadyThere(ReferralStatus),
    #[error("This referral is closed (\"{}\") and cannot be changed. Make a new referral instead.", .0.label())]
    Closed(ReferralStatus),
    #[error("A referral that is \"{}\" cannot be marked \"{}\".", .from.label(), .to.label())]
    NotAllowed { from: ReferralStatus, to: ReferralStatus },
    #[error("This referral was put on hold while \"{}\"; it can only go back to \"{}\", or be cancelled or declined by the client.", .held_from.label(), .held_from.label())]
    HoldReturn { held_from: ReferralStatus },
    #[error("It is not recorded where this referral was before it was put on hold, so it can only be cancelled or declined by the client. Make a new referral to carry on.")]
    HoldOriginUnknown,
    #[error("Write down the provider's reason for declining the referral.")]
    ReasonRequired,
    #[error("Say why the referral is reopened after no response: who answered, and when.")]
    ReopenReasonRequired,
    #[error("The client's consent to share information is needed before a referral is marked sent.")]
    ConsentRequired,
}

/// The structural rule only: is `to` reachable from `from` (given where a held referral was
/// held from)? Reason and consent are checked by [`check_transition`].
fn check_move(
    from: ReferralStatus,
    to: ReferralStatus,
    held_from: Option<ReferralStatus>,
) -> Result<(), TransitionError> {
    use ReferralStatus::*;
    if from == to {
        return Err(TransitionError::AlreadyThere(from));
    }
    if from.is_terminal() {
        return Err(TransitionError::Closed(from));
    }
    let allowed = match from {
        Draft => matches!(to, Sent | ClientDeclined | Cancelled | OnHold),
        Sent => matches!(
            to,
            Acknowledged | Accepted | Declined | ClientDeclined | NoResponse | Cancelled | OnHold
        ),
        Acknowledged => matches!(to, Accepted | Declined | ClientDeclined | NoResponse | Cancelled | OnHold),
        Accepted => matches!(to, InService | Declined | ClientDeclined | Cancelled | OnHold),
        InService => matches!(to, Completed | ClientDeclined | Cancelled | OnHold),
        // A late answer from the provider reopens it (back to sent, with a reason); what the
        // provider said is recorded next, as its own change.
        NoResponse => to == Sent,
        OnHold => {
            if matches!(to, Cancelled | ClientDeclined) {
                return Ok(());
            }
            return match held_from.filter(|h| h.can_be_held()) {
                Some(h) if h == to => Ok(()),
                Some(h) if to.is_open() => Err(TransitionError::HoldReturn { held_from: h }),
                None if to.is_open() => Err(TransitionError::HoldOriginUnknown),
                _ => Err(TransitionError::NotAllowed { from, to }),
            };
        }
        Completed | Declined | ClientDeclined | Cancelled => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(TransitionError::NotAllowed { from, to })
    }
}

/// Whether a referral may move from `from` to `to`.
///
/// * `held_from`: for a referral on hold, the state it was in before the hold (ignored
///   otherwise). A held referral may return only there; if it is unknown, only cancelled and
///   client-declined remain.
/// * `reason`: the note given with the change; required (not blank) for `declined`, and for
///   reopening a referral closed with no response.
/// * `has_consent`: whether a valid consent to share is on file; required whenever the referral
///   becomes `sent`.
///
/// An illegal move is reported before a missing consent or reason.
pub fn check_transition(
    from: ReferralStatus,
    to: ReferralStatus,
    held_from: Option<ReferralStatus>,
    reason: Option<&str>,
    has_consent: bool,
) -> Result<(), TransitionError> {
    check_move(from, to, held_from)?;
    if to == ReferralStatus::Sent && !has_consent {
        return Err(TransitionError::ConsentRequired);
    }
    let no_reason = reason.is_none_or(|r| r.trim().is_empty());
    if to.requires_reason() && no_reason {
        return Err(TransitionError::ReasonRequired);
    }
    if is_reopening(from, to) && no_reason {
        return Err(TransitionError::ReopenReasonRequired);
    }
    Ok(())
}

/// The move reopens a referral closed with no response (it heard back after all).
pub fn is_reopening(from: ReferralStatus, to: ReferralStatus) -> bool {
    from == ReferralStatus::NoResponse && to.is_open()
}

/// The states the referral may move to next, in [`ReferralStatus::ALL`] order, for menus. The
/// consent and reason a move may still need are not checked here: the UI asks for them.
pub fn allowed_next(from: ReferralStatus, held_from: Option<ReferralStatus>) -> Vec<ReferralStatus> {
    ReferralStatus::ALL.iter().copied().filter(|&to| check_move(from, to, held_from).is_ok()).collect()
}

/// The follow-up date suggested when a referral moves to `to` on `on`; the practitioner may
/// change it.
///
/// * sent, acknowledged: a week later, to chase an answer;
/// * accepted: the first appointment, if known and not before `on`; otherwise a week later;
/// * in service: a month later, to check the service is working;
/// * anything else (draft, on hold, closed): no automatic follow-up.
pub fn default_follow_up(
    to: ReferralStatus,
    on: NaiveDate,
    first_appointment: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let after = |days: u64| on.checked_add_days(Days::new(days));
    match to {
        ReferralStatus::Sent | ReferralStatus::Acknowledged => after(FOLLOW_UP_AFTER_SENT_DAYS),
        ReferralStatus::Accepted => match first_appointment {
            Some(d) if d >= on => Some(d),
            _ => after(FOLLOW_UP_AFTER_SENT_DAYS),
        },
        ReferralStatus::InService => after(FOLLOW_UP_IN_SERVICE_DAYS),
        _ => None,
    }
}

/// "today", "yesterday", "12 days ago".
fn ago(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        1 => "yesterday".to_string(),
        n => format!("{n} days ago"),
    }
}

/// "since today", "since yesterday", "for 12 days".
fn lasting(days: i64) -> String {
    match days {
        0 => "since today".to_string(),
        1 => "since yesterday".to_string(),
        n => format!("for {n} days"),
    }
}

/// How long the referral has been in `status`, entered on `since`, in words:
/// "sent 12 days ago, no answer", "accepted 3 days ago", "draft since today". A `since` after
/// `today` counts as today.
pub fn age_phrase(status: ReferralStatus, since: NaiveDate, today: NaiveDate) -> String {
    let days = (today - since).num_days().max(0);
    match status {
        ReferralStatus::Draft => format!("draft {}", lasting(days)),
        ReferralStatus::Sent if days == 0 => "sent today".to_string(),
        ReferralStatus::Sent => format!("sent {}, no answer", ago(days)),
        ReferralStatus::Acknowledged => format!("acknowledged {}, not yet accepted", ago(days)),
        ReferralStatus::Accepted => format!("accepted {}", ago(days)),
        ReferralStatus::InService => format!("in service {}", lasting(days)),
        ReferralStatus::Completed => format!("completed {}", ago(days)),
        ReferralStatus::Declined => format!("declined by the provider {}", ago(days)),
        ReferralStatus::ClientDeclined => format!("declined by the client {}", ago(days)),
        ReferralStatus::NoResponse => format!("closed with no response {}", ago(days)),
        ReferralStatus::Cancelled => format!("cancelled {}", ago(days)),
        ReferralStatus::OnHold => format!("on hold {}", lasting(days)),
    }
}

/// How a referral is made.
pub const METHODS: &[(&str, &str)] = &[
    ("", "(not recorded)"),
    ("phone", "phone"),
    ("email", "email"),
    ("online form", "online form / portal"),
    ("fax", "fax"),
    ("letter", "letter"),
    ("in person", "in person / warm handover"),
];

/// The SQL list of open states, as the store's partial index names them.
pub const OPEN_SQL: &str = "('draft', 'sent', 'acknowledged', 'accepted', 'in-service', 'on-hold')";

pub fn referral_ref(id: i64) -> String {
    crate::domain::assessment::make_ref("R", id)
}

/// What the referral form holds, as typed.
#[derive(Debug, Clone, Default)]
pub struct ReferralInput {
    /// A provider typed in when the service is not in the directory.
    pub provider: String,
    pub need: String,
    pub urgency: String,
    pub method: String,
    pub contact_name: String,
    pub info_shared: String,
    pub follow_up_on: String,
    pub notes: String,
}

/// A referral's details, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReferralDetails {
    pub provider: String,
    pub need: String,
    pub urgency: Urgency,
    pub method: String,
    pub contact_name: String,
    pub info_shared: String,
    pub follow_up_on: Option<NaiveDate>,
    pub notes: String,
}

/// Checks the details typed; `has_service` says a directory service was chosen (then the
/// provider text may be empty).
pub fn validate_referral(
    input: &ReferralInput,
    has_service: bool,
    today: NaiveDate,
) -> Result<ReferralDetails, Vec<crate::domain::client::FieldError>> {
    use crate::domain::client::FieldError;
    use crate::domain::text::{clean_line, clean_multiline};
    let mut e: Vec<FieldError> = Vec::new();
    let line = |field: &'static str, raw: &str, max: usize, e: &mut Vec<FieldError>| {
        let v = clean_line(raw);
        if v.chars().count() > max {
            e.push(FieldError { field, message: format!("Too long: at most {max} characters.") });
        }
        v
    };
    let provider = line("provider", &input.provider, 300, &mut e);
    if provider.is_empty() && !has_service {
        e.push(FieldError {
            field: "provider",
            message: "Choose a service from the directory (S-12 or part of its name), or type the provider."
                .into(),
        });
    }
    let need = line("need", &input.need, 300, &mut e);
    if need.is_empty() {
        e.push(FieldError { field: "need", message: "Say which need (or goal) the referral serves.".into() });
    }
    let urgency = match input.urgency.trim() {
        "" => Urgency::Routine,
        u => match u.parse::<Urgency>() {
            Ok(u) => u,
            Err(err) => {
                e.push(FieldError { field: "urgency", message: err.to_string() });
                Urgency::Routine
            }
        },
    };
    let typed = line("method", &input.method, 100, &mut e);
    let method = match METHODS
        .iter()
        .find(|(v, l)| v.eq_ignore_ascii_case(&typed) || l.eq_ignore_ascii_case(&typed))
    {
        Some((v, _)) => v.to_string(),
        None => {
            let known: Vec<&str> = METHODS.iter().map(|(v, _)| *v).filter(|v| !v.is_empty()).collect();
            e.push(FieldError {
                field: "method",
                message: format!(
                    "{} is not a way of making a referral. Use one of: {}.",
                    crate::domain::text::quote(&typed),
                    known.join(", ")
                ),
            });
            String::new()
        }
    };
    let contact_name = line("contact_name", &input.contact_name, 200, &mut e);
    let info_shared = line("info_shared", &input.info_shared, 1_000, &mut e);
    let follow_up_on = match clean_line(&input.follow_up_on) {
        f if f.is_empty() => None,
        f => match crate::domain::dates::parse_date(&f, today) {
            Ok(d) => Some(d),
            Err(m) => {
                e.push(FieldError { field: "follow_up_on", message: m });
                None
            }
        },
    };
    let notes = clean_multiline(&input.notes);
    if notes.chars().count() > 20_000 {
        e.push(FieldError { field: "notes", message: "Too long: at most 20,000 characters.".into() });
    }
    if e.is_empty() {
        Ok(ReferralDetails {
            provider,
            need,
            urgency,
            method,
            contact_name,
            info_shared,
            follow_up_on,
            notes,
        })
    } else {
        Err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::ReferralStatus::*;
    use super::*;
    use serde::de::value::{Error as DeError, StrDeserializer};
    use serde::de::IntoDeserializer;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Every (from, to) pair: `x` allowed, `.` refused. Columns follow `ALL`. The on-hold row
    /// is for a referral held from "sent".
    const MATRIX: &str = "
                        to: Dr Se Ak Ac IS Co De CD NR Ca OH
        draft               .  x  .  .  .  .  .  x  .  x  x
        sent                .  .  x  x  .  .  x  x  x  x  x
        acknowledged        .  .  .  x  .  .  x  x  x  x  x
        accepted            .  .  .  .  x  .  x  x  .  x  x
        in-service          .  .  .  .  .  x  .  x  .  x  x
        completed           .  .  .  .  .  .  .  .  .  .  .
        declined            .  .  .  .  .  .  .  .  .  .  .
        client-declined     .  .  .  .  .  .  .  .  .  .  .
        no-response         .  x  .  .  .  .  .  .  .  .  .
        cancelled           .  .  .  .  .  .  .  .  .  .  .
        on-hold             .  x  .  .  .  .  .  x  .  x  .
    ";

    /// The matrix as (from, allowed flags in `ALL` order), rows in `ALL` order.
    fn matrix() -> Vec<(ReferralStatus, Vec<bool>)> {
        let rows: Vec<_> = MATRIX
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("to:"))
            .map(|l| {
                let mut cells = l.split_whitespace();
                let from: ReferralStatus = cells.next().unwrap().parse().unwrap();
                let flags: Vec<bool> = cells
                    .map(|c| match c {
                        "x" => true,
                        "." => false,
                        other => panic!("bad cell {other}"),
                    })
                    .collect();
                assert_eq!(flags.len(), 11, "{from:?}");
                (from, flags)
            })
            .collect();
        let froms: Vec<_> = rows.iter().map(|r| r.0).collect();
        assert_eq!(froms, ReferralStatus::ALL, "matrix rows follow ALL");
        rows
    }

    #[test]
    fn every_pair_of_the_matrix() {
        assert_eq!(ReferralStatus::ALL.len(), 11);
        let mut checked = 0;
        for (from, flags) in matrix() {
            for (&to, allowed) in ReferralStatus::ALL.iter().zip(flags) {
                let held = Some(Sent);
                let got = check_transition(from, to, held, Some("a reason"), true);
                assert_eq!(got.is_ok(), allowed, "{from:?} -> {to:?}: {got:?}");
                assert_eq!(
                    allowed_next(from, held).contains(&to),
                    allowed,
                    "allowed_next {from:?} -> {to:?}"
                );
                // Where a referral was held from only matters while it is on hold.
                if from != OnHold {
                    for h in [None, Some(Accepted), Some(Completed)] {
                        let got = check_transition(from, to, h, Some("a reason"), true);
                        assert_eq!(got.is_ok(), allowed, "{from:?} -> {to:?} held {h:?}");
                    }
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 121);
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(check_transition(Sent, Sent, None, None, true), Err(TransitionError::AlreadyThere(Sent)));
        for s in [Completed, Declined, ClientDeclined, Cancelled] {
            assert_eq!(check_transition(s, Sent, None, None, true), Err(TransitionError::Closed(s)));
            assert!(allowed_next(s, None).is_empty());
        }
        assert_eq!(
            check_transition(Draft, Accepted, None, None, true),
            Err(TransitionError::NotAllowed { from: Draft, to: Accepted })
        );
        assert_eq!(
            TransitionError::NotAllowed { from: Draft, to: InService }.to_string(),
            "A referral that is \"Draft\" cannot be marked \"In service\"."
        );
        assert_eq!(
            TransitionError::Closed(Completed).to_string(),
            "This referral is closed (\"Completed\") and cannot be changed. Make a new referral instead."
        );
    }

    #[test]
    fn every_open_state_can_be_held_and_returned_to() {
        let holdable = [Draft, Sent, Acknowledged, Accepted, InService];
        for &h in &holdable {
            assert!(check_transition(h, OnHold, None, None, true).is_ok(), "{h:?}");
            assert!(check_transition(OnHold, h, Some(h), None, true).is_ok(), "{h:?}");
            assert_eq!(allowed_next(OnHold, Some(h)), vec![h, ClientDeclined, Cancelled], "{h:?}");
            for &other in holdable.iter().filter(|&&o| o != h) {
                assert_eq!(
                    check_transition(OnHold, other, Some(h), None, true),
                    Err(TransitionError::HoldReturn { held_from: h }),
                    "held from {h:?}, back to {other:?}"
                );
            }
            // Closed states other than the two exits stay out of reach.
            for to in [Completed, Declined, NoResponse] {
                assert_eq!(
                    check_transition(OnHold, to, Some(h), Some("r"), true),
                    Err(TransitionError::NotAllowed { from: OnHold, to })
                );
            }
        }
    }

    #[test]
    fn hold_origin_unknown_or_nonsense_leaves_only_the_exits() {
        for held in [None, Some(OnHold), Some(Completed), Some(NoResponse)] {
            assert_eq!(allowed_next(OnHold, held), vec![ClientDeclined, Cancelled]);
            assert_eq!(
                check_transition(OnHold, Sent, held, None, true),
                Err(TransitionError::HoldOriginUnknown)
            );
            assert!(check_transition(OnHold, Cancelled, held, None, false).is_ok());
            assert!(check_transition(OnHold, ClientDeclined, held, None, false).is_ok());
        }
        assert_eq!(
            check_transition(OnHold, OnHold, Some(Sent), None, true),
            Err(TransitionError::AlreadyThere(OnHold))
        );
    }

    #[test]
    fn declined_needs_a_reason() {
        for from in [Sent, Acknowledged, Accepted] {
            for reason in [None, Some(""), Some("   \n")] {
                assert_eq!(
                    check_transition(from, Declined, None, reason, true),
                    Err(TransitionError::ReasonRequired),
                    "{from:?} {reason:?}"
                );
            }
            assert!(check_transition(from, Declined, None, Some("no capacity"), true).is_ok());
        }
        assert!(Declined.requires_reason());
        // No other move needs one.
        for (from, flags) in matrix() {
            for (to, allowed) in ReferralStatus::ALL.iter().zip(flags) {
                if allowed && *to != Declined && from != NoResponse {
                    assert!(
                        check_transition(from, *to, Some(Sent), None, true).is_ok(),
                        "{from:?} -> {to:?}"
                    );
                    assert!(!to.requires_reason());
                }
            }
        }
        assert_eq!(
            TransitionError::ReasonRequired.to_string(),
            "Write down the provider's reason for declining the referral."
        );
    }

    #[test]
    fn sending_needs_consent() {
        let err = check_transition(Draft, Sent, None, None, false).unwrap_err();
        assert_eq!(err, TransitionError::ConsentRequired);
        assert_eq!(
            err.to_string(),
            "The client's consent to share information is needed before a referral is marked sent."
        );
        // Returning to "sent" from a hold shares again, so consent is checked again.
        assert_eq!(
            check_transition(OnHold, Sent, Some(Sent), None, false),
            Err(TransitionError::ConsentRequired)
        );
        assert!(check_transition(Draft, Sent, None, None, true).is_ok());
        // Other moves do not need it.
        for (from, to) in
            [(Draft, Cancelled), (Sent, Acknowledged), (Acknowledged, NoResponse), (Accepted, InService)]
        {
            assert!(check_transition(from, to, None, None, false).is_ok());
        }
        // An illegal move is reported as such, not as a missing consent.
        assert_eq!(
            check_transition(Completed, Sent, None, None, false),
            Err(TransitionError::Closed(Completed))
        );
        // Menus offer "sent" anyway: the UI asks for consent when it is chosen.
        assert!(allowed_next(Draft, None).contains(&Sent));
    }

    /// A referral closed as "no response" that hears back is reopened with a reason, its own
    /// recorded change, before what the provider said (issue 17 point 10).
    #[test]
    fn late_answer_after_no_response_reopens_with_a_reason() {
        assert!(!NoResponse.is_open());
        assert!(!NoResponse.is_terminal());
        assert_eq!(allowed_next(NoResponse, None), vec![Sent]);
        for to in [Acknowledged, Accepted, Declined] {
            assert_eq!(
                check_transition(NoResponse, to, None, Some("they called"), true),
                Err(TransitionError::NotAllowed { from: NoResponse, to }),
                "no jump straight to {to:?}"
            );
        }
        for reason in [None, Some(""), Some("  ")] {
            assert_eq!(
                check_transition(NoResponse, Sent, None, reason, true),
                Err(TransitionError::ReopenReasonRequired)
            );
        }
        assert!(
            check_transition(NoResponse, Sent, None, Some("The intake worker rang on Monday."), true).is_ok()
        );
        // sharing again needs the consent still in force
        assert_eq!(
            check_transition(NoResponse, Sent, None, Some("rang back"), false),
            Err(TransitionError::ConsentRequired)
        );
        assert!(is_reopening(NoResponse, Sent) && !is_reopening(Draft, Sent));
    }

    #[test]
    fn open_and_terminal() {
        let open: Vec<_> = ReferralStatus::ALL.iter().copied().filter(|s| s.is_open()).collect();
        assert_eq!(open, vec![Draft, Sent, Acknowledged, Accepted, InService, OnHold]);
        for s in ReferralStatus::ALL {
            assert_eq!(s.is_terminal(), allowed_next(*s, Some(Sent)).is_empty());
            assert!(!(s.is_open() && s.is_terminal()));
        }
    }

    #[test]
    fn status_text_round_trips() {
        let strs: Vec<_> = ReferralStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            strs,
            vec![
                "draft",
                "sent",
                "acknowledged",
                "accepted",
                "in-service",
                "completed",
                "declined",
                "client-declined",
                "no-response",
                "cancelled",
                "on-hold"
            ]
        );
        for s in ReferralStatus::ALL {
            assert_eq!(s.as_str().parse::<ReferralStatus>(), Ok(*s));
            assert_eq!(s.label().parse::<ReferralStatus>(), Ok(*s));
            assert_eq!(s.as_str().to_uppercase().parse::<ReferralStatus>(), Ok(*s));
            assert_eq!(s.as_str().replace('-', "_").parse::<ReferralStatus>(), Ok(*s));
            assert_eq!(s.to_string(), s.label());
            let de: StrDeserializer<DeError> = s.as_str().into_deserializer();
            assert_eq!(ReferralStatus::deserialize(de), Ok(*s));
        }
        assert_eq!(" In Service ".parse(), Ok(InService));
        assert_eq!("client  declined".parse(), Ok(ClientDeclined));
        assert_eq!("No_Response".parse(), Ok(NoResponse));
        let err = "lost".parse::<ReferralStatus>().unwrap_err();
        assert_eq!(err.input, "lost");
        assert!(err
            .to_string()
            .starts_with("\"lost\" is not a known referral status. Use one of: draft, sent, acknowledged"));
        assert!("".parse::<ReferralStatus>().is_err());
        assert_eq!(ReferralStatus::default(), Draft);
    }

    #[test]
    fn urgency_text_round_trips() {
        assert_eq!(Urgency::ALL, &[Urgency::Routine, Urgency::Soon, Urgency::Urgent]);
        for u in Urgency::ALL {
            assert_eq!(u.as_str().parse::<Urgency>(), Ok(*u));
            assert_eq!(u.label().to_uppercase().parse::<Urgency>(), Ok(*u));
            let de: StrDeserializer<DeError> = u.as_str().into_deserializer();
            assert_eq!(Urgency::deserialize(de), Ok(*u));
        }
        assert_eq!(Urgency::Urgent.as_str(), "urgent");
        assert_eq!(Urgency::Soon.label(), "Soon");
        assert_eq!(Urgency::default(), Urgency::Routine);
        assert!("asap".parse::<Urgency>().is_err());
    }

    #[test]
    fn follow_up_dates() {
        let on = d("2026-03-10");
        assert_eq!(default_follow_up(Sent, on, None), Some(d("2026-03-17")));
        assert_eq!(default_follow_up(Sent, on, Some(d("2026-03-12"))), Some(d("2026-03-17")));
        assert_eq!(default_follow_up(Acknowledged, on, None), Some(d("2026-03-17")));
        assert_eq!(default_follow_up(Accepted, on, Some(d("2026-04-02"))), Some(d("2026-04-02")));
        assert_eq!(default_follow_up(Accepted, on, Some(on)), Some(on));
        assert_eq!(default_follow_up(Accepted, on, None), Some(d("2026-03-17")));
        // An appointment already in the past is no use as a follow-up date.
        assert_eq!(default_follow_up(Accepted, on, Some(d("2026-03-01"))), Some(d("2026-03-17")));
        assert_eq!(default_follow_up(InService, on, None), Some(d("2026-04-09")));
        for s in [Draft, Completed, Declined, ClientDeclined, NoResponse, Cancelled, OnHold] {
            assert_eq!(default_follow_up(s, on, Some(d("2026-04-02"))), None, "{s:?}");
        }
        // Across a month and a year end.
        assert_eq!(default_follow_up(Sent, d("2026-12-28"), None), Some(d("2027-01-04")));
        assert_eq!(default_follow_up(Sent, NaiveDate::MAX, None), None);
    }

    #[test]
    fn ageing_in_words() {
        let today = d("2026-03-20");
        let ago = |n: u64| today.checked_sub_days(Days::new(n)).unwrap();
        assert_eq!(age_phrase(Sent, ago(12), today), "sent 12 days ago, no answer");
        assert_eq!(age_phrase(Sent, ago(1), today), "sent yesterday, no answer");
        assert_eq!(age_phrase(Sent, today, today), "sent today");
        assert_eq!(age_phrase(Accepted, ago(3), today), "accepted 3 days ago");
        assert_eq!(age_phrase(Draft, today, today), "draft since today");
        assert_eq!(age_phrase(Draft, ago(1), today), "draft since yesterday");
        assert_eq!(age_phrase(Draft, ago(4), today), "draft for 4 days");
        assert_eq!(age_phrase(Acknowledged, ago(2), today), "acknowledged 2 days ago, not yet accepted");
        assert_eq!(age_phrase(InService, ago(30), today), "in service for 30 days");
        assert_eq!(age_phrase(OnHold, today, today), "on hold since today");
        assert_eq!(age_phrase(Completed, ago(5), today), "completed 5 days ago");
        assert_eq!(age_phrase(Declined, ago(5), today), "declined by the provider 5 days ago");
        assert_eq!(age_phrase(ClientDeclined, ago(1), today), "declined by the client yesterday");
        assert_eq!(age_phrase(NoResponse, ago(9), today), "closed with no response 9 days ago");
        assert_eq!(age_phrase(Cancelled, today, today), "cancelled today");
        // A date in the future (clock trouble, typing) reads as today.
        assert_eq!(age_phrase(Sent, d("2026-03-25"), today), "sent today");
    }

    #[test]
    fn a_referral_needs_a_provider_and_a_need() {
        let today = d("2026-11-23");
        let e = validate_referral(&ReferralInput::default(), false, today).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["provider", "need"]);
        let ok = validate_referral(
            &ReferralInput {
                need: "food".into(),
                urgency: "Urgent".into(),
                follow_up_on: "+1w".into(),
                ..Default::default()
            },
            true,
            today,
        )
        .unwrap();
        assert_eq!(ok.urgency, Urgency::Urgent);
        assert_eq!(ok.follow_up_on, Some(d("2026-11-30")));
        let e = validate_referral(
            &ReferralInput {
                provider: "x".into(),
                need: "y".into(),
                urgency: "whenever".into(),
                ..Default::default()
            },
            false,
            today,
        )
        .unwrap_err();
        assert_eq!(e[0].field, "urgency");
    }
}
