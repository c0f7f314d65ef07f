//! The terminal: entering and always leaving raw mode and the alternate screen — on quit,
//! on error, on panic and on SIGTERM/SIGHUP — and the event loop, which reads the terminal's
//! bytes itself (`input`) so that nothing ever blocks it.

pub mod input;

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Instant;

use chrono::Utc;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event};
use crossterm::execute;
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::app::App;

static SIGNAL: AtomicI32 = AtomicI32::new(0);
static RESIZED: AtomicBool = AtomicBool::new(false);
static TUI_ACTIVE: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(sig: libc::c_int) {
    SIGNAL.store(sig, Ordering::SeqCst);
}

extern "C" fn on_resize(_sig: libc::c_int) {
    RESIZED.store(true, Ordering::SeqCst);
}

fn install_signal_handlers() {
    // SAFETY: the handlers only store to atomics, which is async-signal-safe.
    unsafe {
        for sig in [libc::SIGTERM, libc::SIGHUP, libc::SIGINT] {
            libc::signal(sig, on_signal as *const () as libc::sighandler_t);
        }
        libc::signal(libc::SIGWINCH, on_resize as *const () as libc::sighandler_t);
    }
}

/// Puts the terminal back as we found it. Safe to call more than once.
pub fn restore_terminal() {
    TUI_ACTIVE.store(false, Ordering::SeqCst);
    let _ = terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(out, DisableBracketedPaste, LeaveAlternateScreen, crossterm::cursor::Show);
    let _ = out.flush();
}

/// Restores the terminal before a panic message is printed. The message names only the
/// source location: a panic payload could contain client data.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if TUI_ACTIVE.load(Ordering::SeqCst) {
            restore_terminal();
        }
        let location = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!(
            "caseload stopped because of an internal error at {location}. Your saved work is in the database; \
             unsaved form text was kept as a draft up to the last second or so."
        );
    }));
}

/// Puts the terminal back when dropped (the normal ways out: quit and errors).
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Takes over the terminal: raw mode, the alternate screen, bracketed paste, and the signal
/// handlers that end the loop cleanly. The panic hook and the guard undo it.
pub fn enter() -> anyhow::Result<Guard> {
    install_signal_handlers();
    TUI_ACTIVE.store(true, Ordering::SeqCst);
    terminal::enable_raw_mode()?;
    let guard = Guard;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    Ok(guard)
}

pub fn run(mut app: App) -> anyhow::Result<()> {
    let _guard = enter()?;
    let out: Stdout = io::stdout();
    let mut terminal = Terminal::new(CrosstermBackend::new(out))?;
    let result = event_loop(&mut app, &mut terminal);
    // every way out keeps what was typed: quit, a signal, a closed terminal, an error
    app.save_draft_now();
    result
}

fn event_loop(app: &mut App, terminal: &mut Terminal<CrosstermBackend<Stdout>>) -> anyhow::Result<()> {
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    app.run(vec![crate::app::Message::StartJob(crate::app::message::Job::QuickCheck)]);
    app.sync();
    let mut decoder = input::Decoder::new();
    loop {
        terminal.draw(|f| crate::ui::render(f, app))?;
        if app.quit || SIGNAL.load(Ordering::SeqCst) != 0 {
            return Ok(());
        }
        // An escape sequence cut short is resolved soon; a running import redraws often.
        let wait = if decoder.pending() {
            input::ESCAPE_TIMEOUT.as_millis() as i32
        } else if app.busy() {
            50
        } else {
            200
        };
        match read_input(wait) {
            Input::Bytes(bytes) => decoder.feed(&bytes, Instant::now()),
            Input::Nothing => {}
            Input::HungUp => return Ok(()),
        }
        if RESIZED.swap(false, Ordering::SeqCst) {
            let size = terminal.size()?;
            app.handle_event(Event::Resize(size.width, size.height));
        }
        app.tick(Utc::now());
        for ev in decoder.events(Instant::now()) {
            app.handle_event(ev);
            if app.quit {
                break;
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Input {
    Bytes(Vec<u8>),
    /// The wait ended without input (a timeout, a signal such as a resize).
    Nothing,
    /// The terminal was closed: reading it would only ever give end-of-file.
    HungUp,
}

/// Waits up to `timeout_ms` for the terminal and takes what it sent. Never blocks longer: a
/// signal (SIGTERM, a resize) ends the wait at once.
fn read_input(timeout_ms: i32) -> Input {
    let mut fd = libc::pollfd { fd: libc::STDIN_FILENO, events: libc::POLLIN, revents: 0 };
    // SAFETY: one valid pollfd, for the duration of the call.
    let n = unsafe { libc::poll(&mut fd, 1, timeout_ms) };
    if n <= 0 {
        return Input::Nothing;
    }
    if fd.revents & libc::POLLIN == 0 {
        return if fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            Input::HungUp
        } else {
            Input::Nothing
        };
    }
    let mut buf = [0u8; 4096];
    // SAFETY: reads into a buffer we own, at most its length; the terminal has bytes waiting.
    let got = unsafe { libc::read(libc::STDIN_FILENO, buf.as_mut_ptr().cast(), buf.len()) };
    match got {
        0 => Input::HungUp,
        n if n > 0 => Input::Bytes(buf[..n as usize].to_vec()),
        _ => match io::Error::last_os_error().kind() {
            io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock => Input::Nothing,
            _ => Input::HungUp,
        },
    }
}
