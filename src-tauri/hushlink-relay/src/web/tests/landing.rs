//! The landing page at `/` and the not-found page; the API keeps its JSON errors.

use super::*;

fn header(page: &Page, name: header::HeaderName) -> String {
    page.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn assert_html_page(page: &Page, what: &str) {
    assert_eq!(
        header(page, header::CONTENT_TYPE),
        "text/html; charset=utf-8",
        "{what}: a page, not JSON"
    );
    assert!(
        page.headers.contains_key(header::CONTENT_SECURITY_POLICY),
        "{what}: the pages' CSP applies"
    );
    assert_eq!(header(page, header::CACHE_CONTROL), "no-store", "{what}");
    assert!(
        page.body.starts_with("<!doctype html>"),
        "{what}: the recipient pages' layout: {:.80}",
        page.body
    );
    assert!(
        serde_json::from_str::<serde_json::Value>(&page.body).is_err(),
        "{what}: no JSON"
    );
}

#[tokio::test]
async fn the_landing_page_says_whose_relay_this_is_and_how_to_connect() {
    let f = Fixture::with(|c| c.name = Some("Acme <front> office".into())).await;
    let page = f.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_html_page(&page, "landing");
    assert!(
        page.body
            .contains("This relay belongs to <strong>Acme &lt;front&gt; office</strong>"),
        "the configured name, escaped: {}",
        page.body
    );
    assert!(
        page.body.contains("value=\"http://relay.test:7143\""),
        "the address colleagues use is the one this browser used"
    );
    assert!(
        page.body.contains("only on this local network"),
        "says links open only here"
    );
    assert!(
        page.body.contains("Install Hushlink"),
        "says how to connect"
    );
    assert!(page.body.contains("data-page=\"landing\""));
}

#[cfg(unix)]
#[tokio::test]
async fn an_unnamed_relay_is_named_after_its_machine() {
    let f = Fixture::new().await;
    let host = nix::unistd::gethostname()
        .expect("hostname")
        .into_string()
        .expect("UTF-8 hostname");
    let page = f.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("runs on the computer <strong>{host}</strong>")),
        "falls back to the hostname {host:?}"
    );
}

#[tokio::test]
async fn the_landing_page_gives_the_public_url_when_one_is_set() {
    let f = Fixture::with(|c| c.public_url = Some("https://secrets.office.lan:7143/".into())).await;
    let page = f.get("/").await;
    assert!(
        page.body
            .contains("value=\"https://secrets.office.lan:7143\""),
        "the configured origin, not the Host header"
    );
}

#[tokio::test]
async fn head_gets_the_landing_page_headers_without_a_body() {
    let f = Fixture::new().await;
    let page = f.send(request("HEAD", "/", "", None)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        header(&page, header::CONTENT_TYPE),
        "text/html; charset=utf-8"
    );
    assert!(page.headers.contains_key(header::CONTENT_SECURITY_POLICY));
    assert!(page.body.is_empty(), "HEAD has no body");
}

#[tokio::test]
async fn peers_outside_the_network_do_not_get_the_landing_page() {
    let f = Fixture::new().await;
    let mut outside = request("GET", "/", "", None);
    outside.extensions_mut().insert(ConnectInfo(PeerAddr {
        addr: "198.51.100.7:40000".parse().expect("addr"),
        tls: false,
    }));
    let page = f.send(outside).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(!page.body.contains("Install Hushlink"));
}

#[tokio::test]
async fn unknown_pages_get_html_and_the_api_keeps_its_exact_json_404() {
    let f = Fixture::new().await;
    for path in ["/nope", "/secret", "/favicon.ico", "/apix"] {
        let page = f.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert_html_page(&page, path);
        assert!(
            page.body.contains("href=\"/\""),
            "{path}: a way to the start"
        );
    }
    // The bodies Onetime clients have always had here.
    let v2 = r#"{"error":"Not Found","error_type":"NotFound"}"#;
    for (path, expected) in [
        ("/api/v1/nonexistent", r#"{"error":"Not Found"}"#),
        ("/api/v2/nonexistent", v2),
        ("/api/nonexistent", r#"{"error":"Not Found"}"#),
        ("/api", r#"{"error":"Not Found"}"#),
    ] {
        let page = f.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            header(&page, header::CONTENT_TYPE).starts_with("application/json"),
            "{path}: JSON for API clients"
        );
        assert_eq!(page.body, expected, "{path}: byte for byte as before");
    }
}

#[tokio::test]
async fn the_new_pages_have_no_inline_script_or_style() {
    let f = Fixture::with(|c| c.name = Some("Front office".into())).await;
    for path in ["/", "/nope"] {
        let body = f.get(path).await.body;
        for script in body.match_indices("<script").map(|(i, _)| &body[i..]) {
            assert!(
                script.starts_with("<script src=\"/assets/")
                    || script.starts_with(super::hardening::PAGE_TEXTS),
                "{path}: only the bundled script and its texts"
            );
        }
        assert!(
            !body.contains("<style") && !body.contains(" style="),
            "{path}"
        );
        assert!(
            !body.contains(" onclick=") && !body.contains(" onload="),
            "{path}"
        );
    }
}
