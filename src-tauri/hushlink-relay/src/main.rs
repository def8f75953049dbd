//! `hushlink-relay`: the relay without the app, for a small office server.
//!
//! Prints exactly one line on stdout, `listening on http://ADDR:PORT` (https with TLS) with
//! the real port, once the socket is bound; everything else goes to stderr as structured
//! logs (`HUSHLINK_LOG` or `RUST_LOG` filter, default `info`), which never contain secret
//! text, keys or passphrases. Stops gracefully on SIGTERM or Ctrl-C.

use std::io::{IsTerminal, Write};

use clap::Parser;
use hushlink_relay::headless::{Args, Headless};
use hushlink_relay::Relay;
use tracing_subscriber::EnvFilter;

fn main() {
    let filter = EnvFilter::try_from_env("HUSHLINK_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only for a terminal; journald and log files get plain text.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => exit_with(&format!("cannot start the runtime: {err}")),
    };
    if let Err(err) = runtime.block_on(run(args)) {
        exit_with(&err.to_string());
    }
}

fn exit_with(message: &str) -> ! {
    eprintln!("hushlink-relay: {message}");
    std::process::exit(1);
}

async fn run(args: Args) -> hushlink_relay::Result<()> {
    let headless = Headless::from_args(args)?;
    let tls = headless
        .tls
        .as_ref()
        .map(|files| files.load())
        .transpose()?;
    let relay = Relay::open(headless.relay).await?;
    let listener = tokio::net::TcpListener::bind(headless.listen).await?;
    let local = listener.local_addr()?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on {scheme}://{local}")?;
        stdout.flush()?;
    }
    tracing::info!(%local, scheme, data_dir = %relay.config().data_dir.display(), "relay started");
    match tls {
        Some(tls) => hushlink_relay::serve_tls(listener, relay, tls, shutdown_signal()).await?,
        None => hushlink_relay::serve(listener, relay, shutdown_signal()).await?,
    }
    tracing::info!("relay stopped");
    Ok(())
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
