//! [`TestRelay`]: the real relay on 127.0.0.1 port 0, through `hushlink_relay`'s public API
//! (`Relay::open_with_clock`, `serve`, `serve_tls`, `TlsIdentity`), in a temp dir of its own.
//!
//! ```no_run
//! # async fn demo() {
//! use hushlink_testkit::TestRelay;
//! let relay = TestRelay::start().await; // plain HTTP, system clock
//! let tls = TestRelay::builder()
//!     .manual_clock(1_795_996_800)
//!     .tls()
//!     .config(|c| c.name = Some("Front office".into()))
//!     .start()
//!     .await;
//! println!("{} {}", relay.url(), tls.https_url());
//! # }
//! ```

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use hushlink_relay::{Clock, PassphraseHashing, Relay, RelayConfig, TlsIdentity};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};
use url::Url;

/// The cheapest Argon2 the relay accepts. Tests check behaviour, not hashing cost: the
/// production cost (19 MiB a hash) took seconds per passphrase in a loaded debug build, and
/// the relay's own unit tests cover it.
pub const CHEAP_HASHING: PassphraseHashing = PassphraseHashing {
    memory_kib: 8,
    iterations: 1,
};

/// How long [`Listener::stop`] waits for in-flight requests before failing the test.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// The relay's defaults with its database in `data_dir` and [`CHEAP_HASHING`].
pub fn test_config(data_dir: &Path) -> RelayConfig {
    let mut config = RelayConfig::with_data_dir(data_dir);
    config.passphrase_hashing = CHEAP_HASHING;
    config
}

/// How to start a [`TestRelay`]; from [`TestRelay::builder`].
#[must_use]
pub struct TestRelayBuilder {
    clock: Clock,
    tls: bool,
    tweak: Box<dyn FnOnce(&mut RelayConfig)>,
}

impl TestRelayBuilder {
    /// A manual clock standing at `unix_secs` until [`TestRelay::advance`] moves it, instead
    /// of the system clock. Tests move time only through the kit, so a change of the relay's
    /// clock API touches this file alone.
    pub fn manual_clock(mut self, unix_secs: i64) -> Self {
        self.clock = Clock::manual(unix_secs);
        self
    }

    /// Also serve HTTPS on a second listener, with the relay's own certificate
    /// ([`TlsIdentity::load_or_generate`] in its data dir), as the app's relay does.
    pub fn tls(mut self) -> Self {
        self.tls = true;
        self
    }

    /// Changes the configuration ([`test_config`] by default) before the relay opens; calls
    /// add up, in order.
    pub fn config(mut self, tweak: impl FnOnce(&mut RelayConfig) + 'static) -> Self {
        let earlier = self.tweak;
        self.tweak = Box::new(move |config| {
            earlier(config);
            tweak(config);
        });
        self
    }

    /// Opens the relay and starts serving.
    pub async fn start(self) -> TestRelay {
        let dir = tempfile::tempdir().expect("temp dir");
        let data_dir = dir.path().join("data");
        let mut config = test_config(&data_dir);
        (self.tweak)(&mut config);
        let identity = self.tls.then(|| {
            TlsIdentity::load_or_generate(&data_dir, &[]).expect("the relay's certificate")
        });
        let http = bind("127.0.0.1:0".parse().expect("an address")).await;
        let https = match &identity {
            Some(_) => Some(bind("127.0.0.1:0".parse().expect("an address")).await),
            None => None,
        };
        let mut relay = TestRelay {
            http: http.local_addr().expect("bound"),
            https: https
                .as_ref()
                .map(|listener| listener.local_addr().expect("bound")),
            identity,
            config,
            clock: self.clock,
            running: None,
            _dir: dir,
        };
        relay.serve(http, https).await;
        relay
    }
}

/// A real relay serving plain HTTP (and HTTPS with [`TestRelayBuilder::tls`]) on
/// 127.0.0.1; stops when dropped, and its temp dir goes with it.
pub struct TestRelay {
    http: SocketAddr,
    https: Option<SocketAddr>,
    identity: Option<TlsIdentity>,
    config: RelayConfig,
    clock: Clock,
    /// `None` between [`TestRelay::stop`] and [`TestRelay::restart`].
    running: Option<Running>,
    _dir: tempfile::TempDir,
}

/// The open relay and its listeners.
struct Running {
    relay: Relay,
    listeners: Vec<Listener>,
}

impl TestRelay {
    /// A relay with [`test_config`] and the system clock, plain HTTP only.
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    /// Settings for a relay other than the default.
    pub fn builder() -> TestRelayBuilder {
        TestRelayBuilder {
            clock: Clock::system(),
            tls: false,
            tweak: Box::new(|_| {}),
        }
    }

