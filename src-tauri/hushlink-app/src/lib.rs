//! The Hushlink desktop shell: a thin Tauri layer over the library crates.
//!
//! Nothing here owns logic. Commands take managed state, call a library, and convert the
//! error. Use runs one way, down this map: a module uses only those listed below it (the one
//! exception is the relay switch's task that follows the network, which announces what it
//! did through [`actions::relay_switched`] like every other switch).
//!
//! - [`commands`]: the typed commands the UI may invoke, one module per domain.
//! - [`tray`]: the system tray icon and its menu; it follows [`events`], nothing calls it.
//! - [`quick`]: the tray's one-click shares (clipboard, fresh password).
//! - [`actions`]: what the window and the tray both do (share, switch the relay), once.
//! - [`startup`]: opening the tracker after the window is up (the keyring may prompt), and
//!   [`startup::TrackerState`], where commands and the tray wait for it.
//! - [`translate`]: the one place library events (tracker changes, access-log lines) become
//!   UI events.
//! - [`notices`]: desktop notifications, through the tracker's notifier only.
//! - [`in_process`]: the tracker's way to the app's own relay, in process (no HTTP).
//! - [`window`]: showing, focusing and hiding the main window.
//! - [`events`]: [`events::AppEvent`], the one event channel to the UI and the tray.
//! - [`relay`]: the switch that runs the embedded relay.
//! - [`error`]: [`error::CommandError`], the `{code, message}` every command fails with.
//! - [`clipboard`]: copying with a safe auto-clear.
//! - [`qr`]: QR codes of links as SVG.
//! - [`i18n`]: the shell's words in six languages (the UI's catalogues), the saved or system
//!   language, ICU plurals for the tray share's notices.

pub mod actions;
pub mod clipboard;
pub mod commands;
pub mod error;
pub mod events;
pub mod i18n;
pub mod in_process;
pub mod notices;
pub mod qr;
pub mod quick;
pub mod relay;
pub mod startup;
pub mod translate;
pub mod tray;
pub mod window;

use std::io::IsTerminal;

use tauri::Manager;
use tracing_subscriber::EnvFilter;

/// Builds and runs the app until the user quits.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("HUSHLINK_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();

    let app = tauri::Builder::default()
        // Must be the first plugin: a second launch hands over to the running instance.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            tracing::info!("second launch: focusing the running instance");
            window::show_main(app);
        }))
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .manage(clipboard::ClipboardState::default())
        .manage(events::EventHub::new())
        .invoke_handler(commands::handler())
        .setup(|app| {
            let data_dir = app.path().app_data_dir()?;
            let config_dir = app.path().app_config_dir()?;
            let mut config =
                hushlink_tracker::tracker::TrackerConfig::desktop(&app.config().identifier)?;
            config.data_dir = data_dir.clone();
            let language = startup::saved_language(&config_dir);
            config.config_dir = config_dir;
            // One notifier for the tracker's notifications and the shell's notices; clicking
            // a "viewed" or "expired unread" notification opens that secret.
            let notices = notices::Notices::desktop(app.handle());
            config.notifier = notices.notifier();
            app.manage(notices);
            let on_log = startup::relay_log_sink(app.handle());
            app.manage(relay::RelaySwitch::new(data_dir.join("relay"), on_log));
            tray::create(app.handle())?;
            // Before the tracker opens: the tray and its notices speak the saved language.
            tray::apply_language(app.handle(), language.as_deref());
            if let Some(main) = app.get_webview_window(window::MAIN) {
                window::hide_on_close(&main);
            }
            // Opening the tracker reads its data key from the keyring, which may wait for a
            // password prompt: the window must not wait with it.
            app.manage(startup::TrackerState::starting());
            startup::open_in_background(app.handle(), config);
            // The relay comes back on if it was on, without holding up the window.
            relay::resume(app.handle());
            Ok(())
        })
        .build(tauri::generate_context!("../../tauri.conf.json"));

    match app {
        // A pending clipboard clear runs before the clipboard plugin shuts down on `Exit`.
        Ok(app) => app.run(|app, event| {
            if let tauri::RunEvent::ExitRequested { .. } = event {
                clipboard::clear_pending(app);
            }
        }),
        Err(error) => {
            tracing::error!(%error, "Hushlink could not start");
            std::process::exit(1);
        }
    }
}
