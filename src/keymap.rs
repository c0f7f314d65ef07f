//! Every key binding in one table. Key handling, the footer and the `?` help overlay are all
//! read from here, so what the help says is what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    GoClients,
    GoSettings,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    New,
    Edit,
    Filter,
    Sort,
    ToggleClosed,
    Drafts,
    GoToday,
    QuickNote,
    Find,
    GoTime,
    WriteNote,
    OpenNotes,
    OpenTimeline,
    Sign,
    Addendum,
    MoveNote,
    MarkError,
    FollowUpDone,
    /// Snooze a Today item to a day, with a reason.
    Snooze,
    CycleFilter,
    PrevPeriod,
    NextPeriod,
    // assessment phase
    OpenAssessments,
    OpenScreeners,
    OpenPeople,
    OpenFlags,
    Reassess,
    Administer,
    SwitchView,
    Answer,
    Decline,
    AnswerBack,
    Acknowledge,
    Review,
    Lower,
    Remove,
    Genogram,
    ScrollLeft,
    ScrollRight,
    // coordination
    OpenCoordination,
    Ecomap,
    NextTab,
    PrevTab,
    Withdraw,
    Lapse,
    Done,
    AddAction,
    CloseItem,
    GoDirectory,
    Import,
    /// Refer a client to the service on screen.
    Refer,
    /// Plan a contact (a home visit, call, court date) for the client.
    PlanVisit,
    // referrals
    OpenReferrals,
    GoBoard,
    NextStatus,
    AddAppointment,
    EditAppointment,
    // the case plan
    OpenPlan,
    AddStep,
    StepDone,
    StepUp,
    StepDown,
    RecordProgress,
    ChangeStatus,
    SetAchievement,
    Evaluate,
    OpenEvaluations,
    // closing, reopening, the whole file
    CloseCase,
    Reopen,
    ExportFile,
    OpenRetention,
    PrevStep,
    Destroy,
    // forms
    Save,
    NextField,
    PrevField,
    Cancel,
    Undo,
    Redo,
    ChoiceNext,
    ChoicePrev,
    NextSection,
    PrevSection,
    GoToField,
    /// Enter in a form: the next field (a new line in a text box).
    Enter,
    LineStart,
    LineEnd,
    WordLeft,
    WordRight,
    DeleteBack,
    DeleteForward,
    DeleteWordBack,
    DeleteWordForward,
    DeleteToStart,
    DeleteToEnd,
    /// Set the name signatures carry (a small prompt that writes Settings).
    SetName,
    // modals
    KeepDraft,
    Yes,
    No,
    SaveAnyway,
    Discard,
}

/// Where a binding applies. A screen looks keys up in its own context, then in `Global`
/// (unless a text field has focus, where every printable key is text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    /// Moving through any list.
    Nav,
    List,
    Today,
    Notes,
    Note,
    Timeline,
    Search,
    Picker,
    /// Choosing a directory service for a referral (live search).
    ServicePicker,
    /// Asked before an inactive service is chosen.
    InactiveService,
    Time,
    ClientFile,
    Directory,
    Service,
    Import,
    Plan,
    Goal,
    Evaluation,
    Form,
    /// The closing steps (checklist, details, summary).
    CloseCase,
    /// A closure and its summary.
    Closure,
    /// Closed files past their retention date.
    Retention,
    Confirm,
    Duplicates,
    Drafts,
    Assessments,
    AssessmentView,
    Screeners,
    Administer,
    Screening,
    Flags,
    People,
    Coordination,
    ConferenceView,
    AdvocacyView,
    ReportView,
    Referrals,
    ReferralView,
    Help,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Anywhere (outside a text field)",
            Context::Nav => "Moving around",
            Context::List => "Client list",
            Context::Today => "Today",
            Context::Notes => "Notes",
            Context::Note => "A note",
            Context::Timeline => "Timeline",
            Context::Search => "Search",
            Context::Picker => "Choose a client",
            Context::ServicePicker => "Choose a directory service",
            Context::InactiveService => "An inactive service",
            Context::Time => "Time report",
            Context::ClientFile => "Client file",
            Context::Directory => "Resource directory",
            Context::Service => "A directory service",
            Context::Import => "Directory import",
            Context::Plan => "Case plan",
            Context::Goal => "A goal",
            Context::Evaluation => "Evaluations",
            Context::Form => "Forms",
            Context::CloseCase => "Closing a case",
            Context::Closure => "A closure",
            Context::Retention => "Files past their retention date",
            Context::Confirm => "Questions",
            Context::Duplicates => "Possible duplicate",
            Context::Drafts => "Unsaved drafts",
            Context::Assessments => "Assessments",
            Context::AssessmentView => "An assessment",
            Context::Screeners => "Screeners",
            Context::Administer => "Giving a screener",
            Context::Screening => "A screener result",
            Context::Flags => "Safety flags and alerts",
            Context::People => "People and family",
            Context::Coordination => "Coordination and advocacy",
            Context::ConferenceView => "A case conference",
            Context::AdvocacyView => "An advocacy item",
            Context::ReportView => "A mandated report",
            Context::Referrals => "Referrals (a client's, or the board)",
            Context::ReferralView => "A referral",
            Context::Help => "Help",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::NONE }
}
const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
}
const fn code(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::NONE }
}
const fn shift(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::SHIFT }
}
const fn alt(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::ALT }
}
const fn with(code: KeyCode, mods: KeyModifiers) -> Key {
    Key { code, mods }
}

