//! What each server under test speaks. The driver's workloads are written once against
//! [`Target`]; only paths, form fields and the shape of answers differ.
//!
//! | operation | Hushlink relay and bench-bare (Onetime v1) | Snappass 1.6 |
//! |---|---|---|
//! | status | `GET /api/v1/status` | `GET /` (its form page; it has no health route) |
//! | create | `POST /api/v1/share` `secret`, `ttl=3600` → JSON `secret_key` | `POST /` `password`, `ttl=hour`, `Accept: application/json` → JSON `link` |
//! | reveal | `POST /api/v1/secret/{key}` → 200 JSON `value` | `POST /{token}` → 200 HTML page with the value |
//! | gone | 404 `Unknown secret` | 404 expired page |
//!
//! A reveal must give back exactly the value created (checked for the relay and Snappass;
//! the bare server stores nothing, so it cannot). The bare server answers 404 for keys that
//! start with [`BARE_GONE_PREFIX`], which stands in for "already consumed". `bench-floor`
//! speaks as the relay does and is checked the same way.
//!
//! A target may be several instances of one server on one database (relays on one
//! PostgreSQL): each create goes to the instance its caller picks, and the reveal of what it
//! created goes to the next one, as a load balancer would spread them.

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{Client, StatusCode};
use serde::Deserialize;

use crate::error::{Error, Result};

/// Keys with this prefix are "consumed" for the bare server.
pub const BARE_GONE_PREFIX: &str = "gone";

/// Which server is under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Server {
    /// The Hushlink relay (`hushlink-relay`).
    Hushlink,
    /// `bench-bare`: the v1 shapes, no storage.
    Bare,
    /// Snappass under gunicorn, with Redis.
    Snappass,
    /// `bench-floor`: the v1 shapes over a map and a synced log.
    Floor,
}

impl Server {
    /// Lowercase name, as in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Hushlink => "hushlink",
            Self::Bare => "bare",
            Self::Snappass => "snappass",
            Self::Floor => "floor",
        }
    }

    /// Speaks Onetime v1 and keeps what it is given (a reveal is checked for the value).
    fn stores_v1(self) -> bool {
        matches!(self, Self::Hushlink | Self::Floor)
    }
}

/// A server at one or more base URLs, with the client that talks to it.
#[derive(Clone, Debug)]
pub struct Target {
    /// Which server.
    pub server: Server,
    /// `http://127.0.0.1:PORT` of each instance, no trailing slash; at least one.
    pub bases: Vec<String>,
    /// Shared connection pool.
    pub client: Client,
}

/// The handle a create returns: what a reveal needs.
#[derive(Clone, Debug)]
pub struct Handle {
    /// Path to POST to reveal it (`/api/v1/secret/KEY` or `/TOKEN`).
    pub reveal_path: String,
    /// The instance that created it; it is revealed on the next one.
    pub at: usize,
}

#[derive(Deserialize)]
struct V1Receipt {
    secret_key: Option<String>,
}

#[derive(Deserialize)]
struct V1Reveal {
    value: Option<String>,
}

#[derive(Deserialize)]
struct SnappassLink {
    link: String,
}

fn expect(got: StatusCode, expected: StatusCode) -> Result<()> {
    if got == expected {
        Ok(())
    } else {
        Err(Error::Status {
            got: got.as_u16(),
            expected: expected.as_u16(),
        })
    }
}

impl Target {
    /// Base URL of instance `at` (wrapping around).
    fn base(&self, at: usize) -> &str {
        &self.bases[at % self.bases.len()]
    }

    /// The status / health GET, to instance `at`.
    pub async fn status(&self, at: usize) -> Result<()> {
        let path = match self.server {
            Server::Hushlink | Server::Bare | Server::Floor => "/api/v1/status",
            Server::Snappass => "/",
        };
        let response = self
            .client
            .get(format!("{}{path}", self.base(at)))
            .send()
            .await?;
        expect(response.status(), StatusCode::OK)?;
        // Read the body: a request is complete when its answer is.
        response.bytes().await?;
        Ok(())
    }

