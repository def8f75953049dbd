//! Issue 17 (item 3 and 7): the confirm page explains itself, in the reader's language.
//! Assertions read codes, ids and attributes, never display words.

use super::*;
use crate::web::i18n::PageWords;

/// A request as [`request`] makes it, with extra headers and the connection's TLS flag.
fn request_with(path: &str, headers: &[(&str, &str)], tls: bool) -> Request<Body> {
    let mut req = request("GET", path, "", Some("none"));
    for (name, value) in headers {
        req.headers_mut().insert(
            http::HeaderName::from_bytes(name.as_bytes()).expect("name"),
            value.parse().expect("value"),
        );
    }
    let addr: SocketAddr = "192.168.1.20:50000".parse().expect("addr");
    req.extensions_mut()
        .insert(ConnectInfo(PeerAddr { addr, tls }));
    req
}

#[tokio::test]
async fn confirm_page_says_from_whom_until_when_once_and_how_many_tries() {
    let f = Fixture::with(|c| {
        c.name = Some("Front office".into());
        c.max_passphrase_attempts = 3;
    })
    .await;
    let (key, _) = f.create("x", Some("open sesame"), false).await;
    let page = f.get(&format!("/secret/{key}")).await;
    assert!(
        page.body.contains("<dd id=\"sent-from\">Front office</dd>"),
        "whose link"
    );
    let created = 1_782_197_560;
    let expires = crate::web::time::time_element(
        created
            + i64::try_from(crate::config::RelayConfig::with_data_dir("/x").default_ttl_secs)
                .expect("ttl"),
    );
    assert!(
        page.body.contains(&format!(
            "<dd id=\"works-until\">{}</dd>",
            expires.into_string()
        )),
        "until when: {}",
        page.body
    );
    assert!(page.body.contains("id=\"once\""), "that it opens once");
    assert!(
        page.body.contains("data-tries=\"3\""),
        "the relay's real limit"
    );
    assert!(
        page.body.contains("id=\"passphrase-toggle\"")
            && page.body.contains("aria-controls=\"passphrase\""),
        "a show/hide toggle for the script to enable"
    );
    let without = Fixture::new().await;
    let (plain, _) = without.create("x", None, false).await;
    let page = without.get(&format!("/secret/{plain}")).await;
    assert!(
        !page.body.contains("passphrase-toggle"),
        "no field, no toggle"
    );
}

#[tokio::test]
async fn the_not_secure_note_is_there_on_plain_http_only() {
    let f = Fixture::new().await;
    let (key, _) = f.create("x", None, false).await;
    let path = format!("/secret/{key}");
    let plain = f.send(request_with(&path, &[], false)).await;
    assert!(
        plain.body.contains("id=\"http-note\""),
        "plain HTTP explains itself"
    );
    let tls = f.send(request_with(&path, &[], true)).await;
    assert_eq!(tls.status, StatusCode::OK);
    assert!(!tls.body.contains("http-note"), "HTTPS needs no excuse");
    let public = Fixture::with(|c| c.public_url = Some("https://relay.example".into())).await;
    let (key, _) = public.create("x", None, false).await;
    let behind_proxy = public.get(&format!("/secret/{key}")).await;
    assert!(
        !behind_proxy.body.contains("http-note"),
        "an https public URL"
    );
}

#[tokio::test]
async fn pages_carry_the_protocols_e2e_prefix_for_the_script() {
    let f = Fixture::new().await;
    let (key, _) = f.create(E2E_VALUE, None, true).await;
    let page = f.get(&format!("/secret/{key}")).await;
    assert!(page.body.contains(&format!(
        "data-e2e-prefix=\"{}\"",
        hushlink_protocol::e2e::PREFIX
    )));
}

