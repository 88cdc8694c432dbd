#!/usr/bin/env bash
# The container image, end to end, on a machine with no Docker engine and no registry: build the
# local base (cached; .ci/image/build-local-base.sh), layer the application onto it offline with
# `jib:buildTar`, load the result into podman, and run it the way GitHub's runner runs a container
# action: every input as an INPUT_* variable (hyphens kept; "" when not given), the file commands
# in a mounted /github/file_commands, the workspace mounted at /github/workspace as the working
# directory, GITHUB_ACTIONS=true, host networking. Then check the exit status and that the step
# outputs hold object-key and sha256. Whoever calls it owns the database and the bucket, and checks
# what landed there.
#
# Inputs come from IMAGE_TEST_<INPUT> variables, the input's name upper-cased with hyphens as
# underscores: IMAGE_TEST_DATABASE_URL and IMAGE_TEST_S3_BUCKET (required), IMAGE_TEST_S3_ENDPOINT,
# IMAGE_TEST_S3_FORCE_PATH_STYLE, IMAGE_TEST_AWS_ACCESS_KEY_ID, IMAGE_TEST_AWS_SECRET_ACCESS_KEY,
# IMAGE_TEST_S3_PREFIX, ... The input names are read from action.yml, as the runner does.
# Other settings:
#   IMAGE_TEST_BUILD     package (default): mvn package jib:buildTar; jib: only jib:buildTar, for a
#                        caller inside a Maven build that has compiled the classes already; none:
#                        run the image loaded last time.
#   IMAGE_TEST_WORK_DIR  where file_commands/ and workspace/ go (default: a new temporary
#                        directory, kept, and printed). The outputs are in file_commands/output.
#   IMAGE_TEST_IMAGE     the image's name in podman (default localhost/neon-backup-action:local-test).
# Exit status: the container's, or 1 when a check or a build step fails.
# Run as root (podman, and the base image's debootstrap).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
image=${IMAGE_TEST_IMAGE:-localhost/neon-backup-action:local-test}
build=${IMAGE_TEST_BUILD:-package}

started=$SECONDS
step_started=$SECONDS
step() { echo "run-image-test: $1 ($((SECONDS - step_started)) s)"; step_started=$SECONDS; }
fail() { echo "run-image-test: $1" >&2; exit 1; }

: "${IMAGE_TEST_DATABASE_URL:?set IMAGE_TEST_DATABASE_URL (the database-url input)}"
: "${IMAGE_TEST_S3_BUCKET:?set IMAGE_TEST_S3_BUCKET (the s3-bucket input)}"

# The inputs the runner would set: those action.yml declares, or the program's inputs when there is
# no action.yml yet.
input_names() {
  if [ -f action.yml ]; then
    awk '/^inputs:/ { inside = 1; next }
         inside && /^[^[:space:]#]/ { inside = 0 }
         inside && /^  [A-Za-z0-9_-]+:/ { sub(/^  /, ""); sub(/:.*/, ""); print }' action.yml
  else
    printf '%s\n' database-url s3-bucket s3-prefix aws-region s3-endpoint s3-force-path-style \
      aws-access-key-id aws-secret-access-key aws-session-token s3-checksum compression \
      pg-dump-options pg-bin-dir
  fi
}

case "$build" in
  package | jib) IMAGE_TEST_IMAGE=$image bash .ci/image/build-image.sh "$build" || exit 1 ;;
  none)
    bash .ci/image/podman-setup.sh
    podman image exists "$image" || fail "no image $image: run with IMAGE_TEST_BUILD=package"
    ;;
  *) fail "IMAGE_TEST_BUILD must be package, jib or none, not '$build'" ;;
esac

work=${IMAGE_TEST_WORK_DIR:-$(mktemp -d /tmp/neon-backup-image-test.XXXXXX)}
mkdir -p "$work/file_commands" "$work/workspace" "$work/home"
: >"$work/file_commands/output"
: >"$work/file_commands/summary"
: >"$work/file_commands/env"
: >"$work/file_commands/path"

# As the runner does: values in the environment of the engine's client, only names on its command
# line (so no secret shows in the process list).
values=(GITHUB_ACTIONS=true CI=true HOME=/github/home RUNNER_OS=Linux
  GITHUB_WORKSPACE=/github/workspace
  GITHUB_OUTPUT=/github/file_commands/output
  GITHUB_STEP_SUMMARY=/github/file_commands/summary
  GITHUB_ENV=/github/file_commands/env
  GITHUB_PATH=/github/file_commands/path)
names=()
for pair in "${values[@]}"; do names+=(-e "${pair%%=*}"); done
while read -r input; do
  [ -n "$input" ] || continue
  upper=${input^^}
  variable="IMAGE_TEST_${upper//-/_}"
  values+=("INPUT_$upper=${!variable:-}")
  names+=(-e "INPUT_$upper")
done < <(input_names)

echo "run-image-test: podman run $image (work directory $work)"
status=0
env "${values[@]}" podman run --rm --network host "${names[@]}" \
  -v "$work/file_commands:/github/file_commands" \
  -v "$work/workspace:/github/workspace" \
  -v "$work/home:/github/home" \
  -w /github/workspace \
  "$image" || status=$?
step "the container exited with status $status"

echo "run-image-test: step outputs ($work/file_commands/output):"
sed 's/^/  /' "$work/file_commands/output"
[ "$status" = 0 ] || exit "$status"
grep -q '^object-key=.' "$work/file_commands/output" || fail "no object-key in the step outputs"
grep -Eq '^sha256=[0-9a-f]{64}$' "$work/file_commands/output" || fail "no sha256 in the step outputs"
echo "run-image-test: passed in $((SECONDS - started)) s"
