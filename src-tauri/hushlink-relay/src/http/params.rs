//! Request parameters the way Onetime reads them: from the query string, an urlencoded or
//! multipart body, or a JSON body, merged into one map (body wins over query).
//!
//! Values are normalised so the protocol crate's request types can deserialize them:
//! scalars become strings (Rack params are strings), a nested JSON object stays one level
//! deep (v2's `{"secret": {...}}`), and the form spelling `secret[ttl]=…` becomes the same
//! nested object. Every string is zeroized when the map is dropped, because it may hold a
//! secret or a passphrase. A JSON body is read only under `Content-Type: application/json`.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request};
use http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use zeroize::Zeroize;

/// Why the parameters could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamsError {
    /// The body is larger than `max_body_bytes`.
    #[error("Request body exceeds the limit of {0} bytes")]
    TooLarge(usize),
    /// The body does not parse as its content type says.
    #[error("Malformed request body: {0}")]
    Malformed(&'static str),
}

/// Merged request parameters.
#[derive(Default)]
pub struct Params {
    map: Map<String, Value>,
}

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Names only: values may be secrets.
        f.debug_struct("Params")
            .field("names", &self.map.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Drop for Params {
    fn drop(&mut self) {
        fn wipe(value: &mut Value) {
            match value {
                Value::String(s) => s.zeroize(),
                Value::Array(items) => items.iter_mut().for_each(wipe),
                Value::Object(map) => map.values_mut().for_each(wipe),
                _ => {}
            }
        }
        self.map.values_mut().for_each(wipe);
    }
}

impl Params {
    /// Reads the parameters of a request whose body is at most `limit` bytes.
    pub async fn from_request(request: Request, limit: usize) -> Result<Self, ParamsError> {
        let (parts, body) = request.into_parts();
        let content_type = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = axum::body::to_bytes(body, limit)
            .await
            .map_err(|_| ParamsError::TooLarge(limit))?;
        Self::parse(content_type.as_deref(), parts.uri.query(), body).await
    }

    /// Parses a query string and a body of the given content type.
    pub async fn parse(
        content_type: Option<&str>,
        query: Option<&str>,
        body: Bytes,
    ) -> Result<Self, ParamsError> {
        let mut params = Self::default();
        if let Some(query) = query {
            // A malformed query string is ignored, as Rack does with undecodable pairs.
            for (name, value) in form_pairs(query.as_bytes()).unwrap_or_default() {
                params.insert_form(name, value);
            }
        }
        let mime = content_type
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match mime.as_str() {
            _ if body.is_empty() => {}
            "application/x-www-form-urlencoded" => {
                for (name, value) in
                    form_pairs(&body).ok_or(ParamsError::Malformed("invalid form encoding"))?
                {
                    params.insert_form(name, value);
                }
            }
            "multipart/form-data" => {
                for (name, value) in multipart_fields(content_type.unwrap_or(""), body).await? {
                    params.insert_form(name, value);
                }
            }
            "application/json" => params.insert_json(&body)?,
            // Never guessed: any web page can make a browser send `text/plain` (or no type)
            // cross-site without asking, but not `application/json` (issue 14, item 4). Rack
            // ignores such bodies; saying so helps a client that forgot its header.
            _ if body.first() == Some(&b'{') => {
                return Err(ParamsError::Malformed(
                    "a JSON body needs Content-Type: application/json",
                ))
            }
            _ => {}
        }
        Ok(params)
    }

    fn insert_form(&mut self, name: String, value: String) {
        // `a[b]` → nested object; `a[]` → list; anything else flat.
        if let Some(base) = name.strip_suffix("[]") {
            let entry = self
                .map
                .entry(base.to_owned())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = entry {
                items.push(Value::String(value));
            }
            return;
        }
        if let Some((base, rest)) = name.split_once('[') {
            if let Some(inner) = rest
                .strip_suffix(']')
                .filter(|inner| !inner.contains(['[', ']']))
            {
                let entry = self
                    .map
                    .entry(base.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !entry.is_object() {
                    *entry = Value::Object(Map::new());
                }
                if let Value::Object(nested) = entry {
                    nested.insert(inner.to_owned(), Value::String(value));
                }
                return;
            }
        }
        self.map.insert(name, Value::String(value));
    }

    fn insert_json(&mut self, body: &[u8]) -> Result<(), ParamsError> {
        let Value::Object(object) = serde_json::from_slice::<Value>(body)
            .map_err(|_| ParamsError::Malformed("invalid JSON"))?
        else {
            return Err(ParamsError::Malformed("the JSON body must be an object"));
        };
        for (name, value) in object {
            if let Some(value) = normalise(value, 0) {
                self.map.insert(name, value);
            }
        }
        Ok(())
    }

    /// The string value of a top-level parameter.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.map.get(name).and_then(Value::as_str)
    }

    /// Whether a parameter is a true flag (`true`, `1`, `yes`, `on`).
    pub fn flag(&self, name: &str) -> bool {
        self.text(name).is_some_and(is_true)
    }

    /// A nested object (v2's `secret`), as parameters of its own.
    pub fn nested(&self, name: &str) -> Option<Params> {
        match self.map.get(name) {
            Some(Value::Object(map)) => Some(Params { map: map.clone() }),
            _ => None,
        }
    }

    /// A copy of the top-level parameters.
    pub fn shallow_copy(&self) -> Params {
        Params {
            map: self.map.clone(),
        }
    }

    /// A list parameter: a JSON array, repeated `name[]`, or one comma-separated string.
    pub fn list(&self, name: &str) -> Vec<String> {
        let items: Vec<&str> = match self.map.get(name) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(text)) => vec![text.as_str()],
            _ => Vec::new(),
        };
        items
            .iter()
            .flat_map(|item| item.split(','))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Deserializes the parameters into a protocol request type.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, ParamsError> {
        serde_json::from_value(Value::Object(self.map.clone()))
            .map_err(|_| ParamsError::Malformed("invalid parameters"))
    }
}

