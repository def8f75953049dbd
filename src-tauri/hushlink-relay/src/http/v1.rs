//! `/api/v1`: Onetime's v1 exactly as its clients expect it (reference §3, §4).
//!
//! Success is 200 with a flat JSON object and integer numbers; every error is HTTP 404 with
//! `{"message": …}` (the exact texts of `hushlink_protocol::errors`) and the status HEAD
//! would have meant in `X-OTS-Intended-Status`.

use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode};
use hushlink_protocol::errors::{self as texts, INTENDED_STATUS_HEADER};
use hushlink_protocol::v1::{
    self as wire, BurnResponse, ErrorBody, RevealResponse, StatusResponse,
};
use hushlink_protocol::{limits, State as WireState};

use super::params::ParamsError;
use super::{json_response, Call, CallError};
use crate::keys::{Key, KeyError, KeyRule};
use crate::model::*;
use crate::operations::Relay;

/// A v1 error: always HTTP 404, the meant status in `X-OTS-Intended-Status`.
#[derive(Debug)]
pub enum V1Error {
    /// `Not authorized` (401).
    NotAuthorized,
    /// `Unknown secret`, echoing the path key (404).
    UnknownSecret(String),
    /// `Not Found`: a path key too short to be one (404).
    ShortKey,
    /// A validation message (400, or 413 for bodies over the limit).
    Rejected(String, u16),
    /// `Rate limit exceeded…` (429).
    RateLimited,
    /// `An unexpected error occurred :[` (500); the cause is logged, never sent.
    Unexpected,
    /// The shared database does not answer (503, as the status route says it): the request
    /// failed at once and will succeed again by itself once the database is back.
    Unavailable,
}

impl IntoResponse for V1Error {
    fn into_response(self) -> Response {
        let (body, intended) = match self {
            Self::NotAuthorized => (ErrorBody::message(texts::NOT_AUTHORIZED), 401),
            Self::UnknownSecret(key) => {
                (ErrorBody::unknown_secret(limits::sanitize_key(&key)), 404)
            }
            Self::ShortKey => (ErrorBody::message(texts::NOT_FOUND), 404),
            Self::Rejected(text, status) => (ErrorBody::message(text), status),
            Self::RateLimited => (ErrorBody::message(texts::RATE_LIMITED), 429),
            Self::Unexpected => (ErrorBody::message(texts::UNEXPECTED), 500),
            Self::Unavailable => (ErrorBody::message(super::health::UNAVAILABLE), 503),
        };
        let mut response = json_response(StatusCode::NOT_FOUND, &body);
        response
            .headers_mut()
            .insert(INTENDED_STATUS_HEADER, HeaderValue::from(intended));
        response
    }
}

impl From<ParamsError> for V1Error {
    fn from(err: ParamsError) -> Self {
        let status = if matches!(err, ParamsError::TooLarge(_)) {
            413
        } else {
            400
        };
        Self::Rejected(err.to_string(), status)
    }
}

fn fault(err: &crate::Error) -> V1Error {
    tracing::error!(error = %err, "v1 request failed");
    match err {
        crate::Error::DatabaseUnavailable(_) => V1Error::Unavailable,
        _ => V1Error::Unexpected,
    }
}

/// The v1 answer to what may stop any operation.
fn unavailable(err: Unavailable) -> V1Error {
    match err {
        Unavailable::RateLimited { .. } => V1Error::RateLimited,
        Unavailable::Fault(err) => fault(&err),
    }
}

type V1Result = Result<Response, V1Error>;

/// Reads a call and refuses invalid credentials (reference §2: present means must be valid).
async fn call(relay: &Relay, request: Request) -> Result<Call, V1Error> {
    Call::read(relay, request).await.map_err(|err| match err {
        CallError::InvalidCredentials | CallError::LargeBodyNeedsToken => V1Error::NotAuthorized,
        CallError::Params(err) => err.into(),
    })
}

/// v1 answers a path key too short to be one `Not Found` whatever its characters (Onetime
/// strips them first), any other bad key `Unknown secret`.
fn parse_key(raw: &str) -> Result<Key, V1Error> {
    Key::parse(raw).map_err(|err| match err {
        KeyError::TooShort => V1Error::ShortKey,
        _ if raw.len() < KeyRule::Relay.min_len() => V1Error::ShortKey,
        _ => V1Error::UnknownSecret(raw.to_owned()),
    })
}

pub(crate) async fn not_found() -> Response {
    json_response(StatusCode::NOT_FOUND, &ErrorBody::route_not_found())
}

