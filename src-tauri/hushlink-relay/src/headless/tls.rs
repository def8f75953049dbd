//! The headless relay's HTTPS listener for colleagues' apps: which certificate it presents,
//! with which names, and `hushlink-relay tls fingerprint`.

use std::net::SocketAddr;

use super::Headless;
use crate::error::{Error, Result};
use crate::tls_identity::{self, TlsIdentity};

impl Headless {
    /// The certificate of the HTTPS listener (`tls_listen`): the admin's `tls_cert`/`tls_key`
    /// when given, else the relay's own in the data directory, made now if it does not exist.
    pub fn colleague_identity(&self) -> Result<TlsIdentity> {
        match &self.tls {
            Some(files) => TlsIdentity::from_files(files.clone()),
            None => TlsIdentity::load_or_generate(&self.relay.data_dir, &self.certificate_names()),
        }
    }

    /// Names for a new certificate: the host name, the addresses listened on (when not a
    /// wildcard), and `public_url`'s host. Informational only for pinned apps, which check the
    /// fingerprint, not the name; they help an admin who opens the HTTPS port in a browser.
    pub fn certificate_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        #[cfg(unix)]
        if let Ok(host) = nix::unistd::gethostname() {
            names.extend(host.into_string().ok());
        }
        let listens = std::iter::once(self.listen).chain(self.tls_listen);
        names.extend(listens.map(|addr: SocketAddr| addr.ip().to_string()));
        if let Some(public) = &self.relay.public_url {
            names.extend(
                url_host(public)
                    .map(str::to_owned)
                    .filter(|host| !host.is_empty()),
            );
        }
        tls_identity::san_names(&names)
    }
}

/// The host of an `http(s)://host[:port]` origin (IPv6 without brackets).
fn url_host(origin: &str) -> Option<&str> {
    let rest = origin.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next();
    }
    authority.split(':').next()
}

/// `hushlink-relay tls fingerprint`: the text to print, the fingerprint alone on the last
/// line. Reading needs only read access to the certificate; making the relay's own (when it
/// does not exist yet) needs the data directory's owner, so the relay can read what is made.
pub fn fingerprint_command(headless: &Headless) -> Result<String> {
    let identity = match &headless.tls {
        Some(_) => headless.colleague_identity()?,
        None => match TlsIdentity::load(&headless.relay.data_dir)? {
            Some(identity) => identity,
            None => {
                refuse_other_owner(headless)?;
                headless.colleague_identity()?
            }
        },
    };
    let made = if identity.generated() {
        " (made now; the relay uses it from its next start with --tls-listen)"
    } else {
        ""
    };
    Ok(format!(
        "SHA-256 fingerprint of {}{made}, which colleagues' apps pin:\n{}\n",
        identity.files().cert.display(),
        identity.fingerprint()
    ))
}

/// Files made by another user would lock the relay's user out of its own certificate.
#[cfg(unix)]
fn refuse_other_owner(headless: &Headless) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let dir = &headless.relay.data_dir;
    let Ok(meta) = std::fs::metadata(dir) else {
        return Ok(());
    };
    let me = nix::unistd::geteuid().as_raw();
    if meta.uid() == me {
        return Ok(());
    }
    let owner = crate::admin::user_name(meta.uid());
    Err(Error::Config(format!(
        "{} has no TLS certificate yet and belongs to {owner}: run this command as {owner}, \
         or start the relay with --tls-listen",
        dir.display()
    )))
}

#[cfg(not(unix))]
fn refuse_other_owner(_: &Headless) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::headless::{Args, Command, TlsCommand};

    fn headless(args: &[&str]) -> Headless {
        let mut full = vec!["hushlink-relay"];
        full.extend_from_slice(args);
        Headless::from_args(Args::try_parse_from(full).unwrap()).unwrap()
    }

    #[test]
    fn the_fingerprint_command_prints_it_alone_on_the_last_line_and_keeps_it() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let data = data.to_str().unwrap();
        let args =
            Args::try_parse_from(["hushlink-relay", "tls", "fingerprint", "--data-dir", data])
                .unwrap();
        assert_eq!(args.command, Some(Command::Tls(TlsCommand::Fingerprint)));
        let config = Headless::from_args(args).unwrap();
        let first = fingerprint_command(&config).unwrap();
        assert!(first.contains("made now"), "{first}");
        let last = first.lines().last().unwrap();
        let fingerprint: crate::Fingerprint = last.parse().expect("the last line alone");
        let second = fingerprint_command(&config).unwrap();
        assert_eq!(
            second.lines().last(),
            Some(last),
            "the same certificate next time"
        );
        assert!(!second.contains("made now"));
        let served = config.colleague_identity().unwrap();
        assert_eq!(
            served.fingerprint(),
            fingerprint,
            "what the relay will serve"
        );
    }

    #[test]
    fn the_admins_certificate_is_what_colleagues_pin_when_given() {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/relay/fixtures");
        let tmp = tempfile::tempdir().unwrap();
        let config = headless(&[
            "--data-dir",
            tmp.path().to_str().unwrap(),
            "--tls-listen",
            "127.0.0.1:0",
            "--tls-cert",
            &format!("{fixtures}/cert.pem"),
            "--tls-key",
            &format!("{fixtures}/key.pem"),
        ]);
        let identity = config.colleague_identity().unwrap();
        let files = config.tls.clone().unwrap();
        assert_eq!(identity.fingerprint(), files.fingerprint().unwrap());
        assert!(
            !tls_identity::identity_dir(tmp.path()).exists(),
            "no self-signed certificate is made beside the admin's"
        );
        let printed = fingerprint_command(&config).unwrap();
        assert!(printed.ends_with(&format!("{}\n", identity.fingerprint())));
    }

    #[test]
    fn tls_listen_layers_like_listen_and_needs_its_own_port() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("relay.toml");
        std::fs::write(&path, "tls_listen = \"127.0.0.1:9443\"\n").unwrap();
        let from_file = headless(&["--config", path.to_str().unwrap()]);
        assert_eq!(
            from_file.tls_listen,
            Some("127.0.0.1:9443".parse().unwrap())
        );
        let flag = headless(&[
            "--config",
            path.to_str().unwrap(),
            "--tls-listen",
            "127.0.0.1:9444",
        ]);
        assert_eq!(
            flag.tls_listen,
            Some("127.0.0.1:9444".parse().unwrap()),
            "the flag wins"
        );
        assert_eq!(headless(&[]).tls_listen, None, "off unless asked for");
        let same = Args::try_parse_from([
            "hushlink-relay",
            "--listen",
            "127.0.0.1:9000",
            "--tls-listen",
            "127.0.0.1:9000",
        ])
        .unwrap();
        let err = Headless::from_args(same).unwrap_err();
        assert!(err.to_string().contains("its own port"), "{err}");
    }

    #[test]
    fn certificate_names_skip_wildcards_and_take_the_public_host() {
        let mut config = headless(&[
            "--listen",
            "0.0.0.0:7143",
            "--tls-listen",
            "192.168.1.10:7144",
        ]);
        config.relay.public_url = Some("https://Relay.Office.Lan:7143".into());
        let names = config.certificate_names();
        assert!(names.contains(&"192.168.1.10".to_owned()), "{names:?}");
        assert!(names.contains(&"relay.office.lan".to_owned()), "{names:?}");
        assert!(!names.contains(&"0.0.0.0".to_owned()), "{names:?}");
        assert_eq!(url_host("http://[fd00::1]:7143"), Some("fd00::1"));
    }
}
