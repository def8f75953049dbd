//! Link parsing: every shape the reference shows, every region, and property round-trips.

use hushlink_protocol::{regions::REGIONS, Link, LinkError, LinkKind, SecretText};
use proptest::prelude::*;
use url::Url;

const KEY: &str = "0dbvie5bc9ec88xnt5mh0we4j65gj1pp95nr25xkddh22uv08fc5ryzlrzge6i";

fn parse(text: &str) -> Link {
    Link::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn every_documented_shape_parses() {
    let cases = [
        (
            format!("https://onetimesecret.com/secret/{KEY}"),
            "https://onetimesecret.com/",
            LinkKind::Secret,
        ),
        (
            format!("https://eu.onetimesecret.com/private/{KEY}"),
            "https://eu.onetimesecret.com/",
            LinkKind::Receipt,
        ),
        (
            format!("https://us.onetimesecret.com/receipt/{KEY}"),
            "https://us.onetimesecret.com/",
            LinkKind::Receipt,
        ),
        (
            format!("https://us.onetimesecret.com/receipt/{KEY}/burn"),
            "https://us.onetimesecret.com/",
            LinkKind::Receipt,
        ),
        (
            format!("https://us.onetimesecret.com/metadata/{KEY}"),
            "https://us.onetimesecret.com/",
            LinkKind::Receipt,
        ),
        (
            format!("https://secrets.example.com/secret/{KEY}/"),
            "https://secrets.example.com/",
            LinkKind::Secret,
        ),
        (
            format!("https://example.com:8443/tools/ots/secret/{KEY}"),
            "https://example.com:8443/tools/ots/",
            LinkKind::Secret,
        ),
        (
            format!("https://example.com/api/v1/secret/{KEY}"),
            "https://example.com/",
            LinkKind::Secret,
        ),
        (
            format!("https://example.com/ots/api/v2/private/{KEY}"),
            "https://example.com/ots/",
            LinkKind::Receipt,
        ),
        (
            format!("http://localhost:3000/secret/{KEY}"),
            "http://localhost:3000/",
            LinkKind::Secret,
        ),
        (
            format!("http://192.168.1.20:7000/secret/{KEY}"),
            "http://192.168.1.20:7000/",
            LinkKind::Secret,
        ),
        (
            format!("http://[fd00::1]:7000/secret/{KEY}"),
            "http://[fd00::1]:7000/",
            LinkKind::Secret,
        ),
        (
            format!("http://[fe80::1]/receipt/{KEY}"),
            "http://[fe80::1]/",
            LinkKind::Receipt,
        ),
        (
            format!("  https://Example.COM/secret/{KEY}?locale=de  "),
            "https://example.com/",
            LinkKind::Secret,
        ),
        (
            format!("https://example.com/secret/secret/{KEY}"),
            "https://example.com/secret/",
            LinkKind::Secret,
        ),
        (
            format!("https://example.com:443/secret/{KEY}"),
            "https://example.com/",
            LinkKind::Secret,
        ),
    ];
    for (text, base, kind) in cases {
        let link = parse(&text);
        assert_eq!(link.base.as_str(), base, "{text}");
        assert_eq!(link.kind, kind, "{text}");
        assert_eq!(link.key, KEY, "{text}");
        assert!(link.fragment.is_none(), "{text}");
    }
}

#[test]
fn fragment_carries_the_end_to_end_key() {
    let link = parse(&format!(
        "http://[fd00::1]:7000/secret/{KEY}#q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80"
    ));
    assert_eq!(
        link.fragment.as_ref().map(SecretText::expose),
        Some("q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80")
    );
    assert!(
        parse(&format!("https://example.com/secret/{KEY}#"))
            .fragment
            .is_none(),
        "empty fragment is none"
    );
}

#[test]
fn every_region_round_trips() {
    for region in REGIONS {
        for link in [
            Link::secret(&region.url(), KEY).unwrap(),
            Link::receipt(&region.url(), KEY).unwrap(),
        ] {
            let text = link.to_url().to_string();
            assert!(text.starts_with(region.base_url), "{text}");
            assert_eq!(parse(&text), link);
        }
    }
}

#[test]
fn private_links_are_rebuilt_as_receipt_links() {
    let link = parse(&format!("https://eu.onetimesecret.com/private/{KEY}"));
    assert_eq!(
        link.to_url().as_str(),
        format!("https://eu.onetimesecret.com/receipt/{KEY}")
    );
}

type ErrorCheck = fn(&LinkError) -> bool;

#[test]
fn malformed_links_get_a_clear_error() {
    let cases: [(String, ErrorCheck); 12] = [
        (format!("onetimesecret.com/secret/{KEY}"), |e| {
            *e == LinkError::MissingScheme
        }),
        (String::new(), |e| *e == LinkError::MissingScheme),
        (
            format!("ftp://example.com/secret/{KEY}"),
            |e| matches!(e, LinkError::UnsupportedScheme(s) if s == "ftp"),
        ),
        (
            format!("mailto:someone@example.com?body=/secret/{KEY}"),
            |e| matches!(e, LinkError::UnsupportedScheme(_)),
        ),
        (format!("https://user:pw@example.com/secret/{KEY}"), |e| {
            *e == LinkError::HasCredentials
        }),
        ("https://example.com/".into(), |e| {
            *e == LinkError::NotASecretLink
        }),
        ("https://example.com/secret/".into(), |e| {
            *e == LinkError::NotASecretLink
        }),
        (format!("https://example.com/other/{KEY}"), |e| {
            *e == LinkError::NotASecretLink
        }),
        (format!("https://example.com/secret/{KEY}/extra"), |e| {
            *e == LinkError::NotASecretLink
        }),
        ("https://example.com/secret/short".into(), |e| {
            matches!(e, LinkError::InvalidKey(_))
        }),
        ("https://example.com/secret/abc%20defghijkl".into(), |e| {
            matches!(e, LinkError::InvalidKey(_))
        }),
        ("https://[fd00::1/secret/abcdefghijkl".into(), |e| {
            matches!(e, LinkError::Invalid(_))
        }),
    ];
    for (text, is_expected) in cases {
        let err = Link::parse(&text).expect_err(&text);
        assert!(is_expected(&err), "{text}: got {err:?}");
        assert!(
            !err.to_string().contains(KEY),
            "errors never repeat the key: {err}"
        );
    }
    let too_long = format!("https://example.com/secret/{}", "a".repeat(129));
    assert!(matches!(
        Link::parse(&too_long),
        Err(LinkError::InvalidKey(_))
    ));
}

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(REGIONS).prop_map(|r| r.url().host_str().unwrap().to_owned()),
        // No "--" in a label: `xn--…` is punycode and the url crate rejects what does not decode.
        "[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4})?(\\.[a-z][a-z0-9]{0,8}){1,3}",
        (any::<[u8; 4]>()).prop_map(|o| format!("{}.{}.{}.{}", o[0], o[1], o[2], o[3])),
        any::<[u16; 8]>().prop_map(|s| format!("[{}]", std::net::Ipv6Addr::from(s))),
        Just("localhost".to_owned()),
    ]
}

