use std::time::{Duration, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderValue, LOCATION, RETRY_AFTER};

use super::*;

fn ctx(gone: Gone, creds: bool) -> Ctx<'static> {
    Ctx {
        call: "test",
        gone,
        sent_credentials: creds,
        optional_route: false,
        sent: &["hunter2", "swordfish"],
    }
}

fn err(ctx: &Ctx<'_>, status: u16, body: &str) -> Error {
    interpret::<serde_json::Value>(ctx, status, &HeaderMap::new(), body.as_bytes()).unwrap_err()
}

#[test]
fn not_authorized_depends_on_whether_credentials_were_sent() {
    let body = r#"{"message":"Not authorized"}"#;
    assert_eq!(
        err(&ctx(Gone::None, true), 404, body),
        Error::BadCredentials
    );
    assert_eq!(
        err(&ctx(Gone::None, false), 404, body),
        Error::CredentialsRequired
    );
    assert_eq!(
        err(&ctx(Gone::None, true), 401, "<html>Unauthorized</html>"),
        Error::BadCredentials
    );
}

#[test]
fn unknown_secret_depends_on_the_call() {
    let body = r#"{"message":"Unknown secret","secret_key":"abc"}"#;
    assert_eq!(
        err(&ctx(Gone::Reveal, false), 404, body),
        Error::SecretGoneOrWrongPassphrase
    );
    assert_eq!(err(&ctx(Gone::Secret, false), 404, body), Error::SecretGone);
    assert_eq!(
        err(&ctx(Gone::Receipt, false), 404, body),
        Error::ReceiptGone
    );
    assert!(matches!(
        err(&ctx(Gone::None, false), 404, body),
        Error::Rejected { .. }
    ));
    let short_key = r#"{"message":"Not Found"}"#;
    assert_eq!(
        err(&ctx(Gone::Receipt, false), 404, short_key),
        Error::ReceiptGone
    );
    let v2_missing = r#"{"error_type":"RecordNotFound"}"#;
    assert_eq!(
        err(&ctx(Gone::Secret, false), 404, v2_missing),
        Error::SecretGone
    );
}

#[test]
fn unknown_routes_are_unsupported_and_html_is_foreign() {
    assert_eq!(
        err(&ctx(Gone::None, false), 404, r#"{"error":"Not Found"}"#),
        Error::Unsupported { call: "test" }
    );
    let mut optional = ctx(Gone::None, false);
    optional.optional_route = true;
    assert_eq!(
        err(&optional, 404, "not found"),
        Error::Unsupported { call: "test" }
    );
    assert!(matches!(
        err(&ctx(Gone::None, false), 404, "<html>nope</html>"),
        Error::NotOnetime { status: 404, .. }
    ));
    assert!(matches!(
        err(&ctx(Gone::None, false), 200, "<html>hi</html>"),
        Error::NotOnetime { status: 200, .. }
    ));
    assert_eq!(
        err(&ctx(Gone::None, false), 502, "Bad gateway"),
        Error::ServerError { status: 502 }
    );
}

#[test]
fn texts_map_to_kinds() {
    let c = ctx(Gone::Secret, false);
    assert_eq!(
        err(&c, 404, r#"{"message":"Double check that passphrase"}"#),
        Error::WrongPassphrase
    );
    assert_eq!(
        err(&c, 422, r#"{"error":"Incorrect passphrase"}"#),
        Error::WrongPassphrase
    );
    assert_eq!(
        err(&c, 404, r#"{"message":"An unexpected error occurred :["}"#),
        Error::ServerError { status: 404 }
    );
    assert_eq!(
        err(&c, 404, r#"{"message":"/api/v1/status is not available"}"#),
        Error::AuthDisabled
    );
    assert_eq!(
        err(
            &c,
            404,
            r#"{"message":"Cripes! You have been rate limited."}"#
        ),
        Error::RateLimited { retry_after: None }
    );
    assert_eq!(
        err(
            &c,
            404,
            r#"{"message":"You did not provide anything to share"}"#
        ),
        Error::Rejected {
            message: "You did not provide anything to share".into()
        }
    );
}

#[test]
fn rate_limits_carry_retry_after_from_header_or_body() {
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, HeaderValue::from_static("120"));
    let e = interpret::<serde_json::Value>(&ctx(Gone::None, false), 429, &headers, b"slow down")
        .unwrap_err();
    assert_eq!(
        e,
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(120))
        }
    );
    let body = br#"{"error":"Too many incorrect passphrase attempts. Please try again later.","retry_after":1800}"#;
    let e = interpret::<serde_json::Value>(&ctx(Gone::None, false), 429, &HeaderMap::new(), body)
        .unwrap_err();
    assert_eq!(
        e,
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(1800))
        }
    );
}

