#!/usr/bin/env bash
# Applies the repository's .swift-format (swift-format of the Swift toolchain) to every Swift
# file but the generated CRI and etcd protobuf code; with --check, changes nothing and fails when a
# file is not formatted or breaks a lint rule (as .ci/run does).
# Usage: scripts/format.sh [--check]
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t FILES < <(find Sources Tests -name '*.swift' -not -path 'Sources/CRIProto/*' -not -path 'Sources/EtcdProto/*' | sort; echo Package.swift)
if [ "${1:-}" = "--check" ]; then
  swift format lint --strict --parallel "${FILES[@]}"
  echo "format: ${#FILES[@]} files formatted as .swift-format says"
else
  swift format format --in-place --parallel "${FILES[@]}"
fi
