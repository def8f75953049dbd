//! `hushlink-relay`: the relay without the app, for a small office server.
//!
//! Serving (no subcommand), it prints one line on stdout, `listening on http://ADDR:PORT`
//! (https with TLS) with the real port, once the socket and the admin socket are bound; with
//! `--tls-listen`, a second line `listening on https://ADDR:PORT sha256=FINGERPRINT` for
//! colleagues' apps. Everything else goes to stderr as structured logs (`HUSHLINK_LOG` or `RUST_LOG`
//! filter, default `info`), which never contain secret text, keys, passphrases or tokens.
//! Stops gracefully on SIGTERM or Ctrl-C.
//!
//! `hushlink-relay token create|list|revoke` administer tokens (see `hushlink_relay::admin`),
//! `hushlink-relay tls fingerprint` prints the pinned certificate's fingerprint,
//! `hushlink-relay invite NAME` a one-time invite link (see `hushlink_relay::invites`),
//! `hushlink-relay migrate --from sqlite:DIR --to postgres://...` copies a SQLite relay into
//! PostgreSQL (see `hushlink_relay::headless::migrate`): results on stdout, a one-line error
//! on stderr. With `--database`, `token` and `invite` work on that database directly. Exit
//! codes: 0 ok, 1 error, 2 usage, 3 `migrate` into a database that already holds relay data.

use std::io::{IsTerminal, Write};

use clap::Parser;
use hushlink_relay::headless::{Args, Command, Headless, TlsCommand};
use hushlink_relay::{Clock, Relay};
use tracing_subscriber::EnvFilter;

/// mimalloc instead of glibc's malloc: per create→reveal cycle the relay's workers spent a
/// fifth of their CPU in glibc's allocator (docs/benchmarks.md, "Where the workers' CPU
/// goes"). Only the headless binary: the app keeps the system allocator, whose idle memory
/// is what docs/performance.md measures. Built with `no_thp`: its arenas otherwise ask for
/// transparent huge pages, and the idle relay held four of them (8 MiB of its 20 MiB RSS,
/// against the 20 MB target); throughput was the same without them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args = Args::parse();
    // Commands keep stderr for their one-line error; the relay logs its life there.
    let default_filter = if args.command.is_some() {
        "warn"
    } else {
        "info"
    };
    let filter = EnvFilter::try_from_env("HUSHLINK_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new(default_filter));
    // Colours only for a terminal; journald and log files get plain text.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => exit_with(&format!("cannot start the runtime: {err}")),
    };
    let outcome = match args.command.clone() {
        Some(Command::Token(command)) => runtime.block_on(token(args, command)),
        Some(Command::Tls(TlsCommand::Fingerprint)) => tls_fingerprint(args),
        Some(Command::Invite(command)) => runtime.block_on(invite(args, command)),
        Some(Command::Migrate(command)) => runtime.block_on(migrate(args, command)),
        None => runtime.block_on(run(args)).map_err(|err| err.to_string()),
    };
    if let Err(message) = outcome {
        exit_with(&message);
    }
}

fn exit_with(message: &str) -> ! {
    exit_with_code(1, message)
}

fn exit_with_code(code: i32, message: &str) -> ! {
    eprintln!("hushlink-relay: {message}");
    std::process::exit(code);
}

/// `hushlink-relay migrate`: the counts on stdout; exit code 3 when the target already holds
/// relay data (see `hushlink_relay::headless::migrate`).
async fn migrate(
    args: Args,
    command: hushlink_relay::headless::migrate::MigrateCommand,
) -> Result<(), String> {
    let headless = Headless::from_args(args).map_err(|err| err.to_string())?;
    let out = hushlink_relay::headless::migrate::run(&command, headless.database.as_ref())
        .await
        .unwrap_or_else(|err| exit_with_code(err.exit_code(), &err.to_string()));
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|err| format!("cannot write to stdout: {err}"))
}

#[cfg(unix)]
async fn token(args: Args, command: hushlink_relay::headless::TokenCommand) -> Result<(), String> {
    let headless = Headless::from_args(args).map_err(|err| err.to_string())?;
    let out = match &headless.database {
        Some(database) => {
            hushlink_relay::admin::run_token_command_on(headless.relay, database, &command).await
        }
        None => hushlink_relay::admin::run_token_command(headless.relay, &command).await,
    }
    .map_err(|err| err.to_string())?;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|err| format!("cannot write to stdout: {err}"))
}

