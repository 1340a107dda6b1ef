#!/usr/bin/env bash
# Build the env-server image (default gymhub-server:latest) without any registry at build time:
# 1. on the host, `pip wheel` makes a wheelhouse of gymhub, its dependencies and pip itself;
# 2. `docker build --network none` installs from that wheelhouse on top of the sandbox base image
#    (scripts/setup_sandboxes.sh builds it with debootstrap).
# Environment: GYMHUB_SERVER_IMAGE, GYMHUB_SANDBOX_IMAGE, GYMHUB_SERVER_EXTRAS (e.g. "web"),
# PYTHON (an interpreter of the same minor version as the image's python3, for binary wheels).
# `--if-missing` does nothing when the image already exists.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE="${GYMHUB_SERVER_IMAGE:-gymhub-server:latest}"
BASE="${GYMHUB_SANDBOX_IMAGE:-gymhub-sandbox:latest}"
EXTRAS="${GYMHUB_SERVER_EXTRAS:-}"
PYTHON="${PYTHON:-python3}"
CONTEXT="$ROOT/build/gymhub-server-image"

log() { echo "[deploy/build] $*" >&2; }

if [ "${1:-}" = "--if-missing" ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "$IMAGE exists"
  exit 0
fi

docker image inspect "$BASE" >/dev/null 2>&1 || {
  log "base image $BASE not found: run scripts/setup_sandboxes.sh first"
  exit 1
}
host_py="$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
image_py="$(docker run --rm --network none "$BASE" python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
if [ "$host_py" != "$image_py" ]; then
  log "host Python $host_py differs from the image's $image_py: set PYTHON=python$image_py"
  exit 1
fi

requirement="gymhub${EXTRAS:+[$EXTRAS]}"
rm -rf "$CONTEXT"
mkdir -p "$CONTEXT/wheels"
log "wheelhouse for $requirement (python $host_py)"
"$PYTHON" -m pip wheel --quiet --disable-pip-version-check -w "$CONTEXT/wheels" \
  "$ROOT${EXTRAS:+[$EXTRAS]}" websockets pip
cp "$ROOT/deploy/Dockerfile" "$CONTEXT/Dockerfile"
log "docker build $IMAGE (no network)"
docker build --quiet --network none --build-arg "BASE=$BASE" \
  --build-arg "REQUIREMENT=$requirement" -t "$IMAGE" "$CONTEXT" >/dev/null
log "ready: $IMAGE (run: gymhub serve --docker ID...)"
