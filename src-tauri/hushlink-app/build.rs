//! `tauri.conf.json` lives at the repository root (the product's layout), two levels up.
//! tauri-build reads it from there; `generate_context!` in `lib.rs` names the same path.

fn main() {
    println!("cargo:rerun-if-changed=../../tauri.conf.json");
    println!("cargo:rerun-if-changed=capabilities");
    println!("cargo:rerun-if-changed=../../ui/dist");
    println!("cargo:rerun-if-changed=../../icons");
    let attributes = tauri_build::Attributes::new().config_path("../../tauri.conf.json");
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
