//! End-to-end tests of the `hushlink` binary against the real relay and the recorded answers
//! of a real Onetime server (both from `hushlink-testkit`).

mod flows;
mod pin;
mod prompt;
mod replay;
mod support;
