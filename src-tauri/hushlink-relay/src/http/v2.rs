//! `/api/v2`: the JSON API with `{record, details}` envelopes and real status codes
//! (401/403/404/413/422/429/500), reference §5.
//!
//! Reveal and burn act only with `continue: true`: without it a reveal answers the record
//! without the value (`details.continue: false`) and a burn answers 422, and both keep the
//! secret. Deliberate differences, documented in `docs/relay.md`: `GET /secret/KEY` never
//! reveals (even with `continue=true`; reveal is `POST …/reveal`), TTLs are clamped rather
//! than rejected, and a burn needs no passphrase (the receipt key is the sender's proof).

use axum::extract::{Path, Request, State};
use axum::response::Response;
use http::StatusCode;
use hushlink_protocol::errors as texts;
use hushlink_protocol::v1 as wire1;
use hushlink_protocol::v2::{ErrorBody, SecretStatusBatchResponse, StatusResponse};
use serde_json::{json, Value};

use super::params::Params;
use super::v2_error::{fault, unavailable, V2Error};
use super::v2_wire::*;
use super::{json_response, Call, CallError};
use crate::keys::Key;
use crate::model::*;
use crate::operations::Relay;
use crate::operations::MAX_STATUS_KEYS;

pub(crate) mod probe;

type V2Result = Result<Response, V2Error>;

async fn call(relay: &Relay, request: Request) -> Result<Call, V2Error> {
    Call::read(relay, request).await.map_err(|err| match err {
        CallError::InvalidCredentials => V2Error::Unauthorized("Invalid credentials"),
        CallError::LargeBodyNeedsToken => {
            V2Error::Unauthorized("A body this large needs an API token")
        }
        CallError::Params(err) => err.into(),
    })
}

fn parse_key(raw: &str) -> Result<Key, V2Error> {
    Key::parse(raw).map_err(|_| V2Error::NotFound)
}

fn ok(body: &Value) -> V2Result {
    Ok(json_response(StatusCode::OK, body))
}

pub(crate) async fn not_found() -> Response {
    json_response(
        StatusCode::NOT_FOUND,
        &ErrorBody {
            error: Some("Not Found".into()),
            error_type: Some("NotFound".into()),
            ..ErrorBody::default()
        },
    )
}

pub(crate) async fn status(State(relay): State<Relay>, request: Request) -> V2Result {
    call(&relay, request).await?;
    if !super::health::storage_answers(&relay).await {
        return Ok(super::health::v2_unavailable());
    }
    let body = StatusResponse {
        success: Some(true),
        status: "nominal".into(),
        locale: Some("en".into()),
    };
    Ok(json_response(StatusCode::OK, &body))
}

/// Creation parameters: nested under `secret` as v2 sends them, or flat as v1 does.
fn creation_params(params: &Params) -> Params {
    params
        .nested("secret")
        .unwrap_or_else(|| params.shallow_copy())
}

fn create_error(err: CreateError) -> V2Error {
    match err {
        CreateError::NotAuthorized => V2Error::Unauthorized("Creating secrets needs an API token"),
        CreateError::QuotaExceeded(quota) => V2Error::QuotaExceeded(quota),
        CreateError::Empty => V2Error::Unprocessable(texts::NOTHING_TO_SHARE.into(), "missing"),
        CreateError::Unavailable(err) => unavailable(err),
        other => V2Error::Unprocessable(other.to_string(), "FormError"),
    }
}

pub(crate) async fn conceal(State(relay): State<Relay>, request: Request) -> V2Result {
    let call = call(&relay, request).await?;
    let params = creation_params(&call.params);
    if params.text("secret").is_none_or(str::is_empty) {
        return Err(V2Error::Unprocessable(
            texts::NOTHING_TO_SHARE.into(),
            "missing",
        ));
    }
    let req: wire1::ShareRequest = params.decode()?;
    let new = NewSecret {
        value: Some(req.secret),
        ttl_secs: req.ttl,
        passphrase: req.passphrase,
        e2e: params.flag("e2e") || call.params.flag("e2e"),
        generate_length: None,
    };
    let created = relay
        .create(new, call.auth.credentials(), &call.client)
        .await
        .map_err(create_error)?;
    ok(&create_envelope(
        &created.receipt,
        &call.origin,
        "conceal",
        None,
    ))
}

