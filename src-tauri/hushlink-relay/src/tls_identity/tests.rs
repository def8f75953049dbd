//! Unit tests of the relay's own TLS certificate: made once, kept, private, never replaced.

use super::*;

fn names() -> Vec<String> {
    vec!["relay.office.lan".into(), "192.168.1.10".into()]
}

/// The fingerprint computed from the file, independently of [`TlsIdentity`].
fn fingerprint_of_file(path: &Path) -> Fingerprint {
    let pem = std::fs::read(path).unwrap();
    let der = rustls_pemfile::certs(&mut pem.as_slice())
        .next()
        .expect("a certificate")
        .unwrap();
    crate::fingerprint::of_der(der.as_ref())
}

#[test]
fn generated_once_then_reused_with_a_stable_fingerprint() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let first = TlsIdentity::load_or_generate(&data, &names()).unwrap();
    assert!(first.generated(), "nothing was there: made now");
    let cert = identity_dir(&data).join(CERT_FILE);
    let pem = std::fs::read(&cert).unwrap();
    assert_eq!(first.fingerprint(), fingerprint_of_file(&cert));
    for _restart in 0..2 {
        let again = TlsIdentity::load_or_generate(&data, &["other.lan".into()]).unwrap();
        assert!(!again.generated(), "a second start reuses the pair");
        assert_eq!(
            again.fingerprint(),
            first.fingerprint(),
            "pins keep working"
        );
    }
    assert_eq!(std::fs::read(&cert).unwrap(), pem, "the file is untouched");
    let loaded = TlsIdentity::load(&data).unwrap().expect("it exists");
    assert_eq!(loaded.fingerprint(), first.fingerprint());
    let other = TlsIdentity::load_or_generate(&tmp.path().join("other"), &names()).unwrap();
    assert_ne!(
        other.fingerprint(),
        first.fingerprint(),
        "each relay its own key"
    );
}

#[test]
fn debug_output_shows_no_key_material() {
    let tmp = tempfile::tempdir().unwrap();
    let identity = TlsIdentity::load_or_generate(tmp.path(), &names()).unwrap();
    let key_pem = std::fs::read_to_string(&identity.files().key).unwrap();
    let key_body: String = key_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let shown = format!("{identity:?}");
    assert!(
        shown.contains(&identity.fingerprint().to_string()),
        "{shown}"
    );
    assert!(!shown.contains(&key_body[..16]), "{shown}");
    assert!(!shown.to_ascii_lowercase().contains("private"), "{shown}");
}

#[test]
fn nothing_is_made_by_load() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(TlsIdentity::load(tmp.path()).unwrap().is_none());
    assert!(!identity_dir(tmp.path()).exists());
}

#[cfg(unix)]
#[test]
fn the_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    TlsIdentity::load_or_generate(&data, &names()).unwrap();
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = identity_dir(&data);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(
        mode(&dir.join(KEY_FILE)),
        0o600,
        "only the relay's user reads the key"
    );
    assert_eq!(mode(&dir.join(CERT_FILE)), 0o600);
    let entries: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        entries,
        [IDENTITY_DIR],
        "no temporary directory is left behind"
    );
}

#[test]
fn a_damaged_pair_is_an_error_and_is_never_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    TlsIdentity::load_or_generate(&data, &names()).unwrap();
    let dir = identity_dir(&data);
    let key = dir.join(KEY_FILE);
    let cert = dir.join(CERT_FILE);
    let good_key = std::fs::read(&key).unwrap();

    std::fs::write(&cert, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n").unwrap();
    let err = TlsIdentity::load_or_generate(&data, &names()).unwrap_err();
    assert!(matches!(err, Error::TlsIdentity { .. }), "{err:?}");
    assert!(
        err.to_string().contains("delete it"),
        "says how to recover: {err}"
    );
    assert_eq!(
        std::fs::read_to_string(&cert).unwrap(),
        "-----BEGIN CERTIFICATE-----\nnot base64 at all\n",
        "not silently regenerated"
    );

    // A key of another certificate.
    let other = tmp.path().join("other");
    TlsIdentity::load_or_generate(&other, &names()).unwrap();
    std::fs::copy(identity_dir(&other).join(CERT_FILE), &cert).unwrap();
    let err = TlsIdentity::load_or_generate(&data, &names()).unwrap_err();
    assert!(err.to_string().contains("do not fit together"), "{err}");

    std::fs::remove_file(&key).unwrap();
    let err = TlsIdentity::load(&data).unwrap_err();
    assert!(
        err.to_string().contains(KEY_FILE),
        "names the missing file: {err}"
    );
    assert!(!key.exists(), "no key was made up");
    std::fs::write(&key, good_key).unwrap();
}

#[test]
fn makers_at_once_agree_on_one_pair() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let fingerprints: Vec<Fingerprint> = std::thread::scope(|scope| {
        let makers: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| TlsIdentity::load_or_generate(&data, &names()).unwrap()))
            .collect();
        makers
            .into_iter()
            .map(|m| m.join().unwrap().fingerprint())
            .collect()
    });
    let on_disk = fingerprint_of_file(&identity_dir(&data).join(CERT_FILE));
    assert!(
        fingerprints.iter().all(|fp| *fp == on_disk),
        "{fingerprints:?} vs {on_disk:?}"
    );
    assert_eq!(
        std::fs::read_dir(&data).unwrap().count(),
        1,
        "losers cleaned up"
    );
}

#[test]
fn the_certificate_names_the_given_hosts_and_addresses() {
    let tmp = tempfile::tempdir().unwrap();
    let identity = TlsIdentity::load_or_generate(tmp.path(), &names()).unwrap();
    let pem = std::fs::read(&identity.files().cert).unwrap();
    let der = rustls_pemfile::certs(&mut pem.as_slice())
        .next()
        .unwrap()
        .unwrap();
    let der = der.as_ref();
    let holds = |needle: &[u8]| der.windows(needle.len()).any(|w| w == needle);
    assert!(holds(b"relay.office.lan"));
    assert!(holds(b"localhost"));
    assert!(holds(&[192, 168, 1, 10]), "the LAN address as an IP SAN");
    assert!(holds(b"Hushlink relay"));
}

#[test]
fn san_names_drop_duplicates_unspecified_addresses_and_non_dns_names() {
    let given = [
        "Relay.Lan.",
        "0.0.0.0",
        "::",
        "relay.lan",
        "bad name",
        "10.0.0.5",
        "",
    ]
    .map(String::from);
    assert_eq!(
        san_names(&given),
        ["localhost", "127.0.0.1", "::1", "relay.lan", "10.0.0.5"]
    );
}
