//! Headers, no inline code, cross-site forms, assets.

use super::*;

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
    let app = crate::router::page_routes().with_state(f.relay.clone());
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

/// The script's texts: a data block (never executed, so outside the CSP's `script-src`).
pub(super) const PAGE_TEXTS: &str = "<script type=\"application/json\" id=\"page-texts\">";

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
                script.starts_with("<script src=\"/assets/") || script.starts_with(PAGE_TEXTS),
                "only the bundled script, and its texts as data: {script:.60}"
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
