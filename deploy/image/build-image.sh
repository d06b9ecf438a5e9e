#!/usr/bin/env bash
# Builds the Petroflow image with podman from a Debian base made here
# (docs/deploy.md). Run from a checkout where `npm ci` has run (it builds
# dist/ and installs the pinned Node 22).
#
# Usage: deploy/image/build-image.sh [image tag]   (default localhost/petroflow:<version>)
# Environment:
#   PETROFLOW_IMAGE_CACHE  where the base rootfs and the production node_modules
#                          are kept between builds (default /var/tmp/petroflow-image-cache)
# Prints the image's size in bytes on the last line of stdout.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=podman-env.sh
. "$here/podman-env.sh"

version="$("$root/node_modules/node/bin/node" -p 'require(process.argv[1]).version' "$root/package.json")"
tag="${1:-localhost/petroflow:$version}"
cache="${PETROFLOW_IMAGE_CACHE:-/var/tmp/petroflow-image-cache}"
export PETROFLOW_IMAGE_CACHE="$cache"
mkdir -p "$cache"

say() { echo "== build-image: $*" >&2; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

# 1. The base: keyed by the rootfs script, which holds the package list.
started=$(date +%s)
base_key="$(sha256sum "$here/build-rootfs.sh" | cut -c1-16)"
base_image="localhost/petroflow-base:bookworm-$base_key"
if podman image exists "$base_image"; then
  say "base $base_image (cached)"
else
  rootfs="$cache/rootfs-$base_key.tar"
  if [ ! -s "$rootfs" ]; then
    say "building the Debian rootfs with mmdebstrap"
    partial="$(mktemp "$cache/rootfs-$base_key.XXXXXX.tar")"
    "$here/build-rootfs.sh" "$partial" >&2
    mv -f "$partial" "$rootfs"
  fi
  podman import --quiet "$rootfs" "$base_image" >/dev/null
  say "base $base_image imported ($(elapsed "$started"))"
  # Bases of earlier versions of build-rootfs.sh: removed unless an image still uses them.
  for old in $(podman images --format '{{.Repository}}:{{.Tag}}' localhost/petroflow-base); do
    [ "$old" = "$base_image" ] || podman rmi "$old" >/dev/null 2>&1 || true
  done
  # Finished tarballs only (16 hex digits): another build's partial one stays.
  find "$cache" -maxdepth 1 -name 'rootfs-????????????????.tar' ! -name "rootfs-$base_key.tar" -delete
fi

# 2. The build context, staged outside the checkout.
started=$(date +%s)
context="$(mktemp -d /var/tmp/petroflow-image-context.XXXXXX)"
trap 'rm -rf "$context"' EXIT

"$root/deploy/stage-app.sh" "$context" >&2
cp "$here/healthcheck.js" "$context/app/healthcheck.js"

# The service user (no shell, no home) and its data dir; the base has no passwd.
mkdir -p "$context/etc" "$context/data"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\npetroflow:x:10001:10001:Petroflow:/var/lib/petroflow:/usr/sbin/nologin\n' >"$context/etc/passwd"
printf 'root:x:0:\npetroflow:x:10001:\n' >"$context/etc/group"
chmod 0700 "$context/data"
say "context staged ($(elapsed "$started"))"

# 3. The image. --pull=never: the base is local and no registry is reachable.
# A second tag keeps the layers (Node, node_modules) for the next build's cache
# when the first is removed, as the CI test does; the image it replaces goes,
# unless another tag or a container still uses it.
started=$(date +%s)
cache_tag="localhost/petroflow-build-cache:latest"
previous="$(podman image inspect --format '{{.Id}}' "$cache_tag" 2>/dev/null || true)"
podman build --quiet --pull=never --format docker \
  --build-arg "BASE_IMAGE=$base_image" --build-arg "VERSION=$version" \
  -f "$here/Containerfile" -t "$tag" -t "$cache_tag" "$context" >/dev/null
if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "$cache_tag")" ]; then
  podman rmi "$previous" >/dev/null 2>&1 || true
fi
size="$(podman image inspect --format '{{.Size}}' "$tag")"
say "$tag built ($(elapsed "$started")), $(( size / 1024 / 1024 )) MiB"
echo "$size"
