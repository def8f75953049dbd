//! Binding the relay's two listeners, plain HTTP (links, recipients' browsers) and HTTPS
//! (colleagues' apps), before anything else changes: a port that another program holds is
//! a [`RelayProblem`] the panel explains, and the relay stays where it was (or off).

use std::net::SocketAddr;

use tokio::net::TcpListener;

use super::panel::free_port_near;
use super::{Endpoint, RelayProblem, SwitchError};

/// Both listeners, bound.
pub(super) struct Listeners {
    /// Plain HTTP on [`Endpoint::port`].
    pub plain: TcpListener,
    /// HTTPS on [`Endpoint::https_port`].
    pub https: TcpListener,
}

/// Why binding failed, and what the panel should say about it (a busy port).
pub(super) struct Refused {
    pub error: SwitchError,
    pub problem: Option<RelayProblem>,
}

/// Binds `endpoint`'s plain-HTTP port, then its HTTPS port. If either is taken nothing
/// stays bound, and the refusal offers a free port for the one that was taken (never the
/// relay's other port).
pub(super) async fn bind(endpoint: &Endpoint) -> Result<Listeners, Refused> {
    if endpoint.port == endpoint.https_port {
        return Err(Refused {
            error: SwitchError::SamePort {
                port: endpoint.port,
            },
            problem: None,
        });
    }
    let plain = bind_one(endpoint, endpoint.port, endpoint.https_port, false).await?;
    // `plain` is dropped (unbound) if the HTTPS port is refused.
    let https = bind_one(endpoint, endpoint.https_port, endpoint.port, true).await?;
    Ok(Listeners { plain, https })
}

async fn bind_one(
    endpoint: &Endpoint,
    port: u16,
    other: u16,
    https: bool,
) -> Result<TcpListener, Refused> {
    let addr = SocketAddr::new(endpoint.ip, port);
    match TcpListener::bind(addr).await {
        Ok(listener) => Ok(listener),
        Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => {
            let free_port = free_port_near(endpoint.ip, port, other);
            tracing::warn!(%addr, https, ?free_port, "a relay port is taken; not moving it");
            Err(if https {
                Refused {
                    error: SwitchError::HttpsPortBusy { port },
                    problem: Some(RelayProblem::HttpsPortBusy { port, free_port }),
                }
            } else {
                Refused {
                    error: SwitchError::PortBusy { port },
                    problem: Some(RelayProblem::PortBusy { port, free_port }),
                }
            })
        }
        Err(source) => Err(Refused {
            error: SwitchError::Bind { addr, source },
            problem: None,
        }),
    }
}