    /// The running relay's handle (tokens, access log, invites, status); panics while
    /// stopped.
    pub fn relay(&self) -> &Relay {
        &self
            .running
            .as_ref()
            .expect("the test relay is running")
            .relay
    }

    /// The plain-HTTP address.
    pub fn addr(&self) -> SocketAddr {
        self.http
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash: what links and invites start with.
    pub fn origin(&self) -> String {
        format!("http://{}", self.http)
    }

    /// `http://127.0.0.1:PORT/`: a base URL for clients.
    pub fn url(&self) -> Url {
        Url::parse(&format!("{}/", self.origin())).expect("a socket address is a URL")
    }

    /// The HTTPS address; panics without [`TestRelayBuilder::tls`].
    pub fn https_addr(&self) -> SocketAddr {
        self.https.expect("the test relay was started with tls()")
    }

    /// `https://127.0.0.1:PORT`, without a trailing slash.
    pub fn https_origin(&self) -> String {
        format!("https://{}", self.https_addr())
    }

    /// `https://127.0.0.1:PORT/`.
    pub fn https_url(&self) -> Url {
        Url::parse(&format!("{}/", self.https_origin())).expect("a socket address is a URL")
    }

    /// The certificate the HTTPS listener presents (its fingerprint is what clients pin);
    /// panics without [`TestRelayBuilder::tls`].
    pub fn identity(&self) -> &TlsIdentity {
        self.identity
            .as_ref()
            .expect("the test relay was started with tls()")
    }

    /// The relay's clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Moves a manual clock forward (whole seconds); does nothing to the system clock.
    pub fn advance(&self, by: Duration) {
        self.clock
            .advance(i64::try_from(by.as_secs()).expect("a test-sized duration"));
    }

    /// Serves this relay on one more HTTPS listener on 127.0.0.1:0 presenting `identity`
    /// (another certificate: an impostor, or a relay set up again). The caller owns it.
    pub async fn serve_tls_with(&self, identity: &TlsIdentity) -> Listener {
        let listener = bind("127.0.0.1:0".parse().expect("an address")).await;
        Listener::spawn(self.relay().clone(), listener, Some(identity))
    }

    /// Stops serving and closes the relay (its database stays): connections are refused
    /// from now on. Panics if a listener does not stop cleanly within 10 s.
    pub async fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            let Running { relay, listeners } = running;
            for listener in listeners {
                listener.stop().await;
            }
            drop(relay);
        }
    }

    /// Serves again on the same ports, database and clock (stops first if running).
    pub async fn restart(&mut self) {
        self.stop().await;
        let http = bind(self.http).await;
        let https = match self.https {
            Some(addr) => Some(bind(addr).await),
            None => None,
        };
        self.serve(http, https).await;
    }

    async fn serve(&mut self, http: TcpListener, https: Option<TcpListener>) {
        let relay = Relay::open_with_clock(self.config.clone(), self.clock.clone())
            .await
            .expect("the test relay opens");
        let mut listeners = vec![Listener::spawn(relay.clone(), http, None)];
        if let Some(https) = https {
            listeners.push(Listener::spawn(
                relay.clone(),
                https,
                self.identity.as_ref(),
            ));
        }
        self.running = Some(Running { relay, listeners });
    }
}

/// One listener serving a relay; stops when dropped.
pub struct Listener {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Listener {
    fn spawn(relay: Relay, listener: TcpListener, tls: Option<&TlsIdentity>) -> Self {
        let addr = listener.local_addr().expect("bound");
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stopped.await;
        };
        let tls = tls.map(TlsIdentity::server_config);
        let task = tokio::spawn(async move {
            match tls {
                Some(config) => hushlink_relay::serve_tls(listener, relay, config, shutdown).await,
                None => hushlink_relay::serve(listener, relay, shutdown).await,
            }
            .expect("the test relay serves");
        });
        Self {
            addr,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, lets in-flight requests finish, and waits; panics if that takes
    /// over 10 s or the relay's serve loop failed.
    pub async fn stop(mut self) {
        self.stop.take().map(|stop| stop.send(()));
        if let Some(task) = self.task.take() {
            tokio::time::timeout(STOP_TIMEOUT, task)
                .await
                .expect("the listener stops in time")
                .expect("the listener's task ends cleanly");
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.take().map(|stop| stop.send(()));
    }
}

/// Binds before anything is spawned, so connections queue and nobody waits for the server.
async fn bind(addr: SocketAddr) -> TcpListener {
    TcpListener::bind(addr)
        .await
        .unwrap_or_else(|e| panic!("binds {addr}: {e}"))
}