pub(crate) async fn status(State(relay): State<Relay>, request: Request) -> V1Result {
    call(&relay, request).await?;
    if !super::health::storage_answers(&relay).await {
        return Ok(super::health::v1_unavailable());
    }
    Ok(json_response(StatusCode::OK, &StatusResponse::nominal()))
}

pub(crate) async fn authcheck(State(relay): State<Relay>, request: Request) -> V1Result {
    let call = call(&relay, request).await?;
    call.auth.credentials().ok_or(V1Error::NotAuthorized)?;
    Ok(json_response(StatusCode::OK, &StatusResponse::nominal()))
}

/// Which answer a receipt goes into (reference §4.3, §4.6, §4.8). `recent` used to be a
/// view too; it now has its own item without any key (`recent_item`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// share / generate / receipt / burn: with `passphrase_required`.
    Full,
}

/// The v1 receipt object of a receipt (reference §4.9).
pub fn wire_receipt(receipt: &Receipt, custid: &str, origin: &str, view: View) -> wire::Receipt {
    let key = receipt.receipt_key.expose().to_owned();
    let url = format!("{origin}/receipt/{key}");
    let View::Full = view;
    let secret_key = match receipt.state {
        ReceiptState::Received => None,
        ReceiptState::New => receipt.secret_key.as_ref().map(|k| k.expose().to_owned()),
        _ => Some(String::new()),
    };
    let metadata_ttl = receipt.receipt_ttl_remaining();
    wire::Receipt {
        custid: Some(custid.to_owned()),
        metadata_key: key.clone(),
        secret_key: secret_key.clone(),
        ttl: Some(receipt.ttl),
        metadata_ttl: Some(metadata_ttl),
        secret_ttl: receipt.secret_ttl_remaining(),
        metadata_url: Some(url.clone()),
        state: v1_state(receipt.state),
        created: Some(unsigned(receipt.created_at)),
        updated: Some(unsigned(receipt.updated_at)),
        received: receipt
            .received_at
            .filter(|_| receipt.state == ReceiptState::Received)
            .map(unsigned),
        recipient: Vec::new(),
        share_domain: String::new(),
        passphrase_required: Some(receipt.has_passphrase),
        value: None,
        identifier: Some(key),
        secret_identifier: secret_key,
        has_passphrase: Some(receipt.has_passphrase),
        recipients: Some(Vec::new()),
        receipt_ttl: Some(metadata_ttl),
        receipt_url: Some(url),
        secret_value: None,
    }
}

fn v1_state(state: ReceiptState) -> WireState {
    match state {
        ReceiptState::New => WireState::New,
        ReceiptState::Received => WireState::Received,
        ReceiptState::Burned => WireState::Burned,
        ReceiptState::Expired => WireState::Expired,
    }
}

fn unsigned(secs: i64) -> u64 {
    u64::try_from(secs).unwrap_or(0)
}

/// Maps a refused create to its v1 answer.
fn create_error(err: CreateError) -> V1Error {
    match err {
        CreateError::NotAuthorized => V1Error::NotAuthorized,
        CreateError::QuotaExceeded(quota) => V1Error::Rejected(quota.to_string(), quota.status()),
        CreateError::Unavailable(err) => unavailable(err),
        other => V1Error::Rejected(other.to_string(), 400),
    }
}

pub(crate) async fn share(State(relay): State<Relay>, request: Request) -> V1Result {
    let call = call(&relay, request).await?;
    if call.params.text("secret").is_none_or(str::is_empty) {
        return Err(V1Error::Rejected(texts::NOTHING_TO_SHARE.into(), 400));
    }
    let req: wire::ShareRequest = call.params.decode()?;
    if req.recipient.as_deref().is_some_and(|r| !r.is_empty()) && call.auth.credentials().is_none()
    {
        return Err(V1Error::Rejected(
            texts::ACCOUNT_REQUIRED_FOR_EMAIL.into(),
            401,
        ));
    }
    let new = NewSecret {
        value: Some(req.secret),
        ttl_secs: req.ttl,
        passphrase: req.passphrase,
        e2e: call.params.flag("e2e"),
        generate_length: None,
    };
    let note = req.sender_note.as_deref();
    let created = relay
        .create_with_note(new, note, call.auth.credentials(), &call.client)
        .await
        .map_err(create_error)?;
    let receipt = wire_receipt(
        &created.receipt,
        &call.auth.custid(),
        &call.origin,
        View::Full,
    );
    Ok(json_response(StatusCode::OK, &receipt))
}

