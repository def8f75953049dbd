//! Wire types survive a serialize/deserialize round trip, in JSON (answers) and in form
//! encoding (requests), and secrets only leave their wrapper through the wire types.

use hushlink_protocol::{v1, v2, SecretText, State};
use proptest::prelude::*;

fn state() -> impl Strategy<Value = State> {
    prop_oneof![
        prop::sample::select(State::KNOWN.to_vec()),
        "[a-z_]{1,12}".prop_map(|s| State::parse(&s)),
    ]
}

fn secret() -> impl Strategy<Value = SecretText> {
    "\\PC{0,64}".prop_map(SecretText::from)
}

prop_compose! {
    fn receipt()(
        custid in prop::option::of("[a-z@.]{1,20}"),
        metadata_key in "[a-z0-9]{8,62}",
        secret_key in prop::option::of("[a-z0-9]{0,62}"),
        ttls in prop::array::uniform3(prop::option::of(any::<u64>())),
        times in prop::array::uniform3(prop::option::of(0u64..=u64::from(u32::MAX))),
        state in state(),
        recipient in prop::collection::vec("[a-z*@.]{1,12}", 0..3),
        share_domain in "[a-z.]{0,12}",
        passphrase_required in prop::option::of(any::<bool>()),
        value in prop::option::of(secret()),
        metadata_url in prop::option::of("https://[a-z]{1,8}\\.com/receipt/[a-z0-9]{8}"),
    ) -> v1::Receipt {
        v1::Receipt {
            custid, metadata_key, secret_key,
            ttl: ttls[0], metadata_ttl: ttls[1], secret_ttl: ttls[2],
            created: times[0], updated: times[1], received: times[2],
            state, recipient, share_domain, passphrase_required, value, metadata_url,
            ..Default::default()
        }
    }
}

proptest! {
    #[test]
    fn receipts_round_trip_through_json(r in receipt()) {
        let json = serde_json::to_string(&r).unwrap();
        let back: v1::Receipt = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &r);
        let burn = v1::BurnResponse { state: r, secret_shortkey: Some("abcdefgh".into()) };
        let back: v1::BurnResponse = serde_json::from_str(&serde_json::to_string(&burn).unwrap()).unwrap();
        prop_assert_eq!(back, burn);
    }

    #[test]
    fn share_requests_round_trip_through_form_encoding(
        secret in secret(),
        passphrase in prop::option::of(secret()),
        ttl in prop::option::of(any::<u64>()),
        recipient in prop::option::of("[a-z]{1,8}@[a-z]{1,8}\\.com"),
        sender_note in prop::option::of("[^\u{0}-\u{1f}]{1,40}"),
    ) {
        let req = v1::ShareRequest { secret, passphrase, ttl, recipient, share_domain: None, sender_note };
        let form = serde_urlencoded::to_string(&req).unwrap();
        let back: v1::ShareRequest = serde_urlencoded::from_str(&form).unwrap();
        prop_assert_eq!(&back, &req);
        let back: v1::ShareRequest = serde_json::from_str(&serde_json::to_string(&req).unwrap()).unwrap();
        prop_assert_eq!(back, req);
    }

    #[test]
    fn reveal_and_burn_requests_round_trip(passphrase in prop::option::of(secret())) {
        let reveal = v1::RevealRequest::new(passphrase.clone());
        let form = serde_urlencoded::to_string(&reveal).unwrap();
        prop_assert!(form.contains("continue=true"));
        prop_assert_eq!(serde_urlencoded::from_str::<v1::RevealRequest>(&form).unwrap(), reveal);
        let burn = v1::BurnRequest::new(passphrase);
        let form = serde_urlencoded::to_string(&burn).unwrap();
        prop_assert_eq!(serde_urlencoded::from_str::<v1::BurnRequest>(&form).unwrap(), burn);
    }

    #[test]
    fn reveal_answers_round_trip(value in secret(), key in "[a-z0-9]{8,62}") {
        let answer = v1::RevealResponse { value, secret_key: key, share_domain: Some("https://example.com".into()) };
        let back: v1::RevealResponse = serde_json::from_str(&serde_json::to_string(&answer).unwrap()).unwrap();
        prop_assert_eq!(back, answer);
    }

    #[test]
    fn receipt_numbers_may_arrive_as_strings_or_floats(r in receipt(), forms in prop::collection::vec(0u8..3, 6)) {
        let mut json = serde_json::to_value(&r).unwrap();
        let fields = ["ttl", "metadata_ttl", "secret_ttl", "created", "updated", "received"];
        for (field, form) in fields.iter().zip(forms) {
            let Some(n) = json.get(*field).and_then(serde_json::Value::as_u64) else { continue };
            json[*field] = match form {
                0 => serde_json::Value::from(n),
                1 => serde_json::Value::from(n.to_string()),
                // Floats are exact only below 2^53; larger epochs do not occur.
                _ if n < (1 << 53) => serde_json::Value::from(n as f64 + 0.25),
                _ => serde_json::Value::from(n),
            };
        }
        let back: v1::Receipt = serde_json::from_value(json).unwrap();
        prop_assert_eq!(back, r);
    }

    #[test]
    fn states_round_trip(s in state()) {
        let back: State = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        prop_assert_eq!(back, s);
    }
}

