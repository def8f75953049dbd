//! The system tray icon and its menu (StatusNotifierItem on Linux, via libayatana).
//!
//! The tray follows the shell's events ([`crate::events::EventHub`]) rather than being called:
//! a relay switch or a change to the list of secrets reaches it as the UI hears of it. The
//! menu is rebuilt from a [`TrayModel`] whenever what it shows changes: a dbusmenu host then
//! sees one consistent layout. Its items call [`crate::quick`], [`crate::actions`] and
//! [`crate::window`]; nothing calls into the tray but [`create`] and
//! [`apply_language`]. Its words come from the app's catalogues ([`crate::i18n`]).

use std::sync::Mutex;

use hushlink_tracker::{ListFilter, SecretState};
use tauri::async_runtime::JoinHandle;
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};
use tokio::sync::broadcast::error::RecvError;

use crate::events::{self, AppEvent, EventHub, Followed, Screen};
use crate::i18n::{self, fill, text, Lang};
use crate::relay::{RelayPanelStatus, RelayProblem, RelaySwitch};
use crate::startup::TrackerState;
use crate::{actions, quick, window};

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

/// One recent secret as the tray lists it ("VPN password for Sam — Opened").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentItem {
    /// Tracker id, to open its detail.
    pub id: String,
    /// The user's label.
    pub label: String,
    /// Its state (the word is the language's, chosen when the menu is drawn).
    pub state: SecretState,
}

/// How many recent secrets the menu lists.
const RECENT: usize = 5;

/// Everything the tray shows. Kept in managed state; changed only through `update`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TrayModel {
    /// The language of the menu.
    pub lang: Lang,
    /// The relay's address while it runs.
    pub relay_url: Option<String>,
    /// Why the relay is off although it was switched on (e.g. its port is in use).
    pub relay_problem: Option<RelayProblem>,
    /// Up to five recent secrets, newest first.
    pub recent: Vec<RecentItem>,
}

/// The model behind the menu.
#[derive(Default)]
struct TrayState(Mutex<TrayModel>);

/// Owns the task that follows the shell's events; aborts it when dropped with the app state.
struct TrayFollower(JoinHandle<()>);

impl Drop for TrayFollower {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Builds the tray icon and its menu, and starts following the shell's events.
/// [`EventHub`] must already be managed.
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    // The system's language until the saved choice is applied ([`apply_language`]).
    let lang = i18n::resolve(None);
    hushlink_tracker::notify::catalog::set_language(lang);
    let model = TrayModel {
        lang,
        ..TrayModel::default()
    };
    app.manage(TrayState(Mutex::new(model.clone())));
    let menu = build_menu(app, &model)?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(ICON)?)
        .tooltip("Hushlink")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
        .build(app)?;
    app.manage(follow(app));
    Ok(())
}

/// What the tray redraws when it hears something.
#[derive(Debug, PartialEq)]
enum Redraw {
    /// The relay item, icon and tooltip, from this panel.
    Relay(RelayPanelStatus),
    /// The recent secrets.
    Recent,
    /// Everything, from its sources: events were missed.
    All,
    /// Nothing the tray shows changed.
    Nothing,
}

fn redraw_for(heard: Result<Followed, RecvError>) -> Option<Redraw> {
    Some(match heard {
        Ok(Followed::Event(AppEvent::RelayChanged { status })) => Redraw::Relay(status),
        Ok(Followed::Event(
            AppEvent::TrackerReady
            | AppEvent::SecretChanged { .. }
            | AppEvent::SecretForgotten { .. },
        )) => Redraw::Recent,
        Ok(Followed::Event(_)) => Redraw::Nothing,
        Ok(Followed::Missed) | Err(RecvError::Lagged(_)) => Redraw::All,
        Err(RecvError::Closed) => return None,
    })
}

fn follow(app: &AppHandle) -> TrayFollower {
    let mut events = app.state::<EventHub>().subscribe();
    let app = app.clone();
    TrayFollower(tauri::async_runtime::spawn(async move {
        while let Some(redraw) = redraw_for(events.recv().await) {
            match redraw {
                Redraw::Relay(status) => relay_changed(&app, &status),
                Redraw::Recent => refresh_recent(&app),
                Redraw::All => {
                    refresh_recent(&app);
                    relay_changed(&app, &app.state::<RelaySwitch>().panel().await);
                }
                Redraw::Nothing => {}
            }
        }
    }))
}

/// One line of the menu.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    /// A clickable item: its id and its words.
    Item(String, String),
    /// A divider.
    Separator,
}

