//! A bare Tauri 2 app for memory comparisons: one window with a static page and one command,
//! `ui_ready`, which the page calls once loaded so that `benches/app/measure` can time it the
//! way it times Hushlink's first screen. No plugins, no tray, no state, no background work.

/// Called by the page once; the measure script waits for this line on stderr.
#[tauri::command]
fn ui_ready() {
    eprintln!("ui ready");
}

fn main() {
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ui_ready])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("tauri-bare could not start: {error}");
        std::process::exit(1);
    }
}
