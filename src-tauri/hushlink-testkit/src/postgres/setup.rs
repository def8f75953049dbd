//! Setting a cluster up: where PostgreSQL's programs are, whom the server runs as, its
//! private directory, a free port, a password and the TLS certificates.

use std::fs;
use std::io::Read;
use std::net::TcpListener;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// `HUSHLINK_PG_BIN`, or the newest `/usr/lib/postgresql/<version>/bin`.
pub(super) fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("HUSHLINK_PG_BIN") {
        return PathBuf::from(dir);
    }
    let root = Path::new("/usr/lib/postgresql");
    let newest = fs::read_dir(root)
        .ok()
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .max();
    let Some(version) = newest else {
        panic!("no PostgreSQL under /usr/lib/postgresql: install Debian's `postgresql` package or set HUSHLINK_PG_BIN");
    };
    root.join(version.to_string()).join("bin")
}

/// `None` when we are not root (the server runs as us), else the `postgres` user's ids.
pub(super) fn server_owner() -> Option<(u32, u32)> {
    let uid = fs::metadata("/proc/self").expect("reads /proc/self").uid();
    if uid != 0 {
        return None;
    }
    let passwd = fs::read_to_string("/etc/passwd").expect("reads /etc/passwd");
    let ids = passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.first() == Some(&"postgres") && fields.len() > 3)
            .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
            .flatten()
    });
    Some(ids.expect(
        "running as root, PostgreSQL needs the `postgres` user (Debian's package makes it)",
    ))
}

/// An owner-only temp dir the server's owner can reach: under `TMPDIR` unless, as root, a
/// directory on the way there is closed to other users; then under `/tmp`.
pub(super) fn private_dir(owner: Option<(u32, u32)>) -> TempDir {
    let mut base = std::env::temp_dir();
    if owner.is_some() && !reachable_by_others(&base) {
        base = PathBuf::from("/tmp");
    }
    let dir = tempfile::Builder::new()
        .prefix("hushlink-pg-")
        .tempdir_in(&base)
        .unwrap_or_else(|e| panic!("creates a temp dir in {}: {e}", base.display()));
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).expect("sets 0700");
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chowns to postgres");
    }
    dir
}

fn reachable_by_others(dir: &Path) -> bool {
    dir.ancestors()
        .all(|d| fs::metadata(d).is_ok_and(|m| m.permissions().mode() & 0o001 != 0))
}

/// A free port on 127.0.0.1 at the time of asking (PostgreSQL binds it itself).
pub(super) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("binds 127.0.0.1:0")
        .port()
}

pub(super) fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .expect("reads /dev/urandom");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A CA for this cluster and a server certificate it signed for `127.0.0.1` and
/// `localhost`: (CA PEM, CA DER, server certificate PEM, server key PEM).
pub(super) fn certificates() -> (String, Vec<u8>, String, String) {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.distinguished_name
        .push(DnType::CommonName, "hushlink test PostgreSQL CA");
    let ca_key = KeyPair::generate().expect("a CA key");
    let ca = CertifiedIssuer::self_signed(ca, ca_key).expect("a CA certificate");
    let mut server = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .expect("server parameters");
    server
        .distinguished_name
        .push(DnType::CommonName, "hushlink test PostgreSQL");
    let server_key = KeyPair::generate().expect("a server key");
    let cert = server
        .signed_by(&server_key, &ca)
        .expect("a server certificate");
    (
        ca.pem(),
        ca.der().to_vec(),
        cert.pem(),
        server_key.serialize_pem(),
    )
}