/// What the menu shows for `model`, top to bottom, in its language.
fn entries(model: &TrayModel) -> Vec<Entry> {
    let lang = model.lang;
    let item = |id: &str, key: &str| Entry::Item(id.to_owned(), text(lang, key).to_owned());
    let mut entries = vec![
        item(SHARE_CLIPBOARD, "tray.shareClipboard"),
        item(SHARE_PASSWORD, "tray.sharePassword"),
        item(NEW_SECRET, "tray.newSecret"),
    ];
    if !model.recent.is_empty() {
        entries.push(Entry::Separator);
        for recent in model.recent.iter().take(RECENT) {
            let id = format!("{RECENT_PREFIX}{}", recent.id);
            entries.push(Entry::Item(id, recent_text(lang, recent)));
        }
    }
    entries.push(Entry::Separator);
    entries.push(Entry::Item(RELAY_TOGGLE.to_owned(), relay_label(model)));
    entries.push(Entry::Separator);
    entries.push(item(OPEN, "tray.open"));
    entries.push(item(QUIT, "tray.quit"));
    entries
}

fn build_menu(app: &AppHandle, model: &TrayModel) -> tauri::Result<Menu<tauri::Wry>> {
    let menu = Menu::new(app)?;
    for entry in entries(model) {
        match entry {
            Entry::Item(id, words) => {
                menu.append(&MenuItem::with_id(app, id, words, true, None::<&str>)?)?;
            }
            Entry::Separator => menu.append(&PredefinedMenuItem::separator(app)?)?,
        }
    }
    Ok(menu)
}

/// "VPN password for Sam — Opened".
fn recent_text(lang: Lang, item: &RecentItem) -> String {
    fill(
        lang,
        "tray.recent",
        &[
            ("label", &item.label),
            ("state", i18n::state_word(lang, item.state)),
        ],
    )
}

/// Makes `choice` (or the system's language) the language of notifications and the tray,
/// and redraws the tray in it (after the user picked a language).
pub fn apply_language(app: &AppHandle, choice: Option<&str>) {
    let lang = i18n::resolve(choice);
    hushlink_tracker::notify::catalog::set_language(lang);
    update(app, |model| speak(model, lang));
}

/// The model's change when the language becomes `lang`: the menu is drawn in it.
fn speak(model: &mut TrayModel, lang: Lang) {
    model.lang = lang;
}