#[tokio::test]
async fn pages_follow_accept_language_and_the_picker() {
    let f = Fixture::new().await;
    let (key, receipt) = f.create("x", Some("open sesame"), false).await;
    let path = format!("/secret/{key}");
    let german = f
        .send(request_with(
            &path,
            &[("accept-language", "fr;q=0.4, de-CH, en;q=0.8")],
            false,
        ))
        .await;
    assert!(
        german.body.contains("<html lang=\"de\">"),
        "the best q-value"
    );
    assert_eq!(german.headers[header::VARY], "accept-language");
    assert!(german
        .body
        .contains(crate::web::i18n::Lang::De.text("confirm.button")));
    assert!(
        german
            .body
            .contains("<a href=\"?lang=fr\" hreflang=\"fr\" lang=\"fr\">"),
        "a picker that works without script"
    );
    assert!(german.body.contains("lang=\"de\" aria-current=\"true\""));
    assert!(
        german.body.contains(&format!("action=\"/secret/{key}\"")),
        "a negotiated language adds nothing to the form"
    );
    let unknown = f
        .send(request_with(&path, &[("accept-language", "ja")], false))
        .await;
    assert!(
        unknown.body.contains("<html lang=\"en\">"),
        "English otherwise"
    );

    let chosen = f
        .send(request_with(
            &format!("{path}?lang=es"),
            &[("accept-language", "de")],
            false,
        ))
        .await;
    assert!(
        chosen.body.contains("<html lang=\"es\">"),
        "the picker wins"
    );
    assert!(
        chosen
            .body
            .contains(&format!("action=\"/secret/{key}?lang=es\"")),
        "the answer to the form stays in the chosen language"
    );
    let wrong = f.post(&format!("{path}?lang=es"), "passphrase=no").await;
    assert!(wrong.body.contains("<html lang=\"es\">"));
    assert!(wrong.body.contains(
        &crate::web::i18n::Lang::Es
            .text("passphrase.wrong.other")
            .replace("{n}", "4")
    ));

    let burned = f
        .post(&format!("/receipt/{receipt}/burn?lang=nl"), "")
        .await;
    assert_eq!(
        burned.headers[header::LOCATION],
        format!("/receipt/{receipt}?lang=nl").as_str(),
        "destroying keeps the chosen language"
    );
}

#[tokio::test]
async fn receipt_offers_copy_first_and_destroy_behind_a_question() {
    let f = Fixture::new().await;
    let (_, receipt) = f.create("x", None, false).await;
    let body = f.get(&format!("/receipt/{receipt}")).await.body;
    let copy = body.find("id=\"copy\"").expect("a copy button");
    let destroy = body
        .find("<details class=\"destroy\" id=\"destroy\">")
        .expect("destroy is folded");
    let form = body.find("id=\"burn-form\"").expect("the destroy form");
    let close = body.find("</details>").expect("closed");
    assert!(copy < destroy, "Copy link comes first");
    assert!(
        destroy < form && form < close,
        "the form is inside the question"
    );
    assert!(
        body.contains("class=\"primary\" id=\"copy\""),
        "Copy is the main button"
    );
}

#[tokio::test]
async fn answers_made_outside_the_handlers_can_speak_the_readers_language() {
    let uri: http::Uri = "/nope?lang=pt".parse().expect("uri");
    let mut headers = HeaderMap::new();
    headers.insert(header::ACCEPT_LANGUAGE, "de".parse().expect("value"));
    for response in [
        crate::web::not_found_for(&uri, &headers),
        crate::web::from_another_site_for(&uri, &headers),
    ] {
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        let body = String::from_utf8(body.to_vec()).expect("utf-8");
        assert!(body.contains("<html lang=\"pt\">"), "{body:.200}");
    }
}

#[tokio::test]
async fn after_the_reveal_copy_is_the_main_button_and_comes_before_everything_else() {
    let f = Fixture::new().await;
    let (key, _) = f.create("the value", None, false).await;
    let page = f.post(&format!("/secret/{key}"), "").await;
    assert_eq!(page.status, StatusCode::OK, "revealed");
    let body = page.body;
    let copy = body
        .find("class=\"primary\" id=\"copy\"")
        .expect("Copy is the main (primary) button of the revealed page");
    let value = body.find("the value").expect("the value is shown");
    assert!(value < copy, "the value, then Copy right under it");
    assert_eq!(
        body.matches("class=\"primary\"").count(),
        1,
        "one main action only"
    );
}
