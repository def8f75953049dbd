//! A fresh migrated database per test on the binary's shared cluster, connections standing
//! in for relay instances, and a create as the relay does it.

use std::sync::Arc;

use futures_util::{stream, StreamExt};
use hushlink_testkit::TestPostgres;
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, Client};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::{schema, sql};

pub const NOW: i64 = 1_700_000_000;
pub const TTL: i64 = 3_600;

pub struct Db {
    _pg: Arc<TestPostgres>,
    url: String,
    ca: Vec<u8>,
}

impl Db {
    /// A fresh database on the shared cluster, migrated.
    pub async fn new() -> Self {
        let db = Self::empty().await;
        schema::migrate(&mut db.connect().await)
            .await
            .expect("migrates");
        db
    }

    /// A fresh database on the shared cluster, as a new deployment finds it.
    pub async fn empty() -> Self {
        let pg = tokio::task::spawn_blocking(TestPostgres::shared)
            .await
            .unwrap();
        Self {
            url: pg.new_database(),
            ca: pg.ca_der().to_vec(),
            _pg: pg,
        }
    }

    pub async fn connect(&self) -> Client {
        let (client, connection) = tokio_postgres::connect(&self.url, tls(&self.ca))
            .await
            .expect("connects");
        tokio::spawn(connection);
        client
    }

    /// A connection whose notifications arrive on the receiver (channel names), as an
    /// instance's token-cache listener gets them.
    pub async fn listener(&self) -> (Client, mpsc::UnboundedReceiver<String>) {
        let (client, mut connection) = tokio_postgres::connect(&self.url, tls(&self.ca))
            .await
            .expect("connects");
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut messages = stream::poll_fn(move |cx| connection.poll_message(cx));
            while let Some(Ok(message)) = messages.next().await {
                if let AsyncMessage::Notification(n) = message {
                    let _ = tx.send(n.channel().to_owned());
                }
            }
        });
        (client, rx)
    }

    /// `n` connections: stand-ins for as many relay instances.
    pub async fn instances(&self, n: usize) -> Vec<Arc<Client>> {
        let mut out = Vec::new();
        for _ in 0..n {
            out.push(Arc::new(self.connect().await));
        }
        out
    }
}

/// A TLS connector trusting the kit's CA.
fn tls(ca_der: &[u8]) -> MakeRustlsConnect {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca_der.to_vec().into()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    MakeRustlsConnect::new(config)
}

pub fn id(tag: u8, n: usize) -> Vec<u8> {
    let mut id = vec![tag; 32];
    id[..8].copy_from_slice(&(n as u64).to_be_bytes());
    id
}

/// No quota: [`sql::CREATE`]'s limits, lock modes and large-value bound for a create that
/// always fits.
pub const NO_QUOTA: ([i64; 4], bool, bool, i64) = ([i64::MAX; 4], false, false, 16_384);

/// Creates secret `n` (owner `owner`, passphrase column `passphrase`), as the relay does.
pub async fn create(db: &Client, n: usize, owner: Option<&str>, passphrase: Option<&str>) {
    let (limits, token_alone, relay_alone, fast) = NO_QUOTA;
    let made = db
        .query_one(
            sql::CREATE,
            &[
                &id(1, n),
                &id(2, n),
                &vec![9u8; 60],
                &passphrase,
                &owner,
                &"conceal",
                &false,
                &TTL,
                &NOW,
                &(NOW + TTL),
                &(NOW + 2 * TTL),
                &vec![7u8; 100],
                &2i16,
                &format!("key{n}"),
                &None::<String>,
                &None::<String>,
                &owner.map(|o| format!("token of {o}")),
                &None::<Vec<u8>>,
                &limits[0],
                &limits[1],
                &limits[2],
                &limits[3],
                &token_alone,
                &relay_alone,
                &fast,
            ],
        )
        .await
        .expect("creates");
    assert!(made.get::<_, bool>(0), "no quota refuses it");
}

pub async fn count(db: &Client, sql: &str) -> i64 {
    db.query_one(sql, &[]).await.unwrap().get(0)
}
