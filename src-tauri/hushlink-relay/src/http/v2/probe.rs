//! `GET /api/v2/version` and `GET /api/v2/authcheck`: the calls clients make to learn which
//! server generation they talk to and whether their token works, before anything else.
//!
//! Shapes follow the recorded answers of Onetime v0.23.6 (`version` as an array of strings,
//! `authcheck` as `{record, details.authenticated}`); `success: true` is added as current
//! servers do. `version` needs no credentials (v0.23.6 asks none; current servers ask them,
//! which stops anonymous clients from learning the generation at all).

use axum::extract::{Request, State};
use serde_json::json;

use super::{call, ok, V2Error, V2Result};
use crate::operations::Relay;

/// The Onetime release whose API the relay follows (the current server generation, which
/// the reference describes), as `/api/v2/version` spells it. Clients compare it to tell a
/// v0.23-era server from a current one; the relay's own version is in `hushlink_relay`.
pub const ONETIME_API_VERSION: [&str; 3] = ["0", "26", "6"];

pub(crate) async fn version(State(relay): State<Relay>, request: Request) -> V2Result {
    call(&relay, request).await?;
    ok(&json!({
        "success": true,
        "version": ONETIME_API_VERSION,
        "locale": "en",
        "hushlink_relay": env!("CARGO_PKG_VERSION"),
    }))
}

/// 200 with the token's account record for valid credentials; 401 without any (invalid
/// ones are refused by [`call`] as on every route).
pub(crate) async fn authcheck(State(relay): State<Relay>, request: Request) -> V2Result {
    let call = call(&relay, request).await?;
    if call.auth.credentials().is_none() {
        return Err(V2Error::Unauthorized("This route needs an API token"));
    }
    let custid = call.auth.custid();
    ok(&json!({
        "success": true,
        "record": { "custid": custid, "identifier": custid, "role": "customer", "active": true },
        "details": { "authenticated": true },
    }))
}
