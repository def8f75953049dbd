//! Wire types and rules of the Onetime Secret REST API, as Hushlink speaks it.
//!
//! This crate does no I/O (it reads the system clock, in [`time::SystemClock`], and nothing
//! else). The client (`hushlink-client`) and the relay (`hushlink-relay`)
//! both depend on it, so the two sides share one definition of every request, response,
//! state, error text and limit, and cannot drift apart. Protocol facts come from
//! `shared/reference/onetime-api.md`; `docs/protocol.md` records where real servers differ.
//!
//! Module map:
//! - [`secret`]: [`SecretText`], the wrapper for secret values, passphrases and tokens
//!   (zeroized on drop, redacted in `Debug`/`Display`, serialized only on purpose).
//! - [`v1`]: the v1 API (form requests, flat JSON answers, the receipt object, error bodies).
//! - [`v2`]: the v2 JSON envelope and records, as far as Hushlink uses them (batch status).
//! - [`state`]: receipt and secret [`State`]s and what they mean for a tracker.
//! - [`e2e`]: the end-to-end value format of relay links (`hushlink-e2e:v1:`).
//! - [`errors`]: the exact v1 error message texts and their classification.
//! - [`limits`]: TTL bounds, size limit, passphrase and key rules.
//! - [`note`]: the sender's note for the recipient (Hushlink extension `sender_note`).
//! - [`key`]: [`Key`], a secret, receipt or invite key checked by the [`KeyRule`] of where it
//!   came from (any server, a pasted link, a server's minting, a relay's minting).
//! - [`link`]: parse and build share and receipt links ([`Link`]).
//! - [`fingerprint`]: [`fingerprint::Fingerprint`], the text form (`AB:CD:…` or hex) of a
//!   certificate's SHA-256 fingerprint.
//! - [`invite`]: one-time relay invites: the link, the sealed payload, the accept answers;
//!   with the `seal` feature (AES-256-GCM), sealing and opening that payload.
//! - [`regions`]: the built-in catalogue of hosted Onetime Secret regions.
//! - [`time`]: [`time::UnixMillis`], the one time unit, and [`time::Clock`], the injected
//!   source of "now" ([`time::SystemClock`], [`time::ManualClock`] for tests).
//! - [`net`]: what counts as the local network (plain HTTP allowed, relay peers accepted).
//!
//! Numbers in responses are accepted as JSON numbers, numeric strings or floats, because
//! servers of different versions send all three (reference §4.9, §5.2); unknown fields are
//! ignored everywhere.

pub mod e2e;
pub mod errors;
pub mod fingerprint;
pub mod invite;
pub mod key;
pub mod limits;
pub mod link;
pub mod net;
pub mod note;
pub mod regions;
pub mod secret;
pub mod state;
pub mod time;
pub mod v1;
pub mod v2;

mod lenient;

pub use key::{Key, KeyError, KeyRule};
pub use link::{Link, LinkError, LinkKind};
pub use regions::Region;
pub use secret::SecretText;
pub use state::{Phase, State};
