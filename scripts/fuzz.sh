#!/usr/bin/env bash
# The manifest reader's fuzzer: builds inplaced-fuzz (release) and runs ManifestLoader in-process on
# INPUTS generated inputs (byte-level and structure-aware mutations of the repository's fixtures,
# examples and ../shared/corpus when it is there, plus documents built to hit a limit), stopping
# after SECONDS if given. Prints inputs run, duration, inputs/s, outcome classes, peak RSS and the
# slowest input. Crashing and hanging inputs are written to fuzz-out/ (crash-SEED-N.yaml,
# hang-SEED-N.yaml). Not a test: figures, for docs/benchmarks.md (see docs/fuzzing.md).
#
# Usage: scripts/fuzz.sh [INPUTS=1000000 [SECONDS=0 (no limit) [SEED=1]]]
#        FUZZ_OUT=DIR puts the saved inputs elsewhere; extra inplaced-fuzz flags in FUZZ_FLAGS.
# Exits non-zero on a crash, a hang (an input over 1 s of CPU), or a broken invariant.
# (release builds into .build-rel, shared with the benchmarks: the first time takes many minutes.)
set -euo pipefail
cd "$(dirname "$0")/.."
INPUTS=${1:-1000000}
SECONDS_LIMIT=${2:-0}
SEED=${3:-1}
OUT=${FUZZ_OUT:-fuzz-out}
. scripts/release-flags.sh
swift build "${RELEASE_FLAGS[@]}" --scratch-path .build-rel --product inplaced-fuzz >/dev/null
ARGS=(--inputs "$INPUTS" --seed "$SEED" --out "$OUT")
if [ "$SECONDS_LIMIT" != 0 ]; then ARGS+=(--seconds "$SECONDS_LIMIT"); fi
# shellcheck disable=SC2086
exec .build-rel/release/inplaced-fuzz "${ARGS[@]}" ${FUZZ_FLAGS:-}
