//! The route handlers of the in-memory server.

use axum::{
    body::Bytes,
    extract::{Path, State as Axum},
    http::HeaderMap,
    response::IntoResponse,
    Json,
};
use hushlink_protocol::{errors, limits, v1, v2, SecretText, State};

use super::{caller, fail, fail_text, now, parse, random_key, Answer, App, Entry, Secret};

pub(super) async fn status(Axum(app): Axum<App>, headers: HeaderMap) -> Answer {
    caller(&app, &headers)?;
    Ok(Json(v1::StatusResponse::nominal()).into_response())
}

pub(super) async fn authcheck(Axum(app): Axum<App>, headers: HeaderMap) -> Answer {
    match caller(&app, &headers)? {
        Some(_) => Ok(Json(v1::StatusResponse::nominal()).into_response()),
        None => Err(fail_text(errors::NOT_AUTHORIZED)),
    }
}

pub(super) async fn share(Axum(app): Axum<App>, headers: HeaderMap, body: Bytes) -> Answer {
    let owner = caller(&app, &headers)?;
    let req: v1::ShareRequest =
        serde_urlencoded::from_bytes(&body).map_err(|_| fail_text(errors::NOTHING_TO_SHARE))?;
    if req.secret.is_empty() {
        return Err(fail_text(errors::NOTHING_TO_SHARE));
    }
    if req.secret.len() > limits::MAX_SECRET_BYTES {
        return Err(fail_text(errors::SECRET_TOO_LARGE));
    }
    create(
        &app,
        owner,
        req.secret,
        req.passphrase,
        req.ttl,
        req.recipient,
        false,
    )
}

pub(super) async fn generate(Axum(app): Axum<App>, headers: HeaderMap, body: Bytes) -> Answer {
    let owner = caller(&app, &headers)?;
    let req: v1::GenerateRequest = parse(&body)?;
    let length = usize::try_from(req.length.unwrap_or(12)).unwrap_or(usize::MAX);
    if length > limits::GENERATE_LENGTH_MAX {
        return Err(fail_text(errors::GENERATE_LENGTH_TOO_LONG));
    }
    let value = SecretText::new(random_key(length.max(1)));
    create(
        &app,
        owner,
        value,
        req.passphrase,
        req.ttl,
        req.recipient,
        true,
    )
}

fn create(
    app: &App,
    owner: Option<String>,
    value: SecretText,
    passphrase: Option<SecretText>,
    ttl: Option<u64>,
    recipient: Option<String>,
    generated: bool,
) -> Answer {
    let passphrase = passphrase.filter(|p| !p.is_empty());
    if let Some(p) = &passphrase {
        if p.expose().chars().count() < limits::PASSPHRASE_MIN_CHARS {
            return Err(fail_text(errors::passphrase_too_short(
                limits::PASSPHRASE_MIN_CHARS,
            )));
        }
    }
    if recipient.is_some() && owner.is_none() {
        return Err(fail_text(errors::ACCOUNT_REQUIRED_FOR_EMAIL));
    }
    let ttl = limits::clamp_ttl(ttl, limits::TTL_MAX_ANONYMOUS_SECS);
    let (metadata_key, secret_key) = (random_key(62), random_key(62));
    let created = now();
    let receipt = v1::Receipt {
        custid: Some(owner.clone().unwrap_or_else(|| "anon".into())),
        metadata_key: metadata_key.clone(),
        secret_key: Some(secret_key.clone()),
        ttl: Some(ttl),
        metadata_ttl: Some(ttl * limits::RECEIPT_TTL_FACTOR),
        secret_ttl: Some(ttl),
        state: State::New,
        created: Some(created),
        updated: Some(created),
        recipient: recipient
            .iter()
            .map(|_| "re***@e***.com".to_owned())
            .collect(),
        passphrase_required: Some(passphrase.is_some()),
        ..Default::default()
    };
    let mut answer = receipt.clone();
    if generated {
        answer.value = Some(value.clone());
    }
    let mut store = app.store.lock().expect("store lock");
    store.by_secret.insert(secret_key, metadata_key.clone());
    store.entries.insert(
        metadata_key,
        Entry {
            receipt,
            owner,
            secret: Some(Secret { value, passphrase }),
        },
    );
    Ok(Json(answer).into_response())
}

