//! Exporting a client's whole file from the app: Markdown to read or print, or JSON to keep or
//! move to another caseload, written owner-only to the path typed; an existing file is kept
//! unless "replace" is chosen (the same rules as `caseload export`). The file is written by a
//! job, streamed from the database, and the form shows its progress until it is done.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;

use crate::app::message::{ClientExportJob, Job, JobEvent, JobKind, JobUpdate, Message};
use crate::domain::client::{client_ref, FieldError};
use crate::domain::dates::{format_date, local_offset_secs, parse_date};
use crate::export::file::ExportOptions;
use crate::keymap::Action;
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{Handled, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

pub struct ExportForm {
    client_id: i64,
    today: NaiveDate,
    /// The format chosen before the last change (the suggested file name follows it).
    format: String,
    /// While the file is being written: notes done of all.
    running: Option<(usize, usize)>,
}

pub type ExportScreen = FormScreen<ExportForm>;

/// Where a file is written unless another path is typed: the home folder.
pub fn default_path(client_id: i64, format: &str, today: NaiveDate) -> String {
    format!("~/caseload-{}-{}.{format}", client_ref(client_id), format_date(today))
}

impl ExportForm {
    pub fn new(client_id: i64, today: NaiveDate) -> ExportScreen {
        let mut form = Form::new(
            &format!("Export the file of {}", client_ref(client_id)),
            vec![
                Field::choice(
                    "format",
                    "Format",
                    &[
                        ("md", "Markdown (to read or print)"),
                        ("json", "JSON (to keep, or move to another caseload)"),
                    ],
                ),
                Field::text("path", "Write to")
                    .max(1_000)
                    .required()
                    .help("A file path; ~ is your home folder. The file is readable by you only."),
                Field::choice(
                    "include_errors",
                    "Notes entered in error",
                    &[("no", "Leave them out"), ("yes", "Include them")],
                ),
                Field::date("from", "Notes from").help("Only notes from this day (empty: from the start)."),
                Field::date("to", "Notes up to").help("Only notes up to this day (empty: to the latest)."),
                Field::choice(
                    "replace",
                    "If the file exists",
                    &[("keep", "Keep it (write nothing)"), ("replace", "Replace it")],
                ),
            ],
            today,
        );
        form.set_value("path", &default_path(client_id, "md", today));
        form.dirty = false;
        let format = form.value("format");
        FormScreen::new(form, ExportForm { client_id, today, format, running: None })
    }
}

impl FormSpec for ExportForm {
    fn title(&self) -> &'static str {
        "Export file"
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::ChoiceNext, Action::Cancel]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }

    fn edited(&mut self, form: &mut Form) {
        let after = form.value("format");
        let before = std::mem::replace(&mut self.format, after.clone());
        // the suggested name follows the format until another name is typed
        if before != after && form.value("path") == default_path(self.client_id, &before, self.today) {
            form.set_value("path", &default_path(self.client_id, &after, self.today));
        }
    }

    fn restored(&mut self, form: &Form) {
        self.format = form.value("format");
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let day = |id: &'static str| -> std::result::Result<Option<NaiveDate>, FieldError> {
            let v = form.value(id);
            if v.trim().is_empty() {
                return Ok(None);
            }
            parse_date(&v, ctx.today).map(Some).map_err(|message| FieldError { field: id, message })
        };
        let (from, to) = match (day("from"), day("to")) {
            (Ok(f), Ok(t)) => (f, t),
            (a, b) => {
                let errors: Vec<FieldError> = [a.err(), b.err()].into_iter().flatten().collect();
                form.set_errors(&errors);
                return Ok(Submitted::Stay);
            }
        };
        let opts = ExportOptions { include_errors: form.value("include_errors") == "yes", from, to };
        if let Err(message) = opts.check() {
            form.set_errors(&[FieldError { field: "to", message }]);
            return Ok(Submitted::Stay);
        }
        let path = crate::ui::widgets::form::expand_home(form.value("path").trim());
        // written on a thread of its own, a note at a time: a file of any size keeps the app
        // drawing, and the form shows how far it has come
        let job = ClientExportJob {
            client_id: self.client_id,
            path,
            json: form.value("format") == "json",
            include_errors: opts.include_errors,
            from: opts.from,
            to: opts.to,
            replace: form.value("replace") == "replace",
            by: ctx.settings.signature(),
            retention_years: ctx.settings.retention_years,
            offset_secs: local_offset_secs(ctx.now),
        };
        self.running = Some((0, 0));
        form.notice = Some(writing(0, 0));
        Ok(Submitted::Then(vec![Message::StartJob(Job::ClientExport(job))]))
    }

    fn key(&mut self, _form: &mut Form, _ev: KeyEvent) -> Option<Handled> {
        // the file is being written: the form waits for it (Ctrl-C still quits)
        self.running.is_some().then(|| {
            Handled::Yes(vec![Message::Status(
                "The file is still being written; it appears, whole, when it is done.".into(),
            )])
        })
    }

    fn job_update(&mut self, form: &mut Form, update: &JobUpdate) -> Option<Submitted> {
        if update.job != JobKind::ClientExport || self.running.is_none() {
            return None;
        }
        match &update.event {
            JobEvent::Progress { done, total } => {
                self.running = Some((*done, *total));
                form.notice = Some(writing(*done, *total));
                None
            }
            JobEvent::Finished(Ok(report)) => {
                self.running = None;
                Some(Submitted::Done { status: report.status.clone(), then: vec![] })
            }
            JobEvent::Finished(Err(message)) => {
                self.running = None;
                form.notice = None;
                form.set_errors(&[FieldError { field: "path", message: message.clone() }]);
                Some(Submitted::Stay)
            }
        }
    }
}

/// How far the file has come, in the form's notice.
fn writing(done: usize, total: usize) -> String {
    match total {
        0 => "Writing the file…".to_string(),
        _ => format!("Writing the file… {done} of {total} notes written."),
    }
}
