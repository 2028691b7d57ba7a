#!/usr/bin/env bash
# Build llama.cpp's `llama-server` from the llama.cpp source that node-llama-cpp ships
# (node_modules/node-llama-cpp/llama/gitRelease.bundle: the same llama.cpp as the embedded engine),
# CPU only, without curl, only the server target. The binary is cached outside the repository, keyed
# by the llama.cpp commit: ${HOTPATH_CACHE:-~/.cache/hotpath}/llama-server/<commit>/llama-server.
# Idempotent: a cached build is reused. Prints the binary's path on stdout (progress goes to stderr).
#
#   scripts/llama-server/build.sh            build (or reuse) and print the path
#   scripts/llama-server/build.sh --path     print the path the build has or would have; exit 1 if not built
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
llama_dir="$repo/node_modules/node-llama-cpp/llama"
bundle="$llama_dir/gitRelease.bundle"
[ -f "$bundle" ] || { echo "build.sh: $bundle not found (run npm ci first)" >&2; exit 2; }
commit="$(git bundle list-heads "$bundle" | awk '$2=="HEAD"{print $1; exit}')"
[ -n "$commit" ] || { echo "build.sh: no HEAD in $bundle" >&2; exit 2; }
cache="${HOTPATH_CACHE:-$HOME/.cache/hotpath}/llama-server/$commit"
bin="$cache/llama-server"

if [ "${1:-}" = "--path" ]; then
  echo "$bin"
  [ -x "$bin" ]
  exit
fi
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9                             # two worktrees building at once: the second waits, then reuses
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi

work="$(mktemp -d "${TMPDIR:-/tmp}/llama-server-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
log() { echo "llama-server build: $*" >&2; }
log "llama.cpp $commit -> $bin (about 20 minutes on 2 loaded cores)"
git clone -q "$bundle" "$work/src" >&2
git -C "$work/src" checkout -q "$commit"
# node-llama-cpp patches its llama.cpp checkout before building; apply the same patches so the server
# runs the same code as the embedded engine (a patch that no longer applies is skipped, as there).
for patch in "$llama_dir"/patches/*.diff; do
  [ -f "$patch" ] || continue
  if git -C "$work/src" apply --check "$patch" 2>/dev/null; then
    git -C "$work/src" apply "$patch" && log "applied $(basename "$patch")"
  else
    log "skipped $(basename "$patch") (does not apply)"
  fi
done
jobs="${HOTPATH_BUILD_JOBS:-$(nproc)}"
nice -n 10 cmake -S "$work/src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DGGML_NATIVE=ON -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
  -DLLAMA_BUILD_SERVER=ON -DBUILD_SHARED_LIBS=OFF >&2
nice -n 10 cmake --build "$work/build" --target llama-server -j "$jobs" >&2
cp "$work/build/bin/llama-server" "$bin.tmp"
strip "$bin.tmp" 2>/dev/null || true
mv "$bin.tmp" "$bin"
echo "$commit" > "$cache/COMMIT"
log "done"
echo "$bin"
