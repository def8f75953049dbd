//! A SQLite relay's database moved into PostgreSQL: every live secret is revealed once on
//! the PostgreSQL side with the same sealed bytes, passphrases are still required, tokens,
//! invites and the log come along, and a non-empty target is refused.

use hushlink_testkit::TestPostgres;

use super::{import_sqlite, ImportError, Imported};
use crate::access_log::AccessAction;
use crate::config::Quotas;
use crate::model::{Quota, SecretKind};
use crate::seal::ValueSeal;
use crate::store::{Durability, LogLine, NewInvite, NewRow, Storage, Store, Take, TokenRow};
use crate::store_pg::PgStore;

const NOW: i64 = 1_700_000_000;

fn row(n: u8, owner: Option<&str>, passphrase: bool) -> NewRow {
    NewRow {
        secret_id: [n; 32],
        receipt_id: [n.wrapping_add(100); 32],
        value: vec![n; 33],
        seal: ValueSeal::LinkAndPassphrase,
        note: (n == 2).then(|| vec![n; 44]),
        passphrase: passphrase.then(|| "$argon2id$v=19$m=8,t=1,p=1$c2FsdA".to_owned()),
        e2e: n.is_multiple_of(2),
        kind: SecretKind::Generate,
        owner: owner.map(str::to_owned),
        sealed_secret_key: vec![n; 70],
        ttl: 3_600,
        now: NOW,
    }
}

fn line(action: AccessAction, n: u8) -> LogLine {
    LogLine::new(
        NOW,
        action,
        Some(format!("key{n}")),
        None,
        Some("ua".into()),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_relay_moves_into_postgres_without_unsealing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("relay.sqlite3");
    let sqlite = Store::open(&path, Durability::Full, None).unwrap();
    let token = TokenRow {
        id: "t1".into(),
        name: "sam".into(),
        hash: [4; 32],
        created_at: NOW,
        revoked_at: None,
    };
    assert!(sqlite.insert_token(token).await.unwrap());
    for (n, owner, passphrase) in [(1, Some("t1"), false), (2, None, true), (3, None, false)] {
        sqlite
            .create_secret(
                row(n, owner, passphrase),
                line(AccessAction::Create, n),
                Quotas::default(),
            )
            .await
            .unwrap()
            .unwrap();
    }
    assert!(matches!(
        sqlite
            .take_secret(
                [3; 32],
                NOW,
                false,
                "10.0.0.1".into(),
                line(AccessAction::Reveal, 3)
            )
            .await
            .unwrap(),
        Take::Taken(_)
    ));
    sqlite
        .insert_invite(NewInvite {
            id: "inv".into(),
            key_hash: [8; 32],
            token_id: "t1".into(),
            sealed: vec![8; 50],
            created_at: NOW,
            expires_at: NOW + 60,
        })
        .await
        .unwrap();
    drop(sqlite);

    let pg = tokio::task::spawn_blocking(TestPostgres::shared)
        .await
        .unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, pg.ca_pem()).unwrap();
    let url = format!("{}&sslrootcert={}", pg.new_database(), ca.display());
    let target = PgStore::open(&url).await.unwrap();
    let imported = import_sqlite(&path, &target).await.unwrap();
    assert_eq!(
        imported,
        Imported {
            secrets: 3,
            values: 2,
            tokens: 1,
            invites: 1,
            log_lines: 4,
        }
    );

    let storage: &dyn Storage = &target;
    let noted = storage.peek_secret([2; 32], NOW).await.unwrap().unwrap();
    assert_eq!(
        noted.note,
        Some(vec![2; 44]),
        "the sealed note, copied as stored"
    );
    let plain = storage.peek_secret([1; 32], NOW).await.unwrap().unwrap();
    assert_eq!(plain.note, None);
    let Take::Taken(taken) = storage
        .take_secret(
            [1; 32],
            NOW,
            false,
            "10.0.0.2".into(),
            line(AccessAction::Reveal, 1),
        )
        .await
        .unwrap()
    else {
        panic!("the live secret is revealed on PostgreSQL");
    };
    assert_eq!(
        taken.value,
        vec![1; 33],
        "the same sealed bytes, never unsealed"
    );
    assert_eq!(taken.seal, ValueSeal::LinkAndPassphrase);
    assert!(matches!(
        storage
            .take_secret(
                [1; 32],
                NOW,
                false,
                "10.0.0.2".into(),
                line(AccessAction::Reveal, 1)
            )
            .await
            .unwrap(),
        Take::Gone
    ));
    assert!(
        matches!(
            storage
                .take_secret(
                    [2; 32],
                    NOW,
                    false,
                    "10.0.0.2".into(),
                    line(AccessAction::Reveal, 2)
                )
                .await
                .unwrap(),
            Take::NeedsPassphrase
        ),
        "a passphrase is still required"
    );
    let revealed = storage.receipt([103; 32], NOW).await.unwrap().unwrap();
    assert_eq!(
        revealed.received_ip.as_deref(),
        Some("10.0.0.1"),
        "history came along"
    );
    assert_eq!(storage.list_tokens().await.unwrap().len(), 1);
    assert!(storage.invite_is_pending([8; 32], NOW).await.unwrap());

    // The quota counters were rebuilt from the copied values; new ids follow the copied.
    let tight = Quotas {
        live_secrets: 2,
        ..Quotas::default()
    };
    storage
        .create_secret(row(4, None, false), line(AccessAction::Create, 4), tight)
        .await
        .unwrap()
        .expect("one live secret (2) of two");
    assert_eq!(
        storage
            .create_secret(row(5, None, false), line(AccessAction::Create, 5), tight)
            .await
            .unwrap()
            .err(),
        Some(Quota::RelaySecrets(2))
    );

    assert!(matches!(
        import_sqlite(&path, &target).await,
        Err(ImportError::TargetNotEmpty(_))
    ));
}
