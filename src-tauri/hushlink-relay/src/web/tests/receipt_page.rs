//! `/receipt/KEY` and `/private/KEY`: state, times, address, burn.

use super::*;

#[tokio::test]
async fn receipt_page_shows_state_and_burns() {
    let f = Fixture::new().await;
    let (key, receipt) = f.create("to burn", None, false).await;
    for prefix in ["receipt", "private"] {
        let page = f.get(&format!("/{prefix}/{receipt}")).await;
        assert_eq!(page.status, StatusCode::OK, "/{prefix}/ serves the receipt");
        assert!(page.body.contains("data-state=\"new\""));
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
        after
            .body
            .contains("data-state=\"burned\" data-reason=\"\""),
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
    assert!(page.body.contains("data-state=\"received\""));
    assert!(
        page.body.contains("<dd>192.168.1.20</dd>"),
        "the reader's address"
    );
    let unknown = f.get(&format!("/receipt/{}", "2".repeat(50))).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("Receipt not found"));
}
