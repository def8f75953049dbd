//! Running the binary with piped stdin and recording everything it was given and printed.

use std::{
    io::Write,
    process::{Command, Stdio},
};

/// One run of `hushlink`.
#[derive(Debug)]
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("JSON on stdout ({e}): {self:?}"))
    }

    /// Asserts that `secret` appears in none of argv, stderr, or (unless it is the
    /// expected output) stdout.
    pub fn assert_hides(&self, secret: &str, on_stdout_ok: bool) {
        assert!(
            !self.args.iter().any(|a| a.contains(secret)),
            "secret in argv: {:?}",
            self.args
        );
        assert!(
            !self.stderr.contains(secret),
            "secret on stderr: {}",
            self.stderr
        );
        if !on_stdout_ok {
            assert!(
                !self.stdout.contains(secret),
                "secret on stdout: {}",
                self.stdout
            );
        }
    }
}

/// Runs `hushlink ARGS` with `stdin` piped in and `env` set (and nothing else inherited
/// from HUSHLINK_*).
pub fn hushlink(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hushlink"));
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in [
        "HUSHLINK_SERVER",
        "HUSHLINK_REGION",
        "HUSHLINK_USER",
        "HUSHLINK_TOKEN",
        "HUSHLINK_PIN",
        "HUSHLINK_LINK_BASE",
    ] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    let mut child = command.spawn().expect("hushlink starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}
