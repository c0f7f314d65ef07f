//! The terminal: entering and always leaving raw mode and the alternate screen — on quit,
//! on error, on panic and on SIGTERM/SIGHUP — and the event loop.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::app::App;

static SIGNAL: AtomicI32 = AtomicI32::new(0);
static TUI_ACTIVE: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(sig: libc::c_int) {
    SIGNAL.store(sig, Ordering::SeqCst);
}

fn install_signal_handlers() {
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        for sig in [libc::SIGTERM, libc::SIGHUP, libc::SIGINT] {
            libc::signal(sig, on_signal as *const () as libc::sighandler_t);
        }
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
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    app.sync();

    loop {
        if let Err(e) = terminal.draw(|f| crate::ui::render(f, &app)) {
            // the terminal is gone (closed window, lost connection): keep what was typed
            app.save_draft_now();
            return Err(e.into());
        }
        if app.quit {
            break;
        }
        if SIGNAL.load(Ordering::SeqCst) != 0 {
            break;
        }
        // Wait for input ourselves: crossterm, asked to read a terminal that has hung up, reads
        // end-of-file forever at full speed instead of returning (and never sees SIGHUP).
        // A running import reports progress: redraw often while it does.
        let wait = if app.busy() { 50 } else { 200 };
        if wait_for_input(wait) == Input::HungUp {
            break;
        }
        app.tick(Utc::now());
        // Everything already queued (keys, a paste arriving as keys, a resize) before drawing.
        while !app.quit && event::poll(Duration::ZERO)? {
            let ev = event::read()?;
            app.handle_event(ev);
        }
    }
    app.save_draft_now();
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
enum Input {
    /// Keys to read, or the wait ended (timeout, a signal such as a resize).
    Maybe,
    /// The terminal was closed: reading it would only ever give end-of-file.
    HungUp,
}

/// Waits up to `timeout_ms` for the terminal to have something to read.
fn wait_for_input(timeout_ms: i32) -> Input {
    let mut fd = libc::pollfd { fd: libc::STDIN_FILENO, events: libc::POLLIN, revents: 0 };
    let mut timeout = timeout_ms;
    loop {
        // SAFETY: one valid pollfd, for the duration of the call.
        let n = unsafe { libc::poll(&mut fd, 1, timeout) };
        if n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
            // a signal (resize, SIGTERM): look again without waiting, so the state is known
            timeout = 0;
            continue;
        }
        return if n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            Input::HungUp
        } else {
            Input::Maybe
        };
    }
}
