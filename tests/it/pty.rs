//! The real binary in a pseudo-terminal: keystrokes in, screen out, and the terminal put back
//! as it was on every way out (quit, SIGTERM). Drafts survive SIGTERM and SIGKILL.

use crate::common::pty::*;
use crate::common::{self, BIN};
use std::io::Write;

use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::CommandBuilder;

#[test]
fn adds_a_client_with_keystrokes_and_restores_the_terminal_on_quit() {
    let (_d, path) = common::temp_db();
    let mut t = Term::start(&path, 100, 30);
    t.wait_for("Today");
    t.send(b"c");
    t.wait_for("Clients");
    t.send(b"n");
    t.wait_for("New client");
    t.type_text("Zoë");
    t.send(TAB);
    t.type_text("Bélanger-王");
    t.send(CTRL_S);
    t.wait_for("Client file");
    t.wait_for("is now on your caseload");
    t.send(b"q");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
    t.assert_restored();
    let store = common::open(&path);
    assert_eq!(store.count_clients().unwrap(), 1);
    let c = store.client(1).unwrap();
    assert_eq!((c.given_name.as_str(), c.family_name.as_str()), ("Zoë", "Bélanger-王"));
}

#[test]
fn sigterm_in_a_form_keeps_the_draft_and_restores_the_terminal() {
    let (_d, path) = common::temp_db();
    let mut t = Term::start(&path, 80, 24);
    t.wait_for("Today");
    t.send(b"c");
    t.send(b"n");
    t.wait_for("New client");
    t.type_text("Unfinished");
    t.wait_for("Unfinished");
    t.signal(libc::SIGTERM);
    t.wait_exit();
    t.assert_restored();
    let drafts = common::open(&path).drafts().unwrap();
    assert_eq!(drafts.len(), 1, "the typed name was kept as a draft");
    assert!(drafts[0].payload.contains("Unfinished"));

    let mut t = Term::start(&path, 80, 24);
    t.wait_for("Unsaved drafts");
    t.send(ENTER);
    t.wait_for("Unfinished");
    t.wait_for("Restored");
    t.send(b"\x03"); // Ctrl-C
    t.wait_exit();
    t.assert_restored();
}

#[test]
fn sigkill_mid_note_loses_nothing_typed_a_second_before() {
    let (_d, path) = seeded_db();
    let mut t = Term::start(&path, 100, 30);
    t.open_robins_file();
    t.send(b"W"); // quick note for this client: the cursor starts in the text
    t.wait_for("Quick note");
    t.type_text("Visited Robin; the boiler is fixed and the rent is paid");
    // the draft is written within two seconds of the last key, however the app is killed then
    wait_for_draft(&path, "note-new", "the rent is paid", Duration::from_secs(2));
    t.signal(libc::SIGKILL);
    t.wait_exit();
    let drafts = common::open(&path).drafts().unwrap();
    assert_eq!(drafts.len(), 1, "the note being typed was saved as a draft");
    assert_eq!(drafts[0].kind, "note-new");

    let mut t = Term::start(&path, 100, 30);
    t.wait_for("Unsaved drafts");
    t.wait_for("Note for C-0001");
    t.send(ENTER);
    t.wait_for("the boiler is fixed");
    t.send(CTRL_S);
    t.wait_for("Saved note N-1");
    t.send(b"q");
    t.wait_exit();
    t.assert_restored();
    let store = common::open(&path);
    assert!(store.note(1).unwrap().body.contains("the boiler is fixed and the rent is paid"));
    assert!(store.drafts().unwrap().is_empty());
}

