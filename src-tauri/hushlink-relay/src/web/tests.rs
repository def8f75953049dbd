//! The pages through the relay's complete router (peer filter and headers included), called
//! with `oneshot`: no sockets, no browser. The browser side is `ui/e2e/relay-pages.spec.ts`.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use http::{header, HeaderMap, Request, StatusCode};
use hushlink_protocol::SecretText;
use tower::ServiceExt;

use crate::access_log::Client;
use crate::clock::Clock;
use crate::config::{PassphraseHashing, RelayConfig};
use crate::http::PeerAddr;
use crate::model::NewSecret;
use crate::relay::Relay;

/// A vector from `tests/fixtures/e2e-vectors.json` ("ascii").
const E2E_VALUE: &str =
    "hushlink-e2e:v1:JCQkJCQkJCQkJCQkdv62M4ylsh5Oh1DZ2BLxxxiPVgLPiyMZ0dSgP63yG_R9ofbuWeV0P7EFBHQ";

struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

struct Fixture {
    relay: Relay,
    clock: Clock,
    app: Router,
    _dir: tempfile::TempDir,
}

impl Fixture {
    async fn new() -> Self {
        Self::with(|_| {}).await
    }

    async fn with(tweak: impl FnOnce(&mut RelayConfig)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = Clock::manual(1_782_197_560);
        let mut config = RelayConfig::with_data_dir(dir.path());
        // Debug builds hash slowly; the production cost is the seal module's concern.
        config.passphrase_hashing = PassphraseHashing {
            memory_kib: 256,
            iterations: 1,
        };
        tweak(&mut config);
        let relay = Relay::open_with_clock(config, clock.clone())
            .await
            .expect("relay opens");
        Self {
            app: relay.router(),
            relay,
            clock,
            _dir: dir,
        }
    }

    async fn create(&self, value: &str, passphrase: Option<&str>, e2e: bool) -> (String, String) {
        let new = NewSecret {
            value: Some(SecretText::from(value)),
            passphrase: passphrase.map(SecretText::from),
            e2e,
            ..NewSecret::default()
        };
        let created = self
            .relay
            .create(new, None, &loopback())
            .await
            .expect("loopback may create");
        let secret = created
            .receipt
            .secret_key
            .expect("a new receipt has its secret key")
            .expose()
            .to_owned();
        (secret, created.receipt.receipt_key.expose().to_owned())
    }

    async fn send(&self, request: Request<Body>) -> Page {
        let response = self
            .app
            .clone()
            .oneshot(request)
            .await
            .expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        Page {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).expect("pages are UTF-8"),
        }
    }

    async fn get(&self, path: &str) -> Page {
        self.send(request("GET", path, "", Some("none"))).await
    }

    async fn post(&self, path: &str, form: &str) -> Page {
        self.send(request("POST", path, form, Some("same-origin")))
            .await
    }
}

fn loopback() -> Client {
    Client::new([127, 0, 0, 1].into(), Some("test"))
}

fn request(method: &str, path: &str, form: &str, fetch_site: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "relay.test:7143")
        .header(header::ACCEPT, "text/html")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(site) = fetch_site {
        builder = builder.header("sec-fetch-site", site);
    }
    let mut request = builder.body(Body::from(form.to_owned())).expect("request");
    let addr: SocketAddr = "192.168.1.20:50000".parse().expect("addr");
    request
        .extensions_mut()
        .insert(ConnectInfo(PeerAddr { addr, tls: false }));
    request
}

fn textarea_content(body: &str) -> &str {
    let start = body.find("<textarea").expect("a textarea");
    let open_end = start + body[start..].find('>').expect("tag end") + 1;
    let close = body.find("</textarea>").expect("closed textarea");
    // The parser drops the one line feed after the start tag.
    body[open_end..close]
        .strip_prefix('\n')
        .expect("a line feed follows the start tag")
}

#[tokio::test]
async fn get_never_consumes_the_secret() {
    let f = Fixture::new().await;
    let (key, _) = f.create("hunter2", None, false).await;
    let path = format!("/secret/{key}");
    for _ in 0..3 {
        let page = f.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "a live secret's page opens");
        assert!(
            page.body.contains("id=\"reveal-form\""),
            "the confirm page has the reveal form"
        );
        assert!(!page.body.contains("hunter2"), "a GET shows no value");
    }
    let revealed = f.post(&path, "").await;
    assert_eq!(revealed.status, StatusCode::OK);
    assert_eq!(
        textarea_content(&revealed.body),
        "hunter2",
        "the POST reveals, after three GETs"
    );
    assert!(
        revealed.body.contains("now gone from the relay"),
        "the reader learns it is gone"
    );
    let again = f.post(&path, "").await;
    assert_eq!(
        again.status,
        StatusCode::NOT_FOUND,
        "a second reveal finds nothing"
    );
    assert!(!again.body.contains("hunter2"));
}

