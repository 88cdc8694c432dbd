#!/usr/bin/env bash
# Makes podman usable as root on a plain Debian machine with no container engine: installs
# debootstrap, podman and runc, and writes the engine settings without which `podman run` fails
# here (crun and the default rlimits and systemd cgroups do not work on these machines; see
# DESIGN.md, "Containers"). Idempotent: quiet and quick when everything is in place.
set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "podman-setup: run as root" >&2; exit 1; }

packages=(debootstrap podman runc)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "podman-setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

conf=/etc/containers/containers.conf
wanted='[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"'
settings_present() {
  grep -Eq '^[[:space:]]*default_ulimits[[:space:]]*=[[:space:]]*\[\]' "$conf" \
    && grep -Eq '^[[:space:]]*cgroup_manager[[:space:]]*=[[:space:]]*"cgroupfs"' "$conf" \
    && grep -Eq '^[[:space:]]*runtime[[:space:]]*=[[:space:]]*"runc"' "$conf"
}
if [ -s "$conf" ] && settings_present; then
  :
else
  if [ -s "$conf" ]; then
    backup="$conf.before-neon-backup-action"
    cp -p "$conf" "$backup"
    echo "podman-setup: $conf lacked the runc/cgroupfs settings; replaced it (old one: $backup)"
  else
    echo "podman-setup: writing $conf"
  fi
  mkdir -p "$(dirname "$conf")"
  printf '%s\n' "$wanted" >"$conf"
fi
