# Shared by kiosk/dev/run and kiosk/dev/test. Sourced, not run.
# shellcheck shell=bash

KIOSK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# System packages the kiosk builds and tests against (Debian 12).
KIOSK_PACKAGES=(
  pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools
  libusb-1.0-0-dev libsqlite3-dev umockdev
  python3-gi gir1.2-umockdev-1.0 gcc
  libfreetype-dev libharfbuzz-dev libfribidi-dev libpng-dev libqrencode-dev zbar-tools fonts-noto-core fonts-dejavu-core unicode-data
  pkg-config procps systemd tmux
  postgresql zlib1g-dev python3-pip
)

# Python packages the tests use, from PyPI (schemathesis checks the central API's contract).
KIOSK_PIP_PACKAGES=(schemathesis)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "run as root (or install sudo): $*"
  fi
}

# Installs the missing packages with apt-get (updating the index only when something is missing).
install_packages() {
  local missing=()
  for package in "${KIOSK_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "system packages present"
    return
  fi
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

check_swift() {
  command -v swift >/dev/null || die "the Swift toolchain is not on PATH (expected swift 6.x, e.g. /opt/swift/usr/bin)"
}

# Whether something listens on TCP port $1 (read from /proc: connecting to vpcd would insert a card).
port_listening() {
  local hex
  hex="$(printf ':%04X ' "$1")"
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A" {print $2}' | grep -q "${hex% }$"
}

# Starts a pcscd of our own with the vpcd virtual reader on port $1, with its reader
# configuration in a new directory. Sets PCSCD_CONFDIR, PCSCD_PIDFILE and PCSCD_PORT and exports
# them for the tests (KIOSK_TEST_*). Refuses when another pcscd runs: pcscd's client socket is
# fixed (/run/pcscd/pcscd.comm), so only one can run on a machine.
start_pcscd() {
  local port="$1"
  local running
  running="$(pgrep -x pcscd || true)"
  if [ -n "$running" ]; then
    die "another pcscd is running (pid $running). Stop it first (systemctl stop pcscd.socket pcscd, or kill $running): the tests need their own pcscd with the vpcd virtual reader."
  fi
  PCSCD_CONFDIR="$(mktemp -d /tmp/kiosk-pcscd.XXXXXX)"
  PCSCD_PIDFILE="$PCSCD_CONFDIR/pcscd.pid"
  PCSCD_PORT="$port"
  mkdir -p "$PCSCD_CONFDIR/readers"
  cat > "$PCSCD_CONFDIR/readers/vpcd" <<CONF
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:$(printf '0x%X' "$port")
LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
CHANNELID    $(printf '0x%X' "$port")
CONF
  as_root mkdir -p /run/pcscd
  pcscd -f -c "$PCSCD_CONFDIR/readers" >"$PCSCD_CONFDIR/pcscd.log" 2>&1 &
  echo $! > "$PCSCD_PIDFILE"
  local waited=0
  until [ -S /run/pcscd/pcscd.comm ] && port_listening "$port"; do
    sleep 0.1
    waited=$((waited + 1))
    if [ $waited -gt 100 ]; then
      cat "$PCSCD_CONFDIR/pcscd.log" >&2
      die "pcscd did not start its vpcd reader on port $port within 10 s"
    fi
    kill -0 "$(cat "$PCSCD_PIDFILE")" 2>/dev/null || { cat "$PCSCD_CONFDIR/pcscd.log" >&2; die "pcscd exited"; }
  done
  export KIOSK_TEST_VPCD_PORT="$port" KIOSK_TEST_PCSCD_CONFDIR="$PCSCD_CONFDIR/readers" KIOSK_TEST_PCSCD_PIDFILE="$PCSCD_PIDFILE"
  export KIOSK_VPCD_PORT="$port"
  log "pcscd $(cat "$PCSCD_PIDFILE") with the vpcd virtual reader on port $port"
}

# Stops exactly the pcscd we started (tests that restart pcscd write the new pid to the pidfile).
stop_pcscd() {
  [ -n "${PCSCD_PIDFILE:-}" ] && [ -f "$PCSCD_PIDFILE" ] || return 0
  local pid
  pid="$(cat "$PCSCD_PIDFILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    log "stopped pcscd $pid"
  fi
  rm -rf "$PCSCD_CONFDIR"
  # The hot-plug tests' driver bundles (kiosk/dev/hotplug) of runs that died holding them.
  local bundle
  for bundle in /usr/lib/pcsc/drivers/kiosk-hotplug-test-*.bundle; do
    [ -d "$bundle" ] || continue
    pid="${bundle##*-}"; pid="${pid%.bundle}"
    kill -0 "$pid" 2>/dev/null || as_root rm -rf "$bundle"
  done
  return 0
}

# Installs the missing Python packages with pip.
install_pip_packages() {
  local missing=()
  for package in "${KIOSK_PIP_PACKAGES[@]}"; do
    python3 -m pip show -q "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && { log "Python packages present"; return; }
  log "installing ${missing[*]} from PyPI"
  python3 -m pip install -q "${missing[@]}"
}

# Starts a PostgreSQL cluster of our own on loopback port $1, in a new directory (Debian's
# PostgreSQL refuses to run as root: its programs run as the postgres user). Exports
# KIOSK_TEST_POSTGRES_HOST, _PORT, _USER and _DATABASE for the tests. Leaves Debian's own
# cluster alone.
start_postgres() {
  local port="$1" bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -x "$bin/initdb" ] || die "PostgreSQL is not installed (apt-get install postgresql)"
  port_listening "$port" && die "something already listens on port $port (a PostgreSQL of an earlier run?)"
  POSTGRES_DIR="$(mktemp -d /tmp/kiosk-postgres.XXXXXX)"
  POSTGRES_BIN="$bin"
  chown postgres "$POSTGRES_DIR"
  runuser -u postgres -- "$bin/initdb" -D "$POSTGRES_DIR/data" -A trust -U kiosk >"$POSTGRES_DIR/initdb.log" 2>&1 \
    || { cat "$POSTGRES_DIR/initdb.log" >&2; die "initdb failed"; }
  runuser -u postgres -- "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/log" -w \
    -o "-p $port -k $POSTGRES_DIR -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null \
    || { cat "$POSTGRES_DIR/log" >&2; die "PostgreSQL did not start on port $port"; }
  export KIOSK_TEST_POSTGRES_HOST=127.0.0.1 KIOSK_TEST_POSTGRES_PORT="$port" KIOSK_TEST_POSTGRES_USER=kiosk KIOSK_TEST_POSTGRES_DATABASE=postgres
  log "PostgreSQL $(head -n 1 "$POSTGRES_DIR/data/postmaster.pid") on 127.0.0.1:$port"
}

# Stops exactly the cluster start_postgres started, and removes its directory.
stop_postgres() {
  [ -n "${POSTGRES_DIR:-}" ] && [ -d "$POSTGRES_DIR" ] || return 0
  if [ -f "$POSTGRES_DIR/data/postmaster.pid" ]; then
    runuser -u postgres -- "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    log "stopped PostgreSQL"
  fi
  rm -rf "$POSTGRES_DIR"
  return 0
}
