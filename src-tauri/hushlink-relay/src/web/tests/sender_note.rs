//! The sender's note (Hushlink extension `sender_note`): sent with a v1 share, sealed at
//! rest, shown escaped on the secret's page until the value is gone, and nothing else.

use super::*;
use crate::policy::AnonymousCreate;

/// A LAN peer may create without a token here, like the app's colleagues on an office relay.
async fn fixture() -> Fixture {
    Fixture::with(|config| config.anonymous_create = AnonymousCreate::Lan).await
}

/// `POST /api/v1/share` with `form`: the status v1 means (its errors travel as 404 with the
/// intended status in a header, as Onetime's do) and, on success, the secret key.
async fn share(f: &Fixture, form: &str) -> (StatusCode, Option<String>) {
    let page = f.send(request("POST", "/api/v1/share", form, None)).await;
    let status = page
        .headers
        .get(hushlink_protocol::errors::INTENDED_STATUS_HEADER)
        .and_then(|v| v.to_str().ok()?.parse::<u16>().ok())
        .and_then(|code| StatusCode::from_u16(code).ok())
        .unwrap_or(page.status);
    let key = serde_json::from_str::<serde_json::Value>(&page.body)
        .ok()
        .and_then(|json| json["secret_key"].as_str().map(str::to_owned));
    (status, key)
}

/// The text of `<dd id="sender-note">`, if the page has one.
fn shown_note(body: &str) -> Option<&str> {
    let start = body.find("<dd id=\"sender-note\">")? + "<dd id=\"sender-note\">".len();
    let end = start + body[start..].find("</dd>")?;
    Some(&body[start..end])
}

#[tokio::test]
async fn the_note_is_shown_escaped_on_the_page_until_the_secret_is_opened() {
    let f = fixture().await;
    let note = "Sam <script>alert(1)</script> & \"IT\"";
    let form =
        serde_urlencoded::to_string([("secret", "hunter2"), ("sender_note", note)]).expect("form");
    let (status, key) = share(&f, &form).await;
    assert_eq!(status, StatusCode::OK);
    let path = format!("/secret/{}", key.expect("a secret key"));

    let page = f.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        shown_note(&page.body),
        Some("Sam &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;IT&quot;"),
        "shown, every markup character escaped"
    );
    assert!(
        !page.body.contains("<script>alert"),
        "no element from the note"
    );
    assert!(
        !page.body.contains("hunter2"),
        "the note page shows no value"
    );

    // A wrong or missing passphrase shows the page again, note included: nothing was taken.
    let revealed = f.post(&path, "").await;
    assert_eq!(textarea_content(&revealed.body), "hunter2");
    assert_eq!(shown_note(&revealed.body), None);
    let gone = f.get(&path).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(!gone.body.contains("Sam "), "the note went with the value");
}

#[tokio::test]
async fn no_note_no_line_and_a_blank_note_is_none() {
    let f = fixture().await;
    for form in ["secret=a", "secret=a&sender_note=++"] {
        let (status, key) = share(&f, form).await;
        assert_eq!(status, StatusCode::OK, "{form}");
        let page = f.get(&format!("/secret/{}", key.expect("key"))).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(shown_note(&page.body), None, "{form}");
        assert!(!page.body.contains("sender-note"), "{form}");
    }
}

#[tokio::test]
async fn a_note_that_breaks_the_rule_is_refused_and_nothing_is_created() {
    let f = fixture().await;
    let long = "x".repeat(hushlink_protocol::note::MAX_CHARS + 1);
    for note in [long.as_str(), "two\nlines", "IT \u{202E}gnp.exe"] {
        let form = serde_urlencoded::to_string([("secret", "never-stored"), ("sender_note", note)])
            .expect("form");
        let (status, key) = share(&f, &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{note:?}");
        assert_eq!(key, None);
    }
    assert_eq!(f.relay.status().await.expect("status").live_secrets, 0);
}

#[tokio::test]
async fn a_passphrase_secret_shows_its_note_before_the_passphrase_is_given() {
    let f = fixture().await;
    let (status, key) = share(
        &f,
        "secret=guarded&passphrase=only-in-person&sender_note=Sam+from+IT",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let path = format!("/secret/{}", key.expect("key"));
    let wrong = f.post(&path, "passphrase=nope").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        shown_note(&wrong.body),
        Some("Sam from IT"),
        "asked again, with the note"
    );
}

#[tokio::test]
async fn the_note_is_never_in_clear_in_the_data_directory() {
    let f = fixture().await;
    let notes: Vec<String> = (0..8)
        .map(|i| format!("needle-sender-note-{i}-from-accounts"))
        .collect();
    let mut keys = Vec::new();
    for note in &notes {
        let form =
            serde_urlencoded::to_string([("secret", "x"), ("sender_note", note)]).expect("form");
        let (status, key) = share(&f, &form).await;
        assert_eq!(status, StatusCode::OK);
        keys.push(key.expect("key"));
    }
    // Control: the page that has the link reads each one.
    let page = f.get(&format!("/secret/{}", keys[3])).await;
    assert_eq!(shown_note(&page.body), Some(notes[3].as_str()));

    let mut files = 0;
    for entry in std::fs::read_dir(f._dir.path()).expect("data dir") {
        let path = entry.expect("entry").path();
        if !path.is_file() {
            continue;
        }
        files += 1;
        let bytes = std::fs::read(&path).expect("readable");
        for note in &notes {
            assert!(
                !bytes.windows(note.len()).any(|w| w == note.as_bytes()),
                "{note} in clear in {}",
                path.display()
            );
        }
    }
    assert!(files > 0, "the database files were searched");
}
