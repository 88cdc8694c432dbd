#!/usr/bin/env bash
# Builds a local stand-in for the production base image (see the Dockerfile) from Debian packages
# only, because these machines reach neither a registry nor apt.postgresql.org: debootstrap a
# minimal Debian trixie with a Java 21 runtime, CA certificates and PostgreSQL 17's client tools,
# import it into podman, and save it as a docker-archive, the layout Jib's `tar://` base reads.
#
#   bash .ci/image/build-local-base.sh [OUTPUT_TAR]      (default: .image-cache/base.tar)
#
# The result is cached: when the tar exists and was made by this very script (its sha256 is kept
# beside the tar), nothing is done. Environment: DEBIAN_MIRROR (default http://deb.debian.org/debian),
# BASE_IMAGE_NAME (the podman name, default localhost/neon-backup-action-base:local).
# Run as root on Debian (bookworm or later).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
script="$repo/.ci/image/build-local-base.sh"
output=${1:-$repo/.image-cache/base.tar}
hash_file="$output.script-sha256"
log="$output.log"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
image=${BASE_IMAGE_NAME:-localhost/neon-backup-action-base:local}
suite=trixie
packages=(openjdk-21-jre-headless ca-certificates postgresql-client-17)

started=$SECONDS
step_started=$SECONDS
step() { echo "build-local-base: $1 ($((SECONDS - step_started)) s)"; step_started=$SECONDS; }

script_hash=$(sha256sum "$script" | cut -d' ' -f1)
if [ -s "$output" ] && [ "$(cat "$hash_file" 2>/dev/null)" = "$script_hash" ]; then
  echo "build-local-base: cached $output ($(du -h "$output" | cut -f1), script ${script_hash:0:12})"
  exit 0
fi

[ "$(id -u)" = 0 ] || { echo "build-local-base: run as root (debootstrap, chroot)" >&2; exit 1; }
bash "$repo/.ci/image/podman-setup.sh"
step "tools ready"

work=$(mktemp -d /var/tmp/neon-backup-base.XXXXXX)
rootfs="$work/rootfs"
mounted=()
cleanup() {
  local m
  for m in "${mounted[@]}"; do umount -l "$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_root() { chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }

echo "build-local-base: debootstrap $suite (minbase) from $mirror"
mkdir -p "$(dirname "$output")"
: >"$log"
failed() { echo "build-local-base: $1 failed; the last lines of $log:" >&2; tail -n 40 "$log" >&2; exit 1; }
debootstrap --variant=minbase --components=main "$suite" "$rootfs" "$mirror" >>"$log" 2>&1 \
  || failed debootstrap
step "debootstrap done"

# Keep documentation out as packages unpack (copyright files stay, as Debian's policy asks), never
# pull recommended packages, and never start services inside the chroot.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/01-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
CFG
# update-alternatives links man pages here (the PostgreSQL clients' postinst insists that their
# own man pages exist, so those are only removed after the install, below).
mkdir -p "$rootfs/usr/share/man/man1"
cat >"$rootfs/etc/apt/apt.conf.d/01-slim" <<'CFG'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
CFG
printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
chmod 755 "$rootfs/usr/sbin/policy-rc.d"
rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
# The JDK's post-install steps (the CA keystore, the CDS archive) run java, which needs /proc.
mount -t proc proc "$rootfs/proc"
mounted+=("$rootfs/proc")

{ in_root apt-get update -qq && in_root apt-get install -y -qq "${packages[@]}"; } >>"$log" 2>&1 \
  || failed "apt-get install"
step "installed ${packages[*]}"

java_home=$(dirname "$(dirname "$(in_root readlink -f /usr/bin/java)")")
in_root java -Xshare:auto -version 2>&1 | sed 's/^/  /'
for tool in pg_dump pg_restore psql; do
  in_root "/usr/lib/postgresql/17/bin/$tool" --version | sed 's/^/  /'
done

umount "$rootfs/proc"
mounted=()
in_root apt-get clean
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
  "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old \
  "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/var/tmp/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
  "$rootfs"/usr/share/postgresql/*/man \
  "$rootfs"/usr/sbin/policy-rc.d "$rootfs"/etc/machine-id
find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete 2>/dev/null || true
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
: >"$rootfs/etc/resolv.conf"
step "trimmed the root filesystem to $(du -sh "$rootfs" | cut -f1)"

podman rmi -f "$image" >/dev/null 2>&1 || true
tar --numeric-owner --xattrs --sort=name -C "$rootfs" -cf - . \
  | podman import \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV LANG=C.UTF-8" \
    --change "ENV JAVA_HOME=$java_home" \
    --change "LABEL org.opencontainers.image.description=local stand-in for the neon-backup-action base image (Debian $suite, built by .ci/image/build-local-base.sh)" \
    --message "debootstrap $suite minbase + ${packages[*]}" \
    - "$image" >>"$log" 2>&1 || failed "podman import"
step "imported as $image"

rm -f "$output.tmp"
podman save --format docker-archive -o "$output.tmp" "$image" >>"$log" 2>&1 || failed "podman save"
mv "$output.tmp" "$output"
echo "$script_hash" >"$hash_file"
step "saved $output ($(du -h "$output" | cut -f1))"
echo "build-local-base: done in $((SECONDS - started)) s"
