//! `GET /` (and `HEAD /`): the landing page for whoever scans the relay's QR code or types
//! its address.

use axum::extract::State;
use axum::response::Response;
use http::request::Parts;
use http::StatusCode;

use super::html::{escape, Html};
use super::i18n::fill_in;
use super::i18n::{PageLang, PageWords};
use super::page;
use super::pages::{layout, Kind};
use crate::operations::Relay;

const LANDING: &str = include_str!("../../assets/pages/landing.html");

/// Whose relay the landing page says this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner<'a> {
    /// The configured display name (`RelayConfig::name`).
    Named(&'a str),
    /// No name configured: the machine's hostname.
    Host(&'a str),
}

/// The landing page, naming the relay's owner (or its machine) and the address colleagues
/// give Hushlink: `public_url` when configured, else the address this browser used.
pub(crate) async fn show(State(relay): State<Relay>, parts: Parts) -> Response {
    let pl = PageLang::of(&parts);
    let address = crate::http::origin_of(&relay, &parts);
    let host;
    let owner = match &relay.config().name {
        Some(name) => Owner::Named(name.trim()),
        None => {
            host = hostname();
            Owner::Host(&host)
        }
    };
    page(StatusCode::OK, landing(pl, owner, &address))
}

/// The landing page at `/`: what this is, whose it is, that links open only on this
/// network, and how a colleague connects (`address`: the origin they give Hushlink).
pub fn landing(pl: PageLang, owner: Owner<'_>, address: &str) -> Html {
    let lang = pl.lang;
    let (display, whose, ask) = match owner {
        Owner::Named(name) => {
            let strong = strong(name);
            (
                name,
                lang.t("landing.ownerNamed", &[("name", &strong)]),
                lang.t("landing.step2", &[("who", &escape(name))]),
            )
        }
        Owner::Host(host) => (
            host,
            lang.t("landing.ownerHost", &[("name", &strong(host))]),
            lang.t("landing.step2Host", &[]),
        ),
    };
    let name = escape(display);
    let main = fill_in(
        lang,
        LANDING,
        &[
            ("heading", &lang.t("landing.heading", &[("name", &name)])),
            ("whose", &whose),
            ("ask", &ask),
            ("address", &escape(address)),
            (
                "api",
                &lang.t(
                    "landing.api",
                    &[
                        ("v1", &Html::trusted("<code>/api/v1</code>")),
                        ("v2", &Html::trusted("<code>/api/v2</code>")),
                    ],
                ),
            ),
        ],
    );
    layout(
        pl,
        Kind::Landing,
        &lang.t("landing.title", &[("name", &name)]),
        &main,
    )
}

/// A name in bold.
pub(super) fn strong(text: &str) -> Html {
    let mut out = Html::trusted("<strong>");
    out.push(escape(text));
    out.push(Html::trusted("</strong>"));
    out
}

/// This machine's name, as the page's fallback for an unnamed relay.
fn hostname() -> String {
    #[cfg(unix)]
    let name = nix::unistd::gethostname()
        .ok()
        .and_then(|name| name.into_string().ok());
    #[cfg(not(unix))]
    let name = std::env::var("COMPUTERNAME").ok();
    name.map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "this computer".to_owned())
}
