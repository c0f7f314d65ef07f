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

struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

pub fn run(mut app: App) -> anyhow::Result<()> {
    install_signal_handlers();
    TUI_ACTIVE.store(true, Ordering::SeqCst);
    terminal::enable_raw_mode()?;
    let _guard = Guard;
    let mut out: Stdout = io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(out))?;
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    app.sync();

    loop {
        terminal.draw(|f| crate::ui::render(f, &app))?;
        if app.quit {
            break;
        }
        if SIGNAL.load(Ordering::SeqCst) != 0 {
            app.save_draft_now();
            break;
        }
        // a running import reports progress; redraw often while it does
        let wait = if app.busy() { 50 } else { 200 };
        if event::poll(Duration::from_millis(wait))? {
            let ev = event::read()?;
            app.tick(Utc::now());
            app.handle_event(ev);
            // Drain what is already queued (a paste arriving as keys, fast typing) before drawing.
            while !app.quit && event::poll(Duration::from_millis(0))? {
                let ev = event::read()?;
                app.handle_event(ev);
            }
        } else {
            app.tick(Utc::now());
        }
    }
    app.save_draft_now();
    Ok(())
}