/// Typing without a pause for almost three seconds and then a SIGKILL: the draft holds all but
/// about the last second (it was written at most every 3 s, and 70 letters came back as none).
#[test]
fn sigkill_while_typing_without_a_pause_loses_at_most_a_second() {
    let (_d, path) = seeded_db();
    let mut t = Term::start(&path, 100, 30);
    t.open_quick_note();
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').chain('a'..='h').collect();
    let start = Instant::now();
    let mut sent = Vec::new();
    let w = t.writer.as_mut().expect("open");
    for c in &letters {
        w.write_all(c.to_string().as_bytes()).unwrap();
        w.flush().unwrap();
        sent.push((*c, start.elapsed()));
        std::thread::sleep(Duration::from_millis(38));
    }
    let killed = start.elapsed();
    t.signal(libc::SIGKILL);
    t.wait_exit();
    let must: String =
        sent.iter().filter(|(_, at)| *at + Duration::from_millis(1_300) <= killed).map(|(c, _)| *c).collect();
    assert!(must.len() > 30, "the test typed for too short a time: {must}");
    let drafts = common::open(&path).drafts().unwrap();
    let payload = drafts.first().map(|d| d.payload.clone()).unwrap_or_default();
    assert!(payload.contains(&must), "typed {:?} over {killed:?}; the draft holds {payload}", letters.len());
}

#[test]
fn writes_a_soap_note_and_finds_it_by_search() {
    let (_d, path) = seeded_db();
    let mut t = Term::start(&path, 100, 30);
    t.open_robins_file();
    t.send(b"w");
    t.wait_for("New case note");
    for _ in 0..6 {
        t.send(TAB);
    }
    t.send(RIGHT); // template: SOAP
    t.send(TAB);
    t.wait_for("Subjective:");
    t.type_text("Worried about the zebrafinch eviction letter");
    t.send(CTRL_S);
    t.wait_for("Saved note N-1");
    t.send(b"f");
    t.wait_for("Search the whole record");
    t.type_text("zebrafinch");
    t.wait_for("1 found");
    t.send(ENTER);
    t.wait_for("Note N-1");
    t.wait_for("Subjective:");
    t.send(b"q");
    t.wait_exit();
    t.assert_restored();
    let body = common::open(&path).note(1).unwrap().body;
    assert!(body.starts_with("Subjective:\nWorried about the zebrafinch"), "{body:?}");
}

#[test]
fn a_small_terminal_gets_a_message_not_a_broken_layout() {
    let (_d, path) = common::temp_db();
    let mut t = Term::start(&path, 60, 20);
    t.wait_for("Please enlarge the terminal");
    t.send(b"q");
    t.wait_exit();
    t.assert_restored();
}

#[test]
fn administers_a_phq9_with_number_keys_and_the_item_nine_alert_heads_today() {
    let (_d, path) = seeded_db();
    let mut t = Term::start(&path, 100, 30);
    t.open_robins_file();
    t.send(b"s");
    t.wait_for("Screeners");
    t.send(b"n");
    t.wait_for("Which screener?");
    t.send(b"1");
    t.wait_for("PHQ-9 — 1 of 10");
    // items 1-9; Backspace goes back and the item is answered again
    t.send(b"2");
    t.send(b"\x7f");
    t.wait_for("PHQ-9 — 1 of 10");
    for k in [b"2", b"1", b"1", b"0", b"0", b"3", b"0", b"2", b"1"] {
        t.send(k);
    }
    t.wait_for("PHQ-9 — 10 of 10");
    t.send(b"-"); // the difficulty question, declined
    t.wait_for("Result: total 10, Moderate");
    t.wait_for("PHQ-2");
    t.send(CTRL_S);
    t.wait_for("Saved PHQ-9 SC-1");
    t.wait_for("SAFETY ALERT OPEN");
    t.send(b"t");
    t.wait_for("SAFETY");
    t.wait_for("Screener safety alert");
    t.send(ENTER);
    t.wait_for("Acknowledge alert AL-1");
    t.type_text("Risk assessed; safety plan made with the client");
    t.send(CTRL_S);
    t.wait_for("Alert AL-1 acknowledged");
    t.send(b"q");
    t.wait_exit();
    t.assert_restored();
    let store = common::open(&path);
    let s = store.screening(1).unwrap();
    assert_eq!(s.total, Some(10));
    assert_eq!(s.answers.len(), 10);
    assert!(store.alert(1).unwrap().acknowledged_at.is_some());
    assert_eq!(store.client(1).unwrap().open_alerts, 0);
}

