use std::net::{IpAddr, Ipv4Addr};

use rusqlite::types::ValueRef;

use super::*;
use crate::clock::Clock;
use crate::config::RelayConfig;

const START: i64 = 1_800_000_000;

async fn relay(dir: &std::path::Path) -> (Relay, Clock) {
    let clock = Clock::manual(START);
    let mut config = RelayConfig::with_data_dir(dir);
    config.name = Some("Front office".into());
    let relay = Relay::open_with_clock(config, clock.clone()).await.unwrap();
    (relay, clock)
}

fn lan() -> Client {
    Client::new(IpAddr::V4(Ipv4Addr::new(192, 168, 1, 20)), Some("test"))
}

fn address() -> InviteAddress {
    InviteAddress::plain("http://192.168.1.10:7143/")
}

fn key_of(invite: &CreatedInvite) -> Key {
    Key::parse(&invite.link.key).unwrap()
}

/// Every column of every invite row, as bytes (text and blobs alike), read from the
/// database file as anyone with a copy of it would.
async fn stored_bytes(relay: &Relay) -> Vec<Vec<u8>> {
    let path = relay.config().data_dir.join("relay.sqlite3");
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut stmt = conn.prepare("SELECT * FROM invites").unwrap();
    let width = stmt.column_count();
    let mut rows = stmt.query([]).unwrap();
    let mut out = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        for i in 0..width {
            out.push(match row.get_ref(i).unwrap() {
                ValueRef::Text(t) | ValueRef::Blob(t) => t.to_vec(),
                ValueRef::Integer(n) => n.to_string().into_bytes(),
                _ => Vec::new(),
            });
        }
    }
    out
}

fn holds(columns: &[Vec<u8>], needle: &str) -> bool {
    columns
        .iter()
        .any(|c| c.windows(needle.len()).any(|w| w == needle.as_bytes()))
}

#[tokio::test]
async fn the_stored_row_holds_neither_token_nor_name_nor_keys_and_opens_once() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, _) = relay(dir.path()).await;
    let invite = relay
        .create_invite("alice-colleague", None, &address())
        .await
        .unwrap();
    assert_eq!(invite.summary.expires_at, START + 86_400, "24 h by default");
    let link = invite.link.expose();
    assert!(
        link.starts_with("http://192.168.1.10:7143/invite/"),
        "{link}"
    );

    let columns = stored_bytes(&relay).await;
    assert!(!columns.is_empty(), "the invite was stored");
    for clear in [
        "alice-colleague",
        "Front office",
        "192.168.1.10",
        invite.link.key.as_str(),
        invite.link.fragment.expose(),
    ] {
        assert!(!holds(&columns, clear), "{clear:?} is not stored in clear");
    }

    let sealed = relay.accept_invite(&key_of(&invite), &lan()).await.unwrap();
    let payload = sealing::open(&sealed, &invite.link.fragment).unwrap();
    assert_eq!(payload.name, "Front office");
    assert_eq!(payload.origin, "http://192.168.1.10:7143");
    assert_eq!(payload.token_name, "alice-colleague");
    assert!(
        relay
            .tokens()
            .verify("alice-colleague", payload.token.expose())
            .is_some(),
        "the sealed token is a live token"
    );
    assert!(
        !holds(&stored_bytes(&relay).await, payload.token.expose()),
        "the token itself is never stored"
    );
    assert!(matches!(
        relay.accept_invite(&key_of(&invite), &lan()).await,
        Err(AcceptError::Used)
    ));
    let listed = relay.list_invites().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, InviteState::Accepted);
    assert_eq!(listed[0].name, "alice-colleague");
    assert_eq!(listed[0].accepted_from.as_deref(), Some("192.168.1.20"));
}

#[tokio::test]
async fn concurrent_accepts_hand_the_invite_out_once() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, _) = relay(dir.path()).await;
    let invite = relay.create_invite("bob", None, &address()).await.unwrap();
    let key = key_of(&invite);
    let client = lan();
    let tries = (0..20).map(|_| relay.accept_invite(&key, &client));
    let outcomes = futures_util::future::join_all(tries).await;
    let won = outcomes.iter().filter(|o| o.is_ok()).count();
    let used = outcomes
        .iter()
        .filter(|o| matches!(o, Err(AcceptError::Used)))
        .count();
    assert_eq!(
        (won, used),
        (1, 19),
        "one winner, the rest are told it was used"
    );
}

