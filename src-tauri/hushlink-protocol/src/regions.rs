//! The built-in catalogue of hosted Onetime Secret instances (reference §1).
//!
//! Regions share nothing: a key minted on `eu` is unknown on `us`. `onetimesecret.com` routes
//! to "an active data center" and may be retired, so the app should prefer a named region.

use url::Url;

/// A hosted Onetime Secret instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region {
    /// Short id used in settings and on the command line (`--region eu`).
    pub id: &'static str,
    /// Human name for menus.
    pub name: &'static str,
    /// Base URL, ending in `/`.
    pub base_url: &'static str,
}

/// Every built-in region; the first is the default host.
pub const REGIONS: &[Region] = &[
    Region {
        id: "global",
        name: "onetimesecret.com",
        base_url: "https://onetimesecret.com/",
    },
    Region {
        id: "us",
        name: "United States",
        base_url: "https://us.onetimesecret.com/",
    },
    Region {
        id: "eu",
        name: "European Union",
        base_url: "https://eu.onetimesecret.com/",
    },
    Region {
        id: "ca",
        name: "Canada",
        base_url: "https://ca.onetimesecret.com/",
    },
    Region {
        id: "nz",
        name: "New Zealand",
        base_url: "https://nz.onetimesecret.com/",
    },
    Region {
        id: "uk",
        name: "United Kingdom",
        base_url: "https://uk.onetimesecret.com/",
    },
];

impl Region {
    /// The base URL, parsed.
    pub fn url(&self) -> Url {
        Url::parse(self.base_url).expect("built-in region URLs are valid")
    }

    /// The region with this id (case-insensitive).
    pub fn find(id: &str) -> Option<&'static Region> {
        REGIONS
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(id.trim()))
    }

    /// The region a base URL belongs to, if it is one of the built-in hosts.
    pub fn for_url(url: &Url) -> Option<&'static Region> {
        let host = url.host_str()?;
        REGIONS.iter().find(|r| r.url().host_str() == Some(host))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_parses_and_is_found_by_id_and_url() {
        for region in REGIONS {
            assert_eq!(Region::find(region.id), Some(region));
            assert_eq!(Region::for_url(&region.url()), Some(region));
            assert_eq!(
                region.url().scheme(),
                "https",
                "hosted regions are HTTPS only"
            );
        }
        assert!(Region::find("EU").is_some());
        assert!(Region::find("mars").is_none());
    }
}
