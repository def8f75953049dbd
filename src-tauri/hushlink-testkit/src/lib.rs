//! What Hushlink's tests share (dev-only, never a dependency of a shipped crate): servers on
//! 127.0.0.1 port 0 to test the client, the CLI and the tracker against, and the loaders of
//! the fixtures in `tests/fixtures/`.
//!
//! Every server binds its listener before its task starts, so connections queue and no test
//! sleeps to wait for one; every server stops when its handle is dropped.
//!
//! Module map:
//! - [`relay`]: [`TestRelay`], the real relay (through `hushlink_relay`'s public API) in a
//!   temp dir, with cheap Argon2 parameters ([`relay::CHEAP_HASHING`]), an optional manual
//!   clock and an optional HTTPS listener with the relay's own certificate; stop and restart
//!   on the same port and database.
//! - [`replay`]: [`ReplayServer`], which serves the answers recorded from a real Onetime
//!   release ([`replay::onetime_v0_23_6`]) exactly as recorded.
//! - [`stub`]: [`StubServer`], which answers every request with what the test's function
//!   returns and records each request: for exact documented answers and injected faults.
//! - [`fixtures`]: paths under `tests/fixtures/` and the documented Onetime answers there.
//! - [`answer`]: [`Answer`], a recorded HTTP answer (status, headers, body) as a response.
//! - [`postgres`]: [`TestPostgres`], a throwaway PostgreSQL cluster (TLS, private port and
//!   socket) for the relay's PostgreSQL engine.
//!
//! Set-up failures (a port that cannot be bound, a relay that does not open, a fixture that
//! is missing) panic with a message naming them: in a test kit they are the test's failure.
//!
//! This crate must not depend on `hushlink-client`: the client's own tests use it, and a
//! second copy of the client in their build would make its types mismatch. It may depend on
//! the relay and the protocol.

pub mod answer;
pub mod fixtures;
pub mod postgres;
pub mod relay;
pub mod replay;
mod spawn;
pub mod stub;

pub use answer::Answer;
pub use postgres::TestPostgres;
pub use relay::{Listener, TestRelay, TestRelayBuilder};
pub use replay::{Recording, ReplayServer};
pub use stub::{Seen, StubServer};