#[test]
fn records_a_contact_with_a_consent_and_a_conference_whose_action_appears_on_today() {
    let (_d, path) = seeded_db();
    let mut t = Term::start(&path, 100, 30);
    t.open_robins_file();
    // a contact: the GP
    t.send(b"p");
    t.wait_for("People and family");
    t.send(b"n");
    t.wait_for("Add a person");
    t.type_text("Dr Anika Rao");
    t.send(TAB);
    t.type_text("ppp"); // relation: a first letter picks, again goes on: parent, partner, "professional"
    t.wait_for("professional");
    t.send(CTRL_S);
    t.wait_for("No valid consent to share information with Dr Anika Rao");
    t.send(CTRL_S);
    t.wait_for("Added Dr Anika Rao");
    t.send(b"\x1b"); // back to the file
    t.wait_for("Client file");
    // the consent, then the conference
    t.send(b"C");
    t.wait_for("Coordination and advocacy");
    t.send(b"n");
    t.wait_for("Consent to share information");
    t.type_text("Dr Anika Rao");
    t.send(TAB);
    t.type_text("medical history");
    t.send(TAB);
    t.send(TAB);
    t.type_text("+52w");
    t.send(CTRL_S);
    t.wait_for("Consent RI-1 recorded");
    t.send(b"2");
    t.wait_for("No case conferences yet");
    t.send(b"n");
    t.wait_for("New case conference");
    t.send(TAB);
    t.type_text("Discharge planning");
    t.send(TAB);
    t.type_text("Dr Anika Rao");
    for _ in 0..4 {
        t.send(TAB);
    }
    t.type_text("Robin: call the pharmacy by tomorrow");
    t.send(CTRL_S);
    t.wait_for("Case conference CC-1");
    t.send(b"t");
    t.wait_for("Action Robin: call the pharmacy");
    t.send(b"q");
    t.wait_exit();
    t.assert_restored();
    let store = common::open(&path);
    assert_eq!(store.consents(1).unwrap()[0].person_id, Some(2), "the consent names the contact");
    assert_eq!(store.conference(1).unwrap().attendees[0].person_id, Some(2));
    assert_eq!(store.open_actions(1).unwrap().len(), 1);
}

#[test]
fn ctrl_c_quits_and_restores_the_terminal() {
    let (_d, path) = seeded_db();
    let mut t = Term::start(&path, 80, 24);
    t.wait_for("Today");
    t.send(b"?");
    t.wait_for("Keys");
    t.send(b"\x03");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
    t.assert_restored();
}

/// Runs in a child process (see the next test): takes over the terminal as the app does, then
/// panics with client data in the message.
#[test]
fn panic_child() {
    if std::env::var_os("CASELOAD_PANIC_CHILD").is_none() {
        return;
    }
    caseload::tui::install_panic_hook();
    let _guard = caseload::tui::enter().expect("enter the terminal");
    print!("\x1b[?25l"); // hide the cursor, as drawing does
    std::io::Write::flush(&mut std::io::stdout()).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    panic!("cannot open the file of Quokka Zebrafinch, 1984-02-29");
}

#[test]
fn a_panic_restores_the_terminal_and_keeps_client_data_out_of_the_message() {
    let mut cmd = CommandBuilder::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", "pty::panic_child", "--nocapture", "--test-threads=1"]);
    cmd.env("CASELOAD_PANIC_CHILD", "1");
    let mut t = Term::spawn(cmd, 80, 24);
    let status = t.wait_exit();
    assert!(!status.success(), "the child panicked");
    t.assert_restored();
    let raw = String::from_utf8_lossy(&t.raw.lock().unwrap()).into_owned();
    assert!(raw.contains("caseload stopped because of an internal error"), "{raw}");
    assert!(
        !raw.contains("Zebrafinch") && !raw.contains("1984-02-29"),
        "client data in the panic output: {raw}"
    );
}