#[tokio::test]
async fn hostile_secret_is_shown_as_text() {
    let f = Fixture::new().await;
    let hostile = "</textarea><script>alert(1)</script><img src=x onerror=alert(2)>\"'&amp;";
    let (key, _) = f.create(hostile, None, false).await;
    let page = f.post(&format!("/secret/{key}"), "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.body.matches("</textarea>").count(),
        1,
        "the value cannot close the textarea"
    );
    assert!(
        !page.body.contains("<script>alert"),
        "no script element from the value"
    );
    assert!(!page.body.contains("<img"), "no element from the value");
    assert_eq!(
        textarea_content(&page.body),
        "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;amp;",
        "every markup character is escaped"
    );
}

#[tokio::test]
async fn value_starting_with_a_line_feed_keeps_it() {
    let f = Fixture::new().await;
    let (key, _) = f.create("\nsecond line", None, false).await;
    let page = f.post(&format!("/secret/{key}"), "").await;
    assert_eq!(
        textarea_content(&page.body),
        "\nsecond line",
        "the parser eats one line feed, not the value's"
    );
}

#[tokio::test]
async fn gone_page_is_identical_for_unknown_consumed_burned_expired_and_malformed_keys() {
    let f = Fixture::new().await;
    let (consumed, _) = f.create("a", None, false).await;
    assert_eq!(
        f.post(&format!("/secret/{consumed}"), "").await.status,
        StatusCode::OK
    );
    let (burned, receipt) = f.create("b", None, false).await;
    assert_eq!(
        f.post(&format!("/receipt/{receipt}/burn"), "").await.status,
        StatusCode::SEE_OTHER
    );
    let (expired, _) = f.create("c", None, false).await;
    f.clock.advance(30 * 86_400);
    let unknown = "0".repeat(50);

    let reference = f.get(&format!("/secret/{unknown}")).await;
    assert_eq!(reference.status, StatusCode::NOT_FOUND);
    assert!(reference.body.contains("This secret is not available"));
    let mut variants = Vec::new();
    for key in [
        &consumed,
        &burned,
        &expired,
        &unknown,
        &"Not-A-Key!".to_owned(),
        &"short".to_owned(),
    ] {
        variants.push((format!("GET {key}"), f.get(&format!("/secret/{key}")).await));
        variants.push((
            format!("POST {key}"),
            f.post(&format!("/secret/{key}"), "").await,
        ));
    }
    for (what, page) in variants {
        assert_eq!(page.status, reference.status, "{what}: same status");
        assert_eq!(
            page.body, reference.body,
            "{what}: same bytes, so the page is no oracle"
        );
        let mut headers = page.headers.clone();
        let mut expected = reference.headers.clone();
        headers.remove(header::DATE);
        expected.remove(header::DATE);
        assert_eq!(headers, expected, "{what}: same headers");
    }
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let f = Fixture::new().await;
    let (key, receipt) = f.create("x", None, false).await;
    let pages = [
        ("confirm", f.get(&format!("/secret/{key}")).await),
        ("receipt", f.get(&format!("/receipt/{receipt}")).await),
        ("revealed", f.post(&format!("/secret/{key}"), "").await),
        ("gone", f.get(&format!("/secret/{key}")).await),
        (
            "unknown receipt",
            f.get(&format!("/private/{}", "1".repeat(50))).await,
        ),
        ("script", f.get("/assets/relay-page.js").await),
        ("stylesheet", f.get("/assets/relay.css").await),
    ];
    for (name, page) in pages {
        let h = |n: &str| {
            page.headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(h("cache-control"), "no-store", "{name}: never cached");
        let csp = h("content-security-policy");
        for directive in [
            "script-src 'self'",
            "style-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(
                csp.contains(directive),
                "{name}: CSP has {directive}: {csp}"
            );
        }
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{name}: nothing inline"
        );
        assert_eq!(h("referrer-policy"), "no-referrer", "{name}");
        assert!(h("x-robots-tag").contains("noindex"), "{name}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{name}");
    }
}

#[tokio::test]
async fn the_router_alone_adds_the_headers_too() {
    let f = Fixture::new().await;
    let app = super::router().with_state(f.relay.clone());
    let response = app
        .oneshot(request("GET", "/secret/short", "", None))
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "no-store",
        "headers do not depend on the mount"
    );
    assert!(response
        .headers()
        .contains_key(header::CONTENT_SECURITY_POLICY));
}

