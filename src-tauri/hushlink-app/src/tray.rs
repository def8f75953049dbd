//! The system tray icon and its menu (StatusNotifierItem on Linux, via libayatana).

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::AppHandle;

use crate::events::{self, AppEvent};
use crate::window;

/// Id of the tray icon, for later updates (tooltip, relay state).
pub const TRAY_ID: &str = "hushlink";

const OPEN: &str = "open";
const QUIT: &str = "quit";

/// Builds the tray icon and its menu.
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, OPEN, "Open Hushlink", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, QUIT, "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &PredefinedMenuItem::separator(app)?, &quit])?;

    let icon = tauri::image::Image::from_bytes(include_bytes!("../../../icons/tray.png"))?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon)
        .tooltip("Hushlink")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| match event.id().as_ref() {
            OPEN => {
                window::show_main(app);
                events::emit(
                    app,
                    AppEvent::WindowShown {
                        source: "tray".into(),
                    },
                );
            }
            QUIT => {
                tracing::info!("quit from the tray");
                app.exit(0);
            }
            other => tracing::debug!(id = other, "unhandled tray menu item"),
        })
        .build(app)?;
    Ok(())
}
