//! Reads `tauri.conf.json` beside this file and embeds `dist/` in the binary.

fn main() {
    tauri_build::build();
}
