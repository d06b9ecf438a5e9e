#!/usr/bin/env bash
# Installs Petroflow on a bare-metal Debian box as a hardened systemd service
# (docs/deploy.md "systemd"). Run as root from a checkout where `npm ci` has
# run (it installs the pinned Node 22 and builds dist/).
#   /opt/petroflow                 the app (node, node_modules, dist, flows, bin);
#                                  the one it replaces is kept in /opt/petroflow.previous
#   /var/lib/petroflow             the data dir (systemd's StateDirectory, 0700)
#   /etc/petroflow/petroflow.env   settings and secrets (root, 0600), kept if present
# Usage: deploy/systemd/install.sh [--no-start]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
start=yes
[ "${1:-}" = "--no-start" ] && start=no

if [ "$(id -u)" != "0" ]; then
  echo "install.sh: run as root" >&2
  exit 1
fi

# The dedicated user: a system account with no login shell and no home of its own.
if ! id petroflow >/dev/null 2>&1; then
  useradd --system --user-group --home-dir /var/lib/petroflow --no-create-home --shell /usr/sbin/nologin petroflow
fi

staged="$(mktemp -d /opt/.petroflow-staged.XXXXXX)"
trap 'rm -rf "$staged"' EXIT
"$root/deploy/stage-app.sh" "$staged"
mkdir "$staged/opt"
mv "$staged/node" "$staged/node_modules" "$staged/opt/"
cp -a "$staged/app/." "$staged/opt/"
# The app is root's: the service may read it, never change it.
chown -R root:root "$staged/opt"
chmod -R go-w,a+rX "$staged/opt"

if [ -d /opt/petroflow ]; then
  rm -rf /opt/petroflow.previous
  mv /opt/petroflow /opt/petroflow.previous
fi
mv "$staged/opt" /opt/petroflow

install -d -m 0755 /etc/petroflow
if [ ! -f /etc/petroflow/petroflow.env ]; then
  install -m 0600 -o root -g root "$here/petroflow.env.example" /etc/petroflow/petroflow.env
fi
chmod 0600 /etc/petroflow/petroflow.env
install -m 0644 "$here/petroflow.service" /etc/systemd/system/petroflow.service

if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable petroflow.service
  if [ "$start" = yes ]; then systemctl restart petroflow.service; fi
  echo "installed; status: systemctl status petroflow, log: journalctl -u petroflow"
else
  echo "installed; systemd is not running here, so the unit is not enabled" >&2
fi