pub struct Binding {
    pub action: Action,
    pub context: Context,
    pub keys: &'static [Key],
    /// How the keys are written in the footer and help ("j/↓").
    pub label: &'static str,
    pub description: &'static str,
}

impl Binding {
    /// The footer's short form of the description: up to the first "(" or ":".
    pub fn hint(&self) -> &'static str {
        let d = self.description;
        let end = d.find([':', '(']).unwrap_or(d.len());
        d[..end].trim_end()
    }
}

const fn b(
    action: Action,
    context: Context,
    keys: &'static [Key],
    label: &'static str,
    description: &'static str,
) -> Binding {
    Binding { action, context, keys, label, description }
}

use Action as A;
use Context as C;

const DIGITS: &[Key] = &[k('0'), k('1'), k('2'), k('3'), k('4'), k('5'), k('6'), k('7'), k('8'), k('9')];

pub const KEYMAP: &[Binding] = &[
    b(A::Help, C::Global, &[k('?'), code(KeyCode::F(1))], "?", "help"),
    b(A::GoClients, C::Global, &[k('c')], "c", "client list"),
    b(A::GoSettings, C::Global, &[k(',')], ",", "settings"),
    b(A::Drafts, C::Global, &[k('D')], "D", "unsaved drafts"),
    b(A::Quit, C::Global, &[k('q'), ctrl('c')], "q", "quit"),
    b(A::GoToday, C::Global, &[k('t')], "t", "today (what needs you now)"),
    b(A::QuickNote, C::Global, &[k('W')], "W", "quick note (for this or a chosen client)"),
    b(A::Find, C::Global, &[k('f')], "f", "search the record (notes, plans, referrals, people...)"),
    b(A::GoTime, C::Global, &[k('M')], "M", "minutes per client (time report)"),
    b(A::GoDirectory, C::Global, &[k('R')], "R", "resources (the service directory)"),
    b(A::GoBoard, C::Global, &[k('B')], "B", "board (every open referral)"),
    b(A::Up, C::Nav, &[k('k'), code(KeyCode::Up)], "k/↑", "move up"),
    b(A::Down, C::Nav, &[k('j'), code(KeyCode::Down)], "j/↓", "move down"),
    b(A::PageUp, C::Nav, &[code(KeyCode::PageUp), ctrl('u')], "PgUp", "page up"),
    b(A::PageDown, C::Nav, &[code(KeyCode::PageDown), ctrl('d')], "PgDn", "page down"),
    b(A::Top, C::Nav, &[k('g'), code(KeyCode::Home)], "g", "first"),
    b(A::Bottom, C::Nav, &[k('G'), code(KeyCode::End)], "G", "last"),
    b(A::Open, C::Nav, &[code(KeyCode::Enter)], "Enter", "open"),
    b(A::New, C::List, &[k('n')], "n", "new (intake)"),
    b(A::Filter, C::List, &[k('/')], "/", "filter (by name as you type)"),
    b(A::Sort, C::List, &[k('s')], "s", "sort (name, last contact)"),
    b(A::ToggleClosed, C::List, &[k('a')], "a", "closed too (show closed cases)"),
    b(A::Back, C::List, &[code(KeyCode::Esc)], "Esc", "clear filter"),
    b(A::Open, C::Today, &[code(KeyCode::Enter)], "Enter", "open (an item; a backlog group opens in place)"),
    b(A::FollowUpDone, C::Today, &[k('x')], "x", "done (a follow-up or an action item)"),
    b(A::Snooze, C::Today, &[k('z')], "z", "snooze (until a day, with a reason)"),
    b(A::Filter, C::Today, &[k('/')], "/", "filter (client name, reference or words in the item)"),
    b(A::CycleFilter, C::Today, &[k('v')], "v", "view (one kind of item at a time, then all)"),
    b(A::Back, C::Today, &[code(KeyCode::Esc)], "Esc", "clear the filter and the view"),
    b(A::SetName, C::Today, &[k('N')], "N", "your name (the name signatures carry)"),
    b(A::WriteNote, C::Notes, &[k('w')], "w", "write (a new note)"),
    b(A::Filter, C::Notes, &[k('/')], "/", "search (this client's notes)"),
    b(A::Back, C::Notes, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Sign, C::Note, &[k('s')], "s", "sign (and lock the note)"),
    b(A::Addendum, C::Note, &[k('a')], "a", "addendum (a dated correction)"),
    b(A::Edit, C::Note, &[k('e')], "e", "edit (unsigned notes only)"),
    b(A::MoveNote, C::Note, &[k('m')], "m", "move (an unsigned note to another client)"),
    b(A::MarkError, C::Note, &[k('E')], "E", "entered in error (with a reason)"),
    b(A::FollowUpDone, C::Note, &[k('x')], "x", "follow-up done"),
    b(A::Up, C::Note, &[k('k'), code(KeyCode::Up)], "k/↑", "scroll up"),
    b(A::Down, C::Note, &[k('j'), code(KeyCode::Down)], "j/↓", "scroll down"),
    b(A::Back, C::Note, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::CycleFilter, C::Timeline, &[k('v')], "v", "view (everything, notes, case events)"),
    b(A::Back, C::Timeline, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Back, C::Search, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Open, C::Search, &[code(KeyCode::Enter)], "Enter", "open (the note found)"),
    b(A::Up, C::Search, &[code(KeyCode::Up)], "↑", "previous result"),
    b(A::Down, C::Search, &[code(KeyCode::Down)], "↓", "next result"),
    b(A::Open, C::Picker, &[code(KeyCode::Enter)], "Enter", "choose (this client)"),
    b(A::Up, C::Picker, &[code(KeyCode::Up)], "↑", "previous"),
    b(A::Down, C::Picker, &[code(KeyCode::Down)], "↓", "next"),
    b(A::Back, C::Picker, &[code(KeyCode::Esc)], "Esc", "cancel"),
    b(A::Open, C::ServicePicker, &[code(KeyCode::Enter)], "Enter", "choose (this service)"),
    b(A::Up, C::ServicePicker, &[code(KeyCode::Up)], "↑", "previous"),
    b(A::Down, C::ServicePicker, &[code(KeyCode::Down)], "↓", "next"),
    b(A::Back, C::ServicePicker, &[code(KeyCode::Esc)], "Esc", "cancel (the field stays as it was)"),
    b(A::Yes, C::InactiveService, &[k('y'), k('Y')], "y", "yes (refer to it anyway)"),
    b(A::No, C::InactiveService, &[k('n'), k('N'), code(KeyCode::Esc)], "n", "no (choose another)"),
    b(A::PrevPeriod, C::Time, &[code(KeyCode::Left), k('h')], "←", "previous month"),
    b(A::NextPeriod, C::Time, &[code(KeyCode::Right), k('l')], "→", "next month"),
    b(A::Back, C::Time, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Edit, C::ClientFile, &[k('e')], "e", "edit intake"),
    b(A::WriteNote, C::ClientFile, &[k('w')], "w", "write a note"),
    b(A::OpenNotes, C::ClientFile, &[k('o')], "o", "notes (all of this client's notes)"),
    b(A::OpenTimeline, C::ClientFile, &[k('h')], "h", "history (the timeline)"),
    b(A::OpenAssessments, C::ClientFile, &[k('a')], "a", "assessments (needs, risk, ratings)"),
    b(A::OpenScreeners, C::ClientFile, &[k('s')], "s", "screeners (PHQ-9, GAD-7, social needs)"),
    b(A::OpenPeople, C::ClientFile, &[k('p')], "p", "people (household, family, genogram)"),
    b(A::OpenFlags, C::ClientFile, &[k('!')], "!", "safety (flags and alerts)"),
    b(A::OpenReferrals, C::ClientFile, &[k('r')], "r", "referrals (to services, tracked to the end)"),
    b(A::PlanVisit, C::ClientFile, &[k('v')], "v", "plan a contact (home visit, call, court date)"),
    b(
        A::OpenCoordination,
        C::ClientFile,
        &[k('C')],
        "C",
        "coordination (consents, conferences, transitions, advocacy, reports)",
    ),
    b(A::Up, C::ClientFile, &[k('k'), code(KeyCode::Up)], "k/↑", "scroll up"),
    b(A::Down, C::ClientFile, &[k('j'), code(KeyCode::Down)], "j/↓", "scroll down"),
    b(A::Back, C::ClientFile, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::New, C::Assessments, &[k('n')], "n", "new (a blank assessment)"),
    b(A::Reassess, C::Assessments, &[k('r')], "r", "reassess (start from the latest)"),
    b(A::Back, C::Assessments, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Edit, C::AssessmentView, &[k('e')], "e", "edit (fill in or correct)"),
    b(A::Reassess, C::AssessmentView, &[k('r')], "r", "reassess (start from this one)"),
    b(A::Up, C::AssessmentView, &[k('k'), code(KeyCode::Up)], "k/↑", "scroll up"),
    b(A::Down, C::AssessmentView, &[k('j'), code(KeyCode::Down)], "j/↓", "scroll down"),
    b(A::Back, C::AssessmentView, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Administer, C::Screeners, &[k('n')], "n", "new (give a screener)"),
    b(A::SwitchView, C::Screeners, &[k('v')], "v", "view (next instrument's trend)"),
    b(A::Back, C::Screeners, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Answer, C::Administer, DIGITS, "0-9", "answer (the number shown by the option)"),
    b(A::Decline, C::Administer, &[k('-')], "-", "declined (asked, not answered)"),
    b(
        A::AnswerBack,
        C::Administer,
        &[code(KeyCode::Backspace), code(KeyCode::Left)],
        "Backspace",
        "back (previous item)",
    ),
    b(
        A::NextField,
        C::Administer,
        &[code(KeyCode::Enter), code(KeyCode::Right)],
        "Enter",
        "next (confirm a choice, skip ahead)",
    ),
    b(A::Edit, C::Administer, &[k('d')], "d", "date (when it was given)"),
    b(A::Save, C::Administer, &[ctrl('s')], "Ctrl-S", "save (the result)"),
    b(A::Cancel, C::Administer, &[code(KeyCode::Esc)], "Esc", "cancel"),
    b(A::Acknowledge, C::Screening, &[k('a')], "a", "acknowledge (the safety alert, with a note)"),
    b(A::MarkError, C::Screening, &[k('E')], "E", "entered in error (with a reason)"),
    b(A::Up, C::Screening, &[k('k'), code(KeyCode::Up)], "k/↑", "scroll up"),
    b(A::Down, C::Screening, &[k('j'), code(KeyCode::Down)], "j/↓", "scroll down"),
    b(A::Back, C::Screening, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Review, C::Flags, &[k('r')], "r", "review (a flag: still needed, level)"),
    b(A::Lower, C::Flags, &[k('l')], "l", "lower (a flag, with a reason)"),
    b(A::Acknowledge, C::Flags, &[k('a')], "a", "acknowledge (an alert, with a note)"),
    b(A::Back, C::Flags, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::New, C::People, &[k('n')], "n", "add (a person)"),
    b(A::Edit, C::People, &[k('e')], "e", "edit (details and family links)"),
    b(A::Remove, C::People, &[k('d')], "d", "remove (recorded by mistake)"),
    b(A::Genogram, C::People, &[k('g')], "g", "genogram (list ↔ family tree)"),
    b(A::ScrollLeft, C::People, &[code(KeyCode::Left), k('h')], "←", "scroll left (the genogram)"),
    b(A::ScrollRight, C::People, &[code(KeyCode::Right), k('l')], "→", "scroll right (the genogram)"),
    b(A::Ecomap, C::People, &[k('m')], "m", "ecomap (list ↔ the client's ties)"),
    b(A::Yes, C::People, &[k('y')], "y", "yes (confirm removing)"),
    b(A::Back, C::People, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::NextTab, C::Coordination, &[code(KeyCode::Right), code(KeyCode::Tab), k('l')], "→/Tab", "next tab"),
    b(
        A::PrevTab,
        C::Coordination,
        &[code(KeyCode::Left), code(KeyCode::BackTab), k('h')],
        "←",
        "previous tab",
    ),
    b(
        A::Answer,
        C::Coordination,
        DIGITS,
        "1-5",
        "tab (consents, conferences, transitions, advocacy, reports)",
    ),
    b(A::New, C::Coordination, &[k('n')], "n", "new (in this tab)"),
    b(A::Withdraw, C::Coordination, &[k('w')], "w", "withdrawn (the client withdrew a consent)"),
    b(A::Lapse, C::Coordination, &[k('x')], "x", "not renewed (an expired consent leaves Today)"),
    b(A::Done, C::Coordination, &[k('d')], "d", "done (a transition's follow-up)"),
    b(A::Back, C::Coordination, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Done, C::ConferenceView, &[k('x')], "x", "done (the selected action item)"),
    b(A::Edit, C::ConferenceView, &[k('e')], "e", "edit (the record; add action items)"),
    b(A::Up, C::ConferenceView, &[k('k'), code(KeyCode::Up)], "k/↑", "previous action item"),
    b(A::Down, C::ConferenceView, &[k('j'), code(KeyCode::Down)], "j/↓", "next action item"),
    b(A::Back, C::ConferenceView, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::AddAction, C::AdvocacyView, &[k('a')], "a", "action (record one taken)"),
    b(A::CloseItem, C::AdvocacyView, &[k('c')], "c", "close (with the outcome)"),
    b(A::Back, C::AdvocacyView, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Addendum, C::ReportView, &[k('a')], "a", "addendum (the report itself is locked)"),
    b(A::Up, C::ReportView, &[k('k'), code(KeyCode::Up)], "k/↑", "scroll up"),
    b(A::Down, C::ReportView, &[k('j'), code(KeyCode::Down)], "j/↓", "scroll down"),
    b(A::Back, C::ReportView, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Filter, C::Directory, &[k('/')], "/", "search (name, need, language, town as you type)"),
    b(A::New, C::Directory, &[k('n')], "n", "new (add a service by hand)"),
    b(A::Edit, C::Directory, &[k('e')], "e", "edit (the selected service)"),
    b(A::Import, C::Directory, &[k('i')], "i", "import (an HSDS file or folder)"),
    b(
        A::CycleFilter,
        C::Directory,
        &[k('v')],
        "v",
        "view (all services, or only active ones verified in the last year)",
    ),
    b(A::Back, C::Directory, &[code(KeyCode::Esc)], "Esc", "back (or clear the search)"),
    b(A::Edit, C::Service, &[k('e')], "e", "edit (this service)"),
    b(A::Refer, C::Service, &[k('r')], "r", "refer (a client to this service)"),
    b(A::Up, C::Service, &[k('k'), code(KeyCode::Up)], "k/↑", "scroll up"),
    b(A::Down, C::Service, &[k('j'), code(KeyCode::Down)], "j/↓", "scroll down"),
    b(A::Back, C::Service, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Up, C::Import, &[k('k'), code(KeyCode::Up)], "k/↑", "scroll up"),
    b(A::Down, C::Import, &[k('j'), code(KeyCode::Down)], "j/↓", "scroll down"),
    b(A::Back, C::Import, &[code(KeyCode::Esc)], "Esc", "close (once the import has finished)"),
    b(A::OpenPlan, C::ClientFile, &[k('g')], "g", "plan (goals, steps, reviews, evaluations)"),
    b(A::New, C::Plan, &[k('n')], "n", "new goal"),
    b(A::Open, C::Plan, &[code(KeyCode::Enter)], "Enter", "open (the goal)"),
    b(A::Review, C::Plan, &[k('r')], "r", "review (record a plan review, set the next date)"),
    b(A::Evaluate, C::Plan, &[k('v')], "v", "evaluate (outcomes, screener change, feedback)"),
    b(A::OpenEvaluations, C::Plan, &[k('V')], "V", "evaluations (past summaries)"),
    b(A::ToggleClosed, C::Plan, &[k('a')], "a", "all goals (closed ones too)"),
    b(A::Back, C::Plan, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Up, C::Goal, &[k('k'), code(KeyCode::Up)], "k/↑", "previous step"),
    b(A::Down, C::Goal, &[k('j'), code(KeyCode::Down)], "j/↓", "next step"),
    b(A::AddStep, C::Goal, &[k('a')], "a", "add step"),
    b(A::Open, C::Goal, &[code(KeyCode::Enter)], "Enter", "edit step (the selected one)"),
    b(A::StepDone, C::Goal, &[k('x'), k(' ')], "x/Space", "done (tick the step done, or not)"),
    b(A::StepUp, C::Goal, &[k('K'), shift(KeyCode::Up)], "K", "step up (move it up the list)"),
    b(A::StepDown, C::Goal, &[k('J'), shift(KeyCode::Down)], "J", "step down (move it down the list)"),
    b(A::RecordProgress, C::Goal, &[k('p')], "p", "progress (record a measured value)"),
    b(A::ChangeStatus, C::Goal, &[k('s')], "s", "status (only the allowed changes are offered)"),
    b(A::SetAchievement, C::Goal, &[k('A')], "A", "achievement (how the goal is going)"),
    b(A::Edit, C::Goal, &[k('e')], "e", "edit goal"),
    b(A::PageUp, C::Goal, &[code(KeyCode::PageUp), ctrl('u')], "PgUp", "scroll up"),
    b(A::PageDown, C::Goal, &[code(KeyCode::PageDown), ctrl('d')], "PgDn", "scroll down"),
    b(A::Back, C::Goal, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::PrevPeriod, C::Evaluation, &[code(KeyCode::Left), k('h')], "←", "older evaluation"),
    b(A::NextPeriod, C::Evaluation, &[code(KeyCode::Right), k('l')], "→", "newer evaluation"),
    b(A::Up, C::Evaluation, &[k('k'), code(KeyCode::Up)], "k/↑", "scroll up"),
    b(A::Down, C::Evaluation, &[k('j'), code(KeyCode::Down)], "j/↓", "scroll down"),
    b(A::Back, C::Evaluation, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::New, C::Referrals, &[k('n')], "n", "new referral"),
    b(A::NextStatus, C::Referrals, &[k('s')], "s", "status (record what happened next)"),
    b(A::Filter, C::Referrals, &[k('/')], "/", "filter (client, provider, need, status)"),
    b(A::CycleFilter, C::Referrals, &[k('v')], "v", "view (one status at a time)"),
    b(A::Back, C::Referrals, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::NextStatus, C::ReferralView, &[k('s')], "s", "status (record what happened next)"),
    b(A::AddAppointment, C::ReferralView, &[k('a')], "a", "appointment (arranged for the client)"),
    b(A::Edit, C::ReferralView, &[k('e')], "e", "edit (details, follow-up date)"),
    b(
        A::NextTab,
        C::ReferralView,
        &[code(KeyCode::Tab)],
        "Tab",
        "next appointment (the one to change or remove)",
    ),
    b(A::EditAppointment, C::ReferralView, &[k('m')], "m", "move or change (the selected appointment)"),
    b(A::Remove, C::ReferralView, &[k('d')], "d", "remove (the selected appointment; asks first)"),
    b(A::Yes, C::ReferralView, &[k('y')], "y", "yes (confirm removing)"),
    b(A::Up, C::ReferralView, &[k('k'), code(KeyCode::Up)], "k/↑", "scroll up"),
    b(A::Down, C::ReferralView, &[k('j'), code(KeyCode::Down)], "j/↓", "scroll down"),
    b(A::Back, C::ReferralView, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::CloseCase, C::ClientFile, &[k('x')], "x", "close the case (what is open, reason, summary)"),
    b(A::Reopen, C::ClientFile, &[k('O')], "O", "reopen (undo today's closure, or a new episode)"),
    b(A::ExportFile, C::ClientFile, &[k('E')], "E", "export (the whole file, Markdown or JSON)"),
    b(A::OpenRetention, C::List, &[k('r')], "r", "retention (closed files past their date)"),
    b(A::Save, C::CloseCase, &[ctrl('s')], "Ctrl-S", "next step (at the end: sign and close)"),
    b(A::PrevStep, C::CloseCase, &[ctrl('b')], "Ctrl-B", "back a step"),
    b(A::FollowUpDone, C::Closure, &[k('x')], "x", "follow-up done (the post-closure check)"),
    b(A::Up, C::Closure, &[k('k'), code(KeyCode::Up)], "k/↑", "scroll up"),
    b(A::Down, C::Closure, &[k('j'), code(KeyCode::Down)], "j/↓", "scroll down"),
    b(A::Back, C::Closure, &[code(KeyCode::Esc)], "Esc", "back"),
    b(A::Destroy, C::Retention, &[k('d')], "d", "destroy (the file, after typing its reference)"),
    b(A::Open, C::Retention, &[code(KeyCode::Enter)], "Enter", "open (the client's file)"),
    b(A::Back, C::Retention, &[code(KeyCode::Esc)], "Esc", "back"),
    // Forms. One editing model for one-line fields and text boxes alike: the same keys move
    // and delete the same way in both (a one-line field has only one line).
    b(A::Save, C::Form, &[ctrl('s')], "Ctrl-S", "save"),
    b(A::NextField, C::Form, &[code(KeyCode::Tab)], "Tab", "next (next field)"),
    // crossterm reports Shift-Tab as BackTab, with Shift on most terminals
    b(
        A::PrevField,
        C::Form,
        &[code(KeyCode::BackTab), shift(KeyCode::BackTab)],
        "Shift-Tab",
        "back a field (previous field)",
    ),
    b(A::Down, C::Form, &[code(KeyCode::Down)], "↓", "next field (in a text box: the line below)"),
    b(A::Up, C::Form, &[code(KeyCode::Up)], "↑", "previous field (in a text box: the line above)"),
    b(
        A::Enter,
        C::Form,
        &[code(KeyCode::Enter)],
        "Enter",
        "next field (in a text box: a new line; on a directory service: choose one)",
    ),
    b(A::GoToField, C::Form, &[ctrl('g')], "Ctrl-G", "go to a field or section (type part of its name)"),
    b(A::NextSection, C::Form, &[ctrl('n')], "Ctrl-N", "next section (of a long form)"),
    b(A::PrevSection, C::Form, &[ctrl('p')], "Ctrl-P", "previous section"),
    b(A::ChoicePrev, C::Form, &[code(KeyCode::Left)], "←", "previous choice (in text: the cursor left)"),
    b(
        A::ChoiceNext,
        C::Form,
        &[code(KeyCode::Right), k(' ')],
        "→/Space",
        "next choice (in text: the cursor right, a space)",
    ),
    b(A::LineStart, C::Form, &[code(KeyCode::Home), ctrl('a')], "Home/Ctrl-A", "start of the line"),
    b(A::LineEnd, C::Form, &[code(KeyCode::End), ctrl('e')], "End/Ctrl-E", "end of the line"),
    b(
        A::WordLeft,
        C::Form,
        &[with(KeyCode::Left, KeyModifiers::CONTROL), with(KeyCode::Left, KeyModifiers::ALT), alt('b')],
        "Ctrl-←/Alt-B",
        "a word left",
    ),
    b(
        A::WordRight,
        C::Form,
        &[with(KeyCode::Right, KeyModifiers::CONTROL), with(KeyCode::Right, KeyModifiers::ALT), alt('f')],
        "Ctrl-→/Alt-F",
        "a word right",
    ),
    b(
        A::DeleteBack,
        C::Form,
        &[code(KeyCode::Backspace)],
        "Backspace",
        "delete the character before the cursor",
    ),
    b(A::DeleteForward, C::Form, &[code(KeyCode::Delete)], "Delete", "delete the character under the cursor"),
    b(
        A::DeleteWordBack,
        C::Form,
        &[ctrl('w'), with(KeyCode::Backspace, KeyModifiers::ALT)],
        "Ctrl-W",
        "delete the word before the cursor",
    ),
    b(
        A::DeleteWordForward,
        C::Form,
        &[alt('d'), with(KeyCode::Delete, KeyModifiers::CONTROL)],
        "Alt-D",
        "delete the word after the cursor",
    ),
    b(A::DeleteToStart, C::Form, &[ctrl('u')], "Ctrl-U", "delete to the start of the line"),
    b(A::DeleteToEnd, C::Form, &[ctrl('k')], "Ctrl-K", "delete to the end of the line"),
    b(A::Undo, C::Form, &[ctrl('z')], "Ctrl-Z", "undo"),
    b(A::Redo, C::Form, &[ctrl('y')], "Ctrl-Y", "redo"),
    b(A::Cancel, C::Form, &[code(KeyCode::Esc)], "Esc", "cancel (asks first when something changed)"),
    b(A::KeepDraft, C::Confirm, &[k('k'), k('K')], "k", "keep as draft (close; D reopens it)"),
    b(A::Discard, C::Confirm, &[k('d'), k('D')], "d", "discard (the changes)"),
    b(A::No, C::Confirm, &[code(KeyCode::Esc), k('n'), k('N')], "Esc", "keep editing"),
    b(A::Up, C::Duplicates, &[k('k'), code(KeyCode::Up)], "k/↑", "move up"),
    b(A::Down, C::Duplicates, &[k('j'), code(KeyCode::Down)], "j/↓", "move down"),
    b(
        A::Open,
        C::Duplicates,
        &[code(KeyCode::Enter)],
        "Enter",
        "open existing (open the existing file instead)",
    ),
    b(A::SaveAnyway, C::Duplicates, &[k('s')], "s", "save as new (a new client anyway)"),
    b(A::Back, C::Duplicates, &[code(KeyCode::Esc)], "Esc", "back (to the form)"),
    b(A::Up, C::Drafts, &[k('k'), code(KeyCode::Up)], "k/↑", "move up"),
    b(A::Down, C::Drafts, &[k('j'), code(KeyCode::Down)], "j/↓", "move down"),
    b(A::Open, C::Drafts, &[code(KeyCode::Enter)], "Enter", "resume (this draft)"),
    b(A::Discard, C::Drafts, &[k('d')], "d", "discard (this draft)"),
    b(A::Back, C::Drafts, &[code(KeyCode::Esc)], "Esc", "later"),
    b(A::Down, C::Help, &[k('j'), code(KeyCode::Down)], "j/↓", "scroll down"),
    b(A::Up, C::Help, &[k('k'), code(KeyCode::Up)], "k/↑", "scroll up"),
    b(A::PageDown, C::Help, &[code(KeyCode::PageDown), k(' ')], "PgDn", "page down"),
    b(A::PageUp, C::Help, &[code(KeyCode::PageUp)], "PgUp", "page up"),
    b(A::Top, C::Help, &[code(KeyCode::Home)], "Home", "top"),
    b(A::Bottom, C::Help, &[code(KeyCode::End)], "End", "bottom"),
    b(A::Back, C::Help, &[code(KeyCode::Esc), k('?'), k('q'), code(KeyCode::F(1))], "Esc", "close help"),
];

