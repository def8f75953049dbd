//! The command line. Secrets and passphrases are never arguments: they come from standard
//! input or a hidden prompt, so they cannot leak through `ps`, shell history or logs.

// The doc comments below are also the `--help` text, where URLs must stay plain text.
#![allow(rustdoc::bare_urls)]

use clap::{Args, Parser, Subcommand};
use hushlink_client::CertPin;
use url::Url;

use crate::exit;

/// Share passwords as one-time secret links through any Onetime Secret-compatible server
/// (onetimesecret.com and its regions, self-hosted instances, Hushlink relays).
#[derive(Debug, Parser)]
#[command(name = "hushlink", version, after_help = exit::HELP)]
pub struct Cli {
    /// Server base URL: https://..., or http://... for a relay on your own network
    /// [default: https://onetimesecret.com/]
    #[arg(long, global = true, env = "HUSHLINK_SERVER", value_name = "URL")]
    pub server: Option<Url>,

    /// Built-in region instead of --server: global, us, eu, ca, nz, uk
    #[arg(
        long,
        global = true,
        env = "HUSHLINK_REGION",
        value_name = "NAME",
        conflicts_with = "server"
    )]
    pub region: Option<String>,

    /// Account email for HTTP Basic auth; the API token is read from HUSHLINK_TOKEN and is
    /// sent only to --server/--region, never to a pasted link's host
    #[arg(long, global = true, env = "HUSHLINK_USER", value_name = "EMAIL")]
    pub user: Option<String>,

    /// SHA-256 fingerprint of the server's certificate (AB:CD:... or plain hex), as a
    /// Hushlink relay prints for its HTTPS port: accept exactly that certificate, no CA or host
    /// name check (needs an https:// --server; the token is sent only over that connection)
    #[arg(long, global = true, env = "HUSHLINK_PIN", value_name = "SHA256")]
    pub pin: Option<CertPin>,

    /// Address put into the links for recipients, when it differs from --server: with --pin,
    /// the relay's plain-HTTP address that browsers open (e.g. http://192.168.1.10:7143)
    #[arg(long, global = true, env = "HUSHLINK_LINK_BASE", value_name = "URL")]
    pub link_base: Option<Url>,

    /// Print JSON on standard output (errors too: {"error":{"code","message","exit_code"}})
    #[arg(long, global = true)]
    pub json: bool,

    /// Seconds allowed for each request
    #[arg(long, global = true, default_value_t = 30, value_name = "SECS")]
    pub timeout: u64,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Share a secret read from standard input (or a hidden prompt); prints the share link
    /// and the receipt link
    Share(ShareArgs),
    /// Let the server generate a password and share it; prints it and the links
    Generate(GenerateArgs),
    /// Reveal the secret behind a share link (this consumes it) and print it
    Reveal {
        /// Share link, e.g. https://eu.onetimesecret.com/secret/KEY
        link: String,
        #[command(flatten)]
        passphrase: PassphraseArgs,
    },
    /// Show the state of a secret from its receipt link (does not consume it)
    Status {
        /// Receipt link, e.g. https://eu.onetimesecret.com/receipt/KEY
        link: String,
    },
    /// Destroy a secret before it is read, from its receipt link
    Burn {
        /// Receipt link
        link: String,
        #[command(flatten)]
        passphrase: PassphraseArgs,
    },
    /// Check that the server speaks the Onetime protocol, and the credentials if given
    Check,
    /// List your secrets of the last 30 days (needs --user and HUSHLINK_TOKEN)
    Recent,
}

#[derive(Debug, Args)]
pub struct ShareArgs {
    /// Lifetime: seconds, or a number with s, m, h or d (e.g. 90m, 7d); the server clamps it
    #[arg(long, value_parser = parse_ttl, value_name = "DURATION")]
    pub ttl: Option<u64>,
    /// Email the link to this address (needs an account)
    #[arg(long, value_name = "EMAIL")]
    pub recipient: Option<String>,
    /// End-to-end mode (Hushlink relays): encrypt locally; the key travels only in the
    /// link's #fragment
    #[arg(long)]
    pub e2e: bool,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Lifetime, as for share
    #[arg(long, value_parser = parse_ttl, value_name = "DURATION")]
    pub ttl: Option<u64>,
    /// Password length (server default 12, at most 128)
    #[arg(long)]
    pub length: Option<u64>,
    /// Email the link to this address (needs an account)
    #[arg(long, value_name = "EMAIL")]
    pub recipient: Option<String>,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
}

/// How to get a passphrase: never as an argument.
#[derive(Debug, Args, Clone, Copy)]
pub struct PassphraseArgs {
    /// Ask for a passphrase at a hidden prompt
    #[arg(long)]
    pub passphrase: bool,
    /// Read the passphrase from the first line of standard input (for share, the secret
    /// follows on the next lines)
    #[arg(long, conflicts_with = "passphrase")]
    pub passphrase_stdin: bool,
}

/// `3600`, `90s`, `15m`, `2h`, `7d` → seconds.
pub fn parse_ttl(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("not a duration: {text:?} (try 3600, 90m, 2h or 7d)"))?;
    let factor = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("unknown unit {unit:?}: use s, m, h or d")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| "duration too large".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_units() {
        assert_eq!(parse_ttl("3600"), Ok(3600));
        assert_eq!(parse_ttl("90m"), Ok(5400));
        assert_eq!(parse_ttl("7d"), Ok(604_800));
        assert!(parse_ttl("7w").is_err());
        assert!(parse_ttl("h").is_err());
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}

#[cfg(test)]
mod usage_tests {
    use clap::Parser;

    use super::Cli;
    use crate::exit;

    #[test]
    fn bad_command_lines_exit_with_the_usage_code() {
        let err = Cli::try_parse_from(["hushlink", "bogus"]).unwrap_err();
        assert_eq!(err.exit_code(), i32::from(exit::USAGE));
        let err =
            Cli::try_parse_from(["hushlink", "share", "--passphrase", "hunter2"]).unwrap_err();
        assert_eq!(
            err.exit_code(),
            i32::from(exit::USAGE),
            "a passphrase value is not accepted"
        );
    }
}