pub(crate) async fn generate(State(relay): State<Relay>, request: Request) -> V2Result {
    let call = call(&relay, request).await?;
    let params = creation_params(&call.params);
    let req: wire1::GenerateRequest = params.decode()?;
    let new = NewSecret {
        value: None,
        ttl_secs: req.ttl,
        passphrase: req.passphrase,
        e2e: false,
        generate_length: Some(usize::try_from(req.length.unwrap_or(12)).unwrap_or(usize::MAX)),
    };
    let created = relay
        .create(new, call.auth.credentials(), &call.client)
        .await
        .map_err(create_error)?;
    let generated = created.generated.as_ref().map(|v| v.expose());
    ok(&create_envelope(
        &created.receipt,
        &call.origin,
        "generate",
        generated,
    ))
}

/// The secret's record without revealing it (never consumes, whatever `continue` says).
pub(crate) async fn show_secret(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    request: Request,
) -> V2Result {
    call(&relay, request).await?;
    preview(&relay, &parse_key(&raw)?).await
}

/// The record of a live secret with `continue: false` and no value: what `GET /secret/KEY`
/// and a reveal without `continue: true` answer (a client that only meant to look must
/// not destroy the secret; Onetime answers the same).
async fn preview(relay: &Relay, key: &Key) -> V2Result {
    let info = relay
        .peek(key)
        .await
        .map_err(|e| fault(&e))?
        .ok_or(V2Error::NotFound)?;
    let states = relay
        .secret_states(std::slice::from_ref(key))
        .await
        .map_err(|e| fault(&e))?;
    let record = secret_record(key.expose(), states.first().and_then(Option::as_ref));
    ok(&json!({
        "success": true,
        "record": record,
        "details": { "continue": false, "show_secret": false, "correct_passphrase": false,
                     "has_passphrase": info.has_passphrase, "e2e": info.e2e },
    }))
}

pub(crate) async fn reveal(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    request: Request,
) -> V2Result {
    let call = call(&relay, request).await?;
    let key = parse_key(&raw)?;
    let req: wire1::RevealRequest = call.params.decode()?;
    // Read from the parameters, not `req`: the v1 request type defaults `continue` to true
    // (v1 forces it), and v2 must act only when the caller asked.
    if !call.params.flag("continue") {
        return preview(&relay, &key).await;
    }
    let revealed = match relay
        .reveal(&key, req.passphrase.as_ref(), &call.client)
        .await
    {
        Ok(revealed) => revealed,
        Err(RevealError::Unknown | RevealError::BurnedAfterAttempts) => {
            return Err(V2Error::NotFound)
        }
        Err(RevealError::PassphraseRequired | RevealError::WrongPassphrase { .. }) => {
            return Err(V2Error::Unprocessable(
                texts::INCORRECT_PASSPHRASE.into(),
                "FormError",
            ))
        }
        Err(RevealError::Unavailable(err)) => return Err(unavailable(err)),
    };
    let value = revealed.value.expose();
    let lines = value.lines().count().max(1);
    let mut record =
        serde_json::to_value(secret_record(key.expose(), None)).map_err(|_| V2Error::Internal)?;
    record["state"] = json!("revealed");
    record["is_revealed"] = json!(true);
    record["secret_value"] = json!(value);
    ok(&json!({
        "success": true,
        "record": record,
        "details": { "continue": true, "is_owner": false, "show_secret": true, "correct_passphrase": true,
                     "display_lines": lines, "one_liner": lines == 1, "e2e": revealed.e2e },
    }))
}

