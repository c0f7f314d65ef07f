//! caseload: a keyboard-first case management app for independent social workers.

// Screens and commands are few and long-lived; boxing them would buy nothing.
#![allow(clippy::large_enum_variant)]

pub mod app;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod export;
pub mod import;
pub mod keymap;
pub mod store;
pub mod tui;
pub mod ui;
