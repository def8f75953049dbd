//! Where links go when the server names a `share_domain` (Onetime's custom domains: the
//! create answer says on which host the recipient should open the link).
//!
//! The server chooses that host, so it must not be able to downgrade links: a server that
//! answered `share_domain: "http://anything.example"` would have every recipient's browser
//! fetch the secret page in clear from a host of its choosing. So a share domain is taken
//! only when it yields an `https://` link, or, for a LAN profile, a link to another LAN host
//! (a relay's plain-HTTP LAN address); anything else is ignored and links stay on the
//! profile's own base.

use url::Url;

use crate::config::is_lan_host;

/// The base for links on `share_domain` (a bare host, or an origin on reveal), when it names
/// a different host than `base` and passes the rule above; `None` to keep `base`. A bare host
/// means `https://HOST/`, or the base's scheme when both are LAN hosts.
pub(crate) fn share_domain_base(base: &Url, share_domain: &str) -> Option<Url> {
    let domain = share_domain.trim();
    if domain.is_empty() {
        return None;
    }
    let url = if domain.contains("://") {
        Url::parse(domain).ok()?
    } else {
        let https = Url::parse(&format!("https://{domain}/")).ok()?;
        if is_lan_host(base) && is_lan_host(&https) {
            Url::parse(&format!("{}://{domain}/", base.scheme())).ok()?
        } else {
            https
        }
    };
    let allowed = match url.scheme() {
        "https" => true,
        "http" => is_lan_host(base) && is_lan_host(&url),
        _ => false,
    };
    if !allowed || url.host_str() == base.host_str() {
        return None;
    }
    hushlink_protocol::link::normalize_base(&url).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base_for(base: &str, share_domain: &str) -> Option<String> {
        share_domain_base(&Url::parse(base).unwrap(), share_domain).map(String::from)
    }

    #[test]
    fn a_public_share_domain_only_ever_gives_https_links() {
        let hosted = "https://eu.onetimesecret.com/";
        assert_eq!(
            base_for(hosted, "secrets.example.com").as_deref(),
            Some("https://secrets.example.com/")
        );
        assert_eq!(
            base_for(hosted, "https://secrets.example.com").as_deref(),
            Some("https://secrets.example.com/")
        );
        for downgrade in [
            "http://secrets.example.com",
            "http://192.168.1.30:7143",
            "ftp://secrets.example.com",
            "javascript://x",
        ] {
            assert_eq!(base_for(hosted, downgrade), None, "{downgrade} is ignored");
        }
    }

    #[test]
    fn a_lan_profile_may_move_links_to_another_lan_host_only() {
        let lan = "http://192.168.1.20:7143/";
        assert_eq!(
            base_for(lan, "http://192.168.1.30:7143").as_deref(),
            Some("http://192.168.1.30:7143/")
        );
        assert_eq!(
            base_for(lan, "relay.local:7143").as_deref(),
            Some("http://relay.local:7143/"),
            "a bare LAN name keeps the profile's scheme"
        );
        assert_eq!(
            base_for(lan, "secrets.example.com").as_deref(),
            Some("https://secrets.example.com/"),
            "a bare public name is https"
        );
        assert_eq!(
            base_for(lan, "http://evil.example.com"),
            None,
            "never plain HTTP to a public host"
        );
        assert_eq!(base_for(lan, "http://192.168.1.20:9999"), None, "same host");
        assert_eq!(base_for(lan, ""), None);
    }
}