/// Changes the model and, if it changed, the menu, tooltip and icon.
fn update(app: &AppHandle, change: impl FnOnce(&mut TrayModel)) {
    // Before `create` (a language applied early) there is no tray to change yet.
    let Some(state) = app.try_state::<TrayState>() else {
        return;
    };
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
        Some(url) => (
            fill(model.lang, "tray.tooltipRelay", &[("url", url)]),
            ICON_RELAY,
        ),
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
fn relay_changed(app: &AppHandle, panel: &RelayPanelStatus) {
    let url = panel.url.clone();
    let problem = panel.problem.clone();
    update(app, |model| {
        model.relay_url = url;
        model.relay_problem = problem;
    });
}

/// The relay item's label: what a click does, and where the relay runs or why it does not.
fn relay_label(model: &TrayModel) -> String {
    let lang = model.lang;
    match (&model.relay_url, &model.relay_problem) {
        (Some(url), _) => fill(lang, "tray.relayOff", &[("url", url)]),
        (None, Some(problem)) => fill(
            lang,
            "tray.relayOnNote",
            &[("note", &relay_note(lang, problem))],
        ),
        (None, None) => text(lang, "tray.relayOn").to_owned(),
    }
}

/// Why the relay is off although it was switched on, in a few words for the menu.
fn relay_note(lang: Lang, problem: &RelayProblem) -> String {
    match problem {
        RelayProblem::PortBusy { port, .. } => {
            fill(lang, "tray.portBusy", &[("port", &port.to_string())])
        }
        RelayProblem::HttpsPortBusy { port, .. } => {
            fill(lang, "tray.httpsPortBusy", &[("port", &port.to_string())])
        }
        RelayProblem::InterfaceDown { interface } => {
            fill(lang, "tray.waitingFor", &[("name", interface)])
        }
        RelayProblem::DataDirInUse { .. } => text(lang, "tray.otherRelay").to_owned(),
    }
}

/// The five most recent secrets with their state, newest first; unchanged while the list of
/// secrets is not open.
fn refresh_recent(app: &AppHandle) {
    let Some(Ok(tracker)) = app.state::<TrackerState>().now() else {
        return;
    };
    // The default order is newest first.
    let recent = match tracker.list(&ListFilter::default()) {
        Ok(entries) => entries
            .into_iter()
            .take(RECENT)
            .map(|entry| RecentItem {
                id: entry.id,
                label: entry.label,
                state: entry.state,
            })
            .collect(),
        Err(error) => {
            tracing::warn!(%error, "could not list recent secrets for the tray");
            return;
        }
    };
    update(app, |model| model.recent = recent);
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
            tauri::async_runtime::spawn(async move { quick::share_clipboard(&app).await });
        }
        SHARE_PASSWORD => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move { quick::share_password(&app).await });
        }
        RELAY_TOGGLE => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move { actions::toggle_relay(&app).await });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tray_redraws_what_an_event_changed() {
        let event = |e| Ok(Followed::Event(e));
        assert_eq!(
            redraw_for(event(AppEvent::TrackerReady)),
            Some(Redraw::Recent),
            "the list of secrets just opened"
        );
        assert_eq!(
            redraw_for(event(AppEvent::SecretForgotten { id: "e1".into() })),
            Some(Redraw::Recent)
        );
        assert_eq!(
            redraw_for(event(AppEvent::WindowShown {
                source: "tray".into()
            })),
            Some(Redraw::Nothing)
        );
        assert_eq!(redraw_for(Ok(Followed::Missed)), Some(Redraw::All));
        assert_eq!(
            redraw_for(Err(RecvError::Lagged(3))),
            Some(Redraw::All),
            "a tray that fell behind re-reads everything"
        );
        assert_eq!(
            redraw_for(Err(RecvError::Closed)),
            None,
            "the app is closing"
        );
    }

    #[test]
    fn the_relay_item_says_what_a_click_does_and_why_the_relay_is_off() {
        let lang = Lang::En;
        let running = TrayModel {
            relay_url: Some("http://10.77.0.2:7143".into()),
            ..TrayModel::default()
        };
        assert_eq!(
            relay_label(&running),
            fill(lang, "tray.relayOff", &[("url", "http://10.77.0.2:7143")])
        );
        let busy_problem = RelayProblem::PortBusy {
            port: 7143,
            free_port: Some(7144),
        };
        let busy = TrayModel {
            relay_problem: Some(busy_problem.clone()),
            ..TrayModel::default()
        };
        let note = relay_note(lang, &busy_problem);
        assert!(note.contains("7143"), "{note}");
        assert_eq!(
            relay_label(&busy),
            fill(lang, "tray.relayOnNote", &[("note", &note)])
        );
        assert_eq!(
            relay_label(&TrayModel::default()),
            text(lang, "tray.relayOn")
        );
        let down = relay_note(
            lang,
            &RelayProblem::InterfaceDown {
                interface: "wlan0".into(),
            },
        );
        assert!(down.contains("wlan0"), "{down}");
        assert!(!down.contains('{'), "every placeholder filled: {down}");
    }

    #[test]
    fn a_saved_language_redraws_the_menu_in_it() {
        let mut model = TrayModel {
            relay_url: Some("http://10.77.0.2:7143".into()),
            ..TrayModel::default()
        };
        let english = entries(&model);
        // What `save_settings` does with a saved "de", minus the tray icon itself.
        speak(&mut model, i18n::resolve(Some("de")));
        let german = entries(&model);
        assert_eq!(english.len(), german.len(), "the same items");
        let words = |entries: &[Entry]| -> Vec<(String, String)> {
            entries
                .iter()
                .filter_map(|e| match e {
                    Entry::Item(id, words) => Some((id.clone(), words.clone())),
                    Entry::Separator => None,
                })
                .collect()
        };
        for ((id, en), (de_id, de)) in words(&english).iter().zip(words(&german).iter()) {
            assert_eq!(id, de_id, "the ids do not change with the words");
            assert_ne!(en, de, "{id} is still in English");
        }
        assert!(words(&german).contains(&(OPEN.to_owned(), text(Lang::De, "tray.open").to_owned())));
        assert!(words(&german).contains(&(
            RELAY_TOGGLE.to_owned(),
            fill(
                Lang::De,
                "tray.relayOff",
                &[("url", "http://10.77.0.2:7143")]
            )
        )));
    }

    #[test]
    fn the_menu_speaks_its_models_language() {
        let item = RecentItem {
            id: "e1".into(),
            label: "VPN for Sam".into(),
            state: SecretState::Opened,
        };
        let en = recent_text(Lang::En, &item);
        let de = recent_text(Lang::De, &item);
        assert!(
            en.contains("VPN for Sam")
                && en.contains(i18n::state_word(Lang::En, SecretState::Opened))
        );
        assert!(
            de.contains(i18n::state_word(Lang::De, SecretState::Opened)),
            "{de}"
        );
        assert_ne!(en, de);
        let german = TrayModel {
            lang: Lang::De,
            ..TrayModel::default()
        };
        assert_eq!(relay_label(&german), text(Lang::De, "tray.relayOn"));
        assert_ne!(relay_label(&german), relay_label(&TrayModel::default()));
    }
}