#[tokio::test]
async fn pages_have_no_inline_script_style_or_handlers() {
    let f = Fixture::new().await;
    let (key, receipt) = f.create("x", Some("open sesame"), true).await;
    let bodies = [
        f.get(&format!("/secret/{key}")).await.body,
        f.post(&format!("/secret/{key}"), "passphrase=wrong")
            .await
            .body,
        f.get(&format!("/receipt/{receipt}")).await.body,
        f.get("/secret/short").await.body,
    ];
    for body in bodies {
        for script in body.match_indices("<script").map(|(i, _)| &body[i..]) {
            assert!(
                script.starts_with("<script src=\"/assets/"),
                "only the bundled script: {script:.60}"
            );
        }
        assert!(
            !body.contains("<style") && !body.contains(" style="),
            "no inline style"
        );
        assert!(
            !body.contains(" onclick=")
                && !body.contains(" onload=")
                && !body.contains(" onsubmit=")
        );
        assert!(
            !body.contains("http://") && !body.contains("https://"),
            "nothing from elsewhere"
        );
    }
}

#[tokio::test]
async fn passphrase_is_asked_and_checked() {
    let f = Fixture::new().await;
    let (key, _) = f.create("behind a door", Some("open sesame"), false).await;
    let path = format!("/secret/{key}");
    let page = f.get(&path).await;
    assert!(
        page.body
            .contains("<label for=\"passphrase\">Passphrase</label>"),
        "a labelled field"
    );
    let missing = f.post(&path, "").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("Enter the passphrase"));
    let wrong = f.post(&path, "passphrase=open+says+me").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("role=\"alert\""),
        "the error is announced"
    );
    assert!(
        wrong.body.contains("more wrong tries"),
        "the reader learns the stakes: {}",
        wrong.body
    );
    assert!(!wrong.body.contains("behind a door"));
    let right = f.post(&path, "passphrase=open+sesame").await;
    assert_eq!(right.status, StatusCode::OK);
    assert_eq!(textarea_content(&right.body), "behind a door");
}

#[tokio::test]
async fn cross_site_post_is_refused_and_consumes_nothing() {
    let f = Fixture::new().await;
    let (key, receipt) = f.create("stay", None, false).await;
    for site in ["cross-site", "same-site"] {
        let forged = f
            .send(request("POST", &format!("/secret/{key}"), "", Some(site)))
            .await;
        assert_eq!(
            forged.status,
            StatusCode::FORBIDDEN,
            "{site} reveal refused"
        );
        let burn = f
            .send(request(
                "POST",
                &format!("/receipt/{receipt}/burn"),
                "",
                Some(site),
            ))
            .await;
        assert_eq!(burn.status, StatusCode::FORBIDDEN, "{site} burn refused");
    }
    let page = f.post(&format!("/secret/{key}"), "").await;
    assert_eq!(
        textarea_content(&page.body),
        "stay",
        "the refused forms consumed nothing"
    );
}

#[tokio::test]
async fn receipt_page_shows_state_and_burns() {
    let f = Fixture::new().await;
    let (key, receipt) = f.create("to burn", None, false).await;
    for prefix in ["receipt", "private"] {
        let page = f.get(&format!("/{prefix}/{receipt}")).await;
        assert_eq!(page.status, StatusCode::OK, "/{prefix}/ serves the receipt");
        assert!(page.body.contains("Not read yet"));
        assert!(
            page.body
                .contains(&format!("action=\"/{prefix}/{receipt}/burn\"")),
            "burn posts back to /{prefix}/"
        );
        assert!(
            page.body
                .contains(&format!("value=\"http://relay.test:7143/secret/{key}\"")),
            "the share link"
        );
        assert!(
            page.body
                .contains("<time datetime=\"2026-06-23T06:52:40Z\">"),
            "creation time"
        );
    }
    let burned = f.post(&format!("/private/{receipt}/burn"), "").await;
    assert_eq!(burned.status, StatusCode::SEE_OTHER);
    assert_eq!(
        burned.headers[header::LOCATION],
        format!("/private/{receipt}").as_str()
    );
    let after = f.get(&format!("/private/{receipt}")).await;
    assert!(
        after.body.contains("<strong>Burned</strong>"),
        "the state is burned"
    );
    assert!(
        !after.body.contains("burn-form") && !after.body.contains(&key),
        "no burn button, no link"
    );
    assert_eq!(
        f.get(&format!("/secret/{key}")).await.status,
        StatusCode::NOT_FOUND,
        "the secret is gone"
    );
}