#[cfg(not(unix))]
async fn token(_: Args, _: hushlink_relay::headless::TokenCommand) -> Result<(), String> {
    Err("token commands need the admin socket, which exists on Linux and macOS only".into())
}

/// `hushlink-relay invite NAME`: the link alone on the last line of stdout.
#[cfg(unix)]
async fn invite(
    args: Args,
    command: hushlink_relay::headless::invite::InviteCommand,
) -> Result<(), String> {
    let headless = Headless::from_args(args).map_err(|err| err.to_string())?;
    let (address, note) = headless.invite_address().map_err(|err| err.to_string())?;
    let out = match &headless.database {
        Some(database) => {
            hushlink_relay::admin::run_invite_command_on(
                headless.relay,
                database,
                &command,
                address,
            )
            .await
        }
        None => hushlink_relay::admin::run_invite_command(headless.relay, &command, address).await,
    }
    .map_err(|err| err.to_string())?;
    let mut stdout = std::io::stdout().lock();
    note.map_or(Ok(()), |note| writeln!(stdout, "{note}"))
        .and_then(|()| stdout.write_all(out.as_bytes()))
        .and_then(|()| stdout.flush())
        .map_err(|err| format!("cannot write to stdout: {err}"))
}

#[cfg(not(unix))]
async fn invite(_: Args, _: hushlink_relay::headless::invite::InviteCommand) -> Result<(), String> {
    Err("invite needs the admin socket, which exists on Linux and macOS only".into())
}

fn tls_fingerprint(args: Args) -> Result<(), String> {
    let headless = Headless::from_args(args).map_err(|err| err.to_string())?;
    let out = hushlink_relay::headless::tls::fingerprint_command(&headless)
        .map_err(|err| err.to_string())?;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|err| format!("cannot write to stdout: {err}"))
}

/// Why serving failed (the message is the whole report).
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    Relay(#[from] hushlink_relay::Error),
    #[cfg(unix)]
    #[error(transparent)]
    Admin(#[from] hushlink_relay::admin::AdminError),
    #[error("cannot write to stdout: {0}")]
    Stdout(#[from] std::io::Error),
}

async fn run(args: Args) -> Result<(), Failure> {
    let headless = Headless::from_args(args)?;
    let tls = headless
        .tls
        .as_ref()
        .map(|files| files.load())
        .transpose()?;
    // Taken before the store is opened and held until exit: token commands then never open
    // the store behind this relay's back (see `hushlink_relay::admin`).
    #[cfg(unix)]
    let _lock = admin::lock(&headless.relay.data_dir).await?;
    // Made or loaded before anything listens: a damaged certificate stops the start.
    let colleagues = match headless.tls_listen {
        Some(addr) => Some((addr, headless.colleague_identity()?)),
        None => None,
    };
    let relay = match &headless.database {
        Some(url) => Relay::open_on_postgres(headless.relay, Clock::system(), url.expose()).await?,
        None => Relay::open(headless.relay).await?,
    };
    let listener = tokio::net::TcpListener::bind(headless.listen)
        .await
        .map_err(hushlink_relay::Error::from)?;
    let local = listener.local_addr().map_err(hushlink_relay::Error::from)?;
    let colleagues = match colleagues {
        Some((addr, identity)) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(hushlink_relay::Error::from)?;
            let local = listener.local_addr().map_err(hushlink_relay::Error::from)?;
            Some((listener, local, identity))
        }
        None => None,
    };
    // Bound before the line below, so a command started on seeing it finds the socket.
    #[cfg(unix)]
    let admin_listener = hushlink_relay::admin::AdminListener::bind(
        &hushlink_relay::admin::socket_path(&relay.config().data_dir),
    )
    .await?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    // Before the line below, so whoever waits for it can already find the relay.
    let announcer = headless
        .announce
        .then(|| {
            announce(
                relay.config().name.as_deref(),
                local,
                tls.is_some(),
                &colleagues,
            )
        })
        .flatten();
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on {scheme}://{local}")?;
        if let Some((_, local, identity)) = &colleagues {
            writeln!(
                stdout,
                "listening on https://{local} sha256={}",
                identity.fingerprint()
            )?;
        }
        stdout.flush()?;
    }
    tracing::info!(%local, scheme, data_dir = %relay.config().data_dir.display(), "relay started");
    if let Some((_, local, identity)) = &colleagues {
        tracing::info!(%local, fingerprint = %identity.fingerprint(), "HTTPS for colleagues' apps");
    }
    // One signal stops both servers.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let shutdown = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        }
    };
    #[cfg(unix)]
    let admin = admin::serve(admin_listener, relay.clone(), shutdown());
    #[cfg(not(unix))]
    let admin = std::future::ready(());
    let https = async {
        match colleagues {
            Some((listener, _, identity)) => {
                let config = identity.server_config();
                hushlink_relay::serve_tls(listener, relay.clone(), config, shutdown()).await
            }
            None => Ok(()),
        }
    };
    let http = async {
        match tls {
            Some(tls) => hushlink_relay::serve_tls(listener, relay.clone(), tls, shutdown()).await,
            None => hushlink_relay::serve(listener, relay.clone(), shutdown()).await,
        }
    };
    let servers = async {
        let (http, https, ()) = tokio::join!(http, https, admin);
        http.and(https)
    };
    tokio::pin!(servers);
    let served = tokio::select! {
        served = &mut servers => served,
        () = shutdown_signal() => {
            let _ = stop.send(true);
            servers.await
        }
    };
    // Goodbye records out before the process ends: browsers see the relay leave at once.
    drop(announcer);
    served?;
    tracing::info!("relay stopped");
    Ok(())
}

