//! `/secret/KEY`: GET never consumes, one reveal, escaping, the gone page, passphrases, limits, e2e.

use super::*;

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
        revealed.body.contains("class=\"gone-note\""),
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
async fn passphrase_is_asked_and_checked() {
    let f = Fixture::new().await;
    let (key, _) = f.create("behind a door", Some("open sesame"), false).await;
    let path = format!("/secret/{key}");
    let page = f.get(&path).await;
    assert!(
        page.body.contains("<label for=\"passphrase\">"),
        "a labelled field"
    );
    let missing = f.post(&path, "").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("id=\"passphrase-error\""));
    assert!(
        !missing.body.contains("data-attempts-left"),
        "no try was spent"
    );
    let wrong = f.post(&path, "passphrase=open+says+me").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("role=\"alert\""),
        "the error is announced"
    );
    assert!(
        wrong.body.contains("data-attempts-left=\"4\""),
        "the reader learns the stakes: {}",
        wrong.body
    );
    assert!(!wrong.body.contains("behind a door"));
    let right = f.post(&path, "passphrase=open+sesame").await;
    assert_eq!(right.status, StatusCode::OK);
    assert_eq!(textarea_content(&right.body), "behind a door");
}

#[tokio::test]
async fn last_wrong_passphrase_destroys_and_the_receipt_says_why() {
    let f = Fixture::with(|c| c.max_passphrase_attempts = 2).await;
    let (key, receipt) = f.create("guarded", Some("right one"), false).await;
    let path = format!("/secret/{key}");
    let first = f.post(&path, "passphrase=wrong").await;
    assert!(
        first.body.contains("data-attempts-left=\"1\""),
        "singular, and the count: {}",
        first.body
    );
    let last = f.post(&path, "passphrase=wrong").await;
    assert_eq!(last.status, StatusCode::NOT_FOUND);
    assert!(last.body.contains("data-message=\"lastTry\""));
    let right = f.post(&path, "passphrase=right+one").await;
    assert!(right.body.contains("data-page=\"gone\""), "burned for good");
    let page = f.get(&format!("/receipt/{receipt}")).await;
    assert!(
        page.body
            .contains("data-state=\"burned\" data-reason=\"passphrase-attempts\""),
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
    assert!(limited.body.contains("data-message=\"wait\""));
    assert_eq!(
        f.get(&format!("/secret/{key}")).await.status,
        StatusCode::OK,
        "the secret is untouched"
    );
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
