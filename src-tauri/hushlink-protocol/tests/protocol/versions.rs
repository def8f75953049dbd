//! `GET /api/v2/version` answers of the server generations Hushlink knows.

use hushlink_protocol::v2::VersionResponse;

fn parse(body: &str) -> VersionResponse {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{body}: {e}"))
}

#[test]
fn version_parts_decode_as_strings_numbers_and_suffixed_text() {
    // Recorded from a real v0.23.6 (tests/fixtures/onetime/real-v0.23.6, step v2.version.noauth).
    let real = parse(r#"{"locale":"en","version":["0","23","6"]}"#);
    assert_eq!(real.version, [0, 23, 6]);
    assert_eq!(real.major_minor(), Some((0, 23)));
    let current = parse(r#"{"success":true,"version":[0,26,"6-rc1"],"locale":"en"}"#);
    assert_eq!(current.version, [0, 26, 6]);
    assert_eq!(parse(r#"{"version":["1"]}"#).major_minor(), None);
    assert!(serde_json::from_str::<VersionResponse>(r#"{"status":"nominal"}"#).is_err());
}
