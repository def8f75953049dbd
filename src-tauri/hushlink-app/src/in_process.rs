//! The app's own relay, reached in process: the tracker's "This computer" profile calls the
//! relay's operations directly, never over HTTP.
//!
//! The relay lets its embedding app create secrets without a token (it is the relay's owner),
//! and only code in this process can claim to be it ([`Client::in_process`]): no network
//! address decides who the app is, so the relay works the same on a LAN address, behind a
//! proxy or on loopback. The links still carry the relay's public origin, the address
//! colleagues and recipients use. This module only translates between the relay's typed
//! outcomes and the client's wire types and errors; the rules live in `hushlink-relay`.

use std::sync::Arc;
use std::time::Duration;

use hushlink_client::in_process::BoxFuture;
use hushlink_client::{Error, InProcess, Result};
use hushlink_protocol::{v1, v2, SecretText};
use hushlink_relay::http::v1::{wire_receipt, View};
use hushlink_relay::http::v2_wire::secret_record;
use hushlink_relay::{BurnError, Client, CreateError, Key, NewSecret, ReceiptState, Relay};
use hushlink_tracker::Tracker;
use tauri::{AppHandle, Manager};

use crate::relay::RelaySwitch;

/// The `custid` the relay reports for secrets its app created (as for any tokenless create).
const APP_CUSTID: &str = "anon";

/// The embedded relay as the client's [`InProcess`] server.
pub struct OwnRelay {
    relay: Relay,
    /// The public origin without a trailing slash, e.g. `http://10.77.0.2:7143`.
    origin: String,
}

impl OwnRelay {
    /// The running `relay`, whose links and receipt URLs carry `origin`.
    pub fn new(relay: Relay, origin: &url::Url) -> Self {
        Self {
            relay,
            origin: origin.as_str().trim_end_matches('/').to_owned(),
        }
    }

    fn wire(&self, receipt: &hushlink_relay::Receipt) -> v1::Receipt {
        wire_receipt(receipt, APP_CUSTID, &self.origin, View::Full)
    }
}

impl InProcess for OwnRelay {
    fn share(&self, request: v1::ShareRequest, e2e: bool) -> BoxFuture<'_, Result<v1::Receipt>> {
        Box::pin(async move {
            let note = request.sender_note;
            let new = NewSecret {
                value: Some(request.secret),
                ttl_secs: request.ttl,
                passphrase: request.passphrase,
                e2e,
                generate_length: None,
            };
            let created = self
                .relay
                .create_with_note(new, note.as_deref(), None, &Client::in_process())
                .await;
            match created {
                Ok(created) => Ok(self.wire(&created.receipt)),
                Err(CreateError::Unavailable(hushlink_relay::Unavailable::RateLimited {
                    retry_after_secs,
                })) => Err(Error::RateLimited {
                    retry_after: Some(Duration::from_secs(retry_after_secs)),
                }),
                Err(CreateError::Unavailable(hushlink_relay::Unavailable::Fault(error))) => {
                    Err(fault(&error))
                }
                // The relay never refuses its in-process app; should it, this is its fault,
                // not a missing account the user could add to a built-in profile.
                Err(CreateError::NotAuthorized) => {
                    tracing::error!("the app's relay refused its own app");
                    Err(Error::ServerError { status: 403 })
                }
                Err(refused) => Err(Error::Rejected {
                    message: refused.to_string(),
                }),
            }
        })
    }

    fn receipt<'a>(&'a self, metadata_key: &'a str) -> BoxFuture<'a, Result<v1::Receipt>> {
        Box::pin(async move {
            let key = Key::parse(metadata_key).map_err(|_| Error::ReceiptGone)?;
            match self.relay.receipt(&key).await {
                Ok(Some(receipt)) => Ok(self.wire(&receipt)),
                Ok(None) => Err(Error::ReceiptGone),
                Err(error) => Err(fault(&error)),
            }
        })
    }

    fn burn<'a>(
        &'a self,
        metadata_key: &'a str,
        passphrase: Option<&'a SecretText>,
    ) -> BoxFuture<'a, Result<v1::BurnResponse>> {
        Box::pin(async move {
            let key = Key::parse(metadata_key).map_err(|_| Error::SecretGone)?;
            match self
                .relay
                .burn(&key, passphrase, &Client::in_process())
                .await
            {
                Ok(burned) => Ok(v1::BurnResponse {
                    state: self.wire(&burned.receipt),
                    secret_shortkey: Some(burned.secret_shortkey),
                }),
                Err(BurnError::Unknown) => Err(Error::SecretGone),
                Err(BurnError::WrongPassphrase { .. }) => Err(Error::WrongPassphrase),
                Err(BurnError::Unavailable(hushlink_relay::Unavailable::RateLimited {
                    retry_after_secs,
                })) => Err(Error::RateLimited {
                    retry_after: Some(Duration::from_secs(retry_after_secs)),
                }),
                Err(BurnError::Unavailable(hushlink_relay::Unavailable::Fault(error))) => {
                    Err(fault(&error))
                }
                Err(refused) => Err(Error::Rejected {
                    message: refused.to_string(),
                }),
            }
        })
    }

    fn secret_status_batch<'a>(
        &'a self,
        keys: &'a [&'a str],
    ) -> BoxFuture<'a, Result<v2::SecretStatusBatchResponse>> {
        Box::pin(async move {
            let keys: Vec<Key> = keys.iter().filter_map(|k| Key::parse(k).ok()).collect();
            let states = self
                .relay
                .secret_states(&keys)
                .await
                .map_err(|e| fault(&e))?;
            // As over HTTP: only live secrets are listed.
            let records: Vec<v2::SecretRecord> = keys
                .iter()
                .zip(&states)
                .filter_map(|(key, status)| {
                    let status = status.as_ref().filter(|s| s.state == ReceiptState::New)?;
                    Some(secret_record(key.expose(), Some(status)))
                })
                .collect();
            Ok(v2::SecretStatusBatchResponse {
                count: Some(records.len() as u64),
                records,
            })
        })
    }
}

