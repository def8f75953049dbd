//! End-to-end tests of the `hushlink` binary against an in-memory Onetime server.

mod flows;
mod prompt;
mod replay;
mod support;
