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
  step "Installing the AWS emulator and Terraform into $VENV"
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

# A free loopback port, from the kernel.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts moto_server and writes a throwaway AWS config whose `sandbox` profile points at it.
# Sets SANDBOX_DIR and MOTO_PID, and exports AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE.
start_sandbox() {
  local port
  port=$(free_port)
  SANDBOX_DIR=$(mktemp -d -t tfstate-sandbox-XXXXXX)
  "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$SANDBOX_DIR/moto.log" 2>&1 &
  MOTO_PID=$!
  cat >"$SANDBOX_DIR/config" <<CFG
[profile sandbox]
region = us-east-1
endpoint_url = http://127.0.0.1:$port
CFG
  cat >"$SANDBOX_DIR/credentials" <<CFG
[sandbox]
aws_access_key_id = sandbox
aws_secret_access_key = sandbox-not-a-secret
CFG
  for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/moto-api/data.json" >/dev/null 2>&1 && break
    kill -0 "$MOTO_PID" 2>/dev/null || die "the AWS emulator did not start: see $SANDBOX_DIR/moto.log"
    sleep 0.1
  done
  export AWS_CONFIG_FILE=$SANDBOX_DIR/config AWS_SHARED_CREDENTIALS_FILE=$SANDBOX_DIR/credentials
  export TFSTATE_WIZARD_SANDBOX=1 AWS_EC2_METADATA_DISABLED=true
  unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL
  SANDBOX_ENDPOINT=http://127.0.0.1:$port
}

stop_sandbox() {
  [[ -n ${MOTO_PID:-} ]] && kill "$MOTO_PID" 2>/dev/null
  [[ -n ${SANDBOX_DIR:-} ]] && rm -rf "$SANDBOX_DIR"
  return 0
}
