//! The layering of file, variables and flags, and the parsers.

use clap::Parser;

use super::*;
use crate::config::{AnonymousCreate, RateLimit};

#[test]
fn durations_and_sizes_parse_with_units() {
    assert_eq!(parse_duration("14d"), Ok(1_209_600));
    assert_eq!(parse_duration("90m"), Ok(5_400));
    assert_eq!(parse_duration("3600"), Ok(3_600));
    assert!(parse_duration("1w").is_err());
    assert!(parse_duration("").is_err());
    assert_eq!(parse_size("1MiB"), Ok(1_048_576));
    assert_eq!(parse_size("10000"), Ok(10_000));
    assert_eq!(parse_size("10kB"), Ok(10_000));
    assert!(parse_size("big").is_err());
}

#[test]
fn flags_override_the_file_which_overrides_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("relay.toml");
    std::fs::write(
        &path,
        "listen = \"127.0.0.1:9000\"\n[relay]\nmax_ttl_secs = 7200\nallow = [\"203.0.113.0/24\"]\nmax_passphrase_attempts = 3\n",
    )
    .unwrap();
    let args = Args {
        config: Some(path.clone()),
        max_ttl: Some(3_600),
        ..Args::default()
    };
    let headless = Headless::from_args(args).unwrap();
    assert_eq!(headless.listen.port(), 9000, "from the file");
    assert_eq!(headless.relay.max_ttl_secs, 3_600, "the flag wins");
    assert_eq!(
        headless.relay.default_ttl_secs, 3_600,
        "default TTL follows a lower max"
    );
    assert_eq!(headless.relay.max_passphrase_attempts, 3, "from the file");
    assert_eq!(headless.relay.allow.len(), 1);
    assert!(headless.tls.is_none());

    std::fs::write(&path, "[relay]\nmax_tll_secs = 1\n").unwrap();
    let err = Headless::from_args(Args {
        config: Some(path),
        ..Args::default()
    })
    .unwrap_err();
    assert!(
        err.to_string().contains("max_tll_secs"),
        "typos are named: {err}"
    );
}

#[test]
fn token_commands_take_the_shared_options_before_or_after() {
    let before = Args::try_parse_from([
        "hushlink-relay",
        "--data-dir",
        "/srv/relay",
        "token",
        "revoke",
        "bob",
    ])
    .unwrap();
    assert_eq!(
        before.command,
        Some(Command::Token(TokenCommand::Revoke { name: "bob".into() }))
    );
    assert_eq!(before.data_dir.as_deref(), Some(Path::new("/srv/relay")));
    let after = Args::try_parse_from([
        "hushlink-relay",
        "token",
        "list",
        "--config",
        "relay.toml",
        "--data-dir",
        "/srv/relay",
    ])
    .unwrap();
    assert_eq!(after.command, Some(Command::Token(TokenCommand::List)));
    assert_eq!(after.config.as_deref(), Some(Path::new("relay.toml")));
    assert_eq!(after.data_dir.as_deref(), Some(Path::new("/srv/relay")));
    let serve = Args::try_parse_from(["hushlink-relay", "--listen", "127.0.0.1:0"]).unwrap();
    assert_eq!(serve.command, None, "no subcommand: serve, as before");
    let usage = |args: &[&str]| Args::try_parse_from(args).unwrap_err().exit_code();
    assert_eq!(usage(&["hushlink-relay", "token"]), 2);
    assert_eq!(usage(&["hushlink-relay", "token", "create"]), 2);
    assert_eq!(
        usage(&["hushlink-relay", "token", "list", "--listen", "127.0.0.1:0"]),
        2
    );
}

#[test]
fn announce_comes_from_the_flag_the_variable_or_the_file() {
    let announce = |argv: &[&str], file: &str| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relay.toml");
        std::fs::write(&path, file).unwrap();
        let mut args = Args::try_parse_from(argv).unwrap();
        args.config = Some(path);
        Headless::from_args(args).unwrap().announce
    };
    assert!(!announce(&["hushlink-relay"], ""), "off unless asked for");
    assert!(announce(&["hushlink-relay", "--announce"], ""));
    assert!(announce(&["hushlink-relay"], "announce = true"));
    assert!(!announce(
        &["hushlink-relay", "--announce=false"],
        "announce = true"
    ));
    let serve = Args::try_parse_from(["hushlink-relay", "--announce", "token", "list"]);
    assert!(
        serve.is_ok_and(|a| a.announce == Some(true)),
        "a bare --announce takes no value from the next word"
    );
}

