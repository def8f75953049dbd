//! Lists the Hushlink relays announced on the LAN, through the same
//! `hushlink_relay::discovery` code as the app's "Add a server" list. The office-network
//! tests run it on a colleague's host; it is not shipped.
//!
//! ```text
//! browse [SECONDS]          one look (default 3 s): a JSON array of the relays on stdout
//! browse --watch SECONDS    one JSON line per change, as it happens:
//!                           {"found": {…}} or {"gone": "Instance._hushlink._tcp.local."}
//! ```

use std::io::Write;
use std::time::{Duration, Instant};

use hushlink_relay::discovery::{self, BrowseEvent, Browser};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => once(Duration::from_secs(3)),
        [seconds] => seconds_arg(seconds).and_then(once),
        ["--watch", seconds] => seconds_arg(seconds).and_then(watch),
        _ => Err("usage: browse [SECONDS] | browse --watch SECONDS".to_owned()),
    };
    if let Err(message) = outcome {
        eprintln!("browse: {message}");
        std::process::exit(1);
    }
}

fn seconds_arg(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("not a number of seconds: {text:?}"))
}

fn once(timeout: Duration) -> Result<(), String> {
    let relays = discovery::browse(timeout).map_err(|err| err.to_string())?;
    let json = serde_json::to_string(&relays).map_err(|err| err.to_string())?;
    println!("{json}");
    Ok(())
}

fn watch(duration: Duration) -> Result<(), String> {
    let browser = Browser::start().map_err(|err| err.to_string())?;
    let deadline = Instant::now() + duration;
    let mut stdout = std::io::stdout().lock();
    while let Some(event) = browser.next_event(deadline) {
        let line = match event {
            BrowseEvent::Found(relay) => serde_json::json!({ "found": relay }),
            BrowseEvent::Gone { instance } => serde_json::json!({ "gone": instance }),
        };
        // Flushed per line: the test reads them as they come.
        writeln!(stdout, "{line}")
            .and_then(|()| stdout.flush())
            .map_err(|err| err.to_string())?;
    }
    Ok(())
}
