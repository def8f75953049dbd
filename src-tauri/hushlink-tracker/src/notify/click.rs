//! Waiting for a click on a shown notification. Only the freedesktop (D-Bus) backend reports
//! clicks back; elsewhere notifications are shown but not clickable.

#[cfg(all(unix, not(target_os = "macos")))]
pub use freedesktop::{supported, watch};
#[cfg(not(all(unix, not(target_os = "macos"))))]
pub use other::{supported, watch};

#[cfg(all(unix, not(target_os = "macos")))]
mod freedesktop {
    use std::time::Duration;

    use notify_rust::{NotificationHandle, NotificationResponse};

    use crate::notify::OpenHandler;

    pub fn supported() -> bool {
        true
    }

    /// Listens on the connection that showed the notification (daemons send `ActionInvoked`
    /// to that connection only) until it is clicked, closed, or `window` has passed. It is a
    /// task on the current runtime, not a thread of its own; the handle, and with it the
    /// connection, is dropped when it ends.
    pub fn watch(
        handle: NotificationHandle,
        entry_id: String,
        on_open: OpenHandler,
        window: Duration,
    ) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        runtime.spawn(async move {
            let answered = tokio::time::timeout(
                window,
                handle.wait_for_action_async(|response| {
                    if matches!(response, NotificationResponse::Default) {
                        tracing::debug!("notification clicked");
                        on_open(&entry_id);
                    }
                }),
            )
            .await;
            if answered.is_err() {
                // Nobody listens any more, so a click would do nothing: withdraw it rather
                // than leave it looking clickable.
                handle.close_async().await;
            }
        });
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
mod other {
    use std::time::Duration;

    use notify_rust::NotificationHandle;

    use crate::notify::OpenHandler;

    pub fn supported() -> bool {
        false
    }

    pub fn watch(_: NotificationHandle, _: String, _: OpenHandler, _: Duration) {}
}

/// One test at a time talks to the daemon: they act on "the newest notification" and close
/// all of them.
#[cfg(test)]
pub fn tests_lock() -> std::sync::MutexGuard<'static, ()> {
    static DAEMON: std::sync::Mutex<()> = std::sync::Mutex::new(());
    DAEMON
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Against the session's real notification daemon: dunst under `scripts/with-test-session`
/// with a display. `dunstctl action 0` invokes the newest notification's default action, which
/// is what a click on it does.
#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::process::Command;
    use std::time::{Duration, Instant};

    use crate::model::SecretState;
    use crate::notify::{DesktopNotifier, Notification, Notifier};

    fn have_daemon() -> bool {
        let ok = std::env::var_os("DISPLAY").is_some()
            && std::env::var("HUSHLINK_TEST_SESSION").as_deref() == Ok("1");
        if !ok {
            eprintln!(
                "skipped: needs DISPLAY and HUSHLINK_TEST_SESSION=1 (a daemon needs a display)"
            );
        }
        ok
    }

    fn dunstctl(args: &[&str]) -> String {
        let out = Command::new("dunstctl")
            .args(args)
            .output()
            .expect("dunstctl runs");
        assert!(out.status.success(), "dunstctl {args:?} failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime")
    }

    fn viewed(label: &str) -> Notification {
        Notification::for_transition("entry-42", label, SecretState::Opened, 1_700_000_000_000)
            .expect("viewed")
    }

    /// Shows `notification` from a blocking thread, as the poller does.
    async fn show(notifier: DesktopNotifier, notification: Notification) {
        tokio::task::spawn_blocking(move || notifier.notify(&notification))
            .await
            .expect("joins")
            .expect("the daemon accepted it");
    }

    #[test]
    fn a_click_calls_the_open_handler_with_the_entry() {
        if !have_daemon() {
            return;
        }
        let _daemon = super::tests_lock();
        let label = format!("Click test {}", crate::crypto::random_id());
        runtime().block_on(async {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            let notifier = DesktopNotifier::new().on_open(move |id| {
                let _ = tx.send(id.to_owned());
            });
            show(notifier, viewed(&label)).await;
            dunstctl(&["action", "0"]);
            let opened = tokio::time::timeout(Duration::from_secs(10), rx.recv())
                .await
                .expect("the click reached the handler within 10 s");
            assert_eq!(opened.as_deref(), Some("entry-42"));
        });
    }

    #[test]
    fn an_unclicked_notification_is_withdrawn_after_the_click_window() {
        if !have_daemon() {
            return;
        }
        let _daemon = super::tests_lock();
        let label = format!("Window test {}", crate::crypto::random_id());
        runtime().block_on(async {
            let notifier = DesktopNotifier::new()
                .on_open(|_| panic!("nobody clicked"))
                .click_window(Duration::from_millis(500));
            show(notifier, viewed(&label)).await;
            // dunst's own timeout is 10 s; well before that the listener gives up and closes it.
            let started = Instant::now();
            while !dunstctl(&["history"]).contains(&label) {
                assert!(
                    started.elapsed() < Duration::from_secs(5),
                    "the notification was not withdrawn after its click window"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
    }
}
