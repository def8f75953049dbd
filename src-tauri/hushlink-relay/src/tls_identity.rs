//! The relay's own TLS certificate for colleagues' apps: generated once, kept in the data
//! directory, pinned by its SHA-256 [`Fingerprint`].
//!
//! Colleagues' apps do not check this certificate against a CA or a host name; they pin its
//! fingerprint (from an invite, or from `hushlink-relay tls fingerprint`). So a self-signed
//! certificate is all the trust needed, and a relay whose address changes (DHCP) keeps
//! working. The flip side: a new certificate breaks every colleague's pin. Hence:
//!
//! - it is made once and reused on every start ([`TlsIdentity::load_or_generate`]);
//! - a pair that is there but unusable (unreadable, not PEM, a key of another certificate) is
//!   an error ([`Error::TlsIdentity`], which says how to recover), never silently replaced;
//! - it is written atomically: both files go into a fresh temporary directory beside the
//!   final one, are flushed, and that directory is renamed into place. Renaming onto an
//!   existing non-empty directory fails, so two makers at once (a relay starting while an
//!   admin runs `tls fingerprint`) cannot mix halves: the later one loads the earlier one's
//!   pair. A crash leaves at most a stray `.tls.tmp-*` directory, which is never read.
//!
//! Layout: `DATA_DIR/tls/` (mode 0700) holding `cert.pem` and `key.pem` (0600; PKCS#8). The
//! certificate: ECDSA P-256 with SHA-256, common name "Hushlink relay", the subject
//! alternative names given when it was made, valid from 1975 to 4096 (rcgen's defaults: a pin
//! has no expiry to renew against, and a renewal would break every pin).

use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::fingerprint::Fingerprint;
use crate::serve::TlsFiles;

/// Name of the directory in the data directory that holds the pair.
pub const IDENTITY_DIR: &str = "tls";
/// The certificate's file name in [`IDENTITY_DIR`].
pub const CERT_FILE: &str = "cert.pem";
/// The private key's file name in [`IDENTITY_DIR`].
pub const KEY_FILE: &str = "key.pem";

/// A certificate and key the relay serves HTTPS with, and the fingerprint colleagues pin.
#[derive(Clone)]
pub struct TlsIdentity {
    files: TlsFiles,
    fingerprint: Fingerprint,
    server_config: Arc<rustls::ServerConfig>,
    generated: bool,
}

/// By hand: the rustls configuration holds the private key, which no Debug output shows.
impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("files", &self.files)
            .field("fingerprint", &self.fingerprint)
            .field("generated", &self.generated)
            .finish_non_exhaustive()
    }
}

impl TlsIdentity {
    /// The relay's own identity in `data_dir`: loaded if it exists, else generated with
    /// `names` (host names and addresses) as subject alternative names, plus `localhost`,
    /// `127.0.0.1` and `::1`. `names` only matter the first time: the certificate is then
    /// kept, whatever the addresses become. Creates `data_dir` (0700) if needed.
    ///
    /// Fails with [`Error::TlsIdentity`] if a pair exists but cannot be used.
    pub fn load_or_generate(data_dir: &Path, names: &[String]) -> Result<Self> {
        crate::operations::prepare_dir(data_dir)?;
        if let Some(identity) = Self::load(data_dir)? {
            return Ok(identity);
        }
        let dir = identity_dir(data_dir);
        let staged = stage(data_dir, &san_names(names)).map_err(|e| damaged(&dir, e))?;
        match std::fs::rename(&staged, &dir) {
            Ok(()) => {
                sync_dir(data_dir).map_err(|e| damaged(&dir, e))?;
                let mut identity = Self::load(data_dir)?
                    .ok_or_else(|| damaged(&dir, "it vanished right after it was made"))?;
                identity.generated = true;
                tracing::info!(fingerprint = %identity.fingerprint, "generated the relay's TLS certificate");
                Ok(identity)
            }
            // Someone else made one meanwhile: theirs counts, ours was never seen.
            Err(_) if dir.exists() => {
                let _ = std::fs::remove_dir_all(&staged);
                Self::load(data_dir)?
                    .ok_or_else(|| damaged(&dir, "it vanished right after it was made"))
            }
            Err(err) => {
                let _ = std::fs::remove_dir_all(&staged);
                Err(damaged(&dir, format!("cannot move it into place: {err}")))
            }
        }
    }

