//! Every message a screen or a job sends to the app. A leaf module: it depends on `domain`
//! only, so screens can name messages without knowing the app, and the app can carry them out
//! without knowing how a screen draws. Messages move between screens and start jobs; writes to
//! the store are not messages (see `docs/architecture.md`).

use std::path::PathBuf;

use crate::domain::client::{Client, DuplicateCandidate};
use crate::domain::record::RecordKind;

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
    /// Save the screen on top (Ctrl-S in a form).
    SubmitForm,
    CancelForm,
    DiscardForm,
    /// Close the form on top and keep what it holds as a draft (reopening it restores it).
    KeepDraft,
    /// Ask for the name signatures carry (a small form that writes Settings).
    AskName,
    /// Snooze a Today item: the form asking until when and why.
    Snooze(Box<crate::domain::due::DueItem>),
    /// Save although the form warned (a likely duplicate, a goal that is not yet SMART).
    SaveAnyway,
    /// Offer the existing files a new client may be (from the intake).
    ShowDuplicates(Vec<(DuplicateCandidate, Client)>),
    /// Settings were saved: read them again.
    SettingsSaved,
    ShowDrafts,
    ResumeDraft(String),
    DiscardDraft(String),
    Status(String),
    WriteNote(i64),
    /// Plan a contact (the diary) with this client.
    PlanVisit(i64),
    /// A quick note: for the client on screen, or one chosen from a picker.
    QuickNote,
    QuickNoteFor(i64),
    OpenNotes(i64),
    OpenNote(i64),
    OpenTimeline(i64),
    OpenSearch(Option<i64>),
    EditNote(i64),
    WriteAddendum(i64),
    MoveNote(i64),
    MarkNoteError(i64),
    /// Opens what a timeline line, search hit or Today item points at (`note`, `assessment`…).
    OpenRecord {
        kind: RecordKind,
        id: i64,
    },
    /// The assessment phase.
    Assess(AssessMsg),
    /// Coordination and advocacy.
    Coord(CoordMsg),
    /// Referrals and the referral board.
    Referral(RefMsg),
    GoDirectory,
    OpenService(i64),
    /// Choose a directory service for the form on top: a picker searching what was typed.
    PickService(String),
    /// Refer a client (chosen from a picker) to this service.
    ReferToService(i64),
    /// Refer to a service that is not active, the question answered yes.
    ReferToInactiveService(i64),
    /// What a picker chose, for the form on top (`View::picked`).
    Picked(Picked),
    NewService,
    EditService(i64),
    ImportDirectory,
    /// The case plan: goals, steps, progress, reviews, evaluations.
    Plan(PlanMsg),
    /// Closing, reopening, retention and export.
    Close(CloseMsg),
    /// Starts a job on its own thread; it reports back as `JobUpdate`s.
    StartJob(Job),
    JobUpdate(JobUpdate),
}

/// A choice made in a picker over a form, handed back to the form.
#[derive(Debug, Clone, PartialEq)]
pub enum Picked {
    /// A directory service: its id and how the field shows it.
    Service { id: i64, label: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum AssessMsg {
    OpenAssessments(i64),
    OpenAssessment(i64),
    /// A new assessment for a client; `from` starts a reassessment from that one.
    NewAssessment {
        client_id: i64,
        from: Option<i64>,
    },
    EditAssessment(i64),
    OpenScreeners(i64),
    Administer {
        client_id: i64,
        instrument: String,
    },
    OpenScreening(i64),
    ScreeningError(i64),
    OpenFlags(i64),
    ReviewFlag {
        id: i64,
        lower: bool,
    },
    AckAlert(i64),
    OpenPeople(i64),
    AddPerson(i64),
    EditPerson(i64),
}

/// The tabs of a client's coordination screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoordTab {
    Consents,
    Conferences,
    Transitions,
    Advocacy,
    Reports,
}

impl CoordTab {
    pub const ALL: [CoordTab; 5] = [
        CoordTab::Consents,
        CoordTab::Conferences,
        CoordTab::Transitions,
        CoordTab::Advocacy,
        CoordTab::Reports,
    ];
    pub fn label(self) -> &'static str {
        match self {
            CoordTab::Consents => "Consents",
            CoordTab::Conferences => "Conferences",
            CoordTab::Transitions => "Transitions",
            CoordTab::Advocacy => "Advocacy",
            CoordTab::Reports => "Mandated reports",
        }
    }
}

/// The forms of coordination and advocacy, by what they record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoordForm {
    Consent {
        client_id: i64,
    },
    Withdraw {
        consent_id: i64,
        client_id: i64,
    },
    /// A new conference, or the record of one (`id`).
    Conference {
        client_id: i64,
        id: Option<i64>,
    },
    Transition {
        client_id: i64,
    },
    Advocacy {
        client_id: i64,
    },
    AdvocacyAction {
        item: i64,
        client_id: i64,
    },
    AdvocacyClose {
        item: i64,
        client_id: i64,
    },
    Mandated {
        client_id: i64,
    },
    ReportAddendum {
        report: i64,
        client_id: i64,
    },
}

impl CoordForm {
    pub fn client(self) -> i64 {
        match self {
            CoordForm::Consent { client_id }
            | CoordForm::Withdraw { client_id, .. }
            | CoordForm::Conference { client_id, .. }
            | CoordForm::Transition { client_id }
            | CoordForm::Advocacy { client_id }
            | CoordForm::AdvocacyAction { client_id, .. }
            | CoordForm::AdvocacyClose { client_id, .. }
            | CoordForm::Mandated { client_id }
            | CoordForm::ReportAddendum { client_id, .. } => client_id,
        }
    }

