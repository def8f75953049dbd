//! End-to-end tests of the `hushlink` binary against an in-memory Onetime server.

mod flows;
mod pin;
mod prompt;
mod replay;
mod support;
