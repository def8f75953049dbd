//! The relay switch: starts and stops the embedded Onetime-compatible relay on a LAN address.
//!
//! The relay itself (routes, store, access rules) is `hushlink-relay`; this module only owns the
//! running instance: its listener, its shutdown signal and its task. State changes only through
//! [`RelaySwitch::start`] and [`RelaySwitch::stop`], which hold an async lock across the
//! `await`s so two clicks cannot start two relays.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use std::sync::Arc;

use hushlink_relay::{AccessLogEntry, Relay, RelayConfig, RelayStatus};
use serde::Serialize;
use tauri::async_runtime::JoinHandle;
use tokio::sync::{broadcast, oneshot, Mutex};
use ts_rs::TS;

/// Port the relay prefers, so links stay the same across restarts; another is used if taken.
pub const PREFERRED_PORT: u16 = 7143;

/// The app's relay as the Relay screen and the tray show it. Named apart from the relay
/// crate's [`RelayStatus`] (its counts), which it carries while running.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RelayPanelStatus {
    /// Whether the relay is serving.
    pub running: bool,
    /// The address colleagues use, e.g. `http://192.168.1.20:7143/`, while running.
    pub url: Option<String>,
    /// The IP it listens on (or would, by default), e.g. `192.168.1.20`.
    pub bind: String,
    /// The port it listens on (or prefers).
    pub port: u16,
    /// QR code of `url` as an SVG document, while running.
    pub qr_svg: Option<String>,
    /// Counts and the configuration in force, while running.
    pub counts: Option<RelayStatus>,
}

/// A network interface the relay can listen on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NetworkInterface {
    /// The OS's name for it, e.g. `eth0`.
    pub name: String,
    /// Its IP address (the `bind` value for the `set_relay` command).
    pub address: String,
    /// Loopback: only this computer can reach it.
    pub loopback: bool,
}

struct Running {
    relay: Relay,
    bind: SocketAddr,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<()>,
    /// Forwards committed access-log lines to [`RelaySwitch::on_log`]; aborted on stop.
    log_feed: JoinHandle<()>,
}

/// Called with each access-log line as it is committed (the UI's live log).
pub type LogSink = Arc<dyn Fn(AccessLogEntry) + Send + Sync>;

/// Owner of the embedded relay. Managed as Tauri state.
pub struct RelaySwitch {
    data_dir: PathBuf,
    on_log: LogSink,
    running: Mutex<Option<Running>>,
}

/// Why the relay could not start.
#[derive(Debug, thiserror::Error)]
pub enum SwitchError {
    /// The address is not one of this machine's, or the port is taken and no other was free.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// What we tried.
        addr: SocketAddr,
        /// The OS's reason.
        source: std::io::Error,
    },
    /// The relay's store or configuration failed.
    #[error(transparent)]
    Relay(#[from] hushlink_relay::Error),
}

impl RelaySwitch {
    /// A switch whose relay keeps its database in `data_dir` and reports its access log to
    /// `on_log`. Nothing starts yet.
    pub fn new(data_dir: PathBuf, on_log: LogSink) -> Self {
        Self {
            data_dir,
            on_log,
            running: Mutex::new(None),
        }
    }