/// Whether a parameter text means "yes".
pub fn is_true(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "on"
    )
}

fn form_pairs(bytes: &[u8]) -> Option<Vec<(String, String)>> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes).ok()
}

/// Scalars to strings (as Rack would see them), objects kept one level deep, `null` dropped.
fn normalise(value: Value, depth: usize) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::String(_) => Some(value),
        Value::Bool(b) => Some(Value::String(b.to_string())),
        Value::Number(n) => Some(Value::String(n.to_string())),
        Value::Array(items) => Some(Value::Array(
            items
                .into_iter()
                .filter_map(|v| normalise(v, depth + 1))
                .collect(),
        )),
        Value::Object(map) if depth == 0 => Some(Value::Object(
            map.into_iter()
                .filter_map(|(k, v)| normalise(v, 1).map(|v| (k, v)))
                .collect(),
        )),
        Value::Object(_) => None,
    }
}

async fn multipart_fields(
    content_type: &str,
    body: Bytes,
) -> Result<Vec<(String, String)>, ParamsError> {
    let request = Request::builder()
        .header(CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .map_err(|_| ParamsError::Malformed("invalid multipart content type"))?;
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|_| ParamsError::Malformed("invalid multipart body"))?;
    let mut fields = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let Some(name) = field.name().map(str::to_owned) else {
                    continue;
                };
                // Raw bytes, not `text()`: that decodes by charset and drops a leading BOM,
                // which would silently change a secret (found by the parsing property test).
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| ParamsError::Malformed("invalid multipart field"))?;
                let value = String::from_utf8(bytes.to_vec())
                    .map_err(|_| ParamsError::Malformed("multipart field is not UTF-8"))?;
                fields.push((name, value));
            }
            Ok(None) => return Ok(fields),
            Err(_) => return Err(ParamsError::Malformed("invalid multipart body")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn parse(ct: Option<&str>, query: Option<&str>, body: &str) -> Params {
        Params::parse(ct, query, Bytes::from(body.to_owned()))
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn every_encoding_yields_the_same_parameters() {
        let form = parse(
            Some("application/x-www-form-urlencoded"),
            None,
            "secret=a+b%26c&ttl=60",
        )
        .await;
        let query = parse(None, Some("secret=a+b%26c&ttl=60"), "").await;
        let json = parse(
            Some("application/json"),
            None,
            r#"{"secret":"a b&c","ttl":60}"#,
        )
        .await;
        let multipart = parse(
            Some("multipart/form-data; boundary=XX"),
            None,
            "--XX\r\nContent-Disposition: form-data; name=\"secret\"\r\n\r\na b&c\r\n--XX\r\nContent-Disposition: form-data; name=\"ttl\"\r\n\r\n60\r\n--XX--\r\n",
        )
        .await;
        for params in [form, query, json, multipart] {
            assert_eq!(params.text("secret"), Some("a b&c"), "{params:?}");
            assert_eq!(params.text("ttl"), Some("60"), "{params:?}");
        }
    }

    #[tokio::test]
    async fn body_wins_over_query_and_nesting_works_both_ways() {
        let p = parse(
            Some("application/x-www-form-urlencoded"),
            Some("ttl=1&x=q"),
            "ttl=2",
        )
        .await;
        assert_eq!(p.text("ttl"), Some("2"));
        assert_eq!(p.text("x"), Some("q"));
        let form = parse(
            Some("application/x-www-form-urlencoded"),
            None,
            "secret[secret]=s&secret[ttl]=9",
        )
        .await;
        let json = parse(
            Some("application/json"),
            None,
            r#"{"secret":{"secret":"s","ttl":9}}"#,
        )
        .await;
        for p in [form, json] {
            let nested = p.nested("secret").expect("nested object");
            assert_eq!(nested.text("secret"), Some("s"));
            assert_eq!(nested.text("ttl"), Some("9"));
        }
    }

    #[tokio::test]
    async fn json_is_read_only_under_its_own_content_type() {
        for ct in [None, Some("text/plain"), Some("text/plain; charset=utf-8")] {
            let result = Params::parse(ct, None, Bytes::from(r#"{"secret":"s"}"#)).await;
            assert!(
                matches!(result, Err(ParamsError::Malformed(_))),
                "{ct:?}: a page elsewhere can send this type cross-site"
            );
        }
        let json = parse(
            Some("Application/JSON; charset=utf-8"),
            None,
            r#"{"secret":"s"}"#,
        );
        assert_eq!(json.await.text("secret"), Some("s"));
    }

    #[tokio::test]
    async fn malformed_bodies_are_errors_not_empty_params() {
        for (ct, body) in [
            ("application/json", "{\"secret\":"),
            ("application/json", "[1,2]"),
            ("multipart/form-data; boundary=XX", "garbage"),
            ("multipart/form-data", "--XX\r\n"),
        ] {
            let result = Params::parse(Some(ct), None, Bytes::from(body)).await;
            assert!(
                matches!(result, Err(ParamsError::Malformed(_))),
                "{ct} {body:?}"
            );
        }
    }
}
