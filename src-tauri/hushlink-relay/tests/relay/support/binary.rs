//! The real `hushlink-relay` binary: a command without the caller's settings, and a headless
//! relay on 127.0.0.1, port 0, whose address is read from its `listening on` line.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_hushlink-relay");

/// The binary with `args`; none of the caller's `HUSHLINK_*` settings leak in.
pub fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("HUSHLINK_") {
            cmd.env_remove(name);
        }
    }
    cmd
}

/// A headless relay, killed when dropped.
pub struct Headless {
    child: Child,
    /// `http://127.0.0.1:PORT`, as its first line said.
    pub url: String,
    /// Its stderr, shown only if the test fails: tests that break the database on purpose
    /// make relays log a lot, which would bury the suite's output.
    log: std::fs::File,
}

impl Headless {
    /// Starts `cmd` (a [`command`] whose flags include `--listen 127.0.0.1:0`) and waits for
    /// its first line, `listening on URL`: the listener is bound by then, so no sleep.
    pub fn start(mut cmd: Command) -> Self {
        let log = tempfile::tempfile().expect("a file for the relay's log");
        let mut child = cmd
            .env("HUSHLINK_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(log.try_clone().expect("the log file again"))
            .spawn()
            .expect("the relay starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the relay's first line");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| {
                let _ = child.wait();
                panic!("the relay did not start: {line:?}\n{}", read_all(&log))
            })
            .to_owned();
        Self { child, url, log }
    }

    /// Kills the relay and waits for it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Headless {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            let text = read_all(&self.log);
            eprintln!("--- stderr of the relay at {} ---\n{text}", self.url);
        }
    }
}

/// Everything written to `log` so far.
fn read_all(mut log: &std::fs::File) -> String {
    use std::io::{Read, Seek};
    let mut text = String::new();
    let _ = log.rewind();
    let _ = log.read_to_string(&mut text);
    text
}