fn fault(error: &hushlink_relay::Error) -> Error {
    tracing::error!(%error, "the app's relay failed a call");
    Error::ServerError { status: 500 }
}

/// Points the tracker's "This computer" profile at the relay as it is now: in process at its
/// public origin while it runs, absent while it is off.
pub async fn attach(app: &AppHandle, tracker: &Tracker) {
    let switch = app.state::<RelaySwitch>();
    let origin = switch
        .panel()
        .await
        .url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok());
    match (switch.relay().await, origin) {
        (Some(relay), Some(origin)) => {
            let server = Arc::new(OwnRelay::new(relay, &origin));
            tracker.set_local_relay_in_process(origin, server);
        }
        _ => tracker.set_local_relay(None),
    }
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use hushlink_client::{Link, Options};
    use hushlink_relay::{RelayConfig, RevealError};
    use hushlink_tracker::{
        CreateRequest, ManualClock, MemoryKeychain, RecordingNotifier, SecretState, TrackerConfig,
    };

    use super::*;

    /// An office address nothing listens on: every call must stay in process, so the test
    /// would fail with "unreachable" if any went to the network.
    const ORIGIN: &str = "http://10.77.0.2:7143/";

    fn tracker(dir: &std::path::Path) -> Tracker {
        Tracker::start(TrackerConfig {
            data_dir: dir.join("data"),
            config_dir: dir.join("config"),
            keychain: Arc::new(MemoryKeychain::new()),
            notifier: Arc::new(RecordingNotifier::new()),
            clock: Arc::new(ManualClock::new(1_795_996_800_000)),
            policy: Default::default(),
            client_options: Options::default(),
            background_poller: false,
        })
        .expect("tracker starts")
    }

    fn request(label: &str, end_to_end: bool) -> CreateRequest {
        CreateRequest {
            label: label.to_owned(),
            profile_id: Some(hushlink_tracker::profiles::LOCAL_RELAY_ID.to_owned()),
            secret: SecretText::new("correct horse battery staple"),
            passphrase: None,
            expiry_secs: Some(3_600),
            recipient: None,
            email_recipient: false,
            notify: None,
            end_to_end,
            sender_note: None,
        }
    }

    fn recipient() -> Client {
        let ip: IpAddr = "10.77.0.4".parse().expect("an IP");
        Client::new(ip, Some("phone"))
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_app_shares_tracks_and_burns_through_its_relay_without_a_network() {
        let dir = tempfile::tempdir().expect("temp dir");
        let relay = Relay::open(RelayConfig::with_data_dir(dir.path().join("relay")))
            .await
            .expect("relay opens");
        let tracker = tracker(dir.path());
        let origin = url::Url::parse(ORIGIN).expect("a URL");
        tracker.set_local_relay_in_process(
            origin.clone(),
            Arc::new(OwnRelay::new(relay.clone(), &origin)),
        );

        // Created with no token and no loopback address: the relay knows its app by the path.
        for end_to_end in [false, true] {
            let created = tracker
                .create(request("VPN password for Sam", end_to_end))
                .await
                .expect("the app's own relay accepts its share");
            assert!(
                created
                    .share_link
                    .starts_with("http://10.77.0.2:7143/secret/"),
                "links carry the public origin: {}",
                created.share_link
            );
            let link = Link::parse(&created.share_link).expect("a share link");
            assert_eq!(link.fragment.is_some(), end_to_end);

            // A recipient on the LAN opens it; the tracker learns it in process.
            let key = Key::parse(&link.key).expect("a key");
            relay
                .reveal(&key, None, &recipient())
                .await
                .expect("revealed once");
            let entry = tracker.refresh(&created.entry.id).await.expect("checked");
            assert_eq!(entry.state, SecretState::Opened);
            assert!(matches!(
                relay.reveal(&key, None, &recipient()).await,
                Err(RevealError::Unknown)
            ));
        }

        let created = tracker
            .create(request("Wi-Fi key", false))
            .await
            .expect("created");
        let burned = tracker.burn(&created.entry.id, None).await.expect("burned");
        assert_eq!(burned.state, SecretState::Burned);
        let key = Link::parse(&created.share_link).expect("a link").key;
        assert!(matches!(
            relay
                .reveal(&Key::parse(&key).expect("a key"), None, &recipient())
                .await,
            Err(RevealError::Unknown)
        ));

        // The log knows the app by what it is, not by an address.
        let lines = relay
            .access_log()
            .query(Default::default())
            .await
            .expect("log");
        let creates: Vec<_> = lines
            .iter()
            .filter(|l| l.action == hushlink_relay::AccessAction::Create)
            .collect();
        assert_eq!(creates.len(), 3);
        assert!(creates.iter().all(|l| l.client_ip.is_none()
            && l.user_agent.as_deref() == Some(Client::IN_PROCESS_AGENT)
            && l.token_name.is_none()));
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_apps_share_carries_the_senders_note_to_the_page() {
        let dir = tempfile::tempdir().expect("temp dir");
        let relay = Relay::open(RelayConfig::with_data_dir(dir.path()))
            .await
            .expect("relay opens");
        let origin = url::Url::parse(ORIGIN).expect("a URL");
        let own = OwnRelay::new(relay.clone(), &origin);
        let request = v1::ShareRequest {
            sender_note: Some("Sam from IT".into()),
            ..v1::ShareRequest::new(SecretText::new("x"))
        };
        let receipt = own.share(request, false).await.expect("shared");
        let key = Key::parse(receipt.share_key().expect("a secret key")).expect("a key");
        let page = relay.peek_page(&key).await.expect("peeked").expect("live");
        assert_eq!(
            page.sender_note.as_ref().map(SecretText::expose),
            Some("Sam from IT")
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_network_client_on_the_lan_without_a_token_is_still_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let relay = Relay::open(RelayConfig::with_data_dir(dir.path()))
            .await
            .expect("relay opens");
        let new = NewSecret {
            value: Some(SecretText::new("x")),
            ttl_secs: None,
            passphrase: None,
            e2e: false,
            generate_length: None,
        };
        assert!(matches!(
            relay.create(new, None, &recipient()).await,
            Err(CreateError::NotAuthorized)
        ));
    }
}
