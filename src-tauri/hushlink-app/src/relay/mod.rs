//! The relay switch: starts and stops the embedded Onetime-compatible relay, remembers how it
//! was set, and keeps it on its interface's current address.
//!
//! The relay itself (routes, store, access rules) is `hushlink-relay`; this module only owns
//! the running instance: its listener, its shutdown signal and its task. State changes only
//! through [`RelaySwitch`]'s methods, which hold an async lock across the `await`s so two
//! clicks cannot start two relays.
//!
//! - [`settings`]: [`RelaySettings`] (on/off, interface by name, port), saved as `relay.json`
//!   beside the relay's data directory.
//! - [`interfaces`]: the interfaces in a person's words and the default one.
//! - [`activity`]: access-log lines told in terms of the user's own secrets and colleagues'
//!   tokens.
//! - `panel`: [`RelayPanelStatus`] (what the panel and tray show) and where to listen.
//!
//! Types here that cross to the UI are the app's own views of the relay's (camelCase, times
//! in Unix milliseconds like the tracker's), never the relay crate's types.
//! - `admin`: the data directory's lock and the admin socket, so `hushlink-relay token ...`
//!   reaches the running relay (unix).
//! - `follow`: [`resume`] at start-up and the [`Follower`] task that tracks DHCP changes.
//! - `listen`: binding the plain-HTTP and HTTPS listeners (busy ports); `tls`: the relay's
//!   certificate for colleagues' apps; `announce`: DNS-SD over mDNS while on a LAN address.
//! - [`invites`]: invites and tokens typed for the panel; where colleagues reach the relay.

pub mod activity;
mod admin;
mod announce;
mod follow;
pub mod interfaces;
pub mod invites;
mod listen;
mod panel;
pub mod settings;
mod tls;

#[cfg(all(test, unix))]
mod admin_tests;
#[cfg(test)]
mod https_tests;
#[cfg(test)]
mod tests;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hushlink_relay::{AccessLogEntry, Relay, RelayConfig};
use tauri::async_runtime::JoinHandle;
use tokio::sync::{broadcast, watch, Mutex};

pub use follow::{resume, Follower, FOLLOW_EVERY};
pub use interfaces::{InterfaceKind, NetworkInterface};
pub use panel::{RelayCounts, RelayPanelStatus, RelayProblem};
pub use settings::{RelaySettings, DEFAULT_HTTPS_PORT, DEFAULT_PORT};

use panel::{panel, resolve};

/// A relay time (Unix seconds, as the relay stores it) in the unit every time crossing to the
/// UI has: Unix milliseconds.
pub(crate) fn unix_ms(secs: i64) -> i64 {
    hushlink_protocol::time::UnixMillis::from_secs(secs).as_millis()
}

/// Where a relay listens: an interface by name, the address it has now, and the ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Interface name (what is saved and followed).
    pub interface: String,
    /// Its address now.
    pub ip: IpAddr,
    /// The plain-HTTP port (links, recipients' browsers).
    pub port: u16,
    /// The HTTPS port (colleagues' apps, pinned by the certificate's fingerprint).
    pub https_port: u16,
}

struct Running {
    relay: Relay,
    endpoint: Endpoint,
    /// What colleagues' apps pin: the certificate the HTTPS listener presents.
    fingerprint: hushlink_relay::Fingerprint,
    /// The mDNS announcement while on a LAN address; `None` on loopback (or if mDNS
    /// failed). Withdrawn when the relay stops or moves.
    announcer: Option<hushlink_relay::discovery::Announcer>,
    /// Set to `true` (or dropped) to stop HTTP, HTTPS and the admin socket together.
    shutdown: watch::Sender<bool>,
    /// Serves HTTP, HTTPS and the admin socket; ends once all have stopped.
    task: JoinHandle<()>,
    /// Forwards committed access-log lines to [`RelaySwitch::new`]'s sink; aborted on stop.
    log_feed: JoinHandle<()>,
}

struct Inner {
    /// The relay while it serves.
    running: Option<Running>,
    /// The data directory's lock: held whenever `running` is, and across a move from one
    /// address to another, so no token command or other relay opens the store meanwhile.
    lock: Option<admin::DirLock>,
    /// As saved in the settings file (written on every change).
    settings: RelaySettings,
    /// Why it is not serving as set (busy port, interface down); cleared by a start or stop.
    problem: Option<RelayProblem>,
}

