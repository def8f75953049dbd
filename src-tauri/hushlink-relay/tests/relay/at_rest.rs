//! The database alone reveals nothing: no secret text, no key, no link, no passphrase, no
//! token in the database, WAL or shared-memory files.

use hushlink_relay::{Client, NewSecret, Relay, SecretText};

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn database_and_wal_contain_no_secret_text_keys_links_or_tokens() {
    if crate::support::sqlite_only(
        "searches the SQLite files; pg_suite searches the data directory and a pg_dump",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::support::test_config(dir.path());
    // The WAL is searched as the writes left it, not after an idle truncation emptied it.
    config.wal_scrub_idle_ms = 0;
    let relay = Relay::open(config).await.unwrap();
    let client = Client::new("127.0.0.1".parse().unwrap(), None);
    let token = relay
        .tokens()
        .issue("dave")
        .await
        .unwrap()
        .token
        .expose()
        .to_owned();
    let mut needles = vec![token];
    for i in 0..20 {
        let text = format!("needle-secret-text-{i}-correct-horse-battery");
        let passphrase = (i % 2 == 0).then(|| format!("needle-passphrase-{i}"));
        let new = NewSecret {
            value: Some(SecretText::new(text.clone())),
            passphrase: passphrase.clone().map(SecretText::new),
            ..NewSecret::default()
        };
        let created = relay.create(new, None, &client).await.unwrap();
        let secret_key = created
            .receipt
            .secret_key
            .as_ref()
            .unwrap()
            .expose()
            .to_owned();
        let receipt_key = created.receipt.receipt_key.expose().to_owned();
        if i % 4 == 1 {
            relay
                .reveal(created.receipt.secret_key.as_ref().unwrap(), None, &client)
                .await
                .unwrap();
        }
        needles.extend([
            text,
            format!("/secret/{secret_key}"),
            secret_key,
            receipt_key,
        ]);
        needles.extend(passphrase);
    }
    let generated = relay
        .create(
            NewSecret {
                value: None,
                generate_length: Some(40),
                ..NewSecret::default()
            },
            None,
            &client,
        )
        .await
        .unwrap();
    needles.push(generated.generated.unwrap().expose().to_owned());

    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        files += 1;
        for needle in &needles {
            assert!(
                !contains(&bytes, needle),
                "{} contains a secret, key or token ({} bytes)",
                path.display(),
                needle.len()
            );
        }
    }
    assert!(files >= 2, "the database and its WAL were searched");
    assert!(
        std::fs::metadata(dir.path().join("relay.sqlite3-wal"))
            .map(|m| m.len())
            .unwrap_or(0)
            > 0,
        "the WAL holds the recent writes, so searching it means something"
    );
}
