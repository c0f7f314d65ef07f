//! Forms that are quick to fill and never lose work: moving around a long form, one editing
//! model for every text field, nothing typed lost by a form's own flow, a draft that comes back
//! with the cursor where it was. Key scripts send keys as crossterm reads them from a terminal
//! (Shift-Tab is BackTab with Shift). Every person here is synthetic.

use crate::close_fixture::add_client;
use crate::common::*;
use caseload::app::{AssessMsg, Message};
use caseload::keymap::{Action, Context};
use caseload::ui::view::{Handled, SubmitCtx, Submitted, View};
use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

/// The last two lines of the screen: the status line (when there is one) and the keys.
fn footer(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(2)..].join("\n")
}

fn one_client(path: &std::path::Path) -> i64 {
    let mut store = open(path);
    add_client(&mut store, "Robin", "Example", "2026-10-01")
}

// ---- 5. moving around a long form

#[test]
fn shift_tab_arrows_and_enter_move_between_one_line_fields() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    // ↓ and Enter go on, ↑ and Shift-Tab go back; arriving, End or Home keeps the value
    keys(&mut app, "nSam<down>Exampel<s-tab><end>uel<enter><end><bs><bs>le<up><home>Dr <c-s>");
    let c = open(&path).client(1).unwrap();
    assert_eq!((c.given_name.as_str(), c.family_name.as_str()), ("Dr Samuel", "Example"));
}

#[test]
fn back_in_a_field_typed_in_typing_goes_on_after_it() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    keys(&mut app, "nSam<tab>Example<s-tab>uel<c-s>");
    let c = open(&path).client(1).unwrap();
    assert_eq!((c.given_name.as_str(), c.family_name.as_str()), ("Samuel", "Example"));
}

#[test]
fn a_prefilled_date_is_typed_over_not_appended_to() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    // the intake date holds "today"; arriving there and typing replaces it
    keys(&mut app, "nAda<tab>Example<c-g>intake da<enter>2026-11-01<c-s>");
    let c = open(&path).client(1).unwrap();
    assert_eq!(c.intake_date, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), "not today2026-11-01");
}

#[test]
fn go_to_a_field_of_the_long_assessment_by_part_of_its_name() {
    let (_d, path) = temp_db();
    let client = one_client(&path);
    let mut app = app(&path);
    app.update(Message::OpenClient(client)).unwrap();
    app.update(Message::Assess(AssessMsg::NewAssessment { client_id: client, from: None })).unwrap();
    keys(&mut app, "<c-g>rating inc");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Go to: rating inc") && s.contains("Domain ratings › Rating: income"), "{s}");
    insta::assert_snapshot!("go_to_a_field_80x24", s);
    keys(&mut app, "<enter>2");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("▶ Rating: income") && s.contains("‹ 2 has a problem ›"), "{s}");
    // Ctrl-N / Ctrl-P still jump a section at a time
    keys(&mut app, "<c-p>");
    assert!(screen(&mut app, 80, 24).contains("▶ Rating: housing"), "the start of the section");
}

#[test]
fn words_typed_into_a_choice_go_nowhere_and_the_field_says_so() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    keys(&mut app, "nAda<tab>Example<c-g>safe to<enter>no thanks");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("“no thanks” was not taken: this is a choice"), "{s}");
    assert!(s.contains("▶ Safe to leave message      ‹ (not recorded) ›"), "the choice is as it was: {s}");
    // one first letter is a choice
    keys(&mut app, "<tab><s-tab>y<c-s>");
    let c = open(&path).client(1).unwrap();
    assert_eq!(c.safe_to_leave_message, Some(true));
}

// ---- 6. one editing model

#[test]
fn the_same_editing_keys_in_a_one_line_field_and_a_text_box() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    // one-line: Ctrl-W a word, Ctrl-A/Ctrl-E, a word left, Ctrl-U, Ctrl-K, undo
    keys(&mut app, "nSam Exampel<c-w>Worker<c-a>Dr <c-e>!<bs><c-left><c-left><c-u><c-z><c-y>");
    keys(&mut app, "<tab>Example<home><c-k>Example<tab>");
    // the reason for referral is a text box: the same keys
    keys(&mut app, "<c-g>reason<enter>Rent arrears after lost werk<c-w>work<c-a>Since May: <c-e>.");
    keys(&mut app, "<enter>Three children<a-b><c-u>Two <end> at home<c-s>");
    let c = open(&path).client(1).unwrap();
    assert_eq!(c.given_name, "Sam Worker");
    assert_eq!(c.family_name, "Example");
    assert_eq!(c.referral_reason, "Since May: Rent arrears after lost work.\nTwo children at home");
}

