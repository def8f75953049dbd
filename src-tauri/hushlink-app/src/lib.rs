//! The Hushlink desktop shell: a thin Tauri layer over the library crates.
//!
//! Nothing here owns logic. Commands take managed state, call a library, and convert
//! the error; library events are translated to frontend events in one place.
//!
//! - [`commands`]: the typed commands the UI may invoke, one module per domain.
//! - [`error`]: [`error::CommandError`], the `{code, message}` every command fails with.
//! - [`events`]: [`events::AppEvent`], the one event channel to the UI.
//! - [`tray`]: the system tray icon and its menu.
//! - [`clipboard`]: copying with a safe auto-clear.
//! - [`qr`]: QR codes of links as SVG.
//! - [`window`]: showing, focusing and hiding the main window.

pub mod clipboard;
pub mod commands;
pub mod error;
pub mod events;
pub mod qr;
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
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::ui_ready,
        ])
        .setup(|app| {
            tray::create(app.handle())?;
            if let Some(main) = app.get_webview_window(window::MAIN) {
                window::hide_on_close(&main);
            }
            Ok(())
        })
        .build(tauri::generate_context!("../../tauri.conf.json"));

    match app {
        Ok(app) => app.run(|_app, _event| {}),
        Err(error) => {
            tracing::error!(%error, "Hushlink could not start");
            std::process::exit(1);
        }
    }
}