/// Keys whose code already says Shift: a character ('G', '?') and BackTab, which terminals
/// send as `ESC [ Z` and crossterm reports with Shift. For them Shift is not compared.
fn shift_is_in_the_code(code: KeyCode) -> bool {
    matches!(code, KeyCode::Char(_) | KeyCode::BackTab)
}

pub fn matches(key: &Key, ev: &KeyEvent) -> bool {
    if key.code != ev.code {
        return false;
    }
    let compared = if shift_is_in_the_code(ev.code) {
        KeyModifiers::CONTROL | KeyModifiers::ALT
    } else {
        KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT
    };
    ev.modifiers & compared == key.mods & compared
}

/// The action bound to `ev` in the first of `contexts` that binds it.
pub fn lookup(contexts: &[Context], ev: &KeyEvent) -> Option<Action> {
    contexts.iter().find_map(|ctx| {
        KEYMAP
            .iter()
            .filter(|bd| bd.context == *ctx)
            .find(|bd| bd.keys.iter().any(|key| matches(key, ev)))
            .map(|bd| bd.action)
    })
}

/// The binding shown for `action` in `contexts` (first match), for footers.
pub fn binding(contexts: &[Context], action: Action) -> Option<&'static Binding> {
    contexts.iter().find_map(|ctx| KEYMAP.iter().find(|bd| bd.context == *ctx && bd.action == action))
}

