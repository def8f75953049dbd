# shellcheck shell=bash
# Shared by scripts/run and scripts/test: installing what Hushlink needs, and timing phases.
# Sourced, not executed. Everything here is idempotent and quick when already done.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Debian packages to build the app (Tauri 2 on WebKitGTK 4.1).
# shellcheck disable=SC2034 # used by the scripts that source this file
APT_BUILD=(build-essential pkg-config curl libwebkit2gtk-4.1-dev libayatana-appindicator3-dev
  librsvg2-dev libssl-dev libxdo-dev libsoup-3.0-dev libgtk-3-dev libjavascriptcoregtk-4.1-dev
  libdbus-1-dev)
# ...and to test it headless: X server, D-Bus session, keyring, notification daemon,
# WebDriver for the app's webview, Chromium for web pages, screenshots; shellcheck for the
# scripts (scripts/lint); PostgreSQL 15 for the relay's tests on a throwaway cluster
# (hushlink_testkit::postgres); systemd-analyze to verify the example units.
# shellcheck disable=SC2034 # used by the scripts that source this file
APT_TEST=(xvfb xauth imagemagick dbus dbus-x11 xdotool webkit2gtk-driver gnome-keyring
  libsecret-tools dunst libnotify-bin chromium python3-venv xclip tmux iproute2 procps
  tcpdump shellcheck postgresql systemd)

PHASES=()
phase_start() { PHASE_NAME=$1; PHASE_T0=$(date +%s); printf '\n==> %s\n' "$1"; }
phase_end() { PHASES+=("$(printf '%-28s %5ss' "$PHASE_NAME" $(( $(date +%s) - PHASE_T0 )))"); }
print_phases() {
  printf '\nPhase timings:\n'
  printf '  %s\n' "${PHASES[@]}"
}

ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    echo "Rust is missing: install the stable toolchain with rustup (https://rustup.rs), then run this again." >&2
    exit 1
  fi
  if command -v rustup >/dev/null 2>&1; then
    for component in clippy rustfmt; do
      rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
    done
  fi
}

ensure_node() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt 20 ]; then
    echo "Node.js 20 or newer is needed for the UI build (found: $(node --version 2>/dev/null || echo none))." >&2
    exit 1
  fi
}

# npm ci only when package-lock.json changed since the last install.
ensure_npm() {
  local stamp="$ROOT/ui/node_modules/.hushlink-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$ROOT/ui/package-lock.json" "$stamp"; then
    (cd "$ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$ROOT/ui/package-lock.json" "$stamp"
  fi
}

build_ui() {
  (cd "$ROOT/ui" && npx vite build --logLevel warn)
}
