//! Errors of one benchmark call. The driver counts them instead of stopping, and the run
//! fails (non-zero exit) if any occurred, so a broken server cannot look fast.

/// What went wrong in one call to a server under test.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Connecting, sending or reading failed (server down, timeout, reset).
    #[error("transport: {0}")]
    Transport(#[from] reqwest::Error),
    /// The server answered with another status than the workload expects.
    #[error("unexpected status {got} (expected {expected})")]
    Status {
        /// What came back.
        got: u16,
        /// What the workload expects.
        expected: u16,
    },
    /// The answer had the right status but not the right content (missing key, wrong value).
    #[error("unexpected answer: {0}")]
    Answer(&'static str),
    /// The server does not offer this workload (Snappass has no passphrases).
    #[error("{server} does not support the {workload} workload")]
    Unsupported {
        /// Server name.
        server: &'static str,
        /// Workload name.
        workload: &'static str,
    },
}

/// Result of one call.
pub type Result<T> = std::result::Result<T, Error>;