/// Kills a child that is still running when the test ends (a failing test must not leave a
/// process spinning).
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_closed_terminal_ends_caseload_and_keeps_what_was_typed() {
    use std::os::fd::FromRawFd;
    use std::os::unix::process::CommandExt;

    let (_d, path) = seeded_db();
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize { ws_row: 30, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0 };
    let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
    assert_eq!(rc, 0, "openpty");
    // only caseload's side of the pty may reach the child, or closing ours would close nothing
    unsafe {
        libc::fcntl(master, libc::F_SETFD, libc::FD_CLOEXEC);
        libc::fcntl(slave, libc::F_SETFD, libc::FD_CLOEXEC);
    }
    let stdio = || unsafe { Stdio::from(std::fs::File::from_raw_fd(libc::dup(slave))) };
    let mut cmd = std::process::Command::new(BIN);
    cmd.arg("--db").arg(&path).env("TERM", "xterm-256color").env("TZ", "UTC").env_remove("CASELOAD_DB");
    cmd.stdin(stdio()).stdout(stdio()).stderr(stdio());
    // the pty becomes the controlling terminal, as in a terminal window
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let mut child = KillOnDrop(cmd.spawn().expect("spawn caseload"));
    unsafe { libc::close(slave) };

    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZero::new(30).unwrap(),
        std::num::NonZero::new(100).unwrap(),
        0,
    )));
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (parser, stop) = (parser.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stop.load(Ordering::SeqCst) {
                let mut fd = libc::pollfd { fd: master, events: libc::POLLIN, revents: 0 };
                if unsafe { libc::poll(&mut fd, 1, 50) } > 0 {
                    let n = unsafe { libc::read(master, buf.as_mut_ptr().cast(), buf.len()) };
                    if n <= 0 {
                        break;
                    }
                    parser.lock().unwrap().process(&buf[..n as usize]);
                }
            }
        })
    };
    let wait_for = |text: &str| {
        let start = Instant::now();
        while !parser.lock().unwrap().screen().contents().contains(text) {
            assert!(start.elapsed() < TIMEOUT, "timed out waiting for {text:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let send = |bytes: &[u8]| {
        assert_eq!(unsafe { libc::write(master, bytes.as_ptr().cast(), bytes.len()) }, bytes.len() as isize);
        std::thread::sleep(Duration::from_millis(80));
    };
    wait_for("Today");
    send(b"c");
    wait_for("Robin Example");
    send(ENTER);
    wait_for("Client file");
    send(b"W");
    wait_for("Quick note");
    send("Typed just before the window closed".as_bytes());
    wait_for("Typed just before the window closed");
    // close the window: the terminal side of the pty goes away
    stop.store(true, Ordering::SeqCst);
    reader.join().unwrap();
    unsafe { libc::close(master) };
    let start = Instant::now();
    while child.0.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(5), "caseload kept running after its terminal closed");
        std::thread::sleep(Duration::from_millis(50));
    }
    let drafts = common::open(&path).drafts().unwrap();
    assert_eq!(drafts.len(), 1, "what was typed is kept as a draft");
    assert!(drafts[0].payload.contains("Typed just before the window closed"), "{}", drafts[0].payload);
}

#[test]
fn a_goal_with_a_step_and_its_progress_by_keystrokes() {
    let (_d, path) = seeded_db();
    let mut t = Term::start(&path, 100, 30);
    t.open_robins_file();
    t.send(b"g");
    t.wait_for("Case plan");
    t.send(b"n");
    t.wait_for("SMART check");
    t.type_text("Keep the flat warm");
    for _ in 0..3 {
        t.send(TAB);
    }
    t.type_text("rooms heated");
    t.send(TAB);
    t.send(TAB);
    t.type_text("0");
    t.send(TAB);
    t.type_text("3");
    t.send(TAB);
    t.type_text("Robin");
    t.send(TAB);
    t.type_text("the baby is cold");
    for _ in 0..5 {
        t.send(TAB);
    }
    t.type_text("+30d");
    for _ in 0..3 {
        t.send(TAB);
    }
    t.type_text("Call the landlord about the boiler");
    t.send(TAB);
    t.send(b"c"); // the step's owner: Client
    t.wait_for("✓ Time-bound");
    t.send(CTRL_S);
    t.wait_for("Goal G-1 saved");
    t.wait_for("Call the landlord about the boiler");
    t.send(ENTER);
    t.wait_for("Goal G-1");
    t.send(b"p");
    t.wait_for("Progress on goal G-1");
    t.type_text("2");
    t.send(CTRL_S);
    t.wait_for("67 %");
    t.send(b"q");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
    t.assert_restored();
    let store = common::open(&path);
    let g = store.goal(1).unwrap();
    assert_eq!(g.statement, "Keep the flat warm");
    assert_eq!(g.latest.as_ref().map(|p| p.value), Some(2.0));
    let steps = store.steps(1).unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].owner_text(), "Client");
}

