//! Reviewing or lowering a risk flag.

use chrono::NaiveDate;

use crate::app::message::Message;
use crate::domain::assessment::RiskLevel;
use crate::domain::draft::DraftKind;
use crate::keymap::{key_label, Action, Context};
use crate::store::safety::RiskFlag;
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{refusal_to_form, DraftInfo, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

pub struct FlagReview {
    pub flag: RiskFlag,
    pub lower: bool,
}

pub type FlagReviewScreen = FormScreen<FlagReview>;

impl FlagReview {
    pub fn new(flag: RiskFlag, lower: bool, today: NaiveDate) -> FlagReviewScreen {
        let title = if lower {
            format!("Lower flag {} ({} {})", flag.reference, flag.area.label(), flag.level.as_str())
        } else {
            format!("Review flag {} ({} {})", flag.reference, flag.area.label(), flag.level.as_str())
        };
        let levels: Vec<(&str, &str)> = if lower {
            vec![("low", "low"), ("none", "none")]
        } else {
            let current = flag.level.as_str();
            let mut v = vec![(current, current)];
            for l in ["medium", "high"] {
                if l != current {
                    v.push((l, l));
                }
            }
            v
        };
        let reason_help = if lower {
            "Why the risk is lower now: what was reviewed, what changed, who was consulted. Required."
        } else {
            "What was reviewed and what was decided (the flag stays). Required."
        };
        let form = Form::new(
            &title,
            vec![
                Field::choice("level", if lower { "Risk now" } else { "Level" }, &levels),
                Field::multiline("reason", if lower { "Reason" } else { "Review note" }, 6)
                    .required()
                    .help(reason_help),
            ],
            today,
        );
        FormScreen::new(form, FlagReview { flag, lower })
    }
}

impl FormSpec for FlagReview {
    fn title(&self) -> &'static str {
        "Review flag"
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::Cancel]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.flag.client_id)
    }
    /// Every change on a flag says who made it: the name is asked for before the form.
    fn signs(&self) -> bool {
        true
    }
    fn draft(&self, _form: &Form) -> Option<DraftInfo> {
        Some(DraftInfo {
            key: format!("flag-review:{}:{}", self.flag.id, if self.lower { "lower" } else { "review" }),
            kind: DraftKind::FlagReview,
            client_id: Some(self.flag.client_id),
            title: format!("Review of flag {}", self.flag.reference),
        })
    }
    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let level = RiskLevel::parse(&form.value("level"));
        let by = ctx.settings.signature();
        if by.trim().is_empty() {
            // the name prompt was put off: ask again, the form keeps what was typed
            let why = format!(
                "Not recorded: a change on a flag says who made it. Add your name, then {} again.",
                key_label(Context::Form, Action::Save)
            );
            form.notice = Some(why.clone());
            return Ok(Submitted::Then(vec![Message::Status(why), Message::AskName]));
        }
        match ctx.store.review_flag(self.flag.id, self.lower, level, &form.value("reason"), &by, ctx.now) {
            Ok(()) => Ok(Submitted::Done {
                status: if self.lower {
                    format!("Flag {} lowered; it stays in the history.", self.flag.reference)
                } else {
                    format!("Review of flag {} recorded; the flag stays.", self.flag.reference)
                },
                then: vec![],
            }),
            Err(e) => refusal_to_form(form, e),
        }
    }
}
