# Sourced, not run: the release build's flags, one place for scripts/install.sh and every script
# that builds into .build-rel (the benchmarks and the fuzzer), so what they measure is the daemon
# install.sh installs, and .build-rel is never rebuilt for another set of flags.
#   --static-swift-stdlib  the Swift runtime and Foundation linked in (install.sh's default): no
#                          toolchain needed on the node, and about 1.8 MiB less resident.
#   -Osize                 code optimised for size: about 2 MB less .text and 1.4 MiB less
#                          resident at 1,000 pods, with no loss in the benchmarks' CPU figures
#                          (docs/benchmarks.md).
# shellcheck disable=SC2034
RELEASE_FLAGS=(-c release --static-swift-stdlib -Xswiftc -Osize)
