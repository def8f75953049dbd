//! The v2 records and envelopes the relay answers with (reference §5.2).
//!
//! `hushlink-protocol` defines the v2 types Hushlink's client reads (status, batch status,
//! the secret record, the error body); those are used as they are. The receipt record and the
//! create/reveal envelopes exist only on the server side, so they are built here as JSON, with
//! the field names and integer types of the reference. Extensions (additive, documented in
//! `docs/relay.md`): `e2e`, `burn_reason`, `revealed_from`, and `details.secret_value` on
//! generate.

use hushlink_protocol::v2::SecretRecord;
use hushlink_protocol::{limits, State as WireState};
use serde::Serialize;
use serde_json::{json, Value};

use crate::keys::Key;
use crate::model::BurnReason;
use crate::model::{Receipt, ReceiptState, RecentReceipt, SecretStatus};

/// v2 wire name of a state.
pub fn v2_state(state: ReceiptState) -> WireState {
    match state {
        ReceiptState::New => WireState::New,
        ReceiptState::Received => WireState::Revealed,
        ReceiptState::Burned => WireState::Burned,
        ReceiptState::Expired => WireState::Expired,
    }
}

fn short(key: &str) -> String {
    key.chars().take(limits::SHORTKEY_LEN).collect()
}

fn unsigned(secs: i64) -> u64 {
    u64::try_from(secs).unwrap_or(0)
}

/// The secret record for a key and what its receipt says.
pub fn secret_record(key: &str, status: Option<&SecretStatus>) -> SecretRecord {
    let Some(status) = status else {
        return SecretRecord {
            identifier: Some(key.to_owned()),
            key: Some(key.to_owned()),
            state: WireState::Unknown("unknown".into()),
            ..SecretRecord::default()
        };
    };
    let revealed = status.state == ReceiptState::Received;
    SecretRecord {
        identifier: Some(key.to_owned()),
        key: Some(key.to_owned()),
        shortid: Some(short(key)),
        state: v2_state(status.state),
        lifespan: Some(status.ttl),
        secret_ttl: status.remaining_secs,
        has_passphrase: Some(status.has_passphrase),
        created: Some(unsigned(status.created_at)),
        updated: Some(unsigned(status.updated_at)),
        is_previewed: Some(false),
        is_revealed: Some(revealed),
        is_viewed: Some(false),
        is_received: Some(revealed),
        secret_value: None,
    }
}

/// The status of a receipt's secret, for its secret record.
pub fn status_of(receipt: &Receipt) -> SecretStatus {
    SecretStatus {
        state: receipt.state,
        has_passphrase: receipt.has_passphrase,
        created_at: receipt.created_at,
        updated_at: receipt.updated_at,
        ttl: receipt.ttl,
        remaining_secs: receipt.secret_ttl_remaining(),
        received_at: receipt.received_at,
    }
}

/// The v2 receipt record (reference §5.2, `Receipt` safe_dump plus the links of
/// `GET /receipt/KEY`), with Hushlink's extensions at the end.
#[derive(Serialize)]
pub struct ReceiptRecord {
    identifier: String,
    key: String,
    shortid: String,
    custid: Option<String>,
    owner_id: Option<String>,
    state: WireState,
    secret_identifier: Option<String>,
    secret_shortid: Option<String>,
    secret_state: WireState,
    secret_ttl: u64,
    metadata_ttl: u64,
    receipt_ttl: u64,
    lifespan: u64,
    share_domain: Option<String>,
    created: u64,
    updated: u64,
    shared: Option<u64>,
    previewed: Option<u64>,
    viewed: Option<u64>,
    revealed: Option<u64>,
    received: Option<u64>,
    burned: Option<u64>,
    recipients: &'static str,
    recipient_name: Option<String>,
    memo: Option<String>,
    show_recipients: bool,
    is_previewed: bool,
    is_viewed: bool,
    is_revealed: bool,
    is_received: bool,
    is_burned: bool,
    is_expired: bool,
    is_orphaned: bool,
    is_destroyed: bool,
    has_passphrase: bool,
    kind: &'static str,
    source: &'static str,
    natural_expiration: u64,
    expiration: u64,
    expiration_in_seconds: u64,
    share_path: Option<String>,
    burn_path: String,
    receipt_path: String,
    metadata_path: String,
    share_url: Option<String>,
    receipt_url: String,
    metadata_url: String,
    burn_url: String,
    /// Extension: the value is end-to-end ciphertext.
    e2e: bool,
    /// Extension: why it was burned (`sender`, `passphrase_attempts`).
    burn_reason: Option<BurnReason>,
    /// Extension: the address it was revealed from.
    revealed_from: Option<String>,
}