    /// The relay's own identity in `data_dir` if one was made; `None` if there is none.
    pub fn load(data_dir: &Path) -> Result<Option<Self>> {
        let dir = identity_dir(data_dir);
        match std::fs::symlink_metadata(&dir) {
            Ok(_) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(damaged(&dir, err)),
        }
        let files = TlsFiles {
            cert: dir.join(CERT_FILE),
            key: dir.join(KEY_FILE),
        };
        let (server_config, leaf) = files.load_with_leaf().map_err(|err| match err {
            Error::Tls(reason) => damaged(&dir, reason),
            other => other,
        })?;
        Ok(Some(Self {
            files,
            fingerprint: crate::fingerprint::of_der(leaf.as_ref()),
            server_config,
            generated: false,
        }))
    }

    /// A certificate and key the admin provides (`--tls-cert`, `--tls-key`), pinned the same
    /// way: by the fingerprint of its leaf certificate.
    pub fn from_files(files: TlsFiles) -> Result<Self> {
        let (server_config, leaf) = files.load_with_leaf()?;
        Ok(Self {
            fingerprint: crate::fingerprint::of_der(leaf.as_ref()),
            files,
            server_config,
            generated: false,
        })
    }

    /// What colleagues' apps pin.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// The certificate and key files.
    pub fn files(&self) -> &TlsFiles {
        &self.files
    }

    /// The rustls configuration for [`crate::serve_tls`].
    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        Arc::clone(&self.server_config)
    }

    /// Whether this call generated the pair (the first start), rather than loading it.
    pub fn generated(&self) -> bool {
        self.generated
    }
}

/// Where the relay keeps its own pair.
pub fn identity_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(IDENTITY_DIR)
}

fn damaged(dir: &Path, reason: impl ToString) -> Error {
    Error::TlsIdentity {
        dir: dir.to_owned(),
        reason: reason.to_string(),
    }
}

/// The subject alternative names of a new certificate: the loopback names, then `given`,
/// without duplicates, unspecified addresses (`0.0.0.0`, `::`) or what is not a DNS name.
pub fn san_names(given: &[String]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let loopback = ["localhost", "127.0.0.1", "::1"].map(String::from);
    for name in loopback.iter().chain(given) {
        let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
        let usable = match name.parse::<IpAddr>() {
            Ok(ip) => !ip.is_unspecified(),
            Err(_) => {
                !name.is_empty()
                    && name.len() <= 253
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            }
        };
        if usable && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Generates a pair into a new temporary directory in `data_dir`; returns its path.
fn stage(data_dir: &Path, names: &[String]) -> std::result::Result<PathBuf, String> {
    let mut params = rcgen::CertificateParams::new(names.to_vec())
        .map_err(|e| format!("cannot describe the certificate: {e}"))?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Hushlink relay");
    let key = rcgen::KeyPair::generate().map_err(|e| format!("cannot make a key: {e}"))?;
    let cert = params
        .self_signed(&key)
        .map_err(|e| format!("cannot sign the certificate: {e}"))?;
    let staged = data_dir.join(format!(
        ".{IDENTITY_DIR}.tmp-{:016x}",
        rand::random::<u64>()
    ));
    let written = (|| -> std::io::Result<()> {
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&staged)?;
        write_private(&staged.join(KEY_FILE), key.serialize_pem().as_bytes())?;
        write_private(&staged.join(CERT_FILE), cert.pem().as_bytes())?;
        sync_dir(&staged)
    })();
    written.map(|()| staged.clone()).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staged);
        format!("cannot write it: {e}")
    })
}

/// Creates `path` (0600 from the start, so the key is never readable by others) and flushes it.
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// Flushes a directory's entries, so a rename in it survives a crash.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests;
