//! Bringing the relay back at start-up and keeping it on its network's current address.
//!
//! Addresses change under a running relay (DHCP renews, a laptop joins another Wi-Fi). The
//! relay is saved by interface name, so a cheap poll of the interfaces' addresses is enough
//! to notice: no netlink socket, no extra dependency. What follows a change (tray, UI, the
//! tracker's relay profile origin) goes through [`crate::actions::relay_switched`].

use std::time::Duration;

use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Manager};

use super::RelaySwitch;

/// How often the interfaces' addresses are read (one `getifaddrs` call).
pub const FOLLOW_EVERY: Duration = Duration::from_secs(3);

/// Owns the task that resumes and follows the relay; aborts it when dropped with the app
/// state.
pub struct Follower(JoinHandle<()>);

impl Drop for Follower {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Switches the relay back on if it was on when the app last ran, then follows its
/// interface's address. Returns at once (setup must not wait on the network); the task is
/// managed as [`Follower`]. [`RelaySwitch`] must already be managed.
pub fn resume(app: &AppHandle) {
    let handle = app.clone();
    let task = tauri::async_runtime::spawn(async move {
        let switch = handle.state::<RelaySwitch>();
        if let Some(outcome) = switch.resume().await {
            match outcome {
                Ok(panel) => crate::actions::relay_switched(&handle, &panel),
                Err(error) => {
                    tracing::warn!(%error, "the relay did not come back on");
                    crate::actions::relay_switched(&handle, &switch.panel().await);
                }
            }
        }
        let mut tick = tokio::time::interval(FOLLOW_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The first tick is immediate; the relay was just placed.
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Some(panel) = switch.follow().await {
                crate::actions::relay_switched(&handle, &panel);
            }
        }
    });
    app.manage(Follower(task));
}