#[test]
fn ttl_params_are_read_like_onetime_reads_them() {
    let cases = [
        ("ttl=3600", Some(3600)),
        ("ttl=abc", Some(0)),
        ("ttl=12abc", Some(12)),
        ("ttl=", None),
        ("", None),
    ];
    for (form, ttl) in cases {
        let req: v1::GenerateRequest = serde_urlencoded::from_str(form).unwrap();
        assert_eq!(req.ttl, ttl, "{form}");
    }
    let req: v1::ShareRequest = serde_json::from_str(r#"{"secret":"s","ttl":"900"}"#).unwrap();
    assert_eq!(
        req.ttl,
        Some(900),
        "JSON bodies may send numbers as strings"
    );
}

#[test]
fn empty_requests_send_no_secret_fields() {
    let form = serde_urlencoded::to_string(v1::GenerateRequest::default()).unwrap();
    assert_eq!(form, "", "absent optional fields are not sent");
    let form = serde_urlencoded::to_string(v1::BurnRequest::new(None)).unwrap();
    assert_eq!(form, "continue=true");
}

#[test]
fn batch_request_joins_keys() {
    let req = v2::SecretStatusBatchRequest::new(["abc", "def"]);
    assert_eq!(
        serde_urlencoded::to_string(&req).unwrap(),
        "identifiers=abc%2Cdef"
    );
    assert_eq!(req.keys().collect::<Vec<_>>(), ["abc", "def"]);
}

#[test]
fn debug_of_wire_types_redacts_secrets() {
    let req = v1::ShareRequest {
        secret: "hunter2".into(),
        passphrase: Some("swordfish".into()),
        ttl: None,
        recipient: None,
        share_domain: None,
        sender_note: None,
    };
    let debug = format!("{req:?}");
    assert!(
        !debug.contains("hunter2") && !debug.contains("swordfish"),
        "{debug}"
    );
}

#[test]
fn the_sender_note_is_sent_only_when_set() {
    let mut req = v1::ShareRequest::new("hunter2".into());
    let form = serde_urlencoded::to_string(&req).unwrap();
    assert!(!form.contains(hushlink_protocol::note::FIELD), "{form}");
    req.sender_note = Some("Sam from IT & co".into());
    let form = serde_urlencoded::to_string(&req).unwrap();
    assert!(form.contains("sender_note=Sam+from+IT+%26+co"), "{form}");
    // A form from a client that does not know the field reads as no note.
    let plain: v1::ShareRequest = serde_urlencoded::from_str("secret=x&ttl=60").unwrap();
    assert_eq!(plain.sender_note, None);
}