/// Called with each access-log line as it is committed (the UI's live log).
pub type LogSink = Arc<dyn Fn(AccessLogEntry) + Send + Sync>;

/// Owner of the embedded relay. Managed as Tauri state.
pub struct RelaySwitch {
    /// The relay's database directory.
    data_dir: PathBuf,
    /// `relay.json` beside `data_dir`.
    settings_path: PathBuf,
    /// Where committed access-log lines go (the UI's event channel).
    on_log: LogSink,
    /// Tokio's mutex: it is held across the awaits of binding, opening and stopping, so two
    /// clicks (or a click and the address follower) cannot start two relays.
    inner: Mutex<Inner>,
}

/// Why the relay could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SwitchError {
    /// Another program listens on the port. Nothing was bound elsewhere.
    #[error("port {port} is already in use by another program")]
    PortBusy {
        /// The port asked for.
        port: u16,
    },
    /// Another program listens on the HTTPS port. Nothing was bound elsewhere.
    #[error("the HTTPS port {port} is already in use by another program")]
    HttpsPortBusy {
        /// The port asked for.
        port: u16,
    },
    /// The plain-HTTP and HTTPS ports asked for are the same.
    #[error("the relay needs two different ports, not {port} twice")]
    SamePort {
        /// The port given for both.
        port: u16,
    },
    /// The interface does not exist or has no address now.
    #[error("the network {interface} is not connected")]
    NoInterface {
        /// Its name.
        interface: String,
    },
    /// The OS refused the address for another reason.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// What we tried.
        addr: SocketAddr,
        /// The OS's reason.
        source: std::io::Error,
    },
    /// Another relay (the headless `hushlink-relay`, or another copy of the app) runs on the
    /// data directory and holds its lock. Nothing was started.
    #[error("another relay is already running on {}", dir.display())]
    DataDirInUse {
        /// The relay's data directory.
        dir: PathBuf,
    },
    /// The data directory's lock or the admin socket failed.
    #[cfg(unix)]
    #[error(transparent)]
    Admin(hushlink_relay::admin::AdminError),
    /// The relay's store or configuration failed.
    #[error(transparent)]
    Relay(#[from] hushlink_relay::Error),
}

impl RelaySwitch {
    /// A switch whose relay keeps its database in `data_dir` and its settings in
    /// `<data_dir>.json` (`relay.json` beside `relay/`), reporting its access log to `on_log`.
    /// Nothing starts yet: see [`resume`].
    pub fn new(data_dir: PathBuf, on_log: LogSink) -> Self {
        let settings_path = data_dir.with_extension("json");
        let settings = RelaySettings::load(&settings_path);
        Self {
            data_dir,
            settings_path,
            on_log,
            inner: Mutex::new(Inner {
                running: None,
                lock: None,
                settings,
                problem: None,
            }),
        }
    }

    /// Where the settings are saved.
    pub fn settings_path(&self) -> &Path {
        &self.settings_path
    }

    /// The settings as saved.
    pub async fn settings(&self) -> RelaySettings {
        self.inner.lock().await.settings.clone()
    }

    /// Starts the relay on `interface` (by name; default: the saved one, else the one holding
    /// the default route) and `port` (default: the saved one), and saves both. A running
    /// relay elsewhere keeps running if the new place is refused; otherwise it moves.
    pub async fn start(
        &self,
        interface: Option<String>,
        port: Option<u16>,
    ) -> Result<RelayPanelStatus, SwitchError> {
        self.start_with_https(interface, port, None).await
    }

    /// [`RelaySwitch::start`], with the HTTPS port too (default: the saved one), saved.
    pub async fn start_with_https(
        &self,
        interface: Option<String>,
        port: Option<u16>,
        https_port: Option<u16>,
    ) -> Result<RelayPanelStatus, SwitchError> {
        let mut inner = self.inner.lock().await;
        let found = interfaces::addresses();
        let default = interfaces::default_route();
        let mut endpoint = resolve(&inner.settings, interface, port, false, &found, default)?;
        endpoint.https_port = https_port.unwrap_or(endpoint.https_port);
        self.start_at(&mut inner, endpoint).await
    }

    /// Starts the relay exactly at `endpoint` (no lookup), and saves it.
    pub async fn start_on(&self, endpoint: Endpoint) -> Result<RelayPanelStatus, SwitchError> {
        let mut inner = self.inner.lock().await;
        self.start_at(&mut inner, endpoint).await
    }

