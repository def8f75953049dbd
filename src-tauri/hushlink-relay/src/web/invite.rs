//! `GET /invite/KEY`: what a browser shows for an invite link. It says to open the link in
//! Hushlink and how, and never uses the invite up (link previews and curious clicks are
//! harmless). The fragment, which unlocks the invite, stays in the browser.

use axum::extract::{Path, State};
use axum::response::Response;
use http::StatusCode;

use super::html::Html;
use super::i18n::fill_in;
use super::i18n::{PageLang, PageWords};
use super::landing::strong;
use super::pages::{self, Kind};
use super::{fault, page};
use crate::keys::Key;
use crate::operations::Relay;

const INVITE: &str = include_str!("../../assets/pages/invite.html");

/// The invite page while the invite can be accepted; otherwise one "no longer valid" page
/// (404) for used, withdrawn, expired, unknown and malformed keys alike.
pub(crate) async fn show(
    State(relay): State<Relay>,
    Path(key): Path<String>,
    pl: PageLang,
) -> Response {
    let pending = match Key::parse(&key) {
        Ok(key) => match relay.invite_is_pending(&key).await {
            Ok(pending) => pending,
            Err(err) => return fault(pl, &err),
        },
        Err(_) => false,
    };
    if !pending {
        return page(
            StatusCode::NOT_FOUND,
            pages::message_of(pl, "invite.invalid"),
        );
    }
    // The name the invite itself carries and mDNS announces: the configured one, else the
    // host name.
    let name = crate::discovery::display_name(relay.config().name.as_deref());
    page(StatusCode::OK, invite_page(pl, &name))
}

fn invite_page(pl: PageLang, name: &str) -> Html {
    let lang = pl.lang;
    let hash = Html::trusted("<code>#</code>");
    let main = fill_in(
        lang,
        INVITE,
        &[
            ("whose", &lang.t("invite.whose", &[("name", &strong(name))])),
            (
                "step2",
                &lang.t(
                    "invite.step2",
                    &[
                        ("add", &strong(lang.text("invite.step2.add"))),
                        ("paste", &strong(lang.text("invite.step2.paste"))),
                    ],
                ),
            ),
            ("step3", &lang.t("invite.step3", &[("hash", &hash)])),
            ("key", &lang.t("invite.key", &[("hash", &hash)])),
        ],
    );
    pages::layout(pl, Kind::Invite, &lang.t("invite.title", &[]), &main)
}