/// `--announce`: the relay on the LAN by mDNS, with the HTTPS listener's port and pin when
/// there is one (`--tls-listen`, else `--listen` itself with `--tls-cert`); `None`, with the
/// reason logged, on loopback or when mDNS fails.
fn announce(
    name: Option<&str>,
    local: std::net::SocketAddr,
    listen_is_https: bool,
    colleagues: &Option<(
        tokio::net::TcpListener,
        std::net::SocketAddr,
        hushlink_relay::TlsIdentity,
    )>,
) -> Option<hushlink_relay::discovery::Announcer> {
    use hushlink_relay::discovery::{announce_listener, HttpsDetails};
    let https = match colleagues {
        Some((_, tls_local, identity)) => Some(HttpsDetails {
            port: tls_local.port(),
            fingerprint: Some(identity.fingerprint().to_hex()),
        }),
        None => listen_is_https.then_some(HttpsDetails {
            port: local.port(),
            fingerprint: None,
        }),
    };
    announce_listener(name, local, https)
}

/// The admin socket's part in serving (see `hushlink_relay::admin`).
#[cfg(unix)]
mod admin {
    use std::path::Path;
    use std::time::Duration;

    use hushlink_relay::admin::{self, AdminClient, AdminError, AdminListener, DataDirLock};
    use hushlink_relay::Relay;

    /// How long a starting relay waits for a token command that works on its store.
    const LOCK_WAIT: Duration = Duration::from_secs(5);

    /// Takes the data directory's lock, waiting briefly for a token command that holds it;
    /// fails at once if another relay answers on the admin socket.
    pub async fn lock(dir: &Path) -> Result<DataDirLock, AdminError> {
        let deadline = tokio::time::Instant::now() + LOCK_WAIT;
        loop {
            if let Some(lock) = DataDirLock::try_acquire(dir)? {
                return Ok(lock);
            }
            let answering = AdminClient::connect(&admin::socket_path(dir)).await?;
            if answering.is_some() || tokio::time::Instant::now() >= deadline {
                return Err(AdminError::AlreadyRunning {
                    dir: dir.to_owned(),
                });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Serves the admin socket until `shutdown`; a failure is logged, HTTP keeps serving.
    pub async fn serve(
        listener: AdminListener,
        relay: Relay,
        shutdown: impl std::future::Future<Output = ()> + Send,
    ) {
        if let Err(err) = listener.serve(relay, shutdown).await {
            tracing::error!(error = %err, "the admin socket stopped");
        }
    }
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C: shutting down"),
        () = terminate => tracing::info!("SIGTERM: shutting down"),
    }
}