/// The receipt record with its links (`GET /receipt/KEY`, burn, recent, create).
pub fn receipt_record(receipt: &Receipt, origin: &str) -> ReceiptRecord {
    let key = receipt.receipt_key.expose().to_owned();
    let secret_key = receipt.secret_key.as_ref().map(|k| k.expose().to_owned());
    let state = receipt.state;
    let when = |at: Option<i64>, wanted: ReceiptState| {
        if state == wanted {
            at.map(unsigned)
        } else {
            None
        }
    };
    let revealed = when(receipt.received_at, ReceiptState::Received);
    ReceiptRecord {
        shortid: short(&key),
        custid: None,
        owner_id: None,
        state: v2_state(state),
        secret_shortid: secret_key.as_deref().map(short),
        secret_state: v2_state(state),
        secret_ttl: receipt.ttl,
        metadata_ttl: receipt.ttl,
        receipt_ttl: receipt.ttl,
        lifespan: receipt.ttl,
        share_domain: None,
        created: unsigned(receipt.created_at),
        updated: unsigned(receipt.updated_at),
        shared: None,
        previewed: None,
        viewed: None,
        revealed,
        received: revealed,
        burned: when(receipt.burned_at, ReceiptState::Burned),
        recipients: "",
        recipient_name: None,
        memo: None,
        show_recipients: false,
        is_previewed: false,
        is_viewed: false,
        is_revealed: state == ReceiptState::Received,
        is_received: state == ReceiptState::Received,
        is_burned: state == ReceiptState::Burned,
        is_expired: state == ReceiptState::Expired,
        is_orphaned: false,
        is_destroyed: state != ReceiptState::New,
        has_passphrase: receipt.has_passphrase,
        kind: if receipt.generated {
            "generate"
        } else {
            "conceal"
        },
        source: "standard",
        natural_expiration: unsigned(receipt.secret_expires_at),
        expiration: unsigned(receipt.secret_expires_at),
        expiration_in_seconds: receipt.secret_ttl_remaining().unwrap_or(0),
        share_path: secret_key.as_ref().map(|k| format!("secret/{k}")),
        burn_path: format!("receipt/{key}/burn"),
        receipt_path: format!("receipt/{key}"),
        metadata_path: format!("receipt/{key}"),
        share_url: secret_key.as_ref().map(|k| format!("{origin}/secret/{k}")),
        receipt_url: format!("{origin}/receipt/{key}"),
        metadata_url: format!("{origin}/receipt/{key}"),
        burn_url: format!("{origin}/receipt/{key}/burn"),
        e2e: receipt.e2e,
        burn_reason: receipt.burn_reason,
        revealed_from: receipt
            .received_ip
            .clone()
            .filter(|_| state == ReceiptState::Received),
        secret_identifier: secret_key,
        identifier: key.clone(),
        key,
    }
}

/// A `recent` record: the state and times of one receipt of the token, under the access
/// log's key id. Deliberately not a receipt record (docs/relay.md, "Differences from
/// Onetime"): no `secret_identifier`, share or receipt link, or any other key, because a
/// token must not lead to the secrets it created. `identifier`, `key` and `shortid` carry
/// the key id so clients that index records by them still can.
pub fn recent_record(receipt: &RecentReceipt) -> Value {
    let state = receipt.state;
    json!({
        "identifier": receipt.key_id,
        "key": receipt.key_id,
        "shortid": receipt.key_id,
        "key_id": receipt.key_id,
        "state": v2_state(state),
        "secret_state": v2_state(state),
        "secret_ttl": receipt.secret_ttl_remaining(),
        "receipt_ttl": receipt.receipt_ttl_remaining(),
        "metadata_ttl": receipt.receipt_ttl_remaining(),
        "lifespan": receipt.ttl,
        "created": unsigned(receipt.created_at),
        "updated": unsigned(receipt.updated_at),
        "revealed": receipt.received_at.map(unsigned),
        "received": receipt.received_at.map(unsigned),
        "burned": receipt.burned_at.map(unsigned),
        "expiration": unsigned(receipt.secret_expires_at),
        "is_revealed": state == ReceiptState::Received,
        "is_received": state == ReceiptState::Received,
        "is_burned": state == ReceiptState::Burned,
        "is_expired": state == ReceiptState::Expired,
        "is_destroyed": state != ReceiptState::New,
        "has_passphrase": receipt.has_passphrase,
        "kind": if receipt.generated { "generate" } else { "conceal" },
        "e2e": receipt.e2e,
        "burn_reason": receipt.burn_reason,
    })
}

/// `details` of a receipt answer: what the page shows, plus when and from where it was read.
pub fn receipt_details(receipt: &Receipt) -> Value {
    let live = receipt.state == ReceiptState::New;
    json!({
        "type": "record",
        "has_passphrase": receipt.has_passphrase,
        "can_decrypt": live,
        "show_secret": false,
        "show_secret_link": live,
        "show_receipt_link": true,
        "show_receipt": true,
        "show_recipients": false,
        "no_cache": true,
        "secret_realttl": receipt.secret_ttl_remaining(),
        "view_count": null,
        // Hushlink extensions: the sender learns when, from where and why.
        "revealed_at": receipt.received_at,
        "revealed_from": receipt.received_ip,
        "burned_at": receipt.burned_at,
        "burn_reason": receipt.burn_reason,
    })
}

/// The create envelope (conceal and generate).
pub fn create_envelope(
    receipt: &Receipt,
    origin: &str,
    kind: &str,
    generated: Option<&str>,
) -> Value {
    let record = receipt_record(receipt, origin);
    let secret_key = receipt.secret_key.as_ref().map_or("", Key::expose);
    let mut details = json!({ "kind": kind, "recipient": [], "recipient_safe": [] });
    if let Some(value) = generated {
        details["secret_value"] = json!(value);
    }
    json!({
        "success": true,
        "record": {
            "receipt": record,
            "metadata": record,
            "secret": secret_record(secret_key, Some(&status_of(receipt))),
            "share_domain": null,
        },
        "details": details,
    })
}
