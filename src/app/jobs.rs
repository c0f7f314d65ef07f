//! Background jobs: each runs on its own thread with its own connection and reports through
//! a channel; `App::poll_jobs` turns what arrived into `Message::JobUpdate`s, carried out by
//! the same loop as keys, so the screens keep drawing while a long import runs.

use std::path::Path;
use std::sync::mpsc::{channel, Receiver, Sender, TryRecvError};

use chrono::Utc;

use super::message::{ClientExportJob, Job, JobEvent, JobKind, JobReport, JobUpdate, Message};
use super::App;
use crate::store::{Store, StoreError};

impl App {
    /// True while a background job (an import, an export) is running.
    pub fn busy(&self) -> bool {
        self.jobs.busy()
    }

    /// Takes in what background jobs reported since the last frame.
    pub fn poll_jobs(&mut self) {
        let updates = self.jobs.poll();
        self.run(updates.into_iter().map(Message::JobUpdate).collect());
    }

    /// A job's report: every screen hears it; the screen on top started the job, and its end
    /// may finish that screen's save.
    pub(super) fn job_update(&mut self, u: JobUpdate) -> Result<(), StoreError> {
        let top = self.stack.len().saturating_sub(1);
        let mut finished = None;
        for (i, v) in self.stack.iter_mut().enumerate() {
            let answer = v.job_update(&u);
            if i == top {
                finished = answer;
            }
        }
        match (&u.job, &u.event) {
            (JobKind::QuickCheck, JobEvent::Finished(Ok(report))) if !report.lines.is_empty() => {
                self.banner = Some(damage_banner(&report.lines));
            }
            (JobKind::DirectoryImport, JobEvent::Finished(r)) => {
                self.status = Some(match r {
                    Ok(report) => report.status.clone(),
                    Err(_) => "Nothing was imported.".to_string(),
                });
                self.invalidate_all();
            }
            _ => {}
        }
        match finished {
            Some(submitted) => self.submitted(submitted),
            None => Ok(()),
        }
    }
}

/// What the practitioner reads when the background check found damage, and what to do.
fn damage_banner(damage: &[String]) -> String {
    format!(
        "DAMAGED DATABASE — stop adding records, run `caseload check` and restore your latest backup. Damaged: {}.",
        damage.join(", ")
    )
}

struct Running {
    kind: JobKind,
    events: Receiver<JobEvent>,
}

#[derive(Default)]
pub struct Jobs {
    running: Vec<Running>,
    /// Tests set this to hold a job back until `release`, so what a screen shows while it
    /// runs can be seen without racing the thread.
    pub hold: bool,
    held: Vec<(Job, std::path::PathBuf, Sender<JobEvent>)>,
}

impl Jobs {
    pub fn busy(&self) -> bool {
        !self.running.is_empty()
    }

    /// Starts `job` against the database at `db` on a thread of its own.
    pub fn start(&mut self, job: Job, db: &Path) {
        let tx = self.attach(job.kind());
        if self.hold {
            self.held.push((job, db.to_path_buf(), tx));
            return;
        }
        spawn(job, db.to_path_buf(), tx);
    }

    /// Starts the jobs held back while `hold` was set.
    pub fn release(&mut self) {
        self.hold = false;
        for (job, db, tx) in std::mem::take(&mut self.held) {
            spawn(job, db, tx);
        }
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
                        event: JobEvent::Finished(Err(match r.kind {
                            JobKind::ClientExport => "The export stopped unexpectedly; nothing was written.",
                            _ => "The import stopped unexpectedly; nothing was imported.",
                        }
                        .into())),
                    });
                    return false;
                }
            }
        });
        out
    }
}

fn spawn(job: Job, db: std::path::PathBuf, tx: Sender<JobEvent>) {
    std::thread::spawn(move || {
        let result = run(&job, &db, &tx);
        let _ = tx.send(JobEvent::Finished(result));
    });
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
        Job::ClientExport(e) => export_file(e, db, tx),
    }
}

/// Writes a client's file as the export form asked, streamed: memory stays flat however many
/// notes the file holds, and every thousand notes written are reported.
fn export_file(e: &ClientExportJob, db: &Path, tx: &Sender<JobEvent>) -> Result<JobReport, String> {
    use crate::export::file::{write_json, ExportOptions};
    use crate::export::file_md::{write_markdown, MdContext};
    // its own read-only connection: an export never holds up a save
    let store = Store::open_read_only(db).map_err(|e| e.to_string())?;
    let opts = ExportOptions { include_errors: e.include_errors, from: e.from, to: e.to };
    let now = Utc::now();
    let mut progress = |done: usize, total: usize| {
        let _ = tx.send(JobEvent::Progress { done, total });
    };
    crate::export::write_streamed(&e.path, e.replace, |out| {
        if e.json {
            write_json(&store, e.client_id, &opts, &e.by, now, out, &mut progress)
        } else {
            let ctx = MdContext { retention_years: e.retention_years, offset_secs: e.offset_secs };
            write_markdown(&store, e.client_id, &opts, &e.by, now, &ctx, out, &mut progress)
        }
    })
    .map_err(|err| err.to_string())?;
    Ok(JobReport {
        status: format!(
            "The file of {} was written to {} (readable by you only).",
            crate::domain::client::client_ref(e.client_id),
            crate::domain::text::quote_path(&e.path)
        ),
        lines: vec![],
    })
}