    /// Starts the relay on `ip` (default: the first LAN address, else loopback). Starting a
    /// running relay on another address restarts it there.
    pub async fn start(&self, ip: Option<IpAddr>) -> Result<RelayPanelStatus, SwitchError> {
        let mut running = self.running.lock().await;
        let ip = ip.unwrap_or_else(default_ip);
        if let Some(current) = running.as_ref() {
            if current.bind.ip() == ip {
                return Ok(panel(Some(current)).await);
            }
        }
        if let Some(previous) = running.take() {
            stop(previous).await;
        }
        let listener = bind(ip).await?;
        let bind = listener.local_addr().map_err(|source| SwitchError::Bind {
            addr: SocketAddr::new(ip, PREFERRED_PORT),
            source,
        })?;
        let relay = Relay::open(RelayConfig::with_data_dir(&self.data_dir)).await?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        let serving = relay.clone();
        let task = tauri::async_runtime::spawn(async move {
            let stop = async {
                let _ = stopped.await;
            };
            if let Err(error) = hushlink_relay::serve(listener, serving, stop).await {
                tracing::error!(%error, "the relay stopped with an error");
            }
        });
        let mut lines = relay.access_log().subscribe();
        let sink = Arc::clone(&self.on_log);
        let log_feed = tauri::async_runtime::spawn(async move {
            loop {
                match lines.recv().await {
                    Ok(line) => sink(line),
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        tracing::debug!(missed, "live access log fell behind");
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        tracing::info!(%bind, "relay started");
        *running = Some(Running {
            relay,
            bind,
            shutdown,
            task,
            log_feed,
        });
        Ok(panel(running.as_ref()).await)
    }

    /// Stops the relay if it runs. Secrets stay in its database for the next start.
    pub async fn stop(&self) -> RelayPanelStatus {
        if let Some(previous) = self.running.lock().await.take() {
            stop(previous).await;
        }
        panel(None).await
    }

    /// The panel as it is now.
    pub async fn panel(&self) -> RelayPanelStatus {
        panel(self.running.lock().await.as_ref()).await
    }

    /// The running relay, for tokens and the access log.
    pub async fn relay(&self) -> Option<Relay> {
        self.running.lock().await.as_ref().map(|r| r.relay.clone())
    }
}

async fn stop(running: Running) {
    running.log_feed.abort();
    let _ = running.shutdown.send(());
    if let Err(error) = running.task.await {
        tracing::warn!(%error, "relay task ended abnormally");
    }
    tracing::info!("relay stopped");
}

async fn panel(running: Option<&Running>) -> RelayPanelStatus {
    let Some(running) = running else {
        return RelayPanelStatus {
            running: false,
            url: None,
            bind: default_ip().to_string(),
            port: PREFERRED_PORT,
            qr_svg: None,
            counts: None,
        };
    };
    let counts = match running.relay.status().await {
        Ok(counts) => Some(counts),
        Err(error) => {
            tracing::warn!(%error, "relay counts unavailable");
            None
        }
    };
    // `SocketAddr`'s Display brackets IPv6 hosts, as a URL needs.
    let url = format!("http://{}/", running.bind);
    RelayPanelStatus {
        running: true,
        qr_svg: crate::qr::svg(&url).ok(),
        url: Some(url),
        bind: running.bind.ip().to_string(),
        port: running.bind.port(),
        counts,
    }
}

async fn bind(ip: IpAddr) -> Result<tokio::net::TcpListener, SwitchError> {
    let preferred = SocketAddr::new(ip, PREFERRED_PORT);
    match tokio::net::TcpListener::bind(preferred).await {
        Ok(listener) => Ok(listener),
        Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => {
            let any = SocketAddr::new(ip, 0);
            tokio::net::TcpListener::bind(any)
                .await
                .map_err(|source| SwitchError::Bind { addr: any, source })
        }
        Err(source) => Err(SwitchError::Bind {
            addr: preferred,
            source,
        }),
    }
}

/// This machine's interfaces with IPv4 and IPv6 addresses, LAN ones first.
pub fn interfaces() -> Vec<NetworkInterface> {
    let mut found: Vec<NetworkInterface> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .map(|iface| NetworkInterface {
            loopback: iface.is_loopback(),
            address: iface.ip().to_string(),
            name: iface.name,
        })
        .collect();
    found.sort_by_key(|iface| (iface.loopback, iface.address.contains(':')));
    found
}

/// The first private IPv4 address (what colleagues on the LAN can reach), else loopback.
fn default_ip() -> IpAddr {
    if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .map(|iface| iface.ip())
        .find(|ip| matches!(ip, IpAddr::V4(v4) if v4.is_private()))
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn starts_serves_and_stops_on_loopback() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (heard, mut log) = tokio::sync::mpsc::unbounded_channel();
        let sink: LogSink = Arc::new(move |line| {
            let _ = heard.send(line);
        });
        let switch = RelaySwitch::new(dir.path().to_path_buf(), sink);
        let panel = switch
            .start(Some(IpAddr::V4(Ipv4Addr::LOCALHOST)))
            .await
            .expect("starts");
        let share = reqwest_free_share(&panel).await;
        assert!(
            share.contains("secret_key"),
            "created through the relay: {share}"
        );
        let line = tokio::time::timeout(std::time::Duration::from_secs(10), log.recv())
            .await
            .expect("a log line in time")
            .expect("the feed is open");
        assert_eq!(line.action, hushlink_relay::AccessAction::Create);
        assert!(panel.running);
        let bind = SocketAddr::new(panel.bind.parse().expect("an IP"), panel.port);
        assert!(
            panel.qr_svg.is_some(),
            "a running relay has a QR of its address"
        );
        tokio::net::TcpStream::connect(bind)
            .await
            .expect("the relay accepts connections while running");

        let panel = switch.stop().await;
        assert!(!panel.running && panel.url.is_none() && panel.counts.is_none());
        assert!(
            tokio::net::TcpStream::connect(bind).await.is_err(),
            "nothing listens after stop"
        );
    }

    /// A v1 share over a raw HTTP/1.1 request (the app crate has no HTTP client).
    async fn reqwest_free_share(panel: &RelayPanelStatus) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect((panel.bind.as_str(), panel.port))
            .await
            .expect("connects");
        let body = "secret=hello&ttl=600";
        let request = format!(
            "POST /api/v1/share HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.expect("sends");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.expect("reads");
        answer
    }

    #[test]
    fn lists_loopback_last() {
        let list = interfaces();
        if let Some(first_loopback) = list.iter().position(|i| i.loopback) {
            assert!(
                list[first_loopback..].iter().all(|i| i.loopback),
                "LAN interfaces come before loopback: {list:?}"
            );
        }
    }
}