    /// Creates a secret holding `value` on instance `at`, with a passphrase if given.
    pub async fn create(&self, at: usize, value: &str, passphrase: Option<&str>) -> Result<Handle> {
        match self.server {
            Server::Hushlink | Server::Bare | Server::Floor => {
                let mut form = vec![("secret", value), ("ttl", "3600")];
                if let Some(passphrase) = passphrase {
                    form.push(("passphrase", passphrase));
                }
                let response = self
                    .client
                    .post(format!("{}/api/v1/share", self.base(at)))
                    .form(&form)
                    .send()
                    .await?;
                expect(response.status(), StatusCode::OK)?;
                let receipt: V1Receipt = response.json().await?;
                let key = receipt
                    .secret_key
                    .filter(|k| !k.is_empty())
                    .ok_or(Error::Answer("receipt without secret_key"))?;
                Ok(Handle {
                    reveal_path: format!("/api/v1/secret/{key}"),
                    at,
                })
            }
            Server::Snappass => {
                if passphrase.is_some() {
                    return Err(Error::Unsupported {
                        server: "snappass",
                        workload: "passphrase",
                    });
                }
                let response = self
                    .client
                    .post(format!("{}/", self.base(at)))
                    .header(ACCEPT, "application/json")
                    .form(&[("password", value), ("ttl", "hour")])
                    .send()
                    .await?;
                expect(response.status(), StatusCode::OK)?;
                let answer: SnappassLink = response.json().await?;
                // The link is absolute (`http://host/TOKEN`); keep the path, which is what
                // the recipient's browser POSTs to.
                let path = answer
                    .link
                    .split_once("://")
                    .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
                    .ok_or(Error::Answer("link without a path"))?;
                Ok(Handle {
                    reveal_path: path,
                    at,
                })
            }
        }
    }

    /// Reveals a secret that must still be there and hold `value`.
    pub async fn reveal(&self, handle: &Handle, value: &str) -> Result<()> {
        let response = self.post_reveal(handle).await?;
        expect(response.status(), StatusCode::OK)?;
        match self.server {
            Server::Hushlink | Server::Floor => {
                let answer: V1Reveal = response.json().await?;
                if answer.value.as_deref() != Some(value) {
                    return Err(Error::Answer("revealed value differs from the created one"));
                }
            }
            Server::Bare => {
                response.bytes().await?;
            }
            Server::Snappass => {
                let page = response.text().await?;
                if !page.contains(value) {
                    return Err(Error::Answer("revealed page lacks the created value"));
                }
            }
        }
        Ok(())
    }

    /// Tries to reveal a secret that is gone; only "gone" counts as success.
    pub async fn reveal_gone(&self, handle: &Handle) -> Result<()> {
        let response = self.post_reveal(handle).await?;
        expect(response.status(), StatusCode::NOT_FOUND)?;
        let body = response.bytes().await?;
        if self.server.stores_v1() && !body.windows(14).any(|w| w == b"Unknown secret") {
            return Err(Error::Answer("404 without `Unknown secret`"));
        }
        Ok(())
    }

    /// A handle the bare server treats as consumed.
    pub fn bare_gone_handle(index: usize) -> Handle {
        Handle {
            reveal_path: format!("/api/v1/secret/{BARE_GONE_PREFIX}{index:046}"),
            at: index,
        }
    }

    /// POSTs the reveal to the instance after the one that created it.
    async fn post_reveal(&self, handle: &Handle) -> Result<reqwest::Response> {
        // An explicit empty form, as a browser or `curl -X POST` sends.
        Ok(self
            .client
            .post(format!(
                "{}{}",
                self.base(handle.at + 1),
                handle.reveal_path
            ))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("")
            .send()
            .await?)
    }
}
