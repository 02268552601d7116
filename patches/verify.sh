#!/usr/bin/env bash
# Checks that both anki-supervisor patches apply to an AnkiConnect checkout with `patch -p1` in
# either order, and that the patched plugin/__init__.py compiles and plugin/config.json parses.
#
# Usage: patches/verify.sh PATH-TO-ANKI-CONNECT-CHECKOUT
#   The checkout must be clean AnkiConnect 25.11.9.0 (devsdocs/anki-connect commit 532a3c8), e.g.
#   git clone https://github.com/devsdocs/anki-connect && git -C anki-connect checkout 532a3c8
# The checkout itself is never modified: each order is tried on a fresh copy in a temp folder.
# Needs: bash, patch, python3. Exit code 0 when every step passes, 1 otherwise, 64 on bad usage.
set -euo pipefail

if [ "$#" -ne 1 ] || [ ! -f "$1/plugin/__init__.py" ]; then
  echo "usage: $0 PATH-TO-ANKI-CONNECT-CHECKOUT (a folder holding plugin/__init__.py)" >&2
  exit 64
fi
src=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
p1="$here/anki-connect-config-actions.patch"
p2="$here/anki-connect-headless-sync.patch"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

try_order() {
  local name=$1 first=$2 second=$3
  local tree="$work/$name"
  mkdir -p "$tree"
  cp -R "$src/plugin" "$tree/plugin"
  echo "== order $name: $(basename "$first") then $(basename "$second")"
  for p in "$first" "$second"; do
    # --forward: never treat an already-applied patch as a reverse one; --batch: never ask.
    if ! (cd "$tree" && patch -p1 --forward --batch --dry-run < "$p"); then
      echo "FAIL $name: $(basename "$p") does not apply (dry run)"; return 1
    fi
    if ! (cd "$tree" && patch -p1 --forward --batch --no-backup-if-mismatch < "$p"); then
      echo "FAIL $name: $(basename "$p") does not apply"; return 1
    fi
    if find "$tree" -name '*.rej' | grep -q .; then
      echo "FAIL $name: rejected hunks for $(basename "$p")"; return 1
    fi
  done
  if ! python3 -m py_compile "$tree/plugin/__init__.py"; then
    echo "FAIL $name: plugin/__init__.py does not compile"; return 1
  fi
  if ! python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$tree/plugin/config.json"; then
    echo "FAIL $name: plugin/config.json is not valid JSON"; return 1
  fi
  for action in getConfig setConfig headlessSync fullSync; do
    if ! grep -q "    def $action(self" "$tree/plugin/__init__.py"; then
      echo "FAIL $name: action $action missing after patching"; return 1
    fi
  done
  echo "PASS $name: both patches apply, plugin/__init__.py compiles, config.json parses"
}

try_order p1-then-p2 "$p1" "$p2" || failures=$((failures + 1))
try_order p2-then-p1 "$p2" "$p1" || failures=$((failures + 1))

# Either order must give the same file.
if [ "$failures" -eq 0 ]; then
  if cmp -s "$work/p1-then-p2/plugin/__init__.py" "$work/p2-then-p1/plugin/__init__.py"; then
    echo "PASS same result: both orders give the same plugin/__init__.py"
  else
    echo "FAIL same result: the two orders give different plugin/__init__.py"; failures=$((failures + 1))
  fi
fi
[ "$failures" -eq 0 ]
