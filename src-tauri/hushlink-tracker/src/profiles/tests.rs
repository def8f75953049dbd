//! Profiles: built-ins, custom servers, tokens in the keyring, pinned relays.

use super::*;
use crate::keychain::MemoryKeychain;

fn input(name: &str, url: &str) -> ProfileInput {
    ProfileInput {
        name: name.into(),
        base_url: url.into(),
        username: Some("me@example.com".into()),
        hushlink_relay: false,
    }
}

#[test]
fn built_ins_are_listed_and_read_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut profiles =
        Profiles::load(dir.path().join("p.json"), Arc::new(MemoryKeychain::new())).expect("loads");
    let list = profiles.list("eu");
    assert!(list
        .iter()
        .any(|p| p.id == "global" && p.kind == ProfileKind::Hosted));
    assert_eq!(
        list.iter().filter(|p| p.is_default).count(),
        1,
        "exactly one default"
    );
    assert!(list
        .iter()
        .find(|p| p.id == "eu")
        .is_some_and(|p| p.is_default));
    assert_eq!(
        profiles.remove("eu").expect_err("built in").code(),
        "profile_read_only"
    );
    profiles
        .set_username("eu", Some("me@example.com"))
        .expect("accounts on hosted regions");
    assert_eq!(
        profiles.get("eu", "").expect("eu").username.as_deref(),
        Some("me@example.com")
    );
}

#[test]
fn custom_profiles_persist_and_tokens_stay_in_the_keyring() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.json");
    let keychain: Arc<dyn Keychain> = Arc::new(MemoryKeychain::new());
    let mut profiles = Profiles::load(&path, Arc::clone(&keychain)).expect("loads");
    let added = profiles
        .add(&input("Office", "https://secrets.example.com/ots"))
        .expect("adds");
    assert_eq!(added.base_url, "https://secrets.example.com/ots/");
    profiles
        .set_token(&added.id, Some("tok-123"))
        .expect("stores");
    let text = std::fs::read_to_string(&path).expect("saved");
    assert!(
        !text.contains("tok-123"),
        "token written to the profiles file"
    );

    let profiles = Profiles::load(&path, keychain).expect("reloads");
    let resolved = profiles.resolve(&added.id).expect("resolves");
    assert!(resolved.profile.has_token);
    let (user, token) = resolved.credentials.expect("credentials");
    assert_eq!(
        (user.as_str(), token.as_str()),
        ("me@example.com", "tok-123")
    );
}

#[test]
fn a_new_origin_drops_the_token_a_new_path_keeps_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let keychain: Arc<dyn Keychain> = Arc::new(MemoryKeychain::new());
    let mut profiles =
        Profiles::load(dir.path().join("p.json"), Arc::clone(&keychain)).expect("loads");
    let added = profiles
        .add(&input("Office", "https://secrets.example.com/ots"))
        .expect("adds");
    profiles
        .set_token(&added.id, Some("tok-123"))
        .expect("stores");

    let moved_path = profiles
        .update(
            &added.id,
            &input("Office", "https://secrets.example.com/v2"),
        )
        .expect("updates");
    assert!(
        moved_path.has_token,
        "same origin, same server: the token stays"
    );

    for new_origin in [
        "https://attacker.example.net/ots",
        "http://secrets.example.com/ots",
        "https://secrets.example.com:8443/ots",
    ] {
        profiles
            .set_token(&added.id, Some("tok-123"))
            .expect("stores");
        let moved = profiles
            .update(&added.id, &input("Office", new_origin))
            .expect("updates");
        assert!(
            !moved.has_token,
            "{new_origin}: the profile no longer claims a token"
        );
        assert!(
            keychain
                .get(&token_account(&added.id))
                .expect("keyring")
                .is_none(),
            "{new_origin}: the old server's token left the keyring"
        );
        let resolved = profiles.resolve(&added.id).expect("resolves");
        assert!(
            resolved.credentials.is_none(),
            "{new_origin}: nothing would send the old token to the new host"
        );
        profiles
            .update(
                &added.id,
                &input("Office", "https://secrets.example.com/ots"),
            )
            .expect("back");
    }
}

#[test]
fn bad_urls_are_refused_and_no_keyring_means_anonymous() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut profiles = Profiles::load(
        dir.path().join("p.json"),
        Arc::new(MemoryKeychain::unavailable()),
    )
    .expect("loads");
    assert_eq!(
        profiles
            .add(&input("x", "not a url"))
            .expect_err("bad")
            .code(),
        "invalid_url"
    );
    assert_eq!(
        profiles
            .add(&input("x", "ftp://host/"))
            .expect_err("bad")
            .code(),
        "invalid_url"
    );
    let added = profiles
        .add(&input("LAN", "http://192.168.1.20:7000"))
        .expect("adds");
    assert_eq!(
        profiles
            .set_token(&added.id, Some("t"))
            .expect_err("no keyring")
            .code(),
        "keyring_unavailable"
    );
    let resolved = profiles.resolve(&added.id).expect("still usable");
    assert!(
        resolved.credentials.is_none(),
        "anonymous without a keyring"
    );
}

