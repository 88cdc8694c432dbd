#!/usr/bin/env bash
# Builds the project's container image the project's own way on a machine with no Docker engine
# and no registry, and loads it into podman: the local base (.ci/image/build-local-base.sh,
# cached), then Jib's `buildTar` offline on top of it, then the class-data sharing archive
# (src/main/cds) on top of that.
#
#   bash .ci/image/build-image.sh [package|jib]
#     package (default): mvn package jib:buildTar; jib: only jib:buildTar, for a caller inside a
#     Maven build that has compiled the classes already.
# Environment: IMAGE_TEST_IMAGE, the image's name in podman (default
# localhost/neon-backup-action:local-test). Run as root (podman, and the base's debootstrap).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
image=${IMAGE_TEST_IMAGE:-localhost/neon-backup-action:local-test}
build=${1:-package}
base_tar="$repo/.image-cache/base.tar"
image_tar="$repo/target/jib-image.tar"

step_started=$SECONDS
step() { echo "build-image: $1 ($((SECONDS - step_started)) s)"; step_started=$SECONDS; }
fail() { echo "build-image: $1" >&2; exit 1; }

bash .ci/image/podman-setup.sh
bash .ci/image/build-local-base.sh "$base_tar"
step "base image ready"
goals=(jib:buildTar)
case "$build" in
  package) goals=(package jib:buildTar) ;;
  jib) ;;
  *) fail "the build must be package or jib, not '$build'" ;;
esac
mvn -B -q -Dstyle.color=never -DskipTests "${goals[@]}" \
  "-Djib.from.image=tar://$base_tar" "-Djib.to.image=$image" \
  "-Djib.outputPaths.tar=$image_tar" -Djib.disableUpdateChecks=true -Djib.console=plain 2>&1 \
  | sed 's/\x1b\[[0-9;]*m//g' || fail "the Jib build failed"
step "jib:buildTar wrote $image_tar ($(du -h "$image_tar" | cut -f1))"
previous=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
podman load -q -i "$image_tar" >/dev/null || fail "podman load failed"
step "loaded Jib's image"
# The class-data sharing archive, made by the image's own JVM on top of Jib's layers, as release.yml
# does with docker buildx (src/main/cds/Dockerfile).
jib_image=$(podman image inspect --format '{{.Id}}' "$image")
podman build -q --pull=never --build-arg "APP_IMAGE=$image" -t "$image" src/main/cds >/dev/null \
  || fail "the class-data sharing layer (src/main/cds) did not build"
# Jib's image, now untagged, goes (podman keeps the layers the new image shares with it).
podman rmi "$jib_image" >/dev/null 2>&1 || true
current=$(podman image inspect --format '{{.Id}}' "$image")
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then
  podman rmi "$previous" >/dev/null 2>&1 || true
fi
step "loaded $image (${current:0:12}, $(podman image inspect --format '{{.Size}}' "$image" \
  | awk '{ printf "%.0f MB", $1 / 1000000 }'))"
