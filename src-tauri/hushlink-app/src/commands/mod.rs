//! Commands the UI may invoke, one module per domain. A command takes managed state, calls a
//! library crate and converts the error into [`crate::error::CommandError`]; nothing more.
//!
//! The list below is the one place commands are registered: [`handler`] is what `lib.rs`
//! installs, and a test holds [`NAMES`] equal to the keys of the UI's typed `Commands` map
//! (`ui/src/lib/backend/ipc.ts`), whose test fake is typed by the same map, so a command
//! added, removed or renamed on one side fails a check on the other.

pub mod app;
mod checks;
pub mod invites;
pub mod prefs;
pub mod relay;
pub mod secrets;

/// Defines [`handler`] and [`NAMES`] from one list of `module::command` paths.
macro_rules! commands {
    ($($module:ident::$command:ident),* $(,)?) => {
        /// The invoke handler for every command.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($module::$command),*]
        }

        /// Every command's name, as the UI invokes it.
        pub const NAMES: &[&str] = &[$(stringify!($command)),*];
    };
}

commands![
    app::app_info,
    app::ui_ready,
    app::tracker_phase,
    relay::relay_status,
    relay::set_relay,
    relay::list_interfaces,
    relay::create_token,
    relay::list_tokens,
    relay::revoke_token,
    relay::create_invite,
    relay::list_invites,
    relay::withdraw_invite,
    relay::access_log,
    secrets::list_secrets,
    secrets::get_secret,
    secrets::create_secrets,
    secrets::share_link,
    secrets::copy_link,
    secrets::copy_text,
    secrets::burn_secret,
    secrets::forget_secret,
    secrets::refresh_secrets,
    secrets::receive_secret,
    invites::import_invite,
    invites::find_relays,
    prefs::list_profiles,
    prefs::save_profile,
    prefs::delete_profile,
    prefs::check_profile,
    prefs::set_default_profile,
    prefs::get_settings,
    prefs::save_settings,
    prefs::generate_password,
    prefs::list_history,
    prefs::export_history,
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// The keys of `export interface Commands { ... }` in the UI's `ipc.ts`.
    fn ui_commands() -> BTreeSet<String> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../ui/src/lib/backend/ipc.ts"
        );
        let source = std::fs::read_to_string(path).expect("the UI's ipc.ts");
        let body = source
            .split_once("export interface Commands {")
            .and_then(|(_, rest)| rest.split_once("\n}"))
            .map(|(body, _)| body)
            .expect("ipc.ts declares `export interface Commands { ... }`");
        body.lines()
            .filter_map(|line| {
                let (key, _) = line.trim_start().split_once(':')?;
                let indent = line.len() - line.trim_start().len();
                (indent == 2 && key.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                    .then(|| key.to_owned())
            })
            .collect()
    }

    #[test]
    fn the_registered_commands_are_the_uis() {
        let registered: BTreeSet<String> = super::NAMES.iter().map(|&n| n.to_owned()).collect();
        assert_eq!(registered.len(), super::NAMES.len(), "a command twice");
        assert_eq!(
            registered,
            ui_commands(),
            "lib.rs registers commands::handler(); ipc.ts's Commands must list the same names"
        );
    }
}