fn invited(pin: &str) -> InvitedRelay {
    InvitedRelay {
        name: "Front office".into(),
        base_url: Url::parse("https://10.0.0.5:7144").expect("url"),
        link_base: Url::parse("http://10.0.0.5:7143").expect("url"),
        pin: pin.parse().expect("pin"),
        token_name: "alice".into(),
    }
}

#[test]
fn a_profiles_file_from_before_pins_still_loads_unpinned() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.json");
    std::fs::write(
        &path,
        r#"{"accounts":{},"custom":[{"id":"custom-0123456789ab","name":"Office","baseUrl":"http://192.168.1.20:7143/","username":"pc","hushlinkRelay":true}],"withToken":[]}"#,
    )
    .expect("writes");
    let profiles = Profiles::load(&path, Arc::new(MemoryKeychain::new())).expect("old file loads");
    let resolved = profiles.resolve("custom-0123456789ab").expect("resolves");
    assert_eq!(resolved.profile.name, "Office");
    assert!(resolved.pin.is_none() && resolved.link_base.is_none());
    assert_eq!(resolved.profile.pinned_cert, None);
}

#[test]
fn an_imported_relay_stays_pinned_across_reloads_and_edits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.json");
    let keychain: Arc<dyn Keychain> = Arc::new(MemoryKeychain::new());
    let mut profiles = Profiles::load(&path, Arc::clone(&keychain)).expect("loads");
    let hex = "3a".repeat(32);
    let (profile, created) = profiles.import(&invited(&hex)).expect("imports");
    assert!(created);
    assert_eq!(profile.base_url, "https://10.0.0.5:7144/");
    assert_eq!(
        profile.link_origin.as_deref(),
        Some("http://10.0.0.5:7143/")
    );
    assert!(profile
        .pinned_cert
        .as_deref()
        .is_some_and(|p| p.starts_with("3A:3A:") && p.len() == 95));

    let edit = ProfileInput {
        name: "Office relay".into(),
        base_url: profile.base_url.clone(),
        username: Some("alice".into()),
        hushlink_relay: true,
    };
    profiles.update(&profile.id, &edit).expect("renames");
    let mut profiles = Profiles::load(&path, keychain).expect("reloads");
    let resolved = profiles.resolve(&profile.id).expect("resolves");
    assert_eq!(resolved.profile.name, "Office relay");
    assert_eq!(
        resolved.pin.map(|p| p.to_hex()),
        Some(hex),
        "an edit keeps the pin"
    );
    assert_eq!(
        resolved.link_base.as_ref().map(Url::as_str),
        Some("http://10.0.0.5:7143/")
    );

    let other = "b7".repeat(32);
    let (again, created) = profiles.import(&invited(&other)).expect("re-imports");
    assert!(!created, "the same address updates its profile");
    assert_eq!(again.id, profile.id);
    assert_eq!(
        profiles
            .resolve(&again.id)
            .expect("resolves")
            .pin
            .map(|p| p.to_hex()),
        Some(other)
    );
}

#[test]
fn a_damaged_pin_refuses_the_profile_instead_of_dropping_the_pin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.json");
    std::fs::write(
        &path,
        r#"{"custom":[{"id":"custom-0123456789ab","name":"Office","baseUrl":"https://10.0.0.5:7144/","username":"alice","hushlinkRelay":true,"pinnedCert":"not-a-fingerprint","linkBase":"http://10.0.0.5:7143/"}]}"#,
    )
    .expect("writes");
    let profiles = Profiles::load(&path, Arc::new(MemoryKeychain::new())).expect("loads");
    let err = profiles
        .resolve("custom-0123456789ab")
        .expect_err("unreadable pin");
    assert_eq!(err.code(), "invalid_file");
}

#[test]
fn a_blank_or_too_long_name_is_refused_with_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut profiles =
        Profiles::load(dir.path().join("p.json"), Arc::new(MemoryKeychain::new())).expect("loads");
    let long = "é".repeat(NAME_MAX_CHARS + 1);
    for bad in ["  ", long.as_str()] {
        let refused = profiles
            .add(&input(bad, "https://secrets.example.com/"))
            .expect_err("refused");
        assert_eq!(refused.code(), "profile_name_invalid");
        assert!(matches!(
            refused,
            TrackerError::ProfileNameInvalid {
                max: NAME_MAX_CHARS
            }
        ));
    }
    let longest = "é".repeat(NAME_MAX_CHARS);
    profiles
        .add(&input(&longest, "https://secrets.example.com/"))
        .expect("counted in characters, not bytes");
}
