# Shared by scripts/run and scripts/test: finds the repo, and installs what is missing.
# Everything a command needs is installed here, never by hand.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/tfstate-wizard
VENV=$CACHE/venv
# One target dir outside the clone, so a fresh clone (CI) reuses earlier builds.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$CACHE/target}
export PATH=$HOME/.cargo/bin:$PATH
APP_BIN=$CARGO_TARGET_DIR/debug/tfstate-wizard
CLI_BIN=$CARGO_TARGET_DIR/debug/tfstate-wizard-cli
SANDBOX_BIN=${SANDBOX_BIN:-$CARGO_TARGET_DIR/debug/tfstate-sandbox}

APP_PACKAGES=(libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev libssl-dev
  build-essential pkg-config file xvfb xauth)
TEST_PACKAGES=(webkit2gtk-driver openssl)

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (install sudo or run as root)"; fi
}

ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  step "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_toolchains() {
  command -v cargo >/dev/null || die "Rust is not installed: install it with rustup (https://rustup.rs), then run this again."
  command -v node >/dev/null || die "Node.js is not installed: install Node.js 20.19 or newer, then run this again."
  local major minor
  IFS=. read -r major minor _ <<<"$(node --version | tr -d v)"
  if ((major < 20 || (major == 20 && minor < 19))); then
    die "Node.js $(node --version) is too old for Vite 8: install 20.19 or newer."
  fi
}

ensure_ui_modules() {
  local stamp=$ROOT/ui/node_modules/.package-lock.json
  if [[ ! -f $stamp || $ROOT/ui/package-lock.json -nt $stamp ]]; then
    step "Installing UI modules (npm ci)"
    (cd "$ROOT/ui" && npm ci --no-audit --no-fund)
  fi
}

ensure_venv() {
  local stamp=$VENV/.requirements
  if [[ -x $VENV/bin/moto_server ]] && cmp -s "$ROOT/scripts/requirements.txt" "$stamp"; then return 0; fi
  step "Installing the AWS emulator, Terraform and the workflow linters into $VENV"
  command -v python3 >/dev/null || ensure_apt python3 python3-venv
  python3 -m venv "$VENV" 2>/dev/null || { ensure_apt python3-venv; python3 -m venv "$VENV"; }
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/scripts/requirements.txt"
  cp "$ROOT/scripts/requirements.txt" "$stamp"
}

ensure_tauri_driver() {
  command -v tauri-driver >/dev/null && return 0
  step "Installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked
}

build_ui() {
  step "Building the UI"
  (cd "$ROOT/ui" && npm run --silent build)
}

build_app() {
  step "Building the app and the CLI"
  (cd "$ROOT" && cargo build -p tfstate-wizard -p tfstate-cli)
}

build_sandbox() {
  step "Building the sandbox (tfstate-sandbox)"
  (cd "$ROOT" && cargo build -p tfstate-tests --bin tfstate-sandbox)
}

# Starts tfstate-sandbox (tests/sandbox/main.rs: moto_server and throwaway AWS files with the
# sandbox profiles, the same ones the Rust tests use) and takes its environment: exports
# AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, TFSTATE_WIZARD_SANDBOX…, unsets the AWS_*
# variables that could reach real AWS, and sets SANDBOX_ENDPOINT. The sandbox closes its output
# once ready and stays up until stop_sandbox (or this shell's end closes its input).
start_sandbox() {
  [[ -x $SANDBOX_BIN ]] || die "$SANDBOX_BIN is missing: build_sandbox builds it"
  coproc SANDBOX { MOTO_SERVER=$VENV/bin/moto_server exec "$SANDBOX_BIN" --format bash; }
  local env=''
  IFS= read -r -d '' env <&"${SANDBOX[0]}" || true
  [[ $env == *SANDBOX_ENDPOINT=* ]] || die "the local AWS sandbox did not start (see the messages above)"
  eval "$env"
}

stop_sandbox() {
  [[ -n ${SANDBOX_PID:-} ]] || return 0
  kill -TERM "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null
  SANDBOX_PID=
  return 0
}
