//! The access log in a person's terms: which of the user's own secrets a line is about (by
//! its label), or which colleague's token created it, never a random key id.
//!
//! The relay logs a short key id per secret (`hushlink_relay::key_id` of its row id).
//! The user's own secrets are the tracker's entries on the relay profile; their share links
//! give the same id, so [`OwnSecrets`] maps ids back to entries. Colleagues' secrets carry
//! the name of the token that created them in the line itself.

use std::collections::HashMap;

use hushlink_protocol::{Link, LinkKind};
use hushlink_relay::{key_id, KeyKind};
use hushlink_relay::{AccessAction, AccessLogEntry, AccessLogFilter, Key};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::unix_ms;

/// One access-log line as the relay panel tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ActivityLine {
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub at: i64,
    /// What happened.
    pub action: ActivityAction,
    /// Which secret, in the user's terms.
    pub subject: ActivitySubject,
    /// Where the request came from; `None` for the app itself and the expiry sweeper.
    pub from_ip: Option<String>,
}

/// What happened: the relay's [`AccessAction`] in the UI's case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ActivityAction {
    /// A secret was created.
    Create,
    /// Someone opened the recipient page of a secret (nothing was revealed).
    ViewPage,
    /// A secret was revealed (and so destroyed).
    Reveal,
    /// A wrong passphrase was tried.
    FailedPassphrase,
    /// A secret was burned.
    Burn,
    /// A secret's time ran out and it was deleted.
    Expire,
}

impl From<AccessAction> for ActivityAction {
    fn from(action: AccessAction) -> Self {
        match action {
            AccessAction::Create => Self::Create,
            AccessAction::ViewPage => Self::ViewPage,
            AccessAction::Reveal => Self::Reveal,
            AccessAction::FailedPassphrase => Self::FailedPassphrase,
            AccessAction::Burn => Self::Burn,
            AccessAction::Expire => Self::Expire,
        }
    }
}

impl From<ActivityAction> for AccessAction {
    fn from(action: ActivityAction) -> Self {
        match action {
            ActivityAction::Create => Self::Create,
            ActivityAction::ViewPage => Self::ViewPage,
            ActivityAction::Reveal => Self::Reveal,
            ActivityAction::FailedPassphrase => Self::FailedPassphrase,
            ActivityAction::Burn => Self::Burn,
            ActivityAction::Expire => Self::Expire,
        }
    }
}

/// Which access-log lines the panel asks for; every field is optional and the newest lines
/// come first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export)]
pub struct ActivityFilter {
    /// Only this action.
    pub action: Option<ActivityAction>,
    /// Lines at or after this time (Unix milliseconds).
    #[ts(type = "number | null")]
    pub since: Option<i64>,
    /// Lines before this time (Unix milliseconds).
    #[ts(type = "number | null")]
    pub until: Option<i64>,
    /// At most this many lines (default and maximum 1,000).
    pub limit: Option<u32>,
}

impl From<ActivityFilter> for AccessLogFilter {
    fn from(filter: ActivityFilter) -> Self {
        // The log counts whole seconds: a line at second `s` is at or after `ms` exactly when
        // `s >= ceil(ms / 1000)`, and before `ms` exactly when `s < ceil(ms / 1000)`.
        let seconds_up = |ms: i64| ms.div_euclid(1000) + i64::from(ms.rem_euclid(1000) != 0);
        Self {
            action: filter.action.map(AccessAction::from),
            since: filter.since.map(seconds_up),
            until: filter.until.map(seconds_up),
            limit: filter.limit,
        }
    }
}

/// Whose secret a line is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum ActivitySubject {
    /// One of the user's own secrets, shared from this app.
    #[serde(rename_all = "camelCase")]
    Own {
        /// The tracker's id, to open its detail.
        entry_id: String,
        /// The user's label for it, e.g. "VPN password for Sam".
        label: String,
    },
    /// A colleague's secret, created with one of the relay's tokens.
    #[serde(rename_all = "camelCase")]
    Colleague {
        /// The token's name, e.g. "Sam".
        token_name: String,
    },
    /// Anything else: created without a token, or by a secret the app no longer tracks.
    Other,
}

