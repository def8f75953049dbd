//! What goes on the wire besides the port: the DNS-SD instance name and the TXT record, and
//! reading them back. Pure functions, so both directions are unit-tested without a network.
//!
//! TXT keys (RFC 6763 §6), `v` first as §6.7 recommends for a version key:
//! - `v=1`: this record's format; browsers ignore any other version.
//! - `name=`: the relay's display name, in full (the instance name may be shortened).
//! - `https_port=`: the HTTPS listener's port, when the relay has one.
//! - `fingerprint=`: SHA-256 of its certificate, 64 lower-case hex digits, when known.

use std::collections::HashMap;
use std::net::IpAddr;

use super::{DiscoveryError, FoundRelay, PROTOCOL_VERSION};

/// An instance name's longest form: one DNS label (RFC 6763 §4.1.1).
const INSTANCE_MAX_BYTES: usize = 63;
/// A TXT string is one length byte plus at most 255 bytes of `key=value`.
const TXT_ENTRY_MAX_BYTES: usize = 255;
/// The instance name when the display name has nothing usable left.
const FALLBACK_INSTANCE: &str = "Hushlink relay";

/// The DNS-SD instance name for a display name: control characters become spaces, runs of
/// whitespace one space, and the result is cut to 63 bytes on a character boundary. Dots and
/// any other Unicode stay (DNS-SD instance names are free text; mdns-sd escapes dots).
pub fn instance_name(display: &str) -> String {
    let cleaned = display
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut = truncate_utf8(&collapsed, INSTANCE_MAX_BYTES).trim_end();
    if cut.is_empty() {
        FALLBACK_INSTANCE.to_owned()
    } else {
        cut.to_owned()
    }
}

/// The TXT record for an announcement, in the order it is sent.
pub fn txt_records(
    name: &str,
    https_port: Option<u16>,
    fingerprint: Option<&str>,
) -> Result<Vec<(&'static str, String)>, DiscoveryError> {
    let mut records = vec![("v", PROTOCOL_VERSION.to_owned())];
    // The full display name, minus control characters (a TXT value is a byte string, but
    // browsers show it), cut to fit one TXT string.
    let clean: String = name.chars().filter(|c| !c.is_control()).collect();
    let room = TXT_ENTRY_MAX_BYTES - "name=".len();
    records.push(("name", truncate_utf8(clean.trim(), room).to_owned()));
    if let Some(port) = https_port {
        records.push(("https_port", port.to_string()));
    }
    if let Some(text) = fingerprint {
        let hex = normalize_fingerprint(text).ok_or(DiscoveryError::BadFingerprint)?;
        records.push(("fingerprint", hex));
    }
    Ok(records)
}

/// A fingerprint in any of its usual spellings (`AB:CD:…`, plain hex in either case) as the
/// 64 lower-case hex digits the TXT record carries; `None` if it is not a SHA-256 digest.
pub fn normalize_fingerprint(text: &str) -> Option<String> {
    let hex: String = text
        .trim()
        .chars()
        .filter(|c| *c != ':')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hex)
}

/// A relay from what a browse resolved; `None` unless its TXT record says `v=1` (a future
/// format, or another program using our service type, is not offered to the user).
pub fn found_relay(
    instance: &str,
    mut addresses: Vec<IpAddr>,
    port: u16,
    txt: &HashMap<String, String>,
) -> Option<FoundRelay> {
    if txt.get("v").map(String::as_str) != Some(PROTOCOL_VERSION) || port == 0 {
        return None;
    }
    addresses.sort_by_key(|ip| (ip.is_ipv6(), *ip));
    addresses.dedup();
    let name = txt
        .get("name")
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .map_or_else(|| instance_label(instance), str::to_owned);
    Some(FoundRelay {
        instance: instance.to_owned(),
        name,
        addresses,
        port,
        https_port: txt
            .get("https_port")
            .and_then(|p| p.parse().ok())
            .filter(|p| *p != 0),
        fingerprint: txt
            .get("fingerprint")
            .and_then(|f| normalize_fingerprint(f)),
    })
}

/// `Front office._hushlink._tcp.local.` → `Front office` (mdns-sd escapes a dot in the
/// instance as `\.`, so the first unescaped dot ends it).
fn instance_label(fullname: &str) -> String {
    let mut label = String::new();
    let mut chars = fullname.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => label.extend(chars.next()),
            '.' => break,
            c => label.push(c),
        }
    }
    label
}