#[tokio::test]
async fn an_expired_invite_is_refused_and_the_sweep_revokes_its_token() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, clock) = relay(dir.path()).await;
    let invite = relay
        .create_invite("carol", Some(3_600), &address())
        .await
        .unwrap();
    let token_id = invite.summary.token_id.clone();
    let live = |relay: &Relay| {
        let relay = relay.clone();
        let id = token_id.clone();
        async move {
            relay
                .tokens()
                .list()
                .await
                .unwrap()
                .into_iter()
                .any(|t| t.id == id && t.revoked_at.is_none())
        }
    };
    assert!(
        relay.invite_is_pending(&key_of(&invite)).await.unwrap(),
        "pending before its hour is up"
    );
    clock.advance(3_600);
    assert!(!relay.invite_is_pending(&key_of(&invite)).await.unwrap());
    assert!(matches!(
        relay.accept_invite(&key_of(&invite), &lan()).await,
        Err(AcceptError::Expired)
    ));
    assert_eq!(
        relay.list_invites().await.unwrap()[0].state,
        InviteState::Expired
    );
    assert!(
        live(&relay).await,
        "until the sweep, the unreachable token stays"
    );
    let _ = relay.sweep().await.unwrap();
    assert!(
        !live(&relay).await,
        "the sweep revoked the expired invite's token"
    );
    assert!(matches!(
        relay.accept_invite(&key_of(&invite), &lan()).await,
        Err(AcceptError::Expired)
    ));
}

#[tokio::test]
async fn a_withdrawn_invite_is_refused_and_its_token_no_longer_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, _) = relay(dir.path()).await;
    let invite = relay.create_invite("dave", None, &address()).await.unwrap();
    let other = relay.create_invite("erin", None, &address()).await.unwrap();
    assert!(relay.withdraw_invite(&invite.summary.id).await.unwrap());
    assert!(
        !relay.withdraw_invite(&invite.summary.id).await.unwrap(),
        "only a pending invite can be withdrawn"
    );
    assert!(matches!(
        relay.accept_invite(&key_of(&invite), &lan()).await,
        Err(AcceptError::Withdrawn)
    ));
    let tokens = relay.tokens().list().await.unwrap();
    let dave = tokens.iter().find(|t| t.name == "dave").unwrap();
    assert!(dave.revoked_at.is_some(), "withdrawing revoked the token");
    assert!(
        relay.accept_invite(&key_of(&other), &lan()).await.is_ok(),
        "other invites are untouched"
    );
}

#[tokio::test]
async fn revoking_the_token_first_withdraws_the_invite_too() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, clock) = relay(dir.path()).await;
    let invite = relay
        .create_invite("frank", None, &address())
        .await
        .unwrap();
    assert_eq!(relay.tokens().revoke_named("frank").await.unwrap(), 1);
    assert!(matches!(
        relay.accept_invite(&key_of(&invite), &lan()).await,
        Err(AcceptError::Withdrawn)
    ));
    assert_eq!(
        relay.list_invites().await.unwrap()[0].state,
        InviteState::Withdrawn,
        "and the list says so"
    );
    clock.advance(86_400);
    let _ = relay.sweep().await.unwrap();
    assert_eq!(
        relay.list_invites().await.unwrap()[0].state,
        InviteState::Withdrawn,
        "the sweep does not call it expired"
    );
    assert!(matches!(
        relay.accept_invite(&key_of(&invite), &lan()).await,
        Err(AcceptError::Withdrawn)
    ));
}

#[tokio::test]
async fn unknown_keys_and_bad_origins_are_refused_without_leaving_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, _) = relay(dir.path()).await;
    assert!(matches!(
        relay.accept_invite(&Key::generate().unwrap(), &lan()).await,
        Err(AcceptError::NotFound)
    ));
    for origin in [
        "192.168.1.10:7143",
        "http://h:1/path",
        "ftp://h",
        "http://u@h:1",
    ] {
        let err = relay
            .create_invite("gina", None, &InviteAddress::plain(origin))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{origin}: {err}");
    }
    assert!(
        relay.tokens().list().await.unwrap().is_empty(),
        "a refused origin issues no token"
    );
    let short = relay
        .create_invite("hank", Some(1), &address())
        .await
        .unwrap();
    assert_eq!(
        short.summary.expires_at - short.summary.created_at,
        60,
        "TTLs are clamped to a minute at least"
    );
}

#[tokio::test]
async fn accepts_count_against_the_reveal_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = RelayConfig::with_data_dir(dir.path());
    config.rate_limits.reveals = 2;
    let relay = Relay::open_with_clock(config, Clock::manual(START))
        .await
        .unwrap();
    let guess = Key::generate().unwrap();
    for _ in 0..2 {
        assert!(matches!(
            relay.accept_invite(&guess, &lan()).await,
            Err(AcceptError::NotFound)
        ));
    }
    assert!(
        matches!(
            relay.accept_invite(&guess, &lan()).await,
            Err(AcceptError::RateLimited { .. })
        ),
        "a third guess in the window is refused before any lookup"
    );
}
