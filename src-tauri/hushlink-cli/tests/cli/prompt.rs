//! The hidden prompt on a real terminal: tmux gives `hushlink share` a pseudo-terminal, the
//! test types the secret, and the screen must never show it.

use std::{
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

use hushlink_testkit::TestRelay;

use crate::support::hushlink;

const TYPED: &str = "typed-secret-4711";

/// A tmux server of our own (its own socket), killed on drop.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux is installed (Debian package tmux)");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "cli"])
    }

    /// Waits for the prompt `label`, then types `text` and Enter. rpassword prints the prompt
    /// a moment before it turns echo off, so the test leaves that moment before typing.
    fn answer(&self, label: &str, text: &str) {
        self.wait_for(label);
        std::thread::sleep(Duration::from_millis(100));
        self.run(&["send-keys", "-t", "cli", "-l", text]);
        self.run(&["send-keys", "-t", "cli", "Enter"]);
    }

    /// Polls the screen (bounded) until `text` appears.
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secret_prompt_does_not_echo() {
    let server = TestRelay::start().await;
    let dir = std::env::temp_dir().join(format!("hushlink-prompt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("out.json");
    let shell = format!(
        "{} --server {} --json share --passphrase > {} ; echo exit=$?",
        env!("CARGO_BIN_EXE_hushlink"),
        server.url(),
        out.display()
    );
    let tmux = Tmux {
        socket: format!("hushlink-test-{}", std::process::id()),
    };
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "cli",
        "-x",
        "150",
        "-y",
        "20",
        &shell,
    ]);
    tmux.run(&["set-option", "-t", "cli", "remain-on-exit", "on"]);

    tmux.answer("Secret (hidden", TYPED);
    tmux.answer("Passphrase:", "pass-4711");
    tmux.answer("Passphrase again:", "pass-4711");
    let screen = tmux.wait_for("exit=");
    assert!(screen.contains("exit=0"), "share succeeded:\n{screen}");
    assert!(
        !screen.contains(TYPED) && !screen.contains("pass-4711"),
        "nothing typed is echoed:\n{screen}"
    );

    let link = read_link(&out);
    let reveal = hushlink(&["reveal", "--passphrase-stdin", &link], "pass-4711\n", &[]);
    assert_eq!(
        (reveal.code, reveal.stdout.as_str()),
        (0, TYPED),
        "{reveal:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn read_link(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    json["secret_link"].as_str().unwrap().to_owned()
}