pub(super) async fn reveal(
    Axum(app): Axum<App>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    caller(&app, &headers)?;
    let req: v1::RevealRequest = parse(&body)?;
    let unknown = || fail(v1::ErrorBody::unknown_secret(&key));
    // One lock for check and take: exactly one concurrent reveal wins.
    let mut store = app.store.lock().expect("store lock");
    let metadata_key = store.by_secret.get(&key).cloned().ok_or_else(unknown)?;
    let entry = store.entries.get_mut(&metadata_key).ok_or_else(unknown)?;
    let secret = entry.secret.as_ref().ok_or_else(unknown)?;
    if secret.passphrase.is_some() && secret.passphrase.as_ref() != req.passphrase.as_ref() {
        return Err(unknown());
    }
    let secret = entry.secret.take().ok_or_else(unknown)?;
    let at = now();
    entry.receipt.state = State::Received;
    entry.receipt.received = Some(at);
    entry.receipt.updated = Some(at);
    entry.receipt.secret_key = None;
    entry.receipt.secret_ttl = None;
    store.by_secret.remove(&key);
    let answer = v1::RevealResponse {
        value: secret.value,
        secret_key: key,
        share_domain: None,
    };
    Ok(Json(answer).into_response())
}

pub(super) async fn receipt(
    Axum(app): Axum<App>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Answer {
    caller(&app, &headers)?;
    let store = app.store.lock().expect("store lock");
    let entry = store
        .entries
        .get(&key)
        .ok_or_else(|| fail(v1::ErrorBody::unknown_secret(&key)))?;
    Ok(Json(&entry.receipt).into_response())
}

pub(super) async fn burn(
    Axum(app): Axum<App>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    caller(&app, &headers)?;
    let req: v1::BurnRequest = parse(&body)?;
    let unknown = || fail(v1::ErrorBody::unknown_secret(&key));
    let mut store = app.store.lock().expect("store lock");
    let entry = store.entries.get_mut(&key).ok_or_else(unknown)?;
    let secret = entry.secret.as_ref().ok_or_else(unknown)?;
    if secret.passphrase.is_some() && secret.passphrase.as_ref() != req.passphrase.as_ref() {
        return Err(fail_text(errors::DOUBLE_CHECK_PASSPHRASE));
    }
    entry.secret = None;
    let secret_key = entry
        .receipt
        .secret_key
        .replace(String::new())
        .unwrap_or_default();
    entry.receipt.state = State::Burned;
    entry.receipt.secret_ttl = None;
    entry.receipt.updated = Some(now());
    let answer = v1::BurnResponse {
        state: entry.receipt.clone(),
        secret_shortkey: Some(secret_key.chars().take(limits::SHORTKEY_LEN).collect()),
    };
    store.by_secret.remove(&secret_key);
    Ok(Json(answer).into_response())
}

pub(super) async fn recent(Axum(app): Axum<App>, headers: HeaderMap) -> Answer {
    let user = caller(&app, &headers)?.ok_or_else(|| fail_text(errors::NOT_AUTHORIZED))?;
    let store = app.store.lock().expect("store lock");
    let mut mine: Vec<v1::Receipt> = store
        .entries
        .values()
        .filter(|e| e.owner.as_deref() == Some(user.as_str()))
        .map(|e| v1::Receipt {
            secret_key: None,
            secret_ttl: None,
            passphrase_required: None,
            ..e.receipt.clone()
        })
        .collect();
    mine.sort_by_key(|r| r.created);
    Ok(Json(mine).into_response())
}

fn secret_record(key: &str, entry: &Entry) -> v2::SecretRecord {
    v2::SecretRecord {
        identifier: Some(key.to_owned()),
        state: entry.receipt.state.clone(),
        has_passphrase: entry.secret.as_ref().map(|s| s.passphrase.is_some()),
        created: entry.receipt.created,
        ..Default::default()
    }
}

pub(super) async fn batch_status(Axum(app): Axum<App>, headers: HeaderMap, body: Bytes) -> Answer {
    caller(&app, &headers)?;
    let req: v2::SecretStatusBatchRequest = parse(&body)?;
    let store = app.store.lock().expect("store lock");
    let records: Vec<_> = req
        .keys()
        .filter_map(|k| Some((k, store.entries.get(store.by_secret.get(k)?)?)))
        .map(|(k, e)| secret_record(k, e))
        .collect();
    let count = Some(records.len() as u64);
    Ok(Json(v2::SecretStatusBatchResponse { records, count }).into_response())
}

pub(super) async fn secret_status(Axum(app): Axum<App>, Path(key): Path<String>) -> Answer {
    let store = app.store.lock().expect("store lock");
    let record = match store.by_secret.get(&key).and_then(|m| store.entries.get(m)) {
        Some(entry) => secret_record(&key, entry),
        None => v2::SecretRecord {
            state: State::parse("unknown"),
            ..Default::default()
        },
    };
    Ok(Json(v2::Envelope {
        success: None,
        record,
    })
    .into_response())
}
