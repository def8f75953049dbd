//! Commands the UI may invoke, one module per domain. A command takes managed state, calls a
//! library crate and converts the error into [`crate::error::CommandError`]; nothing more.

pub mod app;
pub mod invites;
pub mod prefs;
pub mod relay;
pub mod secrets;
