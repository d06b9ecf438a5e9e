# Sourced by the deploy scripts and tests: podman as it must run on the build
# and CI machines (rootful, runc, explicit ulimits, overlay storage), from the
# files beside this one rather than from anything set up by hand.
# shellcheck shell=bash
podman_env_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CONTAINERS_CONF="$podman_env_dir/containers.conf"
export CONTAINERS_STORAGE_CONF="$podman_env_dir/storage.conf"
unset podman_env_dir
if [ "$(id -u)" != "0" ]; then
  echo "podman-env.sh: these machines run podman rootful; run as root" >&2
  return 1 2>/dev/null || exit 1
fi