fn truncate_utf8(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    const FP: &str = "3f1c9a7be1d04b2e8c5f6a7d9e0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b";

    fn map(records: &[(&str, String)]) -> HashMap<String, String> {
        records
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn instance_names_are_one_clean_label() {
        assert_eq!(
            instance_name("  Acme   front\toffice "),
            "Acme front office"
        );
        assert_eq!(instance_name("Sam's\nlaptop\u{7}"), "Sam's laptop");
        assert_eq!(
            instance_name("relay.acme.lan"),
            "relay.acme.lan",
            "dots stay"
        );
        assert_eq!(instance_name(" \t\r\n"), FALLBACK_INSTANCE);
        let long = "Ü".repeat(40); // 80 bytes
        let cut = instance_name(&long);
        assert!(cut.len() <= 63, "one DNS label: {} bytes", cut.len());
        assert_eq!(cut, "Ü".repeat(31), "cut on a character boundary");
        assert_eq!(
            instance_name(&format!("{} x", "a".repeat(62))),
            "a".repeat(62)
        );
    }

    #[test]
    fn txt_records_carry_version_first_then_name_and_the_optional_tls_details() {
        let plain = txt_records("Front office", None, None).unwrap();
        assert_eq!(
            plain,
            vec![("v", "1".to_owned()), ("name", "Front office".to_owned())],
            "no TLS listener: no https_port, no fingerprint"
        );
        let colon_form = FP
            .to_ascii_uppercase()
            .as_bytes()
            .chunks(2)
            .map(|pair| std::str::from_utf8(pair).unwrap())
            .collect::<Vec<_>>()
            .join(":");
        let tls = txt_records("Front office", Some(7144), Some(&colon_form)).unwrap();
        let records = map(&tls);
        assert_eq!(tls[0], ("v", "1".to_owned()), "the version key comes first");
        assert_eq!(records["https_port"], "7144");
        assert_eq!(
            records["fingerprint"], FP,
            "any spelling goes out as lower hex"
        );
        assert!(matches!(
            txt_records("x", None, Some("abcd")),
            Err(DiscoveryError::BadFingerprint)
        ));
    }

    #[test]
    fn long_or_odd_names_fit_one_txt_string() {
        let long = "€".repeat(100); // 300 bytes: the relay allows 100 characters
        let records = map(&txt_records(&long, None, None).unwrap());
        let entry = "name=".len() + records["name"].len();
        assert!(entry <= 255, "{entry} bytes");
        assert_eq!(records["name"], "€".repeat(83));
        let odd = map(&txt_records("Front\u{0}office\n", None, None).unwrap());
        assert_eq!(odd["name"], "Frontoffice");
    }

    #[test]
    fn what_an_announcer_sends_a_browser_reads_back() {
        let records = txt_records("Acme front office", Some(7144), Some(FP)).unwrap();
        let addrs = vec!["fd00::2".parse().unwrap(), "10.77.0.2".parse().unwrap()];
        let found = found_relay(
            "Acme front office._hushlink._tcp.local.",
            addrs,
            7143,
            &map(&records),
        )
        .expect("a v=1 record is a relay");
        assert_eq!(found.name, "Acme front office");
        assert_eq!(found.port, 7143);
        assert_eq!(found.https_port, Some(7144));
        assert_eq!(found.fingerprint.as_deref(), Some(FP));
        assert_eq!(
            found.addresses[0],
            "10.77.0.2".parse::<IpAddr>().unwrap(),
            "IPv4 first: links use it"
        );
        assert_eq!(found.http_url().as_deref(), Some("http://10.77.0.2:7143"));
    }

    #[test]
    fn browsers_skip_other_versions_and_drop_malformed_fields() {
        let ip = vec!["10.77.0.2".parse().unwrap()];
        let mut txt = map(&txt_records("Front office", None, None).unwrap());
        txt.insert("v".into(), "2".into());
        assert!(found_relay("a._hushlink._tcp.local.", ip.clone(), 7143, &txt).is_none());
        txt.remove("v");
        assert!(
            found_relay("a._hushlink._tcp.local.", ip.clone(), 7143, &txt).is_none(),
            "no version: not ours"
        );
        let mut txt = map(&[("v", "1".into())]);
        txt.insert("https_port".into(), "99999".into());
        txt.insert("fingerprint".into(), "not-a-digest".into());
        let found = found_relay(r"Sam\.s relay._hushlink._tcp.local.", ip, 7143, &txt).unwrap();
        assert_eq!(found.https_port, None, "not a port");
        assert_eq!(found.fingerprint, None, "not a SHA-256 digest");
        assert_eq!(found.name, "Sam.s relay", "no name key: the instance label");
    }
}