    /// At app start: switches the relay on if it was on when the app last ran, on the saved
    /// interface and port. `None` if it was off. If the saved interface has no address yet,
    /// the relay waits for it ([`RelayProblem::InterfaceDown`]; [`RelaySwitch::follow`]
    /// starts it).
    pub async fn resume(&self) -> Option<Result<RelayPanelStatus, SwitchError>> {
        let mut inner = self.inner.lock().await;
        if !inner.settings.enabled || inner.running.is_some() {
            return None;
        }
        let found = interfaces::addresses();
        let default = interfaces::default_route();
        match resolve(&inner.settings, None, None, true, &found, default) {
            Ok(endpoint) => Some(self.start_at(&mut inner, endpoint).await),
            Err(error) => {
                if let SwitchError::NoInterface { interface } = &error {
                    inner.problem = Some(RelayProblem::InterfaceDown {
                        interface: interface.clone(),
                    });
                }
                Some(Err(error))
            }
        }
    }

    /// One look at the network: if the running relay's interface has another address now
    /// (DHCP), restarts it there on the same port; if the relay waits for its interface and
    /// it has an address now, starts it. Returns the panel when something changed.
    pub async fn follow(&self) -> Option<RelayPanelStatus> {
        self.follow_with(&interfaces::addresses()).await
    }

    /// [`RelaySwitch::follow`] against a given list of interfaces and their addresses.
    pub async fn follow_with(&self, found: &[(String, IpAddr)]) -> Option<RelayPanelStatus> {
        let mut inner = self.inner.lock().await;
        let (interface, current) = match (&inner.running, &inner.problem) {
            (Some(running), _) => (
                running.endpoint.interface.clone(),
                Some(running.endpoint.ip),
            ),
            (None, Some(RelayProblem::InterfaceDown { interface })) => (interface.clone(), None),
            _ => return None,
        };
        // An interface without an address keeps its relay: the listener stays, and the
        // address may come back.
        let ip = found
            .iter()
            .find(|(n, _)| *n == interface)
            .map(|(_, ip)| *ip)?;
        if current == Some(ip) {
            return None;
        }
        let (port, https_port) = inner
            .running
            .as_ref()
            .map_or((inner.settings.port, inner.settings.https_port), |r| {
                (r.endpoint.port, r.endpoint.https_port)
            });
        tracing::info!(%interface, %ip, "the relay's network has a new address; following it");
        let endpoint = Endpoint {
            interface,
            ip,
            port,
            https_port,
        };
        if let Err(error) = self.start_at(&mut inner, endpoint).await {
            tracing::warn!(%error, "the relay could not follow its network's new address");
        }
        Some(panel(&inner).await)
    }

    /// Stops the relay if it runs and saves it as off. Secrets stay in its database.
    pub async fn stop(&self) -> RelayPanelStatus {
        let mut inner = self.inner.lock().await;
        if let Some(previous) = inner.running.take() {
            stop(previous).await;
        }
        // Only now that the store is closed may a token command or another relay open it.
        inner.lock = None;
        inner.problem = None;
        inner.settings.enabled = false;
        self.save(&inner.settings);
        panel(&inner).await
    }

    /// The panel as it is now.
    pub async fn panel(&self) -> RelayPanelStatus {
        panel(&*self.inner.lock().await).await
    }

    /// The running relay, for tokens, the access log and the app's in-process calls.
    pub async fn relay(&self) -> Option<Relay> {
        let inner = self.inner.lock().await;
        inner.running.as_ref().map(|r| r.relay.clone())
    }