#[tokio::test]
async fn receipt_says_when_and_from_where_it_was_read() {
    let f = Fixture::new().await;
    let (key, receipt) = f.create("read me", None, false).await;
    f.post(&format!("/secret/{key}"), "").await;
    let page = f.get(&format!("/receipt/{receipt}")).await;
    assert!(page.body.contains("<strong>Read</strong>"));
    assert!(
        page.body.contains("<dd>192.168.1.20</dd>"),
        "the reader's address"
    );
    let unknown = f.get(&format!("/receipt/{}", "2".repeat(50))).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("Receipt not found"));
}

#[tokio::test]
async fn end_to_end_secret_waits_for_the_script() {
    let f = Fixture::new().await;
    let (key, receipt) = f.create(E2E_VALUE, None, true).await;
    let page = f.get(&format!("/secret/{key}")).await;
    assert!(page.body.contains("data-e2e=\"true\""));
    assert!(
        page.body.contains("id=\"reveal\" disabled"),
        "no reveal without the script and its key"
    );
    assert!(
        f.get(&format!("/receipt/{receipt}"))
            .await
            .body
            .contains("only your Hushlink app"),
        "no keyless link"
    );
    let revealed = f.post(&format!("/secret/{key}"), "").await;
    assert!(revealed.body.contains("<textarea id=\"secret\" readonly rows=\"3\" spellcheck=\"false\" autocomplete=\"off\" autocapitalize=\"off\" data-e2e=\"true\">"));
    assert_eq!(
        textarea_content(&revealed.body),
        E2E_VALUE,
        "the ciphertext, for the script"
    );
}

#[tokio::test]
async fn unmarked_value_with_the_prefix_is_still_decrypted_by_the_script() {
    let f = Fixture::new().await;
    let (key, _) = f.create(E2E_VALUE, None, false).await;
    let page = f.get(&format!("/secret/{key}")).await;
    assert!(
        !page.body.contains(" disabled"),
        "unmarked: the relay cannot know before the reveal"
    );
    let revealed = f.post(&format!("/secret/{key}"), "").await;
    assert!(
        revealed.body.contains("data-e2e=\"true\""),
        "the prefix marks it for decryption"
    );
}

#[tokio::test]
async fn assets_are_served_with_their_types() {
    let f = Fixture::new().await;
    for (name, kind) in [
        ("relay.css", "text/css"),
        ("relay-page.js", "text/javascript"),
        ("icon.svg", "image/svg+xml"),
    ] {
        let page = f.get(&format!("/assets/{name}")).await;
        assert_eq!(page.status, StatusCode::OK, "{name}");
        assert!(
            page.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(kind),
            "{name} is {kind}"
        );
        assert!(!page.body.is_empty());
    }
    assert_eq!(
        f.get("/assets/../Cargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        f.get("/assets/other.js").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn last_wrong_passphrase_destroys_and_the_receipt_says_why() {
    let f = Fixture::with(|c| c.max_passphrase_attempts = 2).await;
    let (key, receipt) = f.create("guarded", Some("right one"), false).await;
    let path = format!("/secret/{key}");
    let first = f.post(&path, "passphrase=wrong").await;
    assert!(
        first.body.contains("1 more wrong try and"),
        "singular, and the count: {}",
        first.body
    );
    let last = f.post(&path, "passphrase=wrong").await;
    assert_eq!(last.status, StatusCode::NOT_FOUND);
    assert!(last.body.contains("The secret was destroyed"));
    let right = f.post(&path, "passphrase=right+one").await;
    assert!(
        right.body.contains("This secret is not available"),
        "burned for good"
    );
    let page = f.get(&format!("/receipt/{receipt}")).await;
    assert!(
        page.body
            .contains("Burned after too many wrong passphrases"),
        "the sender learns why"
    );
}

#[tokio::test]
async fn too_many_reveals_from_one_address_get_a_wait_page() {
    let f = Fixture::with(|c| c.rate_limits.reveals = 2).await;
    let unknown = "3".repeat(50);
    for _ in 0..2 {
        assert_eq!(
            f.post(&format!("/secret/{unknown}"), "").await.status,
            StatusCode::NOT_FOUND
        );
    }
    let (key, _) = f.create("later", None, false).await;
    let limited = f.post(&format!("/secret/{key}"), "").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        limited.headers.contains_key(header::RETRY_AFTER),
        "says when to come back"
    );
    assert!(limited.body.contains("Nothing was revealed"));
    assert_eq!(
        f.get(&format!("/secret/{key}")).await.status,
        StatusCode::OK,
        "the secret is untouched"
    );
}
