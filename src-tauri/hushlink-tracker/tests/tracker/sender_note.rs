//! The sender's note for the recipient: sent through a Hushlink relay profile only.

use hushlink_client::{Link, SecretText};
use hushlink_relay::Key;
use hushlink_tracker::{CreateRequest, ProfileInput};

use crate::common::{relay, Harness};

fn request(profile: &str, note: &str) -> CreateRequest {
    CreateRequest {
        label: String::new(),
        profile_id: Some(profile.into()),
        secret: SecretText::new("hunter2"),
        passphrase: None,
        expiry_secs: Some(600),
        recipient: None,
        email_recipient: false,
        notify: None,
        end_to_end: false,
        sender_note: Some(note.into()),
    }
}

/// The note the relay's page shows for `share_link`.
async fn shown(server: &hushlink_testkit::TestRelay, share_link: &str) -> Option<String> {
    let key = Key::parse(&Link::parse(share_link).expect("a link").key).expect("a key");
    let page = server.relay().peek_page(&key).await.expect("peeks");
    page.expect("live")
        .sender_note
        .map(|note| note.expose().to_owned())
}

#[tokio::test]
async fn the_note_goes_to_a_relay_and_is_left_out_elsewhere() {
    let server = relay().await;
    let h = Harness::new(Some(&server));
    let created = h
        .tracker
        .create(request("relay", "  Sam from IT "))
        .await
        .expect("shares");
    assert_eq!(
        shown(&server, &created.share_link).await.as_deref(),
        Some("Sam from IT"),
        "trimmed, sealed, shown"
    );

    // The same server, as a profile not marked as a Hushlink relay: no page of its would
    // show a note, so none is sent.
    let plain = h
        .tracker
        .add_profile(&ProfileInput {
            name: "Plain Onetime".into(),
            base_url: server.url().to_string(),
            username: None,
            hushlink_relay: false,
        })
        .expect("adds")
        .id;
    let created = h
        .tracker
        .create(request(&plain, "Sam from IT"))
        .await
        .expect("shares");
    assert_eq!(shown(&server, &created.share_link).await, None);
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn a_note_that_breaks_the_rule_is_refused_before_sending() {
    let server = relay().await;
    let h = Harness::new(Some(&server));
    let long = "x".repeat(hushlink_protocol::note::MAX_CHARS + 1);
    for note in [long.as_str(), "two\nlines"] {
        let refused = h
            .tracker
            .create(request("relay", note))
            .await
            .expect_err("refused");
        assert_eq!(refused.code(), "invalid_input", "{note:?}");
    }
    assert_eq!(
        server.relay().status().await.expect("status").live_secrets,
        0,
        "nothing reached the relay"
    );
    h.tracker.shutdown().await;
}
