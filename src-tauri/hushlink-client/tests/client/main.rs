//! Integration tests of `hushlink-client` against real HTTP servers on 127.0.0.1: one binary,
//! a module per concern.

mod calls;
mod conformance;
mod e2e_vectors;
mod errors;
mod logs;
mod pin;
mod proxy;
mod replay;
mod sender_note;
mod support;
mod transport;
