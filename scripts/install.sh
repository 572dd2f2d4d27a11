#!/usr/bin/env bash
# Builds inplaced and inplacectl in release mode and installs them with the systemd unit and a
# default config:
#
#   $PREFIX/bin/inplaced, $PREFIX/bin/inplacectl       (PREFIX=/usr/local)
#   $SYSTEMD_DIR/inplaced.service                       (SYSTEMD_DIR=/etc/systemd/system)
#   /etc/inplaced/config.yaml                           (only when absent: local edits are kept)
#   /etc/inplaced/manifests/
#
# then runs `systemctl daemon-reload` when systemd is the running init. Every path is prefixed
# with $DESTDIR for a staged install (packaging, tests); a staged install never touches systemd.
# Running it again replaces the binaries and the unit and changes nothing else.
#
# Usage: scripts/install.sh [--dry-run] [--skip-build] [--dynamic-stdlib]
#   --dry-run         print what would be done; build, write and reload nothing
#   --skip-build      install the binaries already in .build/release
#   --dynamic-stdlib  link the Swift runtime dynamically (the binaries then need this toolchain's
#                     libraries at run time); the default links it statically
set -euo pipefail
cd "$(dirname "$0")/.."

DRY_RUN=0
BUILD=1
STATIC_STDLIB=1
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    --skip-build) BUILD=0 ;;
    --dynamic-stdlib) STATIC_STDLIB=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done

DESTDIR=${DESTDIR:-}
DESTDIR=${DESTDIR%/}
PREFIX=${PREFIX:-/usr/local}
PREFIX=${PREFIX%/}
SYSTEMD_DIR=${SYSTEMD_DIR:-/etc/systemd/system}
CONFIG_DIR=/etc/inplaced

BIN_DEST=$DESTDIR$PREFIX/bin
UNIT_DEST=$DESTDIR$SYSTEMD_DIR/inplaced.service
CONFIG_DEST=$DESTDIR$CONFIG_DIR/config.yaml
MANIFEST_DEST=$DESTDIR$CONFIG_DIR/manifests

say() { echo "install.sh: $*"; }
# run CMD...: runs it, or only prints it with --dry-run.
run() {
  if [ "$DRY_RUN" = 1 ]; then echo "  would run: $*"; else "$@"; fi
}

if [ -z "$DESTDIR" ] && [ "$DRY_RUN" = 0 ] && [ "$(id -u)" != 0 ]; then
  echo "install.sh: installing into / needs root (or set DESTDIR for a staged install)" >&2
  exit 1
fi

# --- build ---------------------------------------------------------------------------------------
# The flags of scripts/release-flags.sh (static runtime, -Osize); --dynamic-stdlib drops the first.
. scripts/release-flags.sh
BUILD_FLAGS=()
for f in "${RELEASE_FLAGS[@]}"; do
  [ "$STATIC_STDLIB" = 0 ] && [ "$f" = --static-swift-stdlib ] && continue
  BUILD_FLAGS+=("$f")
done
if [ "$BUILD" = 1 ]; then
  say "building release binaries (swift build ${BUILD_FLAGS[*]})"
  run swift build "${BUILD_FLAGS[@]}" --product inplaced
  run swift build "${BUILD_FLAGS[@]}" --product inplacectl
fi
BIN_SRC=$(swift build "${BUILD_FLAGS[@]}" --show-bin-path)
if [ "$DRY_RUN" = 0 ]; then
  for b in inplaced inplacectl; do
    [ -x "$BIN_SRC/$b" ] || { echo "install.sh: $BIN_SRC/$b is missing; build first or drop --skip-build" >&2; exit 1; }
  done
fi

# --- install ---------------------------------------------------------------------------------------
# install_file MODE SRC DEST: writes DEST atomically (a temp file in the same directory renamed over
# it), so a running binary is replaced without "text file busy" and a reader never sees half a file.
install_file() {
  local mode=$1 src=$2 dest=$3
  say "installing $dest"
  run install -d -m 0755 "$(dirname "$dest")"
  run install -m "$mode" "$src" "$dest.tmp.$$"
  run mv -f "$dest.tmp.$$" "$dest"
}

install_file 0755 "$BIN_SRC/inplaced" "$BIN_DEST/inplaced"
install_file 0755 "$BIN_SRC/inplacectl" "$BIN_DEST/inplacectl"

# The unit names /usr/local/bin/inplaced; another PREFIX gets a unit pointing at its binary.
UNIT_SRC=systemd/inplaced.service
if [ "$PREFIX" != /usr/local ]; then
  UNIT_TMP=$(mktemp)
  trap 'rm -f "$UNIT_TMP"' EXIT
  sed "s|^ExecStart=/usr/local/bin/inplaced |ExecStart=$PREFIX/bin/inplaced |" "$UNIT_SRC" >"$UNIT_TMP"
  UNIT_SRC=$UNIT_TMP
fi
install_file 0644 "$UNIT_SRC" "$UNIT_DEST"

if [ -e "$CONFIG_DEST" ]; then
  if cmp -s systemd/config.yaml "$CONFIG_DEST"; then
    say "keeping $CONFIG_DEST (already the default)"
  else
    say "keeping $CONFIG_DEST (locally edited); the new default goes to $CONFIG_DEST.default for comparison"
    install_file 0644 systemd/config.yaml "$CONFIG_DEST.default"
  fi
else
  install_file 0644 systemd/config.yaml "$CONFIG_DEST"
fi

say "creating $MANIFEST_DEST"
run install -d -m 0755 "$MANIFEST_DEST"

# --- systemd -------------------------------------------------------------------------------------
if [ -n "$DESTDIR" ]; then
  say "staged install into $DESTDIR: not reloading systemd"
elif [ -d /run/systemd/system ]; then
  say "reloading systemd"
  run systemctl daemon-reload
  if systemctl is-active --quiet inplaced 2>/dev/null; then
    say "inplaced is running; 'systemctl restart inplaced' starts the new binary (pods keep running)"
  else
    say "start it with: systemctl enable --now inplaced"
  fi
else
  say "systemd is not running here (a container?): skipped 'systemctl daemon-reload'"
fi
[ "$DRY_RUN" = 1 ] && say "dry run: nothing was built, written or reloaded"
say "done"
