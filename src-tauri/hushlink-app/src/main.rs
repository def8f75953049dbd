// Hide the console window on Windows release builds; a no-op elsewhere.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    no_compositing_without_gpu();
    hushlink_app::run();
}

/// WebKitGTK's compositing mode, which it turns off when this variable is set.
#[cfg(target_os = "linux")]
const COMPOSITING_OFF: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Without a GPU, WebKitGTK composites through Mesa's software OpenGL (llvmpipe): measured
/// here, that costs about 85 MiB (PSS) and a quarter of a core while the first screen settles,
/// for a form-and-list UI that looks the same drawn without it (docs/performance.md, "Beside
/// a bare Tauri 2 window"). So compositing is turned off when the machine has no render node,
/// unless the user set the variable themselves. This runs first in `main`, before any thread
/// exists, as changing the environment requires.
#[cfg(target_os = "linux")]
fn no_compositing_without_gpu() {
    let dri_entries: Vec<std::ffi::OsString> = std::fs::read_dir("/dev/dri")
        .map(|dir| dir.flatten().map(|entry| entry.file_name()).collect())
        .unwrap_or_default();
    if compositing_off(std::env::var_os(COMPOSITING_OFF).is_some(), &dri_entries) {
        std::env::set_var(COMPOSITING_OFF, "1");
    }
}

/// Whether to turn compositing off: only when the user left the choice to us and no entry of
/// `/dev/dri` is a render node (`renderD128`, ...), i.e. rendering would be software anyway.
#[cfg(target_os = "linux")]
fn compositing_off(user_chose: bool, dri_entries: &[std::ffi::OsString]) -> bool {
    !user_chose
        && !dri_entries
            .iter()
            .any(|name| name.to_string_lossy().starts_with("renderD"))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::ffi::OsString;

    use super::compositing_off;

    fn entries(names: &[&str]) -> Vec<OsString> {
        names.iter().map(OsString::from).collect()
    }

    #[test]
    fn a_machine_without_a_render_node_draws_without_compositing() {
        assert!(compositing_off(false, &[]));
        assert!(compositing_off(false, &entries(&["by-path", "card0"])));
    }

    #[test]
    fn a_gpu_keeps_compositing() {
        assert!(!compositing_off(false, &entries(&["card0", "renderD128"])));
    }

    #[test]
    fn the_users_own_setting_wins() {
        assert!(!compositing_off(true, &[]));
    }
}
