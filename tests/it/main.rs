//! The integration tests in one binary: one link and one process instead of one per file, and
//! the tests of every area share the threads. Every person in a test is synthetic.
//!
//! Shared helpers live in `common` (the app, the screen, key scripts, the command line) and the
//! client with something in every phase in `close_fixture`. Snapshots are in `snapshots/`, named
//! `it__<module>__<name>.snap`.

mod close_fixture;
mod common;

mod assessment;
mod assessment_screens;
mod cli;
mod cli_close;
mod cli_directory;
mod cli_echo;
mod cli_help;
mod cli_plan;
mod cli_small;
mod close_screens;
mod closure;
mod contracts;
mod coordination;
mod demo_today;
mod directory;
mod forms;
mod graphs;
mod module_graph;
mod notes;
mod plan;
mod plan_screens;
mod pty;
mod pty_keys;
mod readme_keys;
mod referral_picker;
mod referrals;
mod safety;
mod screens;
mod screens_directory;
mod snooze;
mod store;
mod visits;