pub(crate) async fn generate(State(relay): State<Relay>, request: Request) -> V1Result {
    let call = call(&relay, request).await?;
    let req: wire::GenerateRequest = call.params.decode()?;
    if req.recipient.as_deref().is_some_and(|r| !r.is_empty()) && call.auth.credentials().is_none()
    {
        return Err(V1Error::Rejected(
            texts::ACCOUNT_REQUIRED_FOR_EMAIL.into(),
            401,
        ));
    }
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
    let mut receipt = wire_receipt(
        &created.receipt,
        &call.auth.custid(),
        &call.origin,
        View::Full,
    );
    receipt.value = created.generated.clone();
    receipt.secret_value = created.generated;
    Ok(json_response(StatusCode::OK, &receipt))
}

pub(crate) async fn reveal(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    request: Request,
) -> V1Result {
    let call = call(&relay, request).await?;
    let key = parse_key(&raw)?;
    let req: wire::RevealRequest = call.params.decode()?;
    match relay
        .reveal(&key, req.passphrase.as_ref(), &call.client)
        .await
    {
        Ok(revealed) => Ok(json_response(
            StatusCode::OK,
            &RevealResponse {
                value: revealed.value,
                secret_key: key.expose().to_owned(),
                share_domain: Some(call.origin),
            },
        )),
        Err(RevealError::Unavailable(err)) => Err(unavailable(err)),
        // Unknown, consumed, expired, wrong or missing passphrase: one answer (reference §4.5).
        Err(_) => Err(V1Error::UnknownSecret(raw)),
    }
}

pub(crate) async fn receipt(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    request: Request,
) -> V1Result {
    let call = call(&relay, request).await?;
    let key = parse_key(&raw)?;
    match relay.receipt(&key).await {
        Ok(Some(receipt)) => Ok(json_response(
            StatusCode::OK,
            &wire_receipt(&receipt, &call.auth.custid(), &call.origin, View::Full),
        )),
        Ok(None) => Err(V1Error::UnknownSecret(raw)),
        Err(err) => Err(fault(&err)),
    }
}

pub(crate) async fn burn(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    request: Request,
) -> V1Result {
    let call = call(&relay, request).await?;
    let key = parse_key(&raw)?;
    let req: wire::BurnRequest = call.params.decode()?;
    match relay
        .burn(&key, req.passphrase.as_ref(), &call.client)
        .await
    {
        Ok(burned) => Ok(json_response(
            StatusCode::OK,
            &BurnResponse {
                state: wire_receipt(
                    &burned.receipt,
                    &call.auth.custid(),
                    &call.origin,
                    View::Full,
                ),
                secret_shortkey: Some(burned.secret_shortkey),
            },
        )),
        Err(BurnError::Unknown) => Err(V1Error::UnknownSecret(raw)),
        Err(BurnError::WrongPassphrase { .. }) => Err(V1Error::Rejected(
            texts::DOUBLE_CHECK_PASSPHRASE.into(),
            422,
        )),
        Err(BurnError::Unavailable(err)) => Err(unavailable(err)),
    }
}

pub(crate) async fn recent(State(relay): State<Relay>, request: Request) -> V1Result {
    let call = call(&relay, request).await?;
    let credentials = call.auth.credentials().ok_or(V1Error::NotAuthorized)?;
    let receipts = relay.recent(credentials).await.map_err(|err| fault(&err))?;
    let custid = call.auth.custid();
    let list: Vec<_> = receipts.iter().map(|r| recent_item(r, &custid)).collect();
    Ok(json_response(StatusCode::OK, &list))
}

/// A v1 `recent` item: Onetime's field set without any key or link (docs/relay.md,
/// "Differences from Onetime"). `metadata_key` and `identifier` hold the access log's key
/// id, which v1 clients can still print and index by, plus `key_id` saying so; a receipt
/// fetch with it is refused as too short to be a key.
fn recent_item(receipt: &RecentReceipt, custid: &str) -> serde_json::Value {
    let ttl = receipt.receipt_ttl_remaining();
    serde_json::json!({
        "custid": custid,
        "metadata_key": receipt.key_id,
        "key_id": receipt.key_id,
        "ttl": receipt.ttl,
        "metadata_ttl": ttl,
        "secret_ttl": null,
        "state": v1_state(receipt.state),
        "created": unsigned(receipt.created_at),
        "updated": unsigned(receipt.updated_at),
        "received": receipt.received_at.map(unsigned),
        "burned": receipt.burned_at.map(unsigned),
        "recipient": [],
        "share_domain": "",
        "identifier": receipt.key_id,
        "has_passphrase": receipt.has_passphrase,
        "recipients": [],
        "receipt_ttl": ttl,
    })
}