// ---- 7. nothing typed is lost by a form's own flow

#[test]
fn esc_on_a_changed_form_offers_to_keep_it_as_a_draft() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    keys(&mut app, "nDraft<tab>Person<esc>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("k keep as draft") && s.contains("d discard them") && s.contains("Esc keep editing"));
    insta::assert_snapshot!("keep_as_draft_80x24", s);
    keys(&mut app, "<esc>");
    assert!(screen(&mut app, 80, 24).contains("New client — intake"), "Esc goes on editing");
    keys(&mut app, "<esc>k");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Clients") && s.contains("Kept as a draft"), "{s}");
    let drafts = open(&path).drafts().unwrap();
    assert_eq!(drafts.len(), 1);
    assert!(drafts[0].payload.contains("Person"));
    // D lists it; opening the form again brings it back
    keys(&mut app, "D");
    assert!(screen(&mut app, 80, 24).contains("New client"));
    keys(&mut app, "<esc>n");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Draft") && s.contains("Person") && s.contains("Restored"), "{s}");
    assert_eq!(open(&path).count_clients().unwrap(), 0, "a draft is not a client");
    // d discards, and the draft goes
    keys(&mut app, "<esc>d");
    assert!(open(&path).drafts().unwrap().is_empty());
}

#[test]
fn a_form_that_keeps_no_draft_offers_only_discard_and_go_on() {
    let (_d, path) = temp_db();
    let client = one_client(&path);
    let mut app = app(&path);
    app.update(Message::OpenClient(client)).unwrap();
    keys(&mut app, "E<tab>~/somewhere<esc>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("d discard them") && !s.contains("keep as draft"), "{s}");
    keys(&mut app, "k");
    assert!(screen(&mut app, 80, 24).contains("Unsaved changes"), "k is not offered here");
}

#[test]
fn a_refused_save_says_why_on_the_status_line_and_at_the_field() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    keys(&mut app, "n<tab>Example<c-g>birth<enter>2026-02-30<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("⚠ Given name is required."), "at the field: {s}");
    assert!(
        footer(&s).contains("Nothing was saved. Given name is required. 1 more field needs fixing too"),
        "on the status line: {s}"
    );
}

/// A screen whose save is refused without a word: the app still says so, in the status line
/// and in the form.
struct Mute(caseload::ui::widgets::form::Form);

impl View for Mute {
    fn title(&self) -> &'static str {
        "Mute"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save]
    }
    fn form(&self) -> Option<&caseload::ui::widgets::form::Form> {
        Some(&self.0)
    }
    fn form_mut(&mut self) -> Option<&mut caseload::ui::widgets::form::Form> {
        Some(&mut self.0)
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        Handled::Form(self.0.handle_key(ev))
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        self.0.render(frame, area)
    }
    fn submit(&mut self, _ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> caseload::store::Result<Submitted> {
        Ok(Submitted::Stay)
    }
}