/// How the key bound to `action` in `context` is written ("n", "Ctrl-S"): for messages that
/// name a key, so that what they say is what the key does. A test checks every use resolves.
pub fn key_label(context: Context, action: Action) -> &'static str {
    binding(&[context], action).map(|b| b.label).unwrap_or("?")
}

impl Key {
    /// How the key is written when a binding's label does not fit ("Home", "Ctrl-U", "Shift-↑").
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let mut name = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            name.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            name.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) && self.code != KeyCode::BackTab {
            name.push_str("Shift-");
        }
        name + &base
    }

    fn same(&self, other: &Key) -> bool {
        self.code == other.code && self.mods == other.mods
    }
}

/// The bindings of `contexts` as a person can use them there: a key an earlier context binds
/// is taken by that one (as `lookup` does), so a later binding shows only its other keys, or
/// not at all. This is what the help overlay lists, so no key is listed twice.
pub fn usable_bindings(contexts: &[Context]) -> Vec<(Context, String, &'static Binding)> {
    let mut taken: Vec<Key> = Vec::new();
    let mut out = Vec::new();
    for ctx in contexts {
        let mut here: Vec<Key> = Vec::new();
        for b in KEYMAP.iter().filter(|b| b.context == *ctx) {
            let free: Vec<&Key> = b.keys.iter().filter(|k| !taken.iter().any(|t| t.same(k))).collect();
            if free.is_empty() {
                continue;
            }
            let label = if free.len() == b.keys.len() {
                b.label.to_string()
            } else {
                free.iter().map(|k| k.name()).collect::<Vec<_>>().join("/")
            };
            here.extend(free.into_iter().copied());
            out.push((*ctx, label, b));
        }
        taken.extend(here);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn screen_context_wins_over_global() {
        let esc = ev(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(lookup(&[C::List, C::Global], &esc), Some(A::Back));
        assert_eq!(lookup(&[C::Global], &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(A::Quit));
        assert_eq!(lookup(&[C::List, C::Nav], &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(A::Bottom));
        assert_eq!(lookup(&[C::Form], &ev(KeyCode::Char('s'), KeyModifiers::CONTROL)), Some(A::Save));
        assert_eq!(lookup(&[C::Form], &ev(KeyCode::Char('s'), KeyModifiers::NONE)), None);
    }

    /// Every message that names a key through `key_label` names one that is bound there.
    #[test]
    fn every_key_named_in_a_message_is_bound() {
        let call = key_label_calls();
        assert!(call.len() > 20, "the calls were not found: {}", call.len());
        for (file, ctx, action) in call {
            let found = KEYMAP
                .iter()
                .find(|b| format!("{:?}", b.context) == ctx && format!("{:?}", b.action) == action);
            assert!(found.is_some(), "{file}: key_label(Context::{ctx}, Action::{action}) is not bound");
        }
    }

    /// (file, context, action) of every `key_label(Context::X, Action::Y)` under src/.
    fn key_label_calls() -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("keymap.rs") {
                    let text = std::fs::read_to_string(&p).unwrap_or_default();
                    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    for part in flat.split("key_label(Context::").skip(1) {
                        let Some((ctx, rest)) = part.split_once(", Action::") else { continue };
                        let action: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
                        out.push((p.display().to_string(), ctx.to_string(), action));
                    }
                }
            }
        }
        out
    }

    /// Every binding is reached by what a terminal sends for its key: the bytes are decoded as
    /// the app decodes them, and the event must be matched by the binding. (Shift-Tab did
    /// nothing in any form: a terminal sends `ESC [ Z`, read as BackTab with Shift.)
    #[test]
    fn every_binding_is_reached_by_the_bytes_a_terminal_sends() {
        use crate::tui::input::{encode, Decoder, ESCAPE_TIMEOUT};
        use crossterm::event::Event;
        for b in KEYMAP {
            for key in b.keys {
                let bytes = encode(key.code, key.mods)
                    .unwrap_or_else(|| panic!("{:?} in {:?} cannot be typed", key.code, b.context));
                let t = std::time::Instant::now();
                let mut d = Decoder::new();
                d.feed(&bytes, t);
                let mut evs = d.events(t);
                evs.extend(d.events(t + ESCAPE_TIMEOUT));
                let [Event::Key(ev)] = evs.as_slice() else {
                    panic!("{bytes:?} for {:?} decoded as {evs:?}", key.code);
                };
                assert!(
                    matches(key, ev),
                    "{} in {:?}: the terminal's {ev:?} does not match",
                    key.name(),
                    b.context
                );
                assert_eq!(
                    lookup(&[b.context], ev),
                    KEYMAP
                        .iter()
                        .find(|x| x.context == b.context && x.keys.iter().any(|k| matches(k, ev)))
                        .map(|x| x.action)
                );
            }
        }
    }

    #[test]
    fn help_lists_a_key_once_where_an_earlier_context_takes_it() {
        let shown = usable_bindings(&[C::People, C::Nav, C::Global, C::Help]);
        let mut keys: Vec<String> = Vec::new();
        for (ctx, label, _) in &shown {
            for k in label.split('/') {
                assert!(!keys.contains(&k.to_string()), "{k} listed twice (again in {ctx:?})");
                keys.push(k.to_string());
            }
        }
        // `g` is the genogram here; Nav's "first" keeps only Home
        assert!(shown.iter().any(|(c, l, b)| *c == C::Nav && b.action == A::Top && l == "Home"));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for a in KEYMAP {
            for b in KEYMAP {
                if std::ptr::eq(a, b) || a.context != b.context {
                    continue;
                }
                for ka in a.keys {
                    for kb in b.keys {
                        assert!(
                            !(ka.code == kb.code && ka.mods == kb.mods),
                            "{:?} bound twice in {:?}",
                            ka.code,
                            a.context
                        );
                    }
                }
            }
        }
    }
}
