#!/bin/sh
# Checks every unit in systemd/ with `systemd-analyze verify`.
# The units name binaries that exist only on an installed machine (/usr/local/bin/anki-supervisor,
# /usr/local/lib/anki-supervisor/anki-sync-server-exec); verify checks that every
# ExecStart= path is executable. So the units are copied into a temp folder with those paths
# rewritten to stub executables there; nothing outside the temp folder is touched.
# Fails on any message from verify except the few filtered out below (facts of this machine, not
# of the units: no systemd running as PID 1 in a container, users that exist only once installed).
# Usage: .ci/verify-units.sh [UNIT_DIR]     (default: systemd/ next to this script's folder)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
units=${1:-$(dirname "$here")/systemd}
command -v systemd-analyze >/dev/null 2>&1 || {
  echo "verify-units: systemd-analyze not found; install Debian's systemd package (apt-get install systemd)" >&2
  exit 78
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/units" "$tmp/bin"
for stub in anki-supervisor anki-sync-server-exec; do
  printf '#!/bin/sh\nexit 0\n' > "$tmp/bin/$stub"
  chmod +x "$tmp/bin/$stub"
done
found=0
for f in "$units"/*.service "$units"/*.timer; do
  [ -e "$f" ] || continue
  found=$((found + 1))
  sed -e "s#/usr/local/bin/anki-supervisor#$tmp/bin/anki-supervisor#g" \
      -e "s#/usr/local/lib/anki-supervisor/anki-sync-server-exec#$tmp/bin/anki-sync-server-exec#g" \
      "$f" > "$tmp/units/$(basename "$f")"
done
[ "$found" -gt 0 ] || { echo "verify-units: no units in $units" >&2; exit 78; }
# The template is verified as an instance; the timer needs its service beside it (it is).
cp "$tmp/units/anki-connect@.service" "$tmp/units/anki-connect@alice.service" 2>/dev/null || true
status=0
for u in "$tmp"/units/*; do
  case "$u" in *@.service) continue ;; esac
  out=$(cd "$tmp/units" && SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no "$u" 2>&1) || true
  # Messages that describe this machine, not the unit file:
  bad=$(printf '%s\n' "$out" | grep -v -e '^$' \
      -e 'Failed to resolve unit dependencies' \
      -e 'System has not been booted with systemd' \
      -e 'Failed to connect to bus' \
      -e 'Unit tailscaled.service not found' \
      -e "Failed to resolve user" \
      -e "Failed to resolve group" \
      || true)
  name=$(basename "$u")
  if [ -n "$bad" ]; then
    echo "verify-units: $name: FAIL" >&2
    printf '%s\n' "$bad" | sed 's/^/  /' >&2
    status=1
  else
    echo "verify-units: $name: ok"
  fi
done
exit $status
