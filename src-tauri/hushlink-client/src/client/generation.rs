//! Which generation of Onetime server a [`Client`] talks to, learnt from what the server says
//! (`GET /api/v2/version`), never from its host name, and asked once per client.
//!
//! Where v0.23-era and current servers differ, the client adapts here: a v0.23 server's batch
//! status always fails inside (v0.23.6 answers 500), so [`Client::secret_status_batch`] does
//! not send it there. Other v0.23 traits need no switch, because the answers themselves are
//! read leniently (`viewed` is unread, string numbers, a stale burn state; `docs/protocol.md`,
//! "Known server versions").

use hushlink_protocol::v2::VersionResponse;
use reqwest::Method;

use super::Client;
use crate::answer::Gone;

/// A server generation, as far as it changes what the client does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Generation {
    /// v0.23 and older (pre-rewrite): batch status is broken, receipts turn `viewed` on the
    /// sender's first fetch, v2 records carry numbers as strings.
    V023,
    /// v0.24 and newer, and Hushlink relays (which report the release they follow).
    Current,
    /// The server did not say: no `/api/v2/version`, or it wants credentials this client
    /// does not have. The client then tries everything and reads the answers.
    Unknown,
}

impl Generation {
    /// The generation a version answer names.
    pub fn from_version(answer: &VersionResponse) -> Self {
        match answer.major_minor() {
            Some((0, minor)) if minor <= 23 => Self::V023,
            Some(_) => Self::Current,
            None => Self::Unknown,
        }
    }
}

impl Client {
    /// `GET /api/v2/version`. v0.23 servers answer anyone; current ones want credentials.
    #[tracing::instrument(skip_all)]
    pub async fn version(&self) -> crate::Result<VersionResponse> {
        let mut ctx = self.ctx("version", Gone::None, &[]);
        ctx.optional_route = true;
        self.call(Method::GET, "api/v2/version", None::<&()>, ctx)
            .await
    }

    /// The server's generation, asked once per client (clones share the answer; the tracker
    /// keeps one client per profile, so this is per profile). A failure to reach the server
    /// is not remembered: the next call asks again.
    pub async fn generation(&self) -> Generation {
        if let Some(known) = self.generation.get() {
            return *known;
        }
        if self.local().is_some() {
            return *self.generation.get_or_init(|| Generation::Current);
        }
        let generation = match self.version().await {
            Ok(answer) => Generation::from_version(&answer),
            // Unreachable, timeout, rate limit, 5xx: ask again next time.
            Err(error) if error.is_transient() => return Generation::Unknown,
            Err(_) => Generation::Unknown,
        };
        tracing::debug!(?generation, "server generation");
        *self.generation.get_or_init(|| generation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generation_follows_major_and_minor() {
        let of = |version: Vec<u64>| {
            Generation::from_version(&VersionResponse {
                version,
                locale: None,
            })
        };
        assert_eq!(of(vec![0, 23, 6]), Generation::V023);
        assert_eq!(of(vec![0, 18, 0]), Generation::V023);
        assert_eq!(of(vec![0, 24, 0]), Generation::Current);
        assert_eq!(of(vec![0, 26, 6]), Generation::Current);
        assert_eq!(of(vec![1, 0]), Generation::Current);
        assert_eq!(of(vec![1]), Generation::Unknown, "one part says nothing");
    }
}
