//! `hushlink`: share, reveal, check and burn one-time secrets from a terminal or a script,
//! through any Onetime Secret-compatible server.
//!
//! Module map: `args` (command line), `input` (secrets from stdin or a hidden prompt, never
//! argv), `commands` (one function per subcommand, text or `--json` output), `exit` (one exit
//! code per error kind; see `--help`), `words` (the app's vocabulary for human output).

mod args;
mod commands;
mod exit;
mod input;
mod words;

use std::process::ExitCode;

use clap::Parser;
use hushlink_client::ErrorCode;
use hushlink_protocol::LinkError;

use crate::args::Cli;

/// Why the command failed. Messages never contain a secret, a passphrase or a token.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A call to the server failed.
    #[error(transparent)]
    Client(#[from] hushlink_client::Error),
    /// A pasted link is malformed.
    #[error(transparent)]
    Link(#[from] LinkError),
    /// A region name, link kind or similar is wrong.
    #[error("{0}")]
    Usage(String),
    /// Reading input failed or was impossible (no terminal for a prompt).
    #[error("{0}")]
    Input(String),
    /// Local I/O failed.
    #[error("input/output error: {0}")]
    Io(std::io::Error),
}

/// The code of a failure in `--json` output: the client's [`ErrorCode`] (the app's UI
/// branches on the same ones), or `input` for failures on this computer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Code {
    /// A client code: server calls, links, the command line's values.
    Client(ErrorCode),
    /// Reading input or local I/O failed.
    Input,
}

impl Code {
    fn as_str(self) -> &'static str {
        match self {
            Self::Client(code) => code.as_str(),
            Self::Input => "input",
        }
    }
}

impl CliError {
    /// Stable code for `--json` output.
    fn code(&self) -> Code {
        match self {
            Self::Client(e) => Code::Client(e.code()),
            Self::Link(e) => Code::Client(e.into()),
            Self::Usage(_) => Code::Client(ErrorCode::InvalidInput),
            Self::Input(_) | Self::Io(_) => Code::Input,
        }
    }

    fn exit_code(&self) -> u8 {
        match self {
            Self::Client(e) => exit::for_error(e),
            Self::Link(_) | Self::Usage(_) => exit::INVALID_INPUT,
            Self::Input(_) | Self::Io(_) => exit::OTHER,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(&cli, &CliError::Io(e)),
    };
    match runtime.block_on(commands::run(&cli)) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => fail(&cli, &e),
    }
}

fn fail(cli: &Cli, error: &CliError) -> ExitCode {
    let code = error.exit_code();
    if cli.json {
        let body = serde_json::json!({
            "error": { "code": error.code().as_str(), "message": error.to_string(), "exit_code": code }
        });
        println!("{body}");
    } else {
        eprintln!("hushlink: {error}");
    }
    ExitCode::from(code)
}
