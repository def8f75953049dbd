//! share → status → reveal → gone, passphrases, burn, generate, e2e, and error exit codes,
//! through the real binary and the real relay on 127.0.0.1. Secrets go in through stdin
//! only, and every run checks they never appear in argv or stderr.

use hushlink_testkit::{fixtures, StubServer, TestRelay};

use crate::support::hushlink;

const SECRET: &str = "correct horse battery staple · ünïcode\nsecond line";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn share_then_reveal_once() {
    let server = TestRelay::start().await;
    let base = server.url();
    let url = base.as_str();
    let share = hushlink(
        &["--server", url, "--json", "share", "--ttl", "1h"],
        &format!("{SECRET}\n"),
        &[],
    );
    assert_eq!(share.code, 0, "{share:?}");
    share.assert_hides(SECRET, false);
    let shared = share.json();
    let (secret_link, receipt_link) = (
        shared["secret_link"].as_str().unwrap(),
        shared["receipt_link"].as_str().unwrap(),
    );
    assert!(
        secret_link.starts_with(url) && secret_link.contains("/secret/"),
        "{secret_link}"
    );
    assert_eq!(shared["ttl"], 3600);

    let status = hushlink(&["--json", "status", receipt_link], "", &[]);
    assert_eq!(
        (status.code, status.json()["state"].as_str()),
        (0, Some("new")),
        "{status:?}"
    );

    let reveal = hushlink(&["reveal", secret_link], "", &[]);
    assert_eq!(reveal.code, 0, "{reveal:?}");
    assert_eq!(
        reveal.stdout, SECRET,
        "exactly the secret, one trailing newline stripped on share, none added when piped"
    );
    reveal.assert_hides(SECRET, true);

    let status = hushlink(&["status", receipt_link], "", &[]);
    assert!(status.stdout.contains("received (opened)"), "{status:?}");

    let again = hushlink(&["reveal", secret_link], "", &[]);
    assert_eq!(again.code, 7, "second reveal: gone: {again:?}");
    assert!(
        again.stderr.starts_with("hushlink: the secret is gone"),
        "{again:?}"
    );
    again.assert_hides(SECRET, false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passphrases_come_from_stdin_and_are_checked() {
    let server = TestRelay::start().await;
    let base = server.url();
    let url = base.as_str();
    let share = hushlink(
        &["--server", url, "--json", "share", "--passphrase-stdin"],
        &format!("open sesame\n{SECRET}"),
        &[],
    );
    assert_eq!(share.code, 0, "{share:?}");
    share.assert_hides("open sesame", false);
    let shared = share.json();
    assert_eq!(shared["passphrase_required"], true);
    let link = shared["secret_link"].as_str().unwrap();

    let missing = hushlink(&["reveal", link], "", &[]);
    assert_eq!(missing.code, 8, "no passphrase: {missing:?}");
    let wrong = hushlink(&["reveal", "--passphrase-stdin", link], "not it\n", &[]);
    assert_eq!(wrong.code, 8, "wrong passphrase: {wrong:?}");
    wrong.assert_hides("not it", false);
    let right = hushlink(
        &["reveal", "--passphrase-stdin", link],
        "open sesame\n",
        &[],
    );
    assert_eq!(
        (right.code, right.stdout.as_str()),
        (0, SECRET),
        "{right:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burn_then_reveal_is_gone() {
    let server = TestRelay::start().await;
    let share = hushlink(
        &["--server", server.url().as_str(), "--json", "share"],
        SECRET,
        &[],
    );
    let shared = share.json();
    let receipt_link = shared["receipt_link"].as_str().unwrap();
    let burn = hushlink(&["--json", "burn", receipt_link], "", &[]);
    assert_eq!(
        (burn.code, burn.json()["state"].as_str()),
        (0, Some("burned")),
        "{burn:?}"
    );
    let reveal = hushlink(
        &["reveal", shared["secret_link"].as_str().unwrap()],
        "",
        &[],
    );
    assert_eq!(reveal.code, 7, "{reveal:?}");
    let again = hushlink(&["--json", "burn", receipt_link], "", &[]);
    assert_eq!(
        (again.code, again.json()["error"]["code"].as_str()),
        (7, Some("secret_gone")),
        "{again:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_and_end_to_end_share() {
    let server = TestRelay::start().await;
    let base = server.url();
    let url = base.as_str();
    let generated = hushlink(
        &["--server", url, "--json", "generate", "--length", "20"],
        "",
        &[],
    );
    assert_eq!(generated.code, 0, "{generated:?}");
    let body = generated.json();
    let password = body["value"].as_str().unwrap().to_owned();
    assert_eq!(password.len(), 20);
    let reveal = hushlink(&["reveal", body["secret_link"].as_str().unwrap()], "", &[]);
    assert_eq!(reveal.stdout, password);

    let e2e = hushlink(&["--server", url, "--json", "share", "--e2e"], SECRET, &[]);
    let link = e2e.json()["secret_link"].as_str().unwrap().to_owned();
    assert!(link.contains('#'), "the key rides in the fragment: {link}");
    let reveal = hushlink(&["reveal", &link], "", &[]);
    assert_eq!(
        (reveal.code, reveal.stdout.as_str()),
        (0, SECRET),
        "{reveal:?}"
    );
    let cut = link.split('#').next().unwrap();
    let e2e2 = hushlink(&["--server", url, "--json", "share", "--e2e"], SECRET, &[]);
    let other = e2e2.json()["secret_link"]
        .as_str()
        .unwrap()
        .split('#')
        .next()
        .unwrap()
        .to_owned();
    let no_key = hushlink(&["reveal", &other], "", &[]);
    assert_eq!(
        no_key.code, 13,
        "a link without its #key cannot be decrypted: {no_key:?}"
    );
    no_key.assert_hides(SECRET, false);
    assert_ne!(cut, other);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_come_from_the_environment() {
    let server = TestRelay::start().await;
    let base = server.url();
    let url = base.as_str();
    let issued = server
        .relay()
        .tokens()
        .issue("alice@example.com")
        .await
        .unwrap();
    let env = [("HUSHLINK_TOKEN", issued.token.expose())];
    let anonymous = hushlink(&["--server", url, "recent"], "", &[]);
    assert_eq!(anonymous.code, 6, "{anonymous:?}");
    let share = hushlink(
        &[
            "--server",
            url,
            "--user",
            "alice@example.com",
            "--json",
            "share",
        ],
        SECRET,
        &env,
    );
    assert_eq!(share.code, 0, "{share:?}");
    let recent = hushlink(
        &[
            "--server",
            url,
            "--user",
            "alice@example.com",
            "--json",
            "recent",
        ],
        "",
        &env,
    );
    assert_eq!(recent.code, 0, "{recent:?}");
    assert_eq!(recent.json().as_array().unwrap().len(), 1);
    let listed = hushlink(
        &["--server", url, "--user", "alice@example.com", "recent"],
        "",
        &env,
    );
    assert!(
        listed.stdout.starts_with("new "),
        "with its state: {listed:?}"
    );
    // The relay lists its short key ids, never receipt keys; a hosted server's documented
    // answer has the keys, and they become links.
    let hosted = StubServer::fixture("v1_recent").await;
    let listed = hushlink(
        &[
            "--server",
            hosted.url().as_str(),
            "--user",
            "alice@example.com",
            "recent",
        ],
        "",
        &env,
    );
    let metadata_key = &fixtures::onetime("v1_recent").body[0]["metadata_key"];
    let receipt_link = format!("{}receipt/{}", hosted.url(), metadata_key.as_str().unwrap());
    assert!(
        listed.stdout.contains(&receipt_link),
        "recent lists the receipt link: {listed:?}"
    );
    assert!(
        listed.stdout.starts_with("new "),
        "with its state: {listed:?}"
    );
    let wrong = hushlink(
        &["--server", url, "--user", "alice@example.com", "check"],
        "",
        &[("HUSHLINK_TOKEN", "nope")],
    );
    assert_eq!(wrong.code, 6, "{wrong:?}");
    assert!(!wrong.stderr.contains("nope"), "the token is never printed");
    let check = hushlink(
        &[
            "--server",
            url,
            "--user",
            "alice@example.com",
            "--json",
            "check",
        ],
        "",
        &env,
    );
    assert_eq!(
        (check.code, check.json()["credentials_valid"].as_bool()),
        (0, Some(true)),
        "{check:?}"
    );
}

#[test]
fn input_and_network_errors_have_their_exit_codes() {
    let cases: [(&[&str], i32); 6] = [
        (&["--region", "mars", "check"], 3),
        (&["--server", "http://example.com/", "check"], 3),
        (
            &["reveal", "https://example.com/receipt/abcdefghijklmnop"],
            3,
        ),
        (
            &["status", "https://example.com/secret/abcdefghijklmnop"],
            3,
        ),
        (&["reveal", "not a link"], 3),
        (&["share", "--passphrase", "hunter2"], 2),
    ];
    for (args, code) in cases {
        let run = hushlink(args, "", &[]);
        assert_eq!(run.code, code, "{args:?}: {run:?}");
    }
    // A port nobody listens on: reserve it, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = hushlink(
        &[
            "--timeout",
            "5",
            "reveal",
            &format!("http://127.0.0.1:{port}/secret/abcdefghijklmnopqrst"),
        ],
        "",
        &[],
    );
    assert_eq!(run.code, 4, "{run:?}");
}

#[test]
fn help_documents_the_exit_codes() {
    let help = hushlink(&["--help"], "", &[]);
    assert_eq!(help.code, 0);
    for line in [
        "Exit codes:",
        " 7  secret or receipt gone",
        "13  end-to-end secret",
    ] {
        assert!(help.stdout.contains(line), "{line:?} in --help");
    }
}