#[test]
fn a_refusal_with_no_reason_given_still_says_nothing_was_saved() {
    let (_d, path) = temp_db();
    let mut app = app(&path);
    let form = caseload::ui::widgets::form::Form::new(
        "Mute",
        vec![caseload::ui::widgets::form::Field::text("x", "X")],
        today(),
    );
    app.push_view(Box::new(Mute(form)));
    keys(&mut app, "<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(footer(&s).contains("Nothing was saved"), "{s}");
    assert_eq!(s.matches("Nothing was saved").count(), 2, "in the form too: {s}");
}

#[test]
fn closing_a_case_without_a_name_asks_for_it_and_loses_nothing() {
    let (_d, path) = temp_db();
    let client = one_client(&path);
    let mut app = app(&path);
    app.update(Message::OpenClient(client)).unwrap();
    // the name is asked for when the form opens, and may be left for later
    keys(&mut app, "x");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("The name you sign with") && s.contains("Signing needs your name"), "{s}");
    insta::assert_snapshot!("name_prompt_80x24", s);
    keys(&mut app, "<esc>");
    assert!(screen(&mut app, 80, 24).contains("step 2 of 3"));
    // all three steps, then Ctrl-S: refused with the reason, and the prompt is there
    keys(&mut app, "g<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("step 3 of 3") && s.contains("Your name is not set yet"), "{s}");
    keys(&mut app, "<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(footer(&s).contains("Not signed yet"), "{s}");
    assert!(s.contains("The name you sign with"), "{s}");
    assert_eq!(open(&path).client(client).unwrap().status.as_str(), "open");
    // not now: back at the summary, as it was; then again
    keys(&mut app, "<esc>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("step 3 of 3"), "{s}");
    keys(&mut app, "<c-s>");
    // the name goes to Settings, and the closure is where it was
    keys(&mut app, "Sam Worker<tab>MSW<c-s>");
    let s = screen(&mut app, 140, 40);
    assert!(s.contains("Saved in Settings: you sign as Sam Worker, MSW."), "{s}");
    assert!(s.contains("step 3 of 3") && s.contains("Ctrl-S signs it as Sam Worker, MSW"), "{s}");
    keys(&mut app, "<c-s>");
    assert!(screen(&mut app, 80, 24).contains("summary signed"));
    let store = open(&path);
    assert_eq!(store.settings().unwrap().practitioner_name, "Sam Worker");
    let c = store.current_closure(client).unwrap().unwrap();
    assert_eq!(c.signed_by.as_deref(), Some("Sam Worker, MSW"));
}

#[test]
fn what_was_typed_beneath_the_name_prompt_is_kept_if_caseload_quits_there() {
    let (_d, path) = temp_db();
    let client = one_client(&path);
    let mut app = app(&path);
    app.update(Message::OpenClient(client)).unwrap();
    keys(&mut app, "x<esc>g<c-s>Written just now. <c-s>");
    assert!(screen(&mut app, 80, 24).contains("The name you sign with"));
    keys(&mut app, "<c-c>");
    assert!(app.quit);
    let drafts = open(&path).drafts().unwrap();
    assert!(drafts.iter().any(|d| d.kind == "close-case" && d.payload.contains("Written just now.")));
}

#[test]
fn today_offers_to_set_the_name_without_blocking() {
    let (_d, path) = temp_db();
    let mut app = app(&path);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("N add your name: signatures and closing summaries need it"), "{s}");
    // nothing is in the way: the keys of Today work
    keys(&mut app, "c");
    assert!(screen(&mut app, 80, 24).contains("Clients"));
    keys(&mut app, "tN");
    assert!(screen(&mut app, 80, 24).contains("The name you sign with"));
    keys(&mut app, "<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("⚠ Your name is required."), "a name is needed: {s}");
    keys(&mut app, "Sam Worker<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Today") && !s.contains("add your name"), "{s}");
    assert_eq!(open(&path).settings().unwrap().signature(), "Sam Worker");
}

#[test]
fn signing_a_note_without_a_name_asks_for_it_there() {
    let (_d, path) = temp_db();
    let client = one_client(&path);
    let note =
        crate::close_fixture::note(&mut open(&path), client, "2026-11-20 10:00", "phone", "10", "Called.");
    let mut app = app(&path);
    app.update(Message::OpenNote(note)).unwrap();
    keys(&mut app, "s");
    let s = screen(&mut app, 80, 24);
    assert!(footer(&s).contains("Not signed: a signature needs your name"), "{s}");
    assert!(s.contains("The name you sign with"), "{s}");
    keys(&mut app, "Sam Worker<c-s>s");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Note N-1 signed and locked."), "{s}");
    assert_eq!(open(&path).note(note).unwrap().signed_by.as_deref(), Some("Sam Worker"));
}

// ---- 8. a restored draft puts the cursor where it was

#[test]
fn a_restored_note_draft_puts_the_cursor_where_it_was() {
    let (_d, path) = temp_db();
    let client = one_client(&path);
    let mut app = app(&path);
    app.update(Message::OpenClient(client)).unwrap();
    keys(&mut app, "WVisited Robin today<left><left><left><left><left>");
    app.save_draft_now();
    drop(app);
    let mut app = app_at(&path, fixed_now() + chrono::Duration::minutes(5));
    keys(&mut app, "<enter>early <c-s>");
    let note = open(&path).note(1).unwrap();
    assert!(note.body.starts_with("Visited Robin early today"), "{:?}", note.body);
}

#[test]
fn a_restored_closing_draft_puts_the_cursor_where_it_was_in_the_summary() {
    let (_d, path) = temp_db();
    let client = one_client(&path);
    crate::close_fixture::sign_as(&mut open(&path), "Sam Worker");
    let mut app = app(&path);
    app.update(Message::OpenClient(client)).unwrap();
    keys(&mut app, "xg<c-s><end> (see above)");
    app.save_draft_now();
    let typed = app.stack.last().and_then(|v| v.form()).map(|f| f.value("summary")).unwrap();
    drop(app);
    let mut app = app_at(&path, fixed_now() + chrono::Duration::minutes(5));
    keys(&mut app, "<enter>!");
    let f = app.stack.last().and_then(|v| v.form()).map(|f| f.value("summary")).unwrap();
    assert_eq!(f, typed.replacen("(see above)", "(see above)!", 1), "typing goes on where it stopped");
}