    async fn start_at(
        &self,
        inner: &mut Inner,
        endpoint: Endpoint,
    ) -> Result<RelayPanelStatus, SwitchError> {
        if inner.running.as_ref().map(|r| &r.endpoint) == Some(&endpoint) {
            return Ok(panel(inner).await);
        }
        // Bound before the old relay stops, so a refused move leaves the old one serving.
        let addr = SocketAddr::new(endpoint.ip, endpoint.port);
        let listeners = match listen::bind(&endpoint).await {
            Ok(listeners) => listeners,
            Err(refused) => {
                if refused.problem.is_some() {
                    inner.problem = refused.problem;
                }
                return Err(refused.error);
            }
        };
        // Before the old relay stops: an unusable certificate leaves it serving.
        let identity = tls::identity(&self.data_dir, endpoint.ip).await?;
        // Taken before the store opens (a running relay already holds it), and before the
        // old relay stops, so a refusal leaves it serving.
        if inner.lock.is_none() {
            match admin::lock(&self.data_dir, admin::LOCK_WAIT).await {
                Ok(lock) => inner.lock = Some(lock),
                Err(error) => {
                    if let SwitchError::DataDirInUse { dir } = &error {
                        tracing::warn!(dir = %dir.display(), "another relay runs on the app's relay directory");
                        inner.problem = Some(RelayProblem::DataDirInUse {
                            data_dir: dir.display().to_string(),
                        });
                    }
                    return Err(error);
                }
            }
        }
        if let Some(previous) = inner.running.take() {
            stop(previous).await;
        }
        let (relay, admin_socket) = match self.open().await {
            Ok(opened) => opened,
            Err(error) => {
                // Nothing runs now: let go of the directory.
                inner.lock = None;
                return Err(error);
            }
        };
        let (shutdown, stopped) = watch::channel(false);
        let until_stopped = move || {
            let mut stopped = stopped.clone();
            async move {
                // An error means the sender is gone: stop too.
                let _ = stopped.wait_for(|stop| *stop).await;
            }
        };
        let serving = relay.clone();
        let serving_tls = relay.clone();
        let administered = relay.clone();
        let listen::Listeners { plain, https } = listeners;
        let tls_config = identity.server_config();
        let task = tauri::async_runtime::spawn(async move {
            let http = async {
                if let Err(error) = hushlink_relay::serve(plain, serving, until_stopped()).await {
                    tracing::error!(%error, "the relay stopped with an error");
                }
            };
            let secure = async {
                let served =
                    hushlink_relay::serve_tls(https, serving_tls, tls_config, until_stopped());
                if let Err(error) = served.await {
                    tracing::error!(%error, "the relay's HTTPS listener stopped with an error");
                }
            };
            let admin = admin_socket.serve(administered, until_stopped());
            tokio::join!(http, secure, admin);
        });
        let announcer = announce::start(addr, endpoint.https_port, identity.fingerprint()).await;
        let log_feed = feed_log(&relay, Arc::clone(&self.on_log));
        tracing::info!(%addr, https_port = endpoint.https_port, interface = %endpoint.interface, "relay started");
        inner.settings = RelaySettings {
            enabled: true,
            interface: Some(endpoint.interface.clone()),
            port: endpoint.port,
            https_port: endpoint.https_port,
        };
        self.save(&inner.settings);
        inner.problem = None;
        inner.running = Some(Running {
            relay,
            endpoint,
            fingerprint: identity.fingerprint(),
            announcer,
            shutdown,
            task,
            log_feed,
        });
        Ok(panel(inner).await)
    }

    /// Opens the store and binds its admin socket (the lock held, no other relay running).
    async fn open(&self) -> Result<(Relay, admin::AdminSocket), SwitchError> {
        let relay = Relay::open(relay_config(&self.data_dir)).await?;
        let socket = admin::bind(&self.data_dir).await?;
        Ok((relay, socket))
    }

    fn save(&self, settings: &RelaySettings) {
        if let Err(error) = settings.save(&self.settings_path) {
            tracing::warn!(path = %self.settings_path.display(), %error, "could not save the relay settings");
        }
    }
}

/// The app's relay: the defaults, except that no network client may create without a token,
/// whatever its address. The app creates in process ([`hushlink_relay::Client::in_process`]),
/// which needs no address; a colleague or a script needs a token, and so does anything that
/// reaches the relay through a tunnel or proxy on this computer.
fn relay_config(data_dir: &Path) -> RelayConfig {
    RelayConfig {
        anonymous_create: hushlink_relay::AnonymousCreate::Off,
        ..RelayConfig::with_data_dir(data_dir)
    }
}

fn feed_log(relay: &Relay, sink: LogSink) -> JoinHandle<()> {
    let mut lines = relay.access_log().subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match lines.recv().await {
                Ok(line) => sink(line),
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::debug!(missed, "live access log fell behind");
                }
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    })
}

async fn stop(running: Running) {
    // First, so colleagues' browsers stop offering a relay that is going away.
    announce::stop(running.announcer).await;
    running.log_feed.abort();
    let _ = running.shutdown.send(true);
    if let Err(error) = running.task.await {
        tracing::warn!(%error, "relay task ended abnormally");
    }
    tracing::info!("relay stopped");
}
