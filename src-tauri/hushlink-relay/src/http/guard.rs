//! [`Hardening`]: the relay's checks and answer headers as one hand-written tower layer.
//!
//! Every route of [`crate::router()`] is wrapped by it. Per request, in this order and before
//! any handler runs:
//! 1. the `Host` check of [`super::host`] (only with the listener's [`OwnHosts`], as
//!    [`crate::router_on()`] gives it): 400 or 421;
//! 2. the peer filter ([`super::peer_refusal`]): 403;
//! 3. the cross-site rule ([`super::cross_site::refusal`]): 403.
//!
//! The first refusal is the answer; otherwise the inner route answers. Either way the answer
//! then gets the security headers ([`super::insert_security_headers`]) and, on a TLS
//! connection, [`super::STRICT_TRANSPORT_SECURITY`] — except a `Host` refusal, which gets no
//! HSTS: the name it was sent to is not the relay's, and HSTS speaks for the name.
//!
//! Why one layer and not axum's `middleware::from_fn` per check: each of those clones its
//! state and inner service and boxes a `Next` and a future per request, several times the cost
//! of the checks themselves (docs/benchmarks.md, "Where the workers' CPU goes"). Here the
//! checks run synchronously in `call`, which then calls the inner service directly (its
//! readiness was polled by this service's own `poll_ready`, so no clone of it is needed), and
//! the future is a plain enum around the inner one.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use axum::extract::{ConnectInfo, Request};
use axum::response::Response;
use http::header::{self, HeaderValue};
use tower::{Layer, Service};

use super::host::{self, OwnHosts};
use super::{cross_site, PeerAddr};
use crate::operations::Relay;

/// The hardening layer (module docs). Clone it freely: it holds two reference counts.
#[derive(Clone)]
pub struct Hardening {
    relay: Relay,
    own: Option<Arc<OwnHosts>>,
}

impl Hardening {
    /// The checks for `relay`'s routes; with `own`, the `Host` check of one listener too.
    pub fn new(relay: &Relay, own: Option<Arc<OwnHosts>>) -> Self {
        Self {
            relay: relay.clone(),
            own,
        }
    }
}

impl<S> Layer<S> for Hardening {
    type Service = Hardened<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Hardened {
            inner,
            hardening: self.clone(),
        }
    }
}

/// A service behind [`Hardening`].
#[derive(Clone)]
pub struct Hardened<S> {
    inner: S,
    hardening: Hardening,
}

impl<S> Hardened<S> {
    /// The first refusal of the checks, in their order, and whether the answer gets HSTS.
    fn check(&self, request: &mut Request) -> (Option<Response>, bool) {
        let tls = request
            .extensions()
            .get::<ConnectInfo<PeerAddr>>()
            .is_some_and(|info| info.0.tls);
        if let Some(own) = &self.hardening.own {
            if let Some(refused) = host::refusal(own, request) {
                return (Some(refused), false);
            }
        }
        let relay = &self.hardening.relay;
        let refused =
            super::peer_refusal(relay, request).or_else(|| cross_site::refusal(relay, request));
        (refused, tls)
    }
}

/// The inner future must be `Unpin` (axum's route futures are: they box the handler's), so
/// the future needs no pin projection.
impl<S> Service<Request> for Hardened<S>
where
    S: Service<Request, Response = Response>,
    S::Future: Unpin,
{
    type Response = Response;
    type Error = S::Error;
    type Future = HardenedFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let (refused, hsts) = self.check(&mut request);
        let state = match refused {
            Some(refused) => State::Refused(Some(refused)),
            None => State::Inner(self.inner.call(request)),
        };
        HardenedFuture { state, hsts }
    }
}

/// The answer of a [`Hardened`] service: a refusal, or the inner service's answer, with the
/// headers added.
pub struct HardenedFuture<F> {
    state: State<F>,
    hsts: bool,
}

enum State<F> {
    /// Taken when polled.
    Refused(Option<Response>),
    Inner(F),
}

impl<F, E> Future for HardenedFuture<F>
where
    F: Future<Output = Result<Response, E>> + Unpin,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let mut response = match &mut this.state {
            State::Refused(refused) => refused.take().expect("polled after completion"),
            State::Inner(inner) => ready!(Pin::new(inner).poll(cx))?,
        };
        let headers = response.headers_mut();
        super::insert_security_headers(headers);
        if this.hsts {
            headers.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(super::STRICT_TRANSPORT_SECURITY),
            );
        }
        Poll::Ready(Ok(response))
    }
}

#[cfg(test)]
#[path = "guard_tests.rs"]
mod tests;