/// The user's own secrets on the relay, by the key id the access log shows.
#[derive(Debug, Default, Clone)]
pub struct OwnSecrets(HashMap<String, (String, String)>);

impl OwnSecrets {
    /// From `(entry id, label, share link)` triples; links that are not share links of a
    /// relay key are skipped.
    pub fn from_links(entries: impl IntoIterator<Item = (String, String, String)>) -> Self {
        Self(
            entries
                .into_iter()
                .filter_map(|(id, label, link)| Some((log_id_of_link(&link)?, (id, label))))
                .collect(),
        )
    }

    /// How many secrets are known.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No secrets known.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `line` in the user's terms.
    pub fn describe(&self, line: AccessLogEntry) -> ActivityLine {
        let own = line.key_id.as_ref().and_then(|id| self.0.get(id));
        let subject = match (own, line.token_name) {
            (Some((entry_id, label)), _) => ActivitySubject::Own {
                entry_id: entry_id.clone(),
                label: label.clone(),
            },
            (None, Some(token_name)) => ActivitySubject::Colleague { token_name },
            (None, None) => ActivitySubject::Other,
        };
        ActivityLine {
            at: unix_ms(line.at),
            action: line.action.into(),
            subject,
            from_ip: line.client_ip,
        }
    }
}

/// The access log's id for the secret behind a share link.
pub fn log_id_of_link(link: &str) -> Option<String> {
    let link = Link::parse(link).ok()?;
    if link.kind != LinkKind::Secret {
        return None;
    }
    let key = Key::parse(&link.key).ok()?;
    Some(key_id(&key.row_id(KeyKind::Secret)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "k3v9x2m7q1w8e4r6t0y5u2i9o3p7a1s6d4f8g2h5j0l3z7c1vb";

    fn line(key_id: Option<String>, token_name: Option<&str>) -> AccessLogEntry {
        AccessLogEntry {
            at: 1_800_000_000,
            action: AccessAction::Reveal,
            key_id,
            client_ip: Some("10.77.0.4".into()),
            user_agent: Some("Mozilla/5.0".into()),
            token_name: token_name.map(str::to_owned),
        }
    }

    fn logged_id() -> String {
        key_id(&Key::parse(KEY).expect("a key").row_id(KeyKind::Secret))
    }

    #[test]
    fn a_filter_in_milliseconds_keeps_exactly_the_lines_of_its_seconds() {
        let filter = AccessLogFilter::from(ActivityFilter {
            action: Some(ActivityAction::FailedPassphrase),
            since: Some(1_800_000_000_001),
            until: Some(1_800_000_100_000),
            limit: Some(5),
        });
        assert_eq!(
            filter,
            AccessLogFilter {
                action: Some(AccessAction::FailedPassphrase),
                since: Some(1_800_000_001),
                until: Some(1_800_000_100),
                limit: Some(5),
            },
            "a line at second 1_800_000_000 is before the `since` millisecond"
        );
    }

    #[test]
    fn own_secrets_are_named_by_their_label() {
        let own = OwnSecrets::from_links([(
            "entry-1".to_owned(),
            "VPN password for Sam".to_owned(),
            format!("http://10.77.0.2:7143/secret/{KEY}#e2e-fragment"),
        )]);
        assert_eq!(own.len(), 1);
        let told = own.describe(line(Some(logged_id()), None));
        assert_eq!(
            told,
            ActivityLine {
                at: 1_800_000_000_000,
                action: ActivityAction::Reveal,
                subject: ActivitySubject::Own {
                    entry_id: "entry-1".into(),
                    label: "VPN password for Sam".into()
                },
                from_ip: Some("10.77.0.4".into()),
            },
            "the line's key id is the one the relay computes from the link's key"
        );
    }

    #[test]
    fn colleagues_secrets_are_named_by_their_token_and_others_stay_anonymous() {
        let own = OwnSecrets::from_links([(
            "entry-1".to_owned(),
            "Mine".to_owned(),
            format!("http://10.77.0.2:7143/secret/{KEY}"),
        )]);
        let colleague = own.describe(line(Some("0123456789ab".into()), Some("Sam")));
        assert_eq!(
            colleague.subject,
            ActivitySubject::Colleague {
                token_name: "Sam".into()
            }
        );
        let other = own.describe(line(Some("0123456789ab".into()), None));
        assert_eq!(other.subject, ActivitySubject::Other);
        assert_eq!(
            own.describe(line(None, None)).subject,
            ActivitySubject::Other
        );
    }

    #[test]
    fn receipt_links_and_junk_are_not_own_secrets() {
        let own = OwnSecrets::from_links([
            (
                "a".to_owned(),
                "Receipt".to_owned(),
                format!("http://10.77.0.2:7143/receipt/{KEY}"),
            ),
            ("b".to_owned(), "Junk".to_owned(), "not a link".to_owned()),
        ]);
        assert!(own.is_empty(), "neither names a secret key");
    }

    /// The relay's own log lines, not ids computed here: the app's secret is found by its
    /// label, a colleague's by the token that created it.
    #[tokio::test]
    async fn the_relays_own_lines_are_told_by_label_and_token() {
        use hushlink_relay::{Client, Credentials, NewSecret, Relay, RelayConfig, SecretText};
        let dir = tempfile::tempdir().expect("temp dir");
        let relay = Relay::open(RelayConfig::with_data_dir(dir.path()))
            .await
            .expect("opens");
        let mut feed = relay.access_log().subscribe();
        let secret = |text: &str| NewSecret {
            value: Some(SecretText::from(text.to_owned())),
            ttl_secs: Some(600),
            passphrase: None,
            e2e: false,
            generate_length: None,
        };
        let mine = relay
            .create(secret("mine"), None, &Client::in_process())
            .await
            .expect("the app creates without a token");
        let issued = relay.tokens().issue("Sam").await.expect("a token");
        let sam = Credentials {
            identity: relay
                .tokens()
                .verify("Sam", issued.token.expose())
                .expect("the token verifies"),
            token: SecretText::from(issued.token.expose().to_owned()),
        };
        let colleague = Client::new("10.77.0.5".parse().expect("an IP"), Some("Hushlink"));
        relay
            .create(secret("theirs"), Some(&sam), &colleague)
            .await
            .expect("Sam creates with his token");
        for _ in 0..2 {
            tokio::time::timeout(std::time::Duration::from_secs(10), feed.recv())
                .await
                .expect("a line in time")
                .expect("the feed is open");
        }

        let key = mine.receipt.secret_key.expect("a share key");
        let own = OwnSecrets::from_links([(
            "entry-1".to_owned(),
            "VPN password for Sam".to_owned(),
            format!("http://10.77.0.2:7143/secret/{}#e2e", key.expose()),
        )]);
        let told: Vec<ActivitySubject> = relay
            .access_log()
            .query(hushlink_relay::AccessLogFilter::default())
            .await
            .expect("the log")
            .into_iter()
            .map(|line| own.describe(line).subject)
            .collect();
        assert_eq!(
            told,
            [
                ActivitySubject::Colleague {
                    token_name: "Sam".into()
                },
                ActivitySubject::Own {
                    entry_id: "entry-1".into(),
                    label: "VPN password for Sam".into()
                },
            ],
            "newest first"
        );
    }

    #[test]
    fn lines_serialize_for_the_ui() {
        let json = serde_json::to_value(OwnSecrets::default().describe(line(None, Some("Sam"))))
            .expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({
                "at": 1_800_000_000_000_i64,
                "action": "reveal",
                "subject": {"kind": "colleague", "tokenName": "Sam"},
                "fromIp": "10.77.0.4",
            })
        );
    }
}
