#!/usr/bin/env bash
# Builds the image's base: a minimal Debian bookworm root filesystem made with
# mmdebstrap from Debian's own packages, as a tarball for `podman import`.
# No image registry can be reached from the build machines, so there is no
# `FROM debian` to pull (docs/deploy.md "Why mmdebstrap").
#
# Usage: build-rootfs.sh <output.tar>
#
# The `extract` variant unpacks the listed packages and their dependencies
# without running maintainer scripts: no shell, no dpkg, no apt in the result,
# only what the Node 22 binary links against (ldd: libc, libm, libdl,
# libpthread, libstdc++, libgcc_s). Node carries its own CA store and ICU
# time zone data, so ca-certificates and tzdata are not needed.
# build-image.sh keys its cache on this file's hash: a change here rebuilds.
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 <output.tar>" >&2
  exit 2
fi
output="$1"

suite=bookworm
packages=libc6,libstdc++6,libgcc-s1
mirrors=(
  "deb http://deb.debian.org/debian $suite main"
  "deb http://deb.debian.org/debian $suite-updates main"
  "deb http://deb.debian.org/debian-security $suite-security main"
)

# Unpacked into a directory first, so the trimming below is ours to do
# (mmdebstrap runs no customize hook for the extract variant).
rootfs="$(mktemp -d "${TMPDIR:-/tmp}/petroflow-rootfs.XXXXXX")"
trap 'rm -rf "$rootfs"' EXIT

mmdebstrap \
  --mode=root \
  --variant=extract \
  --include="$packages" \
  --format=directory \
  "$suite" "$rootfs" "${mirrors[@]}"

# What a container running one Node binary never reads: documentation,
# translations of the C library's messages, iconv modules (Node converts with
# ICU), glibc's debugging and profiling helpers, the package manager's state,
# and the build host's resolv.conf and hostname (podman provides its own).
(
  cd "$rootfs"
  rm -rf usr/share/doc usr/share/man usr/share/info usr/share/locale usr/share/lintian usr/share/gcc usr/share/gdb \
    usr/lib/x86_64-linux-gnu/gconv usr/lib/x86_64-linux-gnu/audit usr/libexec/getconf \
    lib/x86_64-linux-gnu/libmemusage.so lib/x86_64-linux-gnu/libpcprofile.so lib/x86_64-linux-gnu/libc_malloc_debug.so.0 \
    etc/apt etc/dpkg var/lib/apt var/lib/dpkg var/cache var/log \
    etc/resolv.conf etc/hostname
  mkdir -p tmp
  chmod 1777 tmp
)
tar --numeric-owner -C "$rootfs" -cf "$output" .