prop_compose! {
    fn any_link()(
        https in any::<bool>(),
        host in host(),
        port in prop::option::of(1u16..),
        prefix in prop::collection::vec("[a-z0-9_.-]{1,8}", 0..3),
        receipt in any::<bool>(),
        key in "[A-Za-z0-9_-]{8,128}",
        fragment in prop::option::of("[A-Za-z0-9_-]{1,64}"),
    ) -> (String, Link) {
        let scheme = if https { "https" } else { "http" };
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        let prefix: String = prefix.iter().filter(|s| *s != "." && *s != "..").map(|s| format!("{s}/")).collect();
        let base = Url::parse(&format!("{scheme}://{host}{port}/{prefix}")).unwrap();
        let link = if receipt { Link::receipt(&base, key.clone()) } else { Link::secret(&base, key.clone()) }.unwrap();
        let link = match fragment { Some(f) => link.with_fragment(SecretText::from(f)), None => link };
        (base.to_string(), link)
    }
}

proptest! {
    #[test]
    fn built_links_parse_back_to_themselves((base, link) in any_link()) {
        let text = link.to_url().to_string();
        let parsed = Link::parse(&text).unwrap();
        prop_assert_eq!(parsed.base.as_str(), base.as_str());
        prop_assert_eq!(&parsed, &link);
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(text in "\\PC{0,80}") {
        let _ = Link::parse(&text);
    }
}
