#!/usr/bin/env bash
# Idempotent set-up of the sandbox backends on a fresh Debian machine (run as root):
# bubblewrap, a Docker engine and the offline-built sandbox image. Fast when all is in place.
set -euo pipefail

IMAGE="${GYMHUB_SANDBOX_IMAGE:-gymhub-sandbox:latest}"
SUITE="${GYMHUB_SANDBOX_SUITE:-bookworm}"
MIRROR="${GYMHUB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
LOG_DIR="${GYMHUB_SETUP_LOG_DIR:-/var/log}"

log() { echo "[setup_sandboxes] $*" >&2; }

need_pkgs=()
command -v bwrap >/dev/null 2>&1 || need_pkgs+=(bubblewrap)
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need_pkgs+=(debootstrap)
command -v gcc >/dev/null 2>&1 || need_pkgs+=(gcc g++)
[ -x /usr/bin/python3 ] || need_pkgs+=(python3)
command -v setpriv >/dev/null 2>&1 || need_pkgs+=(util-linux)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# The Docker engine: start it in the background when it is not answering.
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  # its own session, so that it outlives the shell (and process group) that started it
  setsid nohup dockerd --iptables=false --bridge=none --storage-driver=vfs </dev/null \
    >"$LOG_DIR/gymhub-dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { log "dockerd did not come up; see $LOG_DIR/gymhub-dockerd.log"; exit 1; }
fi

# The sandbox image, built offline from a minimal Debian root file system.
if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  root="$(mktemp -d /var/tmp/gymhub-rootfs.XXXXXX)"
  trap 'rm -rf "$root"' EXIT
  log "debootstrap $SUITE into $root (python3, gcc, g++)"
  debootstrap --variant=minbase --include=python3,gcc,g++,libc6-dev \
    "$SUITE" "$root" "$MIRROR" >"$LOG_DIR/gymhub-debootstrap.log" 2>&1
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  chmod 0755 "$root"
  mkdir -p "$root/sandbox"
  chmod 1777 "$root/sandbox"
  log "importing $IMAGE"
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    --change 'WORKDIR /sandbox' \
    - "$IMAGE" >/dev/null
fi
log "ready: bwrap $(bwrap --version | cut -d' ' -f2), docker image $IMAGE"
