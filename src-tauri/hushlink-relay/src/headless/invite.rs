//! `hushlink-relay invite NAME`: the command's arguments, and where the invite says the relay
//! is (the headless relay's listeners, as its configuration describes them).
//!
//! The invite is made by the running relay over its admin socket, or on the store when none
//! runs ([`crate::admin::run_invite_command`]); this module only works out the address:
//!
//! - origin: `public_url` (`--public-url`, `HUSHLINK_PUBLIC_URL`, the file) when set; else the
//!   `--listen` address (`http://`, or `https://` with `--tls-cert`), an unspecified one
//!   (`0.0.0.0`, `::`) standing for this computer's first LAN address of that family;
//! - HTTPS port and fingerprint: `--tls-listen` and its certificate (the relay's own, made at
//!   its first start with `--tls-listen`, or the admin's `--tls-cert`).

use std::net::{IpAddr, SocketAddr};

use clap::Args;

use super::units::parse_duration;
use super::Headless;
use crate::error::{Error, Result};
use crate::invites::InviteAddress;
use crate::tls_identity::TlsIdentity;

/// `hushlink-relay invite NAME [--ttl DURATION]`.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct InviteCommand {
    /// Who it is for: the name of the token it carries (their HTTP Basic user name). Unique
    /// among active tokens.
    pub name: String,
    /// How long it can be imported: seconds, or `30m`, `24h`, `7d` (default 24h; 1 minute to
    /// 14 days).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub ttl: Option<u64>,
}

impl Headless {
    /// Where an invite says this relay is, and a note for the admin when the address cannot
    /// serve colleagues (a loopback origin).
    pub fn invite_address(&self) -> Result<(InviteAddress, Option<String>)> {
        let origin = match &self.relay.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => self.listen_origin()?,
        };
        let (https_port, fingerprint) = match self.tls_listen {
            Some(addr) if addr.port() != 0 => (Some(addr.port()), Some(self.pinned_fingerprint()?)),
            Some(_) => return Err(Error::Config(
                "tls_listen has port 0, so an invite cannot name the HTTPS port; give a fixed port"
                    .into(),
            )),
            None => (None, None),
        };
        let note = origin
            .contains("://127.")
            .then(|| {
                format!(
                    "Note: this invite points at {origin}, which only this computer can reach. \
                     For colleagues, set --public-url or listen on a LAN address."
                )
            })
            .or_else(|| {
                origin.contains("://[::1]").then(|| {
                    format!(
                        "Note: this invite points at {origin}, which only this computer can reach."
                    )
                })
            });
        Ok((
            InviteAddress {
                origin,
                https_port,
                fingerprint,
            },
            note,
        ))
    }

    fn listen_origin(&self) -> Result<String> {
        let listen = self.listen;
        if listen.port() == 0 {
            return Err(Error::Config(
                "the relay listens on port 0 (any free port), so the invite cannot name it; \
                 pass --public-url http://HOST:PORT"
                    .into(),
            ));
        }
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        let ip = if listen.ip().is_unspecified() {
            first_lan_address(listen)?
        } else {
            listen.ip()
        };
        Ok(format!("{scheme}://{}", SocketAddr::new(ip, listen.port())))
    }

    /// The fingerprint colleagues pin: of the admin's certificate, or of the relay's own.
    fn pinned_fingerprint(&self) -> Result<String> {
        let identity = match &self.tls {
            Some(files) => TlsIdentity::from_files(files.clone())?,
            None => TlsIdentity::load(&self.relay.data_dir)?.ok_or_else(|| {
                Error::Config(
                    "the relay has no certificate yet for --tls-listen; start it once with \
                     --tls-listen, or run `hushlink-relay tls fingerprint`"
                        .into(),
                )
            })?,
        };
        Ok(identity.fingerprint().to_hex())
    }
}

/// This computer's first LAN address of the family of `listen` (as `--announce` finds them).
fn first_lan_address(listen: SocketAddr) -> Result<IpAddr> {
    crate::discovery::Announcement::for_listen("invite", listen)
        .ok()
        .and_then(|found| found.addresses.first().copied())
        .ok_or_else(|| {
            Error::Config(format!(
                "the relay listens on {listen} and no LAN address was found for the invite; \
                 pass --public-url http://HOST:PORT"
            ))
        })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::super::{Args, Command};
    use super::*;

    fn headless(argv: &[&str]) -> Result<Headless> {
        let mut args = Args::try_parse_from(argv).unwrap();
        let dir = tempfile::tempdir().unwrap();
        args.data_dir.get_or_insert(dir.path().to_owned());
        Headless::from_args(args)
    }

    #[test]
    fn the_invite_command_takes_a_name_a_ttl_and_the_shared_options() {
        let args = Args::try_parse_from([
            "hushlink-relay",
            "invite",
            "alice",
            "--ttl",
            "2h",
            "--data-dir",
            "/srv/relay",
        ])
        .unwrap();
        assert_eq!(
            args.command,
            Some(Command::Invite(InviteCommand {
                name: "alice".into(),
                ttl: Some(7_200)
            }))
        );
        assert_eq!(
            args.data_dir.as_deref(),
            Some(std::path::Path::new("/srv/relay"))
        );
        assert!(
            Args::try_parse_from(["hushlink-relay", "invite"]).is_err(),
            "a name is needed"
        );
    }

    #[test]
    fn the_origin_is_the_public_url_else_the_listen_address() {
        let (address, note) = headless(&[
            "hushlink-relay",
            "--listen",
            "192.168.1.10:7143",
            "--public-url",
            "http://relay.office.lan:7143/",
            "invite",
            "a",
        ])
        .unwrap()
        .invite_address()
        .unwrap();
        assert_eq!(address.origin, "http://relay.office.lan:7143");
        assert_eq!(note, None);
        let (address, note) = headless(&["hushlink-relay", "--listen", "192.168.1.10:7143"])
            .unwrap()
            .invite_address()
            .unwrap();
        assert_eq!(address, InviteAddress::plain("http://192.168.1.10:7143"));
        assert_eq!(note, None);
        let (address, note) = headless(&["hushlink-relay"])
            .unwrap()
            .invite_address()
            .unwrap();
        assert_eq!(
            address.origin, "http://127.0.0.1:7143",
            "the default listen address"
        );
        assert!(note.unwrap().contains("only this computer"));
        let err = headless(&["hushlink-relay", "--listen", "127.0.0.1:0"])
            .unwrap()
            .invite_address()
            .unwrap_err();
        assert!(err.to_string().contains("--public-url"), "{err}");
    }

    #[test]
    fn tls_listen_adds_its_port_and_the_relays_own_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let identity = TlsIdentity::load_or_generate(dir.path(), &["relay".into()]).unwrap();
        let (address, _) = headless(&[
            "hushlink-relay",
            "--listen",
            "192.168.1.10:7143",
            "--tls-listen",
            "192.168.1.10:7144",
            "--data-dir",
            dir.path().to_str().unwrap(),
        ])
        .unwrap()
        .invite_address()
        .unwrap();
        assert_eq!(address.https_port, Some(7144));
        assert_eq!(address.fingerprint, Some(identity.fingerprint().to_hex()));
        assert_eq!(
            address.origin, "http://192.168.1.10:7143",
            "links stay plain HTTP"
        );
    }

    #[test]
    fn tls_listen_needs_a_certificate_to_pin() {
        let err = headless(&["hushlink-relay", "--tls-listen", "192.168.1.10:7144"])
            .unwrap()
            .invite_address()
            .unwrap_err();
        assert!(err.to_string().contains("no certificate yet"), "{err}");
    }
}
