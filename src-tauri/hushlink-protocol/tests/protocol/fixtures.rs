//! Every JSON fixture in `tests/fixtures/onetime/` decodes into the type the reference says,
//! and every error body classifies to the kind its documented text means.

use std::{fs, path::PathBuf};

use hushlink_protocol::{
    errors::{classify_v1, V1ErrorKind},
    v1, v2, Phase, State,
};
use serde_json::Value;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/onetime")
}

/// The `body` of fixture `name`.
fn body(name: &str) -> Value {
    let path = fixture_dir().join(format!("{name}.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let fixture: Value = serde_json::from_str(&text).expect("fixture is JSON");
    fixture["body"].clone()
}

fn receipt(name: &str) -> v1::Receipt {
    serde_json::from_value(body(name)).unwrap_or_else(|e| panic!("{name} is a v1 receipt: {e}"))
}

#[test]
fn every_fixture_names_status_and_body() {
    let mut seen = 0;
    for entry in fs::read_dir(fixture_dir()).expect("fixture dir exists") {
        let path = entry.unwrap().path();
        // Subdirectories hold recordings of whole runs (`real-v0.23.6/`), tested by the
        // client's replay tests.
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let fixture: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let status = fixture["status"]
            .as_u64()
            .unwrap_or_else(|| panic!("{path:?} has a status"));
        assert!(fixture.get("body").is_some(), "{path:?} has a body");
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name.starts_with("v1_error") {
            assert_eq!(
                status, 404,
                "{name}: every v1 error is HTTP 404 (reference §3)"
            );
        }
        seen += 1;
    }
    assert!(
        seen >= 40,
        "one fixture per documented response, found {seen}"
    );
}

#[test]
fn share_answers_of_every_server_generation_decode() {
    for name in [
        "v1_share",
        "v1_share_v023",
        "v1_share_string_numbers",
        "v1_share_passphrase",
    ] {
        let r = receipt(name);
        assert_eq!(r.state, State::New, "{name}");
        assert_eq!(r.ttl, Some(3600), "{name}: ttl as number or string");
        assert!(
            r.share_key().is_some(),
            "{name}: a fresh share has a secret key"
        );
        assert_eq!(
            r.generated_value(),
            None,
            "{name}: share never echoes the value"
        );
    }
    assert_eq!(
        receipt("v1_share_passphrase").needs_passphrase(),
        Some(true)
    );
    assert_eq!(
        receipt("v1_share_string_numbers").needs_passphrase(),
        Some(false)
    );
    let head = receipt("v1_share");
    assert_eq!(
        head.receipt_link().unwrap(),
        format!("https://us.onetimesecret.com/receipt/{}", head.metadata_key)
    );
    assert_eq!(head.metadata_ttl, Some(7200));
    assert_eq!(head.created, Some(1_782_197_560));
}

#[test]
fn generate_carries_the_value() {
    for name in ["v1_generate", "v1_generate_v023"] {
        let r = receipt(name);
        assert_eq!(
            r.generated_value().map(|v| v.expose()),
            Some("Xk7#pQ2mZr9w"),
            "{name}"
        );
        assert!(
            r.state.is_unread(),
            "{name}: new (HEAD) or viewed (v0.23) both mean unread"
        );
    }
}

#[test]
fn receipt_states_map_to_phases() {
    let cases = [
        ("v1_receipt_new", Phase::Unread),
        ("v1_receipt_viewed_v023", Phase::Unread),
        ("v1_receipt_received", Phase::Read),
        ("v1_receipt_burned", Phase::Gone),
        ("v1_receipt_expired", Phase::Gone),
        ("v1_receipt_orphaned", Phase::Gone),
    ];
    for (name, phase) in cases {
        assert_eq!(receipt(name).state.phase(), phase, "{name}");
    }
    let received = receipt("v1_receipt_received");
    assert_eq!(
        received.share_key(),
        None,
        "received receipts have no secret key"
    );
    assert_eq!(received.secret_ttl, None);
    assert_eq!(received.received, Some(1_782_197_760));
    assert_eq!(
        receipt("v1_receipt_burned").share_key(),
        None,
        "\"\" means no key"
    );
}

#[test]
fn burn_nests_the_receipt_under_state() {
    let head: v1::BurnResponse = serde_json::from_value(body("v1_burn")).unwrap();
    assert_eq!(head.secret_shortkey.as_deref(), Some("0dbvie5b"));
    assert_eq!(
        head.state.state,
        State::New,
        "HEAD may send the stale pre-burn copy"
    );
    let relay: v1::BurnResponse = serde_json::from_value(body("v1_burn_relay")).unwrap();
    assert_eq!(relay.state.state, State::Burned);
}

#[test]
fn reveal_status_and_recent_decode() {
    let reveal: v1::RevealResponse = serde_json::from_value(body("v1_reveal")).unwrap();
    assert_eq!(reveal.value.expose(), "correct horse battery staple");
    assert_eq!(
        reveal.share_domain.as_deref(),
        Some("https://us.onetimesecret.com")
    );
    for name in ["v1_status", "v1_status_legacy", "v1_authcheck"] {
        let status: v1::StatusResponse = serde_json::from_value(body(name)).unwrap();
        assert!(status.is_nominal(), "{name}");
    }
    let recent: Vec<v1::Receipt> = serde_json::from_value(body("v1_recent")).unwrap();
    assert_eq!(recent.len(), 2);
    assert_eq!(
        recent[0].secret_key, None,
        "recent items have secret_key removed"
    );
    assert_eq!(recent[1].state, State::Received);
    let empty: Vec<v1::Receipt> = serde_json::from_value(body("v1_recent_empty")).unwrap();
    assert!(empty.is_empty());
}

#[test]
fn every_v1_error_text_classifies_to_its_documented_kind() {
    use V1ErrorKind::*;
    let cases = [
        ("v1_error_not_authorized", NotAuthorized),
        ("v1_error_unknown_secret", UnknownSecret),
        ("v1_error_nothing_to_share", Rejected),
        ("v1_error_secret_too_large", Rejected),
        ("v1_error_passphrase_too_short", Rejected),
        ("v1_error_passphrase_too_long", Rejected),
        ("v1_error_passphrase_required", Rejected),
        ("v1_error_account_required", Rejected),
        ("v1_error_generate_length", Rejected),
        ("v1_error_validation_v023", Rejected),
        ("v1_error_double_check_passphrase", WrongPassphrase),
        ("v1_error_rate_limited", RateLimited),
        ("v1_error_rate_limited_v023", RateLimited),
        ("v1_error_not_found_short_key", NotFound),
        ("v1_error_route_not_found", NotFound),
        ("v1_error_unexpected", ServerFault),
        ("v1_error_auth_disabled", AuthDisabled),
    ];
    for (name, kind) in cases {
        let err: v1::ErrorBody = serde_json::from_value(body(name)).unwrap();
        assert_eq!(classify_v1(err.text().expect("has text")), kind, "{name}");
    }
    let unknown: v1::ErrorBody = serde_json::from_value(body("v1_error_unknown_secret")).unwrap();
    assert!(
        unknown.secret_key.is_some(),
        "Unknown secret echoes the path key"
    );
}

#[test]
fn v2_batch_status_decodes_native_and_string_types() {
    let native: v2::SecretStatusBatchResponse =
        serde_json::from_value(body("v2_secret_status_batch")).unwrap();
    assert_eq!(native.count, Some(1));
    assert_eq!(native.records[0].state, State::New);
    assert_eq!(
        native.records[0].updated,
        Some(1_782_197_560),
        "float epochs are truncated"
    );
    let strings: v2::SecretStatusBatchResponse =
        serde_json::from_value(body("v2_secret_status_batch_strings")).unwrap();
    assert_eq!(strings.records[0].state, State::Previewed);
    assert_eq!(strings.records[0].has_passphrase, Some(true));
    assert_eq!(
        strings.records[0].secret_key(),
        Some("6r4zzqmbl7jm7n0dt6y38nsevqgsi8o")
    );
    let limit: v2::ErrorBody = serde_json::from_value(body("v2_error_limit_exceeded")).unwrap();
    assert_eq!(limit.retry_after, Some(1800));
    assert_eq!(limit.error_type.as_deref(), Some("LimitExceeded"));
}

#[test]
fn v2_envelopes_decode() {
    let live: v2::Envelope<v2::SecretRecord> =
        serde_json::from_value(body("v2_secret_status")).unwrap();
    assert_eq!(
        (live.record.state, live.record.has_passphrase),
        (State::New, Some(true))
    );
    let absent: v2::Envelope<v2::SecretRecord> =
        serde_json::from_value(body("v2_secret_status_unknown")).unwrap();
    assert_eq!(absent.record.state.as_str(), "unknown");
    let receipt: v2::Envelope<v2::ReceiptRecord> =
        serde_json::from_value(body("v2_receipt")).unwrap();
    assert_eq!(receipt.success, Some(true));
    assert_eq!(receipt.record.state, State::Revealed);
    assert!(receipt.record.state.is_read(), "v2 revealed is read");
    assert_eq!(receipt.record.revealed, Some(1_782_197_760));
    assert_eq!(receipt.record.updated, Some(1_782_197_760));
    assert!(
        receipt.record.recipients.is_empty(),
        "\"\" means no recipients"
    );
    assert_eq!(receipt.record.is_destroyed, Some(true));
}

#[test]
fn debug_output_never_shows_whole_keys() {
    const SK: &str = "0dbvie5bc9ec88xnt5mh0we4j65gj1pp95nr25xkddh22uv08fc5ryzlrzge6i";
    const MK: &str = "9anrj6jyrxbupnijxdpvn80uhaz6atypbampv05cz7hwxdd65g0d454u1mvhrh";
    let shown = [
        format!("{:?}", receipt("v1_generate")),
        format!(
            "{:?}",
            serde_json::from_value::<v1::BurnResponse>(body("v1_burn")).unwrap()
        ),
        format!(
            "{:?}",
            serde_json::from_value::<v1::RevealResponse>(body("v1_reveal")).unwrap()
        ),
        format!(
            "{:?}",
            serde_json::from_value::<v1::ErrorBody>(body("v1_error_unknown_secret")).unwrap()
        ),
        format!(
            "{:?}",
            serde_json::from_value::<v2::SecretStatusBatchResponse>(body("v2_secret_status_batch"))
                .unwrap()
        ),
        format!(
            "{:?}",
            serde_json::from_value::<v2::Envelope<v2::ReceiptRecord>>(body("v2_receipt")).unwrap()
        ),
        format!("{:?}", v2::SecretStatusBatchRequest::new([SK, MK])),
    ];
    for text in shown {
        assert!(
            !text.contains(SK) && !text.contains(MK),
            "whole key in {text}"
        );
        assert!(
            !text.contains("Xk7#pQ2mZr9w") && !text.contains("correct horse"),
            "secret in {text}"
        );
        assert!(
            text.contains("0dbvie5b…") || text.contains("9anrj6jy…"),
            "short key shown: {text}"
        );
    }
}
