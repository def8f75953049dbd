//! Exit codes: one per kind of failure, so scripts can branch without parsing text.
//! The table is printed in `--help` and documented in `docs/protocol.md`; codes never change.

use hushlink_client::Error;

/// Success.
pub const OK: u8 = 0;
/// Anything not listed below (local I/O, no terminal for a prompt, setup).
pub const OTHER: u8 = 1;
/// Bad command line (clap exits with it itself; kept here for the table and tests).
#[cfg_attr(not(test), allow(dead_code))]
pub const USAGE: u8 = 2;
/// Invalid link, server URL, key or settings; plain http:// to a public host.
pub const INVALID_INPUT: u8 = 3;
/// Server unreachable or too slow.
pub const UNREACHABLE: u8 = 4;
/// TLS failure (certificate, host name, a certificate that does not match --pin).
pub const TLS: u8 = 5;
/// Credentials missing, refused, or not accepted by this server.
pub const CREDENTIALS: u8 = 6;
/// The secret or receipt is gone (viewed, burned, expired, never existed).
pub const GONE: u8 = 7;
/// Wrong or missing passphrase.
pub const PASSPHRASE: u8 = 8;
/// Rate limited.
pub const RATE_LIMITED: u8 = 9;
/// The server refused the input (its message is printed).
pub const REJECTED: u8 = 10;
/// The server failed internally.
pub const SERVER_ERROR: u8 = 11;
/// Not an Onetime server, call unsupported, or redirected elsewhere.
pub const NOT_ONETIME: u8 = 12;
/// An end-to-end secret could not be decrypted.
pub const DECRYPT: u8 = 13;

/// The table shown at the end of `--help`.
pub const HELP: &str = "\
Exit codes:
   0  success
   1  other failure (local I/O, no terminal for a prompt)
   2  bad command line
   3  invalid link, server URL, key or settings; http:// to a public host
   4  server unreachable or too slow
   5  TLS failure (also: the certificate does not match --pin)
   6  credentials missing or refused
   7  secret or receipt gone (viewed, burned, expired, never existed);
      also 'gone or wrong passphrase' when the server cannot tell which
   8  wrong or missing passphrase
   9  rate limited
  10  the server refused the input
  11  server error
  12  not an Onetime server, unsupported call, or redirected
  13  end-to-end secret could not be decrypted";

/// The exit code for a client error.
pub fn for_error(error: &Error) -> u8 {
    match error {
        Error::InvalidUrl { .. }
        | Error::InsecureUrl { .. }
        | Error::InvalidKey { .. }
        | Error::InvalidConfig { .. } => INVALID_INPUT,
        Error::Unreachable { .. } | Error::Timeout => UNREACHABLE,
        Error::Tls { .. } | Error::PinMismatch { .. } => TLS,
        Error::BadCredentials | Error::CredentialsRequired | Error::AuthDisabled => CREDENTIALS,
        Error::SecretGone | Error::ReceiptGone | Error::SecretGoneOrWrongPassphrase => GONE,
        Error::WrongPassphrase | Error::PassphraseRequired => PASSPHRASE,
        Error::RateLimited { .. } => RATE_LIMITED,
        Error::Rejected { .. } => REJECTED,
        Error::ServerError { .. } => SERVER_ERROR,
        // A server that cannot list recent secrets (v0.23.6's broken `recent`) does not
        // offer that call in effect; retrying will not help, unlike a server error.
        Error::NotOnetime { .. }
        | Error::Unsupported { .. }
        | Error::Redirected { .. }
        | Error::RecentUnavailable => NOT_ONETIME,
        Error::Decrypt(_) => DECRYPT,
        _ => OTHER,
    }
}