    /// The draft key; `from_draft_key` reads it back.
    pub fn draft_key(self) -> String {
        match self {
            CoordForm::Consent { client_id } => format!("coord:consent:{client_id}"),
            CoordForm::Withdraw { consent_id, client_id } => {
                format!("coord:withdraw:{client_id}:{consent_id}")
            }
            CoordForm::Conference { client_id, id } => {
                format!("coord:conference:{client_id}:{}", id.map(|i| i.to_string()).unwrap_or_default())
            }
            CoordForm::Transition { client_id } => format!("coord:transition:{client_id}"),
            CoordForm::Advocacy { client_id } => format!("coord:advocacy:{client_id}"),
            CoordForm::AdvocacyAction { item, client_id } => {
                format!("coord:advocacy-action:{client_id}:{item}")
            }
            CoordForm::AdvocacyClose { item, client_id } => {
                format!("coord:advocacy-close:{client_id}:{item}")
            }
            CoordForm::Mandated { client_id } => format!("coord:mandated:{client_id}"),
            CoordForm::ReportAddendum { report, client_id } => {
                format!("coord:report-addendum:{client_id}:{report}")
            }
        }
    }

    /// Reads a draft key back.
    pub fn from_draft_key(key: &str) -> Option<CoordForm> {
        let p: Vec<&str> = key.split(':').collect();
        let n = |i: usize| p.get(i).and_then(|s| s.parse::<i64>().ok());
        let client_id = n(2)?;
        Some(match *p.get(1)? {
            "consent" => CoordForm::Consent { client_id },
            "withdraw" => CoordForm::Withdraw { consent_id: n(3)?, client_id },
            "conference" => CoordForm::Conference { client_id, id: n(3) },
            "transition" => CoordForm::Transition { client_id },
            "advocacy" => CoordForm::Advocacy { client_id },
            "advocacy-action" => CoordForm::AdvocacyAction { item: n(3)?, client_id },
            "advocacy-close" => CoordForm::AdvocacyClose { item: n(3)?, client_id },
            "mandated" => CoordForm::Mandated { client_id },
            "report-addendum" => CoordForm::ReportAddendum { report: n(3)?, client_id },
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum CoordMsg {
    Open { client_id: i64, tab: CoordTab },
    Form(CoordForm),
    OpenConference(i64),
    OpenAdvocacy(i64),
    OpenReport(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum RefMsg {
    /// A client's referrals.
    List(i64),
    /// Every open referral across the caseload.
    Board,
    Open(i64),
    New(i64),
    /// A new referral for a client, to a directory service already chosen.
    NewTo {
        client_id: i64,
        service_id: i64,
    },
    Edit(i64),
    Status(i64),
    /// A new appointment for a referral.
    Appointment(i64),
    /// Change an appointment (by its own id).
    EditAppointment(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlanMsg {
    /// A client's case plan.
    OpenPlan(i64),
    OpenGoal(i64),
    /// A step's goal, with the step selected (a search hit in a step's words).
    OpenStep(i64),
    /// The goal form for a client.
    NewGoal(i64),
    EditGoal(i64),
    AddStep(i64),
    EditStep(i64),
    RecordProgress(i64),
    ChangeStatus(i64),
    SetAchievement(i64),
    /// Record a plan review / set the next date, for a client.
    Review(i64),
    /// The evaluation form, for a client.
    Evaluate(i64),
    /// A client's evaluations, newest first.
    OpenEvaluations(i64),
    OpenEvaluation(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum CloseMsg {
    /// The closing steps for a client.
    Start(i64),
    /// The reopen form for a client.
    Reopen(i64),
    OpenClosure(i64),
    /// The export form for a client.
    Export(i64),
    OpenRetention,
}

/// Work that runs on its own thread while the screens keep drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Import an HSDS directory from a file or folder.
    DirectoryImport { path: PathBuf },
    /// SQLite's quick check of the database, after the app starts.
    QuickCheck,
    /// Write a client's whole file to `path`, streamed from the database (the export form).
    ClientExport(ClientExportJob),
}

/// What the export form asked for (the same choices as `caseload export`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientExportJob {
    pub client_id: i64,
    pub path: PathBuf,
    /// JSON (to keep or move), else Markdown (to read or print).
    pub json: bool,
    pub include_errors: bool,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    /// Replace a file already there (else it is kept and nothing is written).
    pub replace: bool,
    /// The signature the file names as its exporter.
    pub by: String,
    pub retention_years: u32,
    pub offset_secs: i64,
}

impl Job {
    pub fn kind(&self) -> JobKind {
        match self {
            Job::DirectoryImport { .. } => JobKind::DirectoryImport,
            Job::QuickCheck => JobKind::QuickCheck,
            Job::ClientExport(_) => JobKind::ClientExport,
        }
    }
}

/// Which job a report is about (one of each kind runs at a time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    DirectoryImport,
    QuickCheck,
    ClientExport,
}

/// What a running job reports.
#[derive(Debug, Clone, PartialEq)]
pub struct JobUpdate {
    pub job: JobKind,
    pub event: JobEvent,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JobEvent {
    /// `done` of `total` records (an export: notes; total 0: still reading).
    Progress { done: usize, total: usize },
    /// The report, or why nothing was done.
    Finished(Result<JobReport, String>),
}

/// What a finished job did, in words.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JobReport {
    /// One line for the status bar.
    pub status: String,
    /// The whole report.
    pub lines: Vec<String>,
}
