//! The Rust side of the end-to-end format matches `tests/fixtures/e2e-vectors.json`, which
//! was computed independently (Python `cryptography`) and is shared with the JS reveal page.

use hushlink_client::e2e::{self, E2eError};
use hushlink_protocol::SecretText;
use serde_json::Value;

use crate::support::fixture_path;

fn vectors() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture_path("e2e-vectors.json")).unwrap())
        .unwrap()
}

fn hex<const N: usize>(s: &str) -> [u8; N] {
    let bytes: Vec<u8> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect();
    bytes.try_into().expect("hex of the right length")
}

#[test]
fn encryption_matches_every_vector() {
    let doc = vectors();
    let list = doc["vectors"].as_array().unwrap();
    assert!(
        list.len() >= 4,
        "several vectors, including empty and non-ASCII"
    );
    for v in list {
        let name = v["name"].as_str().unwrap();
        let key: [u8; 32] = hex(v["key_hex"].as_str().unwrap());
        let nonce: [u8; 12] = hex(v["nonce_hex"].as_str().unwrap());
        let plain = SecretText::from(v["plaintext"].as_str().unwrap());
        let value = e2e::encrypt_with(&key, &nonce, &plain);
        assert_eq!(
            value.expose(),
            v["value"].as_str().unwrap(),
            "{name}: value"
        );
        let back = e2e::decrypt(value.expose(), v["fragment"].as_str()).unwrap();
        assert_eq!(back, plain, "{name}: decrypts with the fragment");
    }
}

#[test]
fn invalid_inputs_fail_the_documented_way() {
    let doc = vectors();
    for v in doc["invalid"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let expected = match v["error"].as_str().unwrap() {
            "tampered" => E2eError::Tampered,
            "missing_key" => E2eError::MissingKey,
            "bad_key" => E2eError::BadKey,
            "not_encrypted" => E2eError::NotEncrypted,
            "bad_value" => E2eError::BadValue,
            other => panic!("unknown error name {other}"),
        };
        let got = e2e::decrypt(v["value"].as_str().unwrap(), v["fragment"].as_str());
        assert_eq!(got, Err(expected), "{name}");
    }
}
