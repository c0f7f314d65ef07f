//! Exporting a client's whole file from the app: Markdown to read or print, or JSON to keep or
//! move to another caseload, written owner-only to the path typed; an existing file is kept
//! unless "replace" is chosen (the same rules as `caseload export`).

use chrono::NaiveDate;

use crate::domain::client::{client_ref, FieldError};
use crate::domain::dates::{format_date, local_offset_secs, parse_date};
use crate::export::file::ExportOptions;
use crate::keymap::Action;
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{refusal_to_form, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

pub struct ExportForm {
    client_id: i64,
    today: NaiveDate,
    /// The format chosen before the last change (the suggested file name follows it).
    format: String,
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
        FormScreen::new(form, ExportForm { client_id, today, format })
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
        let doc = match ctx.store.client_file(self.client_id, &opts, &ctx.settings.signature(), ctx.now) {
            Ok(d) => d,
            Err(e) => return refusal_to_form(form, e),
        };
        let json = form.value("format") == "json";
        let text = if json {
            crate::export::file::to_json(&doc)
        } else {
            crate::export::file_md::file_markdown(
                &doc,
                &crate::export::file_md::MdContext {
                    retention_years: ctx.settings.retention_years,
                    offset_secs: local_offset_secs(ctx.now),
                },
            )
        };
        match crate::export::write_owner_only(&path, text.as_bytes(), form.value("replace") == "replace") {
            Ok(()) => Ok(Submitted::Done {
                status: format!(
                    "The file of {} was written to {} (readable by you only).",
                    client_ref(self.client_id),
                    path.display()
                ),
                then: vec![],
            }),
            Err(e) => {
                form.set_errors(&[FieldError { field: "path", message: e.to_string() }]);
                Ok(Submitted::Stay)
            }
        }
    }
}