#[test]
fn anonymous_create_and_rate_limit_come_from_flag_or_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("relay.toml");
    std::fs::write(
        &path,
        "[relay]\nanonymous_create = \"lan\"\nrate_limit = \"off\"\n",
    )
    .unwrap();
    let layered = |argv: &[&str]| {
        let mut args = Args::try_parse_from(argv).unwrap();
        args.config = Some(path.clone());
        Headless::from_args(args).unwrap().relay
    };
    let from_file = layered(&["hushlink-relay"]);
    assert_eq!(from_file.anonymous_create, AnonymousCreate::Lan);
    assert_eq!(from_file.rate_limit, RateLimit::Off);
    let flagged = layered(&[
        "hushlink-relay",
        "--anonymous-create",
        "off",
        "--rate-limit",
        "on",
    ]);
    assert_eq!(flagged.anonymous_create, AnonymousCreate::Off, "flag wins");
    assert_eq!(flagged.rate_limit, RateLimit::On, "flag wins");
    let bare = Headless::from_args(Args::default()).unwrap().relay;
    assert_eq!(
        (bare.anonymous_create, bare.rate_limit),
        (AnonymousCreate::Loopback, RateLimit::On),
        "the headless defaults"
    );
    assert!(
        Args::try_parse_from(["hushlink-relay", "--anonymous-create", "all"]).is_err(),
        "only off, loopback or lan"
    );
}

#[test]
fn quota_flags_set_the_caps_and_refuse_zero() {
    let args = Args::try_parse_from([
        "hushlink-relay",
        "--max-live-secrets",
        "50",
        "--max-live-bytes",
        "1MiB",
        "--max-live-secrets-per-token",
        "5",
        "--max-live-bytes-per-token",
        "64KiB",
    ])
    .unwrap();
    let quotas = Headless::from_args(args).unwrap().relay.quotas;
    assert_eq!(
        (
            quotas.live_secrets,
            quotas.live_bytes,
            quotas.live_secrets_per_token,
            quotas.live_bytes_per_token
        ),
        (50, 1 << 20, 5, 65_536)
    );
    let bare = Headless::from_args(Args::default()).unwrap().relay.quotas;
    assert_eq!(bare, crate::config::Quotas::default(), "caps by default");
    assert!(
        Args::try_parse_from(["hushlink-relay", "--max-live-secrets", "0"]).is_err(),
        "no unlimited"
    );
    let zero_bytes = Args::try_parse_from(["hushlink-relay", "--max-live-bytes", "0"]).unwrap();
    assert!(
        Headless::from_args(zero_bytes).is_err(),
        "no unlimited bytes"
    );
}

#[test]
fn the_name_flag_sets_the_landing_pages_name() {
    let args = Args::try_parse_from(["hushlink-relay", "--name", "Front office"]).unwrap();
    let headless = Headless::from_args(args).unwrap();
    assert_eq!(headless.relay.name.as_deref(), Some("Front office"));
}

#[test]
fn clap_reads_repeatable_allow_and_units() {
    let args = Args::try_parse_from([
        "hushlink-relay",
        "--listen",
        "127.0.0.1:0",
        "--allow",
        "10.9.0.0/16",
        "--allow",
        "198.51.100.7",
        "--max-ttl",
        "2d",
        "--max-size",
        "64KiB",
    ])
    .unwrap();
    assert_eq!(args.allow.len(), 2);
    assert_eq!(args.max_ttl, Some(172_800));
    assert_eq!(args.max_size, Some(65_536));
    assert!(
        Args::try_parse_from(["hushlink-relay", "--tls-cert", "x.pem"]).is_err(),
        "cert needs key"
    );
}