pub(crate) async fn secret_status(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    request: Request,
) -> V2Result {
    call(&relay, request).await?;
    let Ok(key) = Key::parse(&raw) else {
        return ok(&json!({ "record": { "state": "unknown" } }));
    };
    let states = relay
        .secret_states(std::slice::from_ref(&key))
        .await
        .map_err(|e| fault(&e))?;
    match states.into_iter().next().flatten() {
        Some(status) => ok(&json!({
            "record": secret_record(key.expose(), Some(&status)),
            "details": { "current_expiration": status.remaining_secs },
        })),
        None => ok(&json!({ "record": { "state": "unknown" } })),
    }
}

pub(crate) async fn batch_status(State(relay): State<Relay>, request: Request) -> V2Result {
    let call = call(&relay, request).await?;
    let raw = call.params.list("identifiers");
    if raw.len() > MAX_STATUS_KEYS {
        return Err(V2Error::Unprocessable(
            format!("At most {MAX_STATUS_KEYS} identifiers per request"),
            "FormError",
        ));
    }
    let keys: Vec<Key> = raw.iter().filter_map(|k| Key::parse(k).ok()).collect();
    let states = relay.secret_states(&keys).await.map_err(|e| fault(&e))?;
    // As on Onetime, where a consumed secret no longer exists: only live secrets are listed.
    // (`GET /secret/KEY/status` still tells revealed from burned, from the receipt.)
    let records: Vec<_> = keys
        .iter()
        .zip(&states)
        .filter_map(|(key, status)| {
            let status = status.as_ref().filter(|s| s.state == ReceiptState::New)?;
            Some(secret_record(key.expose(), Some(status)))
        })
        .collect();
    let count = records.len() as u64;
    Ok(json_response(
        StatusCode::OK,
        &SecretStatusBatchResponse {
            records,
            count: Some(count),
        },
    ))
}

pub(crate) async fn receipt(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    request: Request,
) -> V2Result {
    let call = call(&relay, request).await?;
    let key = parse_key(&raw)?;
    let receipt = relay
        .receipt(&key)
        .await
        .map_err(|e| fault(&e))?
        .ok_or(V2Error::NotFound)?;
    ok(
        &json!({ "record": receipt_record(&receipt, &call.origin), "details": receipt_details(&receipt) }),
    )
}

pub(crate) async fn burn(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    request: Request,
) -> V2Result {
    let call = call(&relay, request).await?;
    let key = parse_key(&raw)?;
    let req: wire1::BurnRequest = call.params.decode()?;
    if !call.params.flag("continue") {
        // Onetime keeps the secret too, but answers 500 `Secret could not be burned.`;
        // this is the caller's mistake, so 422 says what to do instead.
        return Err(V2Error::Unprocessable(
            "Nothing was burned: send continue=true to burn the secret".into(),
            "FormError",
        ));
    }
    match relay
        .burn(&key, req.passphrase.as_ref(), &call.client)
        .await
    {
        Ok(burned) => {
            let mut details = receipt_details(&burned.receipt);
            details["title"] = json!("Secret burned");
            ok(
                &json!({ "success": true, "record": receipt_record(&burned.receipt, &call.origin), "details": details }),
            )
        }
        Err(BurnError::Unknown) => Err(V2Error::NotFound),
        Err(BurnError::WrongPassphrase { .. }) => Err(V2Error::Unprocessable(
            texts::DOUBLE_CHECK_PASSPHRASE.into(),
            "FormError",
        )),
        Err(BurnError::Unavailable(err)) => Err(unavailable(err)),
    }
}

pub(crate) async fn recent(State(relay): State<Relay>, request: Request) -> V2Result {
    let call = call(&relay, request).await?;
    let credentials = call
        .auth
        .credentials()
        .ok_or(V2Error::Unauthorized("This route needs an API token"))?;
    let receipts = relay.recent(credentials).await.map_err(|e| fault(&e))?;
    let now = relay.clock().now();
    let records: Vec<Value> = receipts.iter().map(recent_record).collect();
    ok(&json!({
        "success": true,
        "custid": call.auth.custid(),
        "count": records.len(),
        "records": records,
        "details": { "type": "list", "since": now - 30 * 86_400, "now": now, "has_items": !receipts.is_empty() },
    }))
}
