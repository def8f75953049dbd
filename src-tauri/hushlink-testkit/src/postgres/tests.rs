//! The process-wide cluster's watchdog, tested from a child process.

use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::TestPostgres;

/// The child half of the test below (run only by it): starts the process-wide cluster,
/// prints where it lives and ends, as a test binary does, without dropping statics.
#[test]
#[ignore = "run by a_process_wide_cluster_goes_when_its_process_ends"]
fn process_wide_child() {
    let pg = TestPostgres::process_wide();
    println!("cluster {} {}", pg.dir.path().display(), pg.port());
}

#[test]
fn a_process_wide_cluster_goes_when_its_process_ends() {
    let out = Command::new(std::env::current_exe().expect("this test binary"))
        .args(["--exact", "postgres::tests::process_wide_child"])
        .args(["--ignored", "--nocapture", "--test-threads=1"])
        .output()
        .expect("runs the child");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let (dir, port) = text
        .lines()
        .find_map(|l| l.split_once("cluster ")?.1.rsplit_once(' '))
        .unwrap_or_else(|| panic!("the child named its cluster: {text}"));
    let port: u16 = port.parse().expect("a port");
    // The watchdog stops the server (pg_ctl waits for it) and removes the directory.
    let deadline = Instant::now() + Duration::from_secs(30);
    while Path::new(dir).exists() || TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(
            Instant::now() < deadline,
            "the cluster of an ended process still runs or is still on disk: {dir}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