#[test]
fn retry_after_reads_http_dates() {
    let mut headers = HeaderMap::new();
    headers.insert(
        RETRY_AFTER,
        HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
    );
    let now = UNIX_EPOCH + Duration::from_secs(784_111_777 - 90);
    assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(90)));
    headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
    assert_eq!(retry_after(&headers, now), None);
}

#[test]
fn redirects_report_only_the_target_origin() {
    let mut headers = HeaderMap::new();
    headers.insert(
        LOCATION,
        HeaderValue::from_static("https://evil.example:8443/steal?key=abc"),
    );
    let e =
        interpret::<serde_json::Value>(&ctx(Gone::None, false), 302, &headers, b"").unwrap_err();
    assert_eq!(
        e,
        Error::Redirected {
            status: 302,
            location: "https://evil.example:8443".into()
        }
    );
}

#[test]
fn excerpts_never_echo_what_we_sent() {
    let body = format!(
        "<html><body>Echo: hunter2 and swordfish {}</body></html>",
        "x".repeat(500)
    );
    let e = err(&ctx(Gone::None, false), 200, &body);
    let Error::NotOnetime { excerpt, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(
        !excerpt.contains("hunter2") && !excerpt.contains("swordfish"),
        "{excerpt}"
    );
    assert!(
        excerpt.chars().count() <= EXCERPT_CHARS + 1,
        "truncated: {}",
        excerpt.len()
    );
    let rejected = err(
        &ctx(Gone::None, false),
        404,
        r#"{"message":"bad value hunter2"}"#,
    );
    assert_eq!(
        rejected,
        Error::Rejected {
            message: "bad value [redacted]".into()
        }
    );
}

#[test]
fn wrapped_v024_bodies_are_unwrapped() {
    let body = br#"{"success":true,"data":{"status":"nominal"}}"#;
    let v: hushlink_protocol::v1::StatusResponse =
        interpret(&ctx(Gone::None, false), 200, &HeaderMap::new(), body).unwrap();
    assert!(v.is_nominal());
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    fn body(secret: String) -> impl Strategy<Value = String> {
        let s = secret.clone();
        let t = secret.clone();
        prop_oneof![
            "\\PC{0,300}".prop_map(move |noise| format!("<html>{noise}{secret}{noise}</html>")),
            "[a-zA-Z .]{0,40}".prop_map(move |m| {
                serde_json::json!({ "message": format!("{m} {s}") }).to_string()
            }),
            "[a-zA-Z .]{0,40}"
                .prop_map(move |m| serde_json::json!({ "error": format!("{t}{m}") }).to_string()),
        ]
    }

    proptest! {
        #[test]
        fn no_error_repeats_what_we_sent(
            (secret, body) in "[0-9]{8,16}".prop_flat_map(|s| (Just(s.clone()), body(s))),
            status in prop::sample::select(vec![200u16, 400, 401, 403, 404, 422, 429, 500, 502]),
            gone in prop::sample::select(vec![Gone::Reveal, Gone::Secret, Gone::Receipt, Gone::None]),
        ) {
            let sent = [secret.as_str()];
            let ctx = Ctx { call: "test", gone, sent_credentials: false, optional_route: false, sent: &sent };
            let result = interpret::<hushlink_protocol::v1::StatusResponse>(&ctx, status, &HeaderMap::new(), body.as_bytes());
            let err = result.expect_err("none of these bodies is a status answer");
            let shown = format!("{err} {err:?}");
            prop_assert!(!shown.contains(&secret), "{shown}");
            if let Error::NotOnetime { excerpt, .. } = &err {
                prop_assert!(excerpt.chars().count() <= EXCERPT_CHARS + 1);
            }
        }
    }
}
