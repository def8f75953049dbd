//! The system tray icon and its menu (StatusNotifierItem on Linux, via libayatana).
//!
//! The menu is rebuilt from a [`TrayModel`] whenever what it shows changes (relay switched,
//! a secret changed state): a dbusmenu host then sees one consistent layout.

use std::sync::Mutex;

use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

use crate::events::Screen;
use crate::events::{self, AppEvent};
use crate::relay::{RelayPanelStatus, RelayProblem, RelaySwitch};
use crate::window;

/// Id of the tray icon.
pub const TRAY_ID: &str = "hushlink";

const OPEN: &str = "open";
const QUIT: &str = "quit";
const NEW_SECRET: &str = "new-secret";
const SHARE_CLIPBOARD: &str = "share-clipboard";
const SHARE_PASSWORD: &str = "share-password";
const RELAY_TOGGLE: &str = "relay-toggle";
const RECENT_PREFIX: &str = "recent:";

const ICON: &[u8] = include_bytes!("../../../icons/tray.png");
const ICON_RELAY: &[u8] = include_bytes!("../../../icons/tray-relay.png");

/// One recent secret as the tray lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentItem {
    /// Tracker id, to open its detail.
    pub id: String,
    /// "VPN password for Sam — Viewed".
    pub text: String,
}

/// Everything the tray shows. Kept in managed state; changed only through [`update`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TrayModel {
    /// The relay's address while it runs.
    pub relay_url: Option<String>,
    /// Why the relay is off although it was switched on (e.g. "port 7143 is in use").
    pub relay_note: Option<String>,
    /// Up to five recent secrets, newest first.
    pub recent: Vec<RecentItem>,
}

/// The model behind the menu.
#[derive(Default)]
pub struct TrayState(Mutex<TrayModel>);

/// Builds the tray icon and its menu.
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let menu = build_menu(app, &TrayModel::default())?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(ICON)?)
        .tooltip("Hushlink")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
        .build(app)?;
    Ok(())
}

fn build_menu(app: &AppHandle, model: &TrayModel) -> tauri::Result<Menu<tauri::Wry>> {
    let menu = Menu::new(app)?;
    menu.append(&MenuItem::with_id(
        app,
        SHARE_CLIPBOARD,
        "Share clipboard as secret",
        true,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(
        app,
        SHARE_PASSWORD,
        "Generate and share a password",
        true,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(
        app,
        NEW_SECRET,
        "New secret…",
        true,
        None::<&str>,
    )?)?;
    if !model.recent.is_empty() {
        menu.append(&PredefinedMenuItem::separator(app)?)?;
        for item in model.recent.iter().take(5) {
            let id = format!("{RECENT_PREFIX}{}", item.id);
            menu.append(&MenuItem::with_id(app, id, &item.text, true, None::<&str>)?)?;
        }
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    let relay_label = match (&model.relay_url, &model.relay_note) {
        (Some(url), _) => format!("Turn relay off ({url})"),
        (None, Some(note)) => format!("Turn relay on ({note})"),
        (None, None) => "Turn relay on".to_owned(),
    };
    menu.append(&MenuItem::with_id(
        app,
        RELAY_TOGGLE,
        relay_label,
        true,
        None::<&str>,
    )?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(
        app,
        OPEN,
        "Open Hushlink",
        true,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(app, QUIT, "Quit", true, None::<&str>)?)?;
    Ok(menu)
}

/// Changes the model and, if it changed, the menu, tooltip and icon.
pub fn update(app: &AppHandle, change: impl FnOnce(&mut TrayModel)) {
    let state = app.state::<TrayState>();
    let model = {
        let mut model = state.0.lock().unwrap_or_else(|p| p.into_inner());
        let before = model.clone();
        change(&mut model);
        if *model == before {
            return;
        }
        model.clone()
    };
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let (tooltip, icon) = match &model.relay_url {
        Some(url) => (format!("Hushlink — relay running at {url}"), ICON_RELAY),
        None => ("Hushlink".to_owned(), ICON),
    };
    let result = build_menu(app, &model)
        .and_then(|menu| tray.set_menu(Some(menu)))
        .and_then(|()| tray.set_tooltip(Some(tooltip)))
        .and_then(|()| Image::from_bytes(icon))
        .and_then(|image| tray.set_icon(Some(image)));
    if let Err(error) = result {
        tracing::warn!(%error, "could not update the tray");
    }
}

/// Reflects the relay's state in the tray.
pub fn relay_changed(app: &AppHandle, panel: &RelayPanelStatus) {
    let url = panel.url.clone();
    let note = match &panel.problem {
        Some(RelayProblem::PortBusy { port, .. }) => Some(format!("port {port} is in use")),
        Some(RelayProblem::HttpsPortBusy { port, .. }) => {
            Some(format!("HTTPS port {port} is in use"))
        }
        Some(RelayProblem::InterfaceDown { interface }) => {
            Some(format!("waiting for network {interface}"))
        }
        Some(RelayProblem::DataDirInUse { .. }) => Some("another relay is running".to_owned()),
        None => None,
    };
    update(app, |model| {
        model.relay_url = url;
        model.relay_note = note;
    });
}

fn on_menu(app: &AppHandle, id: &str) {
    match id {
        OPEN => {
            window::show_main(app);
            events::emit(
                app,
                AppEvent::WindowShown {
                    source: "tray".into(),
                },
            );
        }
        NEW_SECRET => window::show_screen(app, Screen::NewSecret, None),
        SHARE_CLIPBOARD => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                crate::quick::share_clipboard(&app).await;
            });
        }
        SHARE_PASSWORD => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                crate::quick::share_password(&app).await;
            });
        }
        RELAY_TOGGLE => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let switch = app.state::<RelaySwitch>();
                let panel = if switch.panel().await.running {
                    switch.stop().await
                } else {
                    match switch.start(None, None).await {
                        Ok(panel) => panel,
                        Err(error) => {
                            // The label says why (the port is busy...); the panel offers a way out.
                            tracing::warn!(%error, "relay did not start from the tray");
                            switch.panel().await
                        }
                    }
                };
                crate::state::relay_switched(&app, &panel);
            });
        }
        QUIT => {
            tracing::info!("quit from the tray");
            app.exit(0);
        }
        other => match other.strip_prefix(RECENT_PREFIX) {
            Some(entry_id) => {
                window::show_screen(app, Screen::Secrets, Some(entry_id.to_owned()));
            }
            None => tracing::debug!(id = other, "unhandled tray menu item"),
        },
    }
}
