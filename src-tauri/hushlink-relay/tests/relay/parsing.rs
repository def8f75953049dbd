//! Property test of request parsing, bounded in cases so it runs in CI in about a second:
//! any parameters survive every encoding unchanged, and no body makes the parser panic.

use axum::body::Bytes;
use hushlink_relay::http::params::Params;
use proptest::prelude::*;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

fn multipart(fields: &[(String, String)]) -> String {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--BOUNDARY\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body + "--BOUNDARY--\r\n"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn parameters_survive_every_encoding(
        fields in prop::collection::btree_map("[a-z_]{1,12}", "[^\r\u{0}]{0,40}", 1..6)
    ) {
        let fields: Vec<(String, String)> = fields.into_iter().collect();
        let form = serde_urlencoded::to_string(&fields).unwrap();
        let json = serde_json::to_string(&fields.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect::<serde_json::Map<String, serde_json::Value>>()).unwrap();
        let rt = runtime();
        let parsed = [
            rt.block_on(Params::parse(Some("application/x-www-form-urlencoded"), None, Bytes::from(form.clone()))),
            rt.block_on(Params::parse(None, Some(&form), Bytes::new())),
            rt.block_on(Params::parse(Some("application/json"), None, Bytes::from(json))),
        ];
        for params in parsed {
            let params = params.unwrap();
            for (name, value) in &fields {
                prop_assert_eq!(params.text(name), Some(value.as_str()));
            }
        }
        // Multipart values cannot hold the boundary line; names are plain.
        if fields.iter().all(|(_, v)| !v.contains("--BOUNDARY") && !v.contains('\n')) {
            let params = rt.block_on(Params::parse(
                Some("multipart/form-data; boundary=BOUNDARY"), None, Bytes::from(multipart(&fields)),
            )).unwrap();
            for (name, value) in &fields {
                prop_assert_eq!(params.text(name), Some(value.as_str()));
            }
        }
    }

    #[test]
    fn arbitrary_bodies_never_panic(
        body in prop::collection::vec(any::<u8>(), 0..300),
        content_type in prop::sample::select(vec![
            "application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=a",
            "multipart/form-data", "text/plain", "",
        ]),
        query in "[ -~]{0,40}",
    ) {
        let rt = runtime();
        let _ = rt.block_on(Params::parse(Some(content_type), Some(&query), Bytes::from(body)));
    }
}
