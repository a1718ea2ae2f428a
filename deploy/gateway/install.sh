#!/usr/bin/env bash
# Installs the NileCare Edge gateway on a Debian mini-PC as a systemd service.
#
#   sudo deploy/gateway/install.sh            # from a checkout or unpacked release
#   sudo deploy/gateway/install.sh --root /mnt/target --no-start   # onto a disk image
#
# What it does: checks Node.js 20+, installs the build tools better-sqlite3 and
# serialport need, creates the `nilecare` system user (group dialout for serial
# ports), copies the application to /opt/nilecare and installs its production
# dependencies, writes /etc/nilecare/gateway.env from the example when there is
# none (an existing one is never overwritten), installs the systemd unit and
# enables it. Running it again upgrades the application in place and keeps the
# data in /var/lib/nilecare. Then: `nilecare provision` (docs/operations.md).
set -euo pipefail

root=""
start=1
deps=1
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --no-start) start=0; shift ;;
    --no-deps) deps=0; shift ;;   # skip apt-get and npm ci (tests, offline re-runs)
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '== %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="$(cd "$here/../.." && pwd)"
app="$root/opt/nilecare"
etc="$root/etc/nilecare"
unit_dir="$root/etc/systemd/system"

[ -f "$source_dir/package.json" ] || die "run it from a NileCare Edge checkout (no package.json in $source_dir)"
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then die "run as root (sudo), or with --root DIR to lay out files only"; fi

node_bin="$(command -v node || true)"
[ -n "$node_bin" ] || die "Node.js 20 or newer is needed: see docs/operations.md (Installing Node.js)"
node_major="$("$node_bin" -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js $("$node_bin" --version) is too old: 20 or newer is needed"

if [ "$deps" -eq 1 ] && [ -z "$root" ]; then
  say "build tools for the native modules (better-sqlite3, serialport)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential python3 >/dev/null
fi

if [ -z "$root" ]; then
  if ! id nilecare >/dev/null 2>&1; then
    say "system user nilecare"
    useradd --system --home-dir /var/lib/nilecare --no-create-home --shell /usr/sbin/nologin --groups dialout nilecare
  fi
fi

say "application in $app"
mkdir -p "$app"
# Copy what the gateway runs; never data, keys, local settings or build leftovers.
tar -C "$source_dir" --exclude=./data --exclude=./node_modules --exclude=./.git --exclude='./deploy/hub/hub.env' \
  --exclude='*.log' -cf - . | tar -C "$app" -xf -
if [ "$deps" -eq 1 ]; then
  say "production dependencies (npm ci --omit=dev)"
  (cd "$app" && npm ci --omit=dev --no-audit --no-fund)
fi

say "settings in $etc/gateway.env"
mkdir -p "$etc"
if [ ! -f "$etc/gateway.env" ]; then
  install -m 0640 "$here/gateway.env.example" "$etc/gateway.env"
  [ -z "$root" ] && chgrp nilecare "$etc/gateway.env"
else
  echo "   kept the existing $etc/gateway.env"
fi

say "systemd unit $unit_dir/nilecare-gateway.service"
mkdir -p "$unit_dir"
# The unit names /usr/bin/node; point it at this machine's Node.js.
sed "s|^ExecStart=/usr/bin/node |ExecStart=$node_bin |" "$here/nilecare-gateway.service" >"$unit_dir/nilecare-gateway.service"
chmod 0644 "$unit_dir/nilecare-gateway.service"

if [ -z "$root" ] && [ "$start" -eq 1 ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable --now nilecare-gateway.service
  say "started: systemctl status nilecare-gateway; logs: journalctl -u nilecare-gateway"
else
  say "installed, not started (start it with: systemctl enable --now nilecare-gateway)"
fi