/// Closing a case in the real binary: the checklist lists the open goal and the open referral,
/// the summary drafted from the record says what closing does with each, and signing closes the
/// case (the referral cancelled through its closed loop, with the reason).
#[test]
fn closes_a_case_with_an_open_goal_and_referral_and_reads_the_drafted_summary() {
    let (_d, path) = seeded_db();
    {
        let mut store = common::open(&path);
        let mut settings = store.settings().unwrap();
        settings.practitioner_name = "Sam Worker".into();
        store.save_settings(&settings).unwrap();
        let today = chrono::Local::now().date_naive();
        let r = caseload::domain::plan::read_goal(
            &caseload::domain::plan::GoalInput {
                statement: "Keep the flat warm".into(),
                what: "rooms heated".into(),
                baseline: "0".into(),
                target: "3".into(),
                who_agreed: "Robin".into(),
                why_it_matters: "the baby is cold".into(),
                target_date: "+60d".into(),
                ..Default::default()
            },
            today,
            &[],
            true,
            true,
        );
        store.add_goal(1, &r.goal.unwrap(), &[], "Sam Worker", chrono::Utc::now()).unwrap();
        let referral = caseload::store::referrals::NewReferral {
            details: caseload::domain::referral::ReferralDetails {
                provider: "Hillside Family Centre".into(),
                need: "parenting support".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        store.add_referral(1, &referral, "Sam Worker", chrono::Utc::now()).unwrap();
    }
    let mut t = Term::start(&path, 120, 40);
    t.wait_for("Today");
    t.send(b"c");
    t.wait_for("Robin Example");
    t.send(ENTER);
    t.wait_for("x Close the case");
    t.send(b"x");
    t.wait_for("step 1 of 3: what is still open");
    t.wait_for("Goal G-1 (active): Keep the flat warm");
    t.send(RIGHT); // complete it
    t.wait_for("‹ Complete ›");
    t.wait_for("Referral R-1 (draft) to Hillside Family Centre for parenting support");
    t.send(TAB);
    t.send(TAB); // the referral's choice
    t.send(RIGHT); // cancel it (a draft cannot be completed)
    t.wait_for("‹ Cancel (say why) ›");
    t.send(CTRL_S);
    t.wait_for("Say why it is cancelled.");
    // the focus moved to the field that needs words
    t.type_text("Client moved away");
    t.send(CTRL_S);
    t.wait_for("step 2 of 3");
    t.type_text("g"); // goals met (a first letter picks a choice)
    t.wait_for("‹ Goals met ›");
    t.send(CTRL_S);
    t.wait_for("step 3 of 3: the closing summary");
    t.wait_for("Why the case opened");
    t.wait_for("Why it ends now");
    t.wait_for("What stays open and the follow-up");
    t.wait_for("Ctrl-S signs it as Sam Worker");
    t.send(CTRL_S);
    t.wait_for("summary signed");
    t.wait_for("O Reopen");
    t.send(b"q");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
    t.assert_restored();
    let store = common::open(&path);
    assert_eq!(store.client(1).unwrap().status.as_str(), "closed");
    let c = store.current_closure(1).unwrap().unwrap();
    assert!(c.summary.contains("G-1 \"Keep the flat warm\" was completed at closure"), "{}", c.summary);
    assert!(
        c.summary.contains("because the goals were met.") && c.summary.contains("Nothing else stays open.")
    );
    assert_eq!(c.signed_by.as_deref(), Some("Sam Worker"));
    assert_eq!(store.goal(1).unwrap().status, caseload::domain::goal::GoalStatus::Completed);
    let r = store.referral(1).unwrap();
    assert_eq!(r.status, caseload::domain::referral::ReferralStatus::Cancelled);
    assert!(r.outcome.contains("Client moved away"), "{}", r.outcome);
    assert!(
        c.summary
            .contains("Referral R-1 to Hillside Family Centre was cancelled at closure (Client moved away)"),
        "{}",
        c.summary
    );
}

/// The quick check after start finds damage and says so, with what to do, on every screen.
#[test]
fn a_damaged_database_shows_a_banner_with_what_to_do() {
    let (_d, path) = common::damaged_db();
    let mut t = Term::start(&path, 100, 30);
    t.wait_for("DAMAGED DATABASE");
    t.wait_for("caseload check");
    t.wait_for("Unsaved drafts");
    t.send(b"\x1b");
    t.send(b"c");
    t.wait_for("Clients");
    assert!(t.screen().contains("DAMAGED DATABASE"), "the banner stays:\n{}", t.screen());
    t.send(b"q");
    t.wait_exit();
    t.assert_restored();
}

const SHIFT_TAB: &[u8] = b"\x1b[Z";
const UP: &[u8] = b"\x1b[A";
const DOWN: &[u8] = b"\x1b[B";
const LEFT: &[u8] = b"\x1b[D";
const ESC: &[u8] = b"\x1b";

/// Moving around the intake and editing its fields with the keys people expect, as the bytes a
/// terminal sends: ↓/↑ and Shift-Tab between fields, Ctrl-W, Ctrl-A, Ctrl-E, Ctrl-U, a word
/// right (Ctrl-→), Delete, Ctrl-G to a field by name, a prefilled date typed over, and a word
/// typed into a choice that goes nowhere.
#[test]
fn fills_the_intake_with_field_moves_and_editing_keys() {
    let (_d, path) = common::temp_db();
    let mut t = Term::start(&path, 80, 24);
    t.wait_for("Today");
    t.send(b"c");
    t.wait_for("Clients");
    t.send(b"n");
    t.wait_for("New client");
    t.type_text("Dr Sam");
    t.send(DOWN);
    t.type_text("Exampel");
    t.send(b"\x17"); // Ctrl-W: the misspelt word goes
    t.type_text("Example");
    t.wait_for("Example");
    t.send(SHIFT_TAB); // back to the given name
    t.send(b"\x01"); // Ctrl-A
    t.send(b"\x1b[1;5C"); // Ctrl-→: to "Sam"
    t.send(b"\x15"); // Ctrl-U: "Dr " goes
    t.send(b"\x05"); // Ctrl-E
    t.type_text("uelx");
    t.send(LEFT);
    t.send(b"\x1b[3~"); // Delete: the x
    t.wait_for("Samuel ");
    t.send(b"\x07"); // Ctrl-G: go to a field by name
    t.wait_for("Go to a field");
    t.type_text("intake date");
    t.send(ENTER);
    t.type_text("2026-11-01"); // over the prefilled "today", not after it
    t.wait_for("2026-11-01");
    t.send(b"\x07");
    t.type_text("safe to");
    t.send(ENTER);
    t.type_text("no thanks");
    t.wait_for("“no thanks” was not taken: this is a choice");
    t.send(UP);
    t.send(DOWN);
    t.send(b"y"); // one first letter is a choice
    t.wait_for("‹ yes ›");
    t.send(CTRL_S);
    t.wait_for("is now on your caseload");
    t.send(b"q");
    assert!(t.wait_exit().success());
    t.assert_restored();
    let c = common::open(&path).client(1).unwrap();
    assert_eq!((c.given_name.as_str(), c.family_name.as_str()), ("Samuel", "Example"));
    assert_eq!(c.intake_date.to_string(), "2026-11-01");
    assert_eq!(c.safe_to_leave_message, Some(true));
}

/// The closure the issue lost: no name in Settings. The name is asked for when the form opens
/// (Esc leaves it), Ctrl-S at the end says why it cannot sign and asks again, Esc on the changed
/// form keeps it as a draft, the drafts list brings it back, and with the name it signs.
#[test]
fn a_closure_without_a_name_is_kept_as_a_draft_and_signed_once_the_name_is_set() {
    let (_d, path) = seeded_db();
    let mut t = Term::start(&path, 80, 24);
    t.wait_for("N add your name");
    t.send(b"c");
    t.wait_for("Robin Example");
    t.send(ENTER);
    t.wait_for("Client file");
    t.send(b"x");
    t.wait_for("The name you sign with");
    t.send(ESC);
    t.wait_for("step 2 of 3");
    t.send(b"g");
    t.wait_for("‹ Goals met ›");
    t.send(CTRL_S);
    t.wait_for("step 3 of 3");
    t.send(CTRL_S);
    t.wait_for("Not signed yet");
    t.wait_for("The name you sign with");
    t.send(ESC); // not now
    t.wait_for("step 3 of 3");
    t.send(ESC); // leave the closure: keep it as a draft
    t.wait_for("k keep as draft");
    t.send(b"k");
    t.wait_for("Kept as a draft");
    assert_eq!(common::open(&path).client(1).unwrap().status.as_str(), "open");
    t.send(b"D");
    t.wait_for("Closing the case of C-0001");
    t.send(ENTER);
    // reopened, it asks for the name first again; this time it is given
    t.wait_for("The name you sign with");
    t.type_text("Sam Worker");
    t.send(CTRL_S);
    t.wait_for("you sign as Sam Worker");
    t.wait_for("step 3 of 3");
    t.wait_for("Restored what you had not saved.");
    t.send(CTRL_S);
    t.wait_for("summary signed");
    t.send(b"q");
    assert!(t.wait_exit().success());
    t.assert_restored();
    let store = common::open(&path);
    assert_eq!(store.client(1).unwrap().status.as_str(), "closed");
    assert_eq!(store.current_closure(1).unwrap().unwrap().signed_by.as_deref(), Some("Sam Worker"));
    assert!(store.drafts().unwrap().is_empty());
}

/// A note's draft keeps where the cursor was: after SIGKILL and a restart, typing goes on there
/// (it used to land at the start of the note).
#[test]
fn a_restored_note_draft_puts_the_cursor_where_it_was() {
    let (_d, path) = seeded_db();
    let mut t = Term::start(&path, 80, 24);
    t.open_quick_note();
    t.type_text("Visited Robin today");
    for _ in 0..5 {
        t.send(LEFT);
    }
    wait_for_draft(&path, "note-new", r#""@cursor":"0,14""#, Duration::from_secs(3));
    t.signal(libc::SIGKILL);
    t.wait_exit();

    let mut t = Term::start(&path, 80, 24);
    t.wait_for("Unsaved drafts");
    t.send(ENTER);
    t.wait_for("Visited Robin today");
    t.type_text("early ");
    t.wait_for("Visited Robin early today");
    t.send(CTRL_S);
    t.wait_for("Saved note N-1");
    t.send(b"q");
    t.wait_exit();
    t.assert_restored();
    assert!(common::open(&path).note(1).unwrap().body.starts_with("Visited Robin early today"));
}

#[test]
fn on_a_terminal_the_client_list_cuts_a_long_name_to_its_column() {
    let (_d, db) = common::temp_db();
    let o = common::caseload(
        &db,
        &[
            "client",
            "add",
            "--given",
            "Bartholomew Alexander",
            "--family",
            "Featherstonehaugh-Cholmondeley-Wrights",
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let mut cmd = CommandBuilder::new(BIN);
    cmd.arg("--db");
    cmd.arg(&db);
    cmd.args(["client", "list"]);
    let mut t = Term::spawn(cmd, 120, 10);
    t.wait_for("…");
    assert!(t.wait_exit().success());
    let s = t.screen();
    assert!(s.contains('…') && !s.contains("Cholmondeley-Wrights"), "{s}");
}
