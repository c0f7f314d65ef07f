//! Background jobs: each runs on its own thread with its own connection and reports through
//! a channel; `App::poll_jobs` turns what arrived into `Message::JobUpdate`s, carried out by
//! the same loop as keys, so the screens keep drawing while a long import runs.

use std::path::Path;
use std::sync::mpsc::{channel, Receiver, Sender, TryRecvError};

use chrono::Utc;

use super::message::{Job, JobEvent, JobKind, JobReport, JobUpdate};
use crate::store::Store;

struct Running {
    kind: JobKind,
    events: Receiver<JobEvent>,
}

#[derive(Default)]
pub struct Jobs {
    running: Vec<Running>,
}

impl Jobs {
    pub fn busy(&self) -> bool {
        !self.running.is_empty()
    }

    /// Starts `job` against the database at `db` on a thread of its own.
    pub fn start(&mut self, job: Job, db: &Path) {
        let tx = self.attach(job.kind());
        let db = db.to_path_buf();
        std::thread::spawn(move || {
            let result = run(&job, &db, &tx);
            let _ = tx.send(JobEvent::Finished(result));
        });
    }

    /// Watches a job of `kind` whose events come through the returned sender (the thread
    /// of `start`, or a test standing in for it).
    pub fn attach(&mut self, kind: JobKind) -> Sender<JobEvent> {
        let (tx, rx) = channel();
        self.running.push(Running { kind, events: rx });
        tx
    }

    /// What the jobs reported since the last look; a finished job is forgotten.
    pub fn poll(&mut self) -> Vec<JobUpdate> {
        let mut out = Vec::new();
        self.running.retain(|r| loop {
            match r.events.try_recv() {
                Ok(event) => {
                    let finished = matches!(event, JobEvent::Finished(_));
                    out.push(JobUpdate { job: r.kind, event });
                    if finished {
                        return false;
                    }
                }
                Err(TryRecvError::Empty) => return true,
                Err(TryRecvError::Disconnected) => {
                    out.push(JobUpdate {
                        job: r.kind,
                        event: JobEvent::Finished(Err(
                            "The import stopped unexpectedly; nothing was imported.".into(),
                        )),
                    });
                    return false;
                }
            }
        });
        out
    }
}

fn run(job: &Job, db: &Path, tx: &Sender<JobEvent>) -> Result<JobReport, String> {
    match job {
        Job::DirectoryImport { path } => {
            let mut store = Store::open_existing(db).map_err(|e| e.to_string())?;
            let report = crate::import::import_path(&mut store, path, Utc::now(), &mut |p| {
                let _ = tx.send(JobEvent::Progress { done: p.done, total: p.total });
            })
            .map_err(|e| e.to_string())?;
            Ok(JobReport {
                status: format!(
                    "Import finished: {} added, {} updated.",
                    crate::domain::words::count(report.services.added, "service", "services"),
                    report.services.updated
                ),
                lines: report.lines(),
            })
        }
        Job::QuickCheck => {
            // its own read-only connection: the check never holds up a save
            let store = Store::open_read_only(db).map_err(|e| e.to_string())?;
            let damage = store.quick_check().map_err(|e| e.to_string())?;
            Ok(JobReport { status: String::new(), lines: damage })
        }
    }
}
