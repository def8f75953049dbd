//! One function per subcommand. Text output is for people; `--json` output is for scripts.

use std::{
    io::{self, IsTerminal, Write},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use hushlink_client::{Client, GenerateRequest, Options, ServerConfig, ShareRequest, Shared};
use hushlink_protocol::{link, regions::Region, v1, Link, LinkKind, SecretText};
use serde_json::json;
use url::Url;

use crate::{
    args::{Cli, Command},
    input, words, CliError,
};

/// Runs the parsed command.
pub async fn run(cli: &Cli) -> Result<(), CliError> {
    match &cli.command {
        Command::Share(args) => {
            let (secret, passphrase) = input::secret_and_passphrase(args.passphrase)?;
            let request = ShareRequest {
                passphrase,
                ttl: args.ttl,
                recipient: args.recipient.clone(),
                ..ShareRequest::new(secret)
            };
            let client = configured_client(cli)?;
            let shared = if args.e2e {
                client.share_e2e(request).await?
            } else {
                client.share(request).await?
            };
            print_shared(cli, &shared, None)
        }
        Command::Generate(args) => {
            let passphrase = input::passphrase(args.passphrase, true)?;
            let request = GenerateRequest {
                passphrase,
                ttl: args.ttl,
                recipient: args.recipient.clone(),
                length: args.length,
                ..Default::default()
            };
            let shared = configured_client(cli)?.generate(request).await?;
            let value = shared.receipt.generated_value().cloned();
            print_shared(cli, &shared, value.as_ref())
        }
        Command::Reveal { link, passphrase } => {
            let link = parse_link(link, LinkKind::Secret)?;
            let passphrase = input::passphrase(*passphrase, false)?;
            let value = client_for(cli, &link)?
                .reveal_link(&link, passphrase.as_ref())
                .await?;
            if cli.json {
                println!("{}", json!({ "value": value.expose() }));
            } else {
                let mut out = io::stdout().lock();
                out.write_all(value.expose().as_bytes())
                    .map_err(CliError::Io)?;
                if out.is_terminal() {
                    out.write_all(b"\n").map_err(CliError::Io)?;
                }
            }
            Ok(())
        }
        Command::Status { link } => {
            let link = parse_link(link, LinkKind::Receipt)?;
            let receipt = client_for(cli, &link)?.receipt(&link.key).await?;
            print_receipt(cli, &receipt);
            Ok(())
        }
        Command::Burn { link, passphrase } => {
            let link = parse_link(link, LinkKind::Receipt)?;
            let passphrase = input::passphrase(*passphrase, false)?;
            let burned = client_for(cli, &link)?
                .burn(&link.key, passphrase.as_ref())
                .await?;
            if cli.json {
                println!("{}", json!({ "state": burned.state.state.as_str() }));
            } else {
                println!("{}", words::word("cli.destroyed"));
            }
            Ok(())
        }
        Command::Check => {
            let client = configured_client(cli)?;
            let status = client.status().await?;
            let authed = if client.has_credentials() {
                Some(client.authcheck().await.is_ok())
            } else {
                None
            };
            if cli.json {
                println!(
                    "{}",
                    json!({ "server": client.base_url().as_str(), "status": status.status, "credentials_valid": authed })
                );
            } else {
                println!("{} answers status {:?}.", client.base_url(), status.status);
                if authed == Some(true) {
                    println!("Credentials: valid.");
                }
            }
            if status.is_nominal() {
                Ok(())
            } else {
                Err(hushlink_client::Error::ServerError { status: 200 }.into())
            }
        }
        Command::Recent => {
            let client = configured_client(cli)?;
            let receipts = client.recent().await?;
            if cli.json {
                let items: Vec<_> = receipts.iter().map(receipt_json).collect();
                println!("{}", serde_json::Value::Array(items));
            } else if receipts.is_empty() {
                println!("No secrets in the last 30 days.");
            } else {
                for r in &receipts {
                    println!("{}", recent_line(client.base_url(), r));
                }
            }
            Ok(())
        }
    }
}

/// The server from --server or --region (default: onetimesecret.com).
fn configured_base(cli: &Cli) -> Result<Url, CliError> {
    match (&cli.server, &cli.region) {
        (Some(url), _) => Ok(url.clone()),
        (None, Some(name)) => Region::find(name).map(Region::url).ok_or_else(|| {
            let known: Vec<_> = hushlink_protocol::regions::REGIONS
                .iter()
                .map(|r| r.id)
                .collect();
            CliError::Usage(format!(
                "unknown region {name:?}; known: {}",
                known.join(", ")
            ))
        }),
        (None, None) => Ok(hushlink_protocol::regions::REGIONS[0].url()),
    }
}

fn options(cli: &Cli) -> Options {
    Options {
        timeout: Duration::from_secs(cli.timeout.max(1)),
        ..Options::default()
    }
}

/// The API token from `HUSHLINK_TOKEN`.
fn env_token() -> Option<SecretText> {
    std::env::var("HUSHLINK_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
        .map(SecretText::from)
}

/// A client for the configured server, with credentials from --user and HUSHLINK_TOKEN.
fn configured_client(cli: &Cli) -> Result<Client, CliError> {
    configured_client_with(cli, env_token())
}

fn configured_client_with(cli: &Cli, token: Option<SecretText>) -> Result<Client, CliError> {
    let mut config = ServerConfig::new(configured_base(cli)?);
    if let Some(pin) = cli.pin {
        config = config.with_pinned_cert(pin);
    }
    if let Some(link_base) = &cli.link_base {
        config = config.with_link_base(link_base.clone());
    }
    match (&cli.user, token) {
        (Some(user), Some(token)) => config = config.with_credentials(user.clone(), token),
        (Some(_), None) => {
            return Err(CliError::Usage(
                "--user needs the API token in HUSHLINK_TOKEN".into(),
            ))
        }
        (None, Some(_)) => {
            return Err(CliError::Usage(
                "HUSHLINK_TOKEN needs --user (the account email)".into(),
            ))
        }
        (None, None) => {}
    }
    Ok(Client::with_options(config, options(cli))?)
}

/// A client for a pasted link's server. Credentials go along only when the link is on the
/// configured server, so a link cannot collect the token. With --pin, a link on the
/// configured server (or on --link-base) is followed over the pinned connection.
fn client_for(cli: &Cli, link: &Link) -> Result<Client, CliError> {
    client_for_with(cli, link, env_token())
}

fn client_for_with(cli: &Cli, link: &Link, token: Option<SecretText>) -> Result<Client, CliError> {
    let configured = configured_base(cli)
        .ok()
        .and_then(|u| link::normalize_base(&u).ok());
    if cli.user.is_some() && configured.as_ref() == Some(&link.base) {
        return configured_client_with(cli, token);
    }
    if cli.pin.is_some() {
        let link_base = cli
            .link_base
            .as_ref()
            .and_then(|u| link::normalize_base(u).ok());
        let ours = [configured.as_ref(), link_base.as_ref()].contains(&Some(&link.base));
        if ours {
            return configured_client_with(cli, token.filter(|_| cli.user.is_some()));
        }
    }
    Ok(Client::with_options(
        ServerConfig::new(link.base.clone()),
        options(cli),
    )?)
}

fn parse_link(text: &str, kind: LinkKind) -> Result<Link, CliError> {
    let link = Link::parse(text)?;
    match (kind, link.kind) {
        (LinkKind::Secret, LinkKind::Receipt) => {
            Err(CliError::Usage("this is a receipt link; reveal needs the share link (/secret/...)".into()))
        }
        (LinkKind::Receipt, LinkKind::Secret) => Err(CliError::Usage(
            "this is a share link; status and burn need the receipt link (/receipt/...), and opening a share link would consume it".into(),
        )),
        _ => Ok(link),
    }
}

fn print_shared(cli: &Cli, shared: &Shared, value: Option<&SecretText>) -> Result<(), CliError> {
    let r = &shared.receipt;
    if cli.json {
        let mut body = json!({
            "secret_link": shared.secret_link.to_url().as_str(),
            "receipt_link": shared.receipt_link.to_url().as_str(),
            "state": r.state.as_str(),
            "ttl": r.ttl,
            "passphrase_required": r.needs_passphrase(),
        });
        if let Some(value) = value {
            body["value"] = value.expose().into();
        }
        println!("{body}");
    } else {
        if let Some(value) = value {
            println!("Password:     {}", value.expose());
        }
        println!("Share link:   {}", shared.secret_link.to_url());
        println!("Receipt link: {}", shared.receipt_link.to_url());
        if let Some(ttl) = r.ttl {
            println!("Expires in:   {}", duration(ttl));
        }
    }
    Ok(())
}

fn receipt_json(r: &v1::Receipt) -> serde_json::Value {
    json!({
        "state": r.state.as_str(),
        "read": r.state.is_read(),
        "terminal": r.state.is_terminal(),
        "metadata_key": r.metadata_key,
        "ttl": r.ttl,
        "secret_ttl": r.secret_ttl,
        "created": r.created,
        "updated": r.updated,
        "received": r.received,
        "passphrase_required": r.needs_passphrase(),
    })
}

/// One line of `recent`: state, when it was created, when its state last changed, and the
/// receipt link, or, from a Hushlink relay, the secret's short id. A relay never lists a
/// receipt key (a token must not lead to the secrets it made), so what it puts in
/// `metadata_key` is the id its access log uses, too short to be a key.
fn recent_line(base: &Url, r: &v1::Receipt) -> String {
    let changed = if r.state.is_unread() {
        "-".to_owned()
    } else {
        ago(r.updated.or(r.received))
    };
    // Servers answer keys under 20 characters with "Not Found": such an id is no receipt key.
    let link = (r.metadata_key.len() >= hushlink_protocol::limits::SERVER_KEY_MIN_LEN)
        .then(|| Link::receipt(base, &r.metadata_key).ok())
        .flatten();
    let what = link.map_or_else(
        || format!("id {}", r.metadata_key),
        |link| link.to_url().to_string(),
    );
    format!(
        "{:<9} {:<16} {changed:<16} {what}",
        r.state.as_str(),
        ago(r.created)
    )
}

fn print_receipt(cli: &Cli, r: &v1::Receipt) {
    if cli.json {
        println!("{}", receipt_json(r));
        return;
    }
    let meaning = words::phase(r.state.phase());
    println!("State:     {} ({meaning})", r.state);
    println!("Created:   {}", ago(r.created));
    if let Some(at) = r.received {
        println!("Opened:    {}", ago(Some(at)));
    }
    if let Some(left) = r.secret_ttl.filter(|_| r.state.is_unread()) {
        println!("Expires:   in {}", duration(left));
    }
}

fn duration(secs: u64) -> String {
    match secs {
        s if s >= 86_400 && s % 86_400 == 0 => format!("{} d", s / 86_400),
        s if s >= 3600 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        s if s >= 60 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

fn ago(at: Option<u64>) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    match at {
        Some(at) if at <= now => format!("{} ago", duration(now - at)),
        Some(_) => "just now".into(),
        None => "unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[test]
    fn credentials_go_only_to_the_configured_server() {
        let cli = Cli::parse_from([
            "hushlink",
            "--server",
            "https://ots.example.com",
            "--user",
            "a@b.c",
            "check",
        ]);
        let token = || Some(SecretText::from("tok3n"));
        let own = Link::parse("https://ots.example.com/secret/abcdefghijklmnopqrst").unwrap();
        let foreign = Link::parse("https://evil.example.com/secret/abcdefghijklmnopqrst").unwrap();
        assert!(client_for_with(&cli, &own, token())
            .unwrap()
            .has_credentials());
        assert!(
            !client_for_with(&cli, &foreign, token())
                .unwrap()
                .has_credentials(),
            "a pasted link cannot collect the token"
        );
        let anon = Cli::parse_from(["hushlink", "--server", "https://ots.example.com", "check"]);
        assert!(!client_for_with(&anon, &own, None)
            .unwrap()
            .has_credentials());
    }

    #[test]
    fn recent_lines_show_a_link_or_the_relays_short_id() {
        let base = Url::parse("http://192.168.1.10:7143").unwrap();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let onetime: v1::Receipt = serde_json::from_value(json!({
            "metadata_key": "abcdefghijklmnopqrstuvwxyz", "state": "new", "created": now - 120
        }))
        .unwrap();
        let line = recent_line(&base, &onetime);
        assert!(line.starts_with("new "), "{line}");
        assert!(
            line.ends_with("http://192.168.1.10:7143/receipt/abcdefghijklmnopqrstuvwxyz"),
            "a receipt key becomes its link: {line}"
        );
        let relay: v1::Receipt = serde_json::from_value(json!({
            "metadata_key": "3fa9c01b2e44", "key_id": "3fa9c01b2e44", "state": "received",
            "created": now - 7_200, "updated": now - 60, "received": now - 60
        }))
        .unwrap();
        let line = recent_line(&base, &relay);
        assert!(line.starts_with("received "), "{line}");
        assert!(
            line.ends_with(" id 3fa9c01b2e44"),
            "a relay's key id: {line}"
        );
        assert!(!line.contains("/receipt/"), "no link to a key id: {line}");
        assert!(
            line.contains(" 2 h 0 min ago ") && line.contains(" 1 min ago "),
            "created and changed: {line}"
        );
    }

    #[test]
    fn with_a_pin_links_on_the_relay_go_over_the_pinned_connection() {
        let pin = "sha256=".to_owned() + &"ab".repeat(32);
        let cli = Cli::parse_from([
            "hushlink",
            "--server",
            "https://192.168.1.10:7144",
            "--pin",
            &pin,
            "--link-base",
            "http://192.168.1.10:7143",
            "--user",
            "alice",
            "check",
        ]);
        let token = || Some(SecretText::from("tok3n"));
        let configured = configured_client_with(&cli, token()).unwrap();
        assert!(configured.is_pinned() && configured.has_credentials());
        assert_eq!(configured.link_base().as_str(), "http://192.168.1.10:7143/");
        let key = "abcdefghijklmnopqrstuvwxyz";
        for text in [
            format!("http://192.168.1.10:7143/secret/{key}"),
            format!("https://192.168.1.10:7144/secret/{key}"),
        ] {
            let client = client_for_with(&cli, &Link::parse(&text).unwrap(), token()).unwrap();
            assert!(client.is_pinned(), "{text} goes over the pinned connection");
            assert_eq!(client.base_url().as_str(), "https://192.168.1.10:7144/");
        }
        let other = Link::parse(&format!("http://192.168.1.99:7143/secret/{key}")).unwrap();
        let client = client_for_with(&cli, &other, token()).unwrap();
        assert!(
            !client.is_pinned() && !client.has_credentials(),
            "another relay"
        );
        let plain = Cli::parse_from([
            "hushlink",
            "--server",
            "http://192.168.1.10:7143",
            "--pin",
            &pin,
            "check",
        ]);
        let err = configured_client_with(&plain, None).unwrap_err();
        assert!(err.to_string().contains("https://"), "{err}");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(604_800), "7 d");
        assert_eq!(duration(5400), "1 h 30 min");
        assert_eq!(duration(59), "59 s");
    }
}
