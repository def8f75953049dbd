//! The exact error texts of the Onetime API (reference §4.3, §4.10, §5.3, §7).
//!
//! v1 answers nearly every error with HTTP 404 and `{"message": TEXT}`, so the text is the
//! only thing that tells "secret gone" from "not authorized" from "rate limited". The client
//! classifies answers with [`classify_v1`]; the relay sends the same constants. Keeping them in
//! one place means the two cannot drift.

use crate::limits;

/// Header HEAD adds to v1 errors with the status it would have used (`401`, `400`).
pub const INTENDED_STATUS_HEADER: &str = "X-OTS-Intended-Status";

/// Missing credentials on an auth-only route, or any invalid `Authorization` header.
pub const NOT_AUTHORIZED: &str = "Not authorized";
/// Unknown, consumed or expired secret or receipt; also a wrong passphrase on reveal.
pub const UNKNOWN_SECRET: &str = "Unknown secret";
/// `secret` missing or empty on share.
pub const NOTHING_TO_SHARE: &str = "You did not provide anything to share";
/// Wrong passphrase on burn (v1 locale text; v2 also uses it on burn).
pub const DOUBLE_CHECK_PASSPHRASE: &str = "Double check that passphrase";
/// Fallback wrong-passphrase text (v1 without locale, v2 reveal).
pub const INCORRECT_PASSPHRASE: &str = "Incorrect passphrase";
/// A passphrase is mandatory on this server.
pub const PASSPHRASE_REQUIRED: &str = "A passphrase is required for all secrets";
/// v1 rate limit at HEAD.
pub const RATE_LIMITED: &str = "Rate limit exceeded. Please try again later.";
/// v1 rate limit in v0.23 and older.
pub const RATE_LIMITED_LEGACY: &str = "Cripes! You have been rate limited.";
/// Path key shorter than 20 characters (HEAD).
pub const NOT_FOUND: &str = "Not Found";
/// v1 catch-all for server faults (and, at HEAD, passphrase lockout).
pub const UNEXPECTED: &str = "An unexpected error occurred :[";
/// `recipient` given by an anonymous caller.
pub const ACCOUNT_REQUIRED_FOR_EMAIL: &str = "An account is required to send emails.";
/// `length` above the maximum on generate.
pub const GENERATE_LENGTH_TOO_LONG: &str =
    "Generated password length must be no more than 128 characters";
/// The secret value above the hosted size limit (10,000 bytes).
pub const SECRET_TOO_LARGE: &str = "Secret value exceeds the maximum size of 10000 bytes";
/// v2 passphrase lockout (HTTP 429).
pub const TOO_MANY_PASSPHRASE_ATTEMPTS: &str =
    "Too many incorrect passphrase attempts. Please try again later.";
/// v2 401 body `error`.
pub const AUTHENTICATION_REQUIRED: &str = "Authentication Required";

/// "Secret value exceeds the maximum size of N bytes", for a server with another limit.
pub fn secret_too_large(max_bytes: usize) -> String {
    format!("Secret value exceeds the maximum size of {max_bytes} bytes")
}

/// "Passphrase must be at least N characters long".
pub fn passphrase_too_short(min_chars: usize) -> String {
    format!("Passphrase must be at least {min_chars} characters long")
}

/// "Passphrase must be no more than N characters long".
pub fn passphrase_too_long(max_chars: usize) -> String {
    format!("Passphrase must be no more than {max_chars} characters long")
}

/// "Undeliverable email address: X".
pub fn undeliverable_email(address: &str) -> String {
    format!("Undeliverable email address: {address}")
}

/// "/api/v1/PATH is not available": credentials sent to a server with authentication off.
pub fn not_available(path: &str) -> String {
    format!("/api/v1/{} is not available", path.trim_start_matches('/'))
}

/// What a v1 error message means. Texts not listed here are server-side validation messages,
/// which are safe to show the user as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum V1ErrorKind {
    /// [`NOT_AUTHORIZED`].
    NotAuthorized,
    /// [`UNKNOWN_SECRET`]: gone, never existed, or (on reveal) a wrong passphrase.
    UnknownSecret,
    /// [`DOUBLE_CHECK_PASSPHRASE`] or [`INCORRECT_PASSPHRASE`].
    WrongPassphrase,
    /// [`RATE_LIMITED`] or [`RATE_LIMITED_LEGACY`].
    RateLimited,
    /// [`NOT_FOUND`]: the key was too short to be a key, or the route does not exist.
    NotFound,
    /// [`UNEXPECTED`]: a server fault (or HEAD's passphrase lockout).
    ServerFault,
    /// "... is not available": authentication is disabled on this server.
    AuthDisabled,
    /// Anything else: the server rejected the input; the text says why.
    Rejected,
}

/// Classifies a v1 error `message` by its exact text (reference §4.10).
pub fn classify_v1(message: &str) -> V1ErrorKind {
    match message.trim() {
        NOT_AUTHORIZED => V1ErrorKind::NotAuthorized,
        UNKNOWN_SECRET => V1ErrorKind::UnknownSecret,
        DOUBLE_CHECK_PASSPHRASE | INCORRECT_PASSPHRASE => V1ErrorKind::WrongPassphrase,
        RATE_LIMITED | RATE_LIMITED_LEGACY => V1ErrorKind::RateLimited,
        NOT_FOUND => V1ErrorKind::NotFound,
        UNEXPECTED => V1ErrorKind::ServerFault,
        m if m.starts_with("/api/") && m.ends_with(" is not available") => {
            V1ErrorKind::AuthDisabled
        }
        _ => V1ErrorKind::Rejected,
    }
}

/// The size-limit text for the hosted limit, checked against [`limits::MAX_SECRET_BYTES`].
pub fn hosted_secret_too_large() -> String {
    secret_too_large(limits::MAX_SECRET_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatted_texts_match_the_constants() {
        assert_eq!(hosted_secret_too_large(), SECRET_TOO_LARGE);
        assert_eq!(
            passphrase_too_short(4),
            "Passphrase must be at least 4 characters long"
        );
        assert_eq!(
            not_available("authcheck"),
            "/api/v1/authcheck is not available"
        );
    }

    #[test]
    fn classification_uses_exact_texts() {
        assert_eq!(classify_v1("Unknown secret"), V1ErrorKind::UnknownSecret);
        assert_eq!(classify_v1("Not authorized"), V1ErrorKind::NotAuthorized);
        assert_eq!(classify_v1(RATE_LIMITED_LEGACY), V1ErrorKind::RateLimited);
        assert_eq!(
            classify_v1("Double check that passphrase"),
            V1ErrorKind::WrongPassphrase
        );
        assert_eq!(
            classify_v1(&not_available("share")),
            V1ErrorKind::AuthDisabled
        );
        assert_eq!(classify_v1(NOTHING_TO_SHARE), V1ErrorKind::Rejected);
        assert_eq!(
            classify_v1("unknown secret"),
            V1ErrorKind::Rejected,
            "texts are exact"
        );
    }
}
