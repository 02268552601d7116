#!/usr/bin/env bash
# Makes the real Anki 25.09.2 environment that CI, the real-Anki tests, the bench and operators
# share (docs/real-anki.md): a venv with aqt[qt]==25.9.2 from PyPI (PyQt6 6.9.1, PyQt6-WebEngine
# 6.8.0), plus the Debian 12 libraries its Qt needs. Made once per machine: a finished venv carries
# a marker naming what it holds, and a run that finds the marker only checks it. A venv without the
# marker (made by hand) is adopted when it holds exactly these versions and passes the checks, else
# rebuilt. A new venv is built in a temporary folder beside the target and renamed into place only
# after it passed the checks, so nobody ever uses a half-made one.
#
# Usage: real-anki/make-env.sh            (ANKI_VENV=DIR picks another place)
# Prints the venv's path as the last line of stdout; everything else goes to stderr. Exit 0 when
# the venv is ready, 1 when it cannot be made (the reason on stderr).
set -euo pipefail
umask 022

AQT_VERSION=25.9.2
ANKI_RELEASE=25.09.2
PYQT6_VERSION=6.9.1
PYQT6_WEBENGINE_VERSION=6.8.0
venv=${ANKI_VENV:-/var/cache/anki-supervisor/real-anki-$AQT_VERSION/venv}
venv=${venv%/}
# What a finished venv holds; the marker's whole content.
key="aqt[qt]==$AQT_VERSION anki==$AQT_VERSION PyQt6==$PYQT6_VERSION PyQt6-WebEngine==$PYQT6_WEBENGINE_VERSION"
marker_name=.anki-supervisor-env

# The Debian 12 packages behind every library that `ldd` resolves outside the venv for the
# modules aqt imports (aqt/qt/qt6.py), QtWebEngineProcess, the offscreen platform plugin, the SVG
# plugins and anki's _rsbridge.so; libgl1 is also dlopened by Anki at start (C4). python3-venv
# makes the venv, ca-certificates lets pip reach PyPI. libc6, libstdc++6, libgcc-s1 and zlib1g are
# always there.
packages=(
  python3-venv ca-certificates
  libasound2 libatomic1 libdbus-1-3 libdrm2 libegl1 libexpat1 libfontconfig1 libfreetype6
  libgbm1 libgl1 libglib2.0-0 libgssapi-krb5-2 libnspr4 libnss3 libx11-6 libxcb1
  libxcomposite1 libxdamage1 libxext6 libxfixes3 libxi6 libxkbcommon0 libxkbfile1 libxrandr2
  libxrender1 libxshmfence1 libxtst6 libzstd1
)

log() { echo "make-env: $*" >&2; }
die() { log "$*"; exit 1; }

install_missing_packages() {
  local p missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing Debian packages (run as root, or apt-get install them): ${missing[*]}"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The files whose libraries must all resolve (see packages above), relative to site-packages.
linked_files() {
  local sp=$1 m
  for m in QtCore QtGui QtNetwork QtQml QtQuick QtWebChannel QtWebEngineCore QtWebEngineWidgets QtWidgets QtPrintSupport; do
    echo "$sp/PyQt6/$m.abi3.so"
  done
  echo "$sp/PyQt6/Qt6/libexec/QtWebEngineProcess"
  echo "$sp/PyQt6/Qt6/plugins/platforms/libqoffscreen.so"
  echo "$sp/PyQt6/Qt6/plugins/imageformats/libqsvg.so"
  echo "$sp/PyQt6/Qt6/plugins/iconengines/libqsvgicon.so"
  echo "$sp/anki/_rsbridge.so"
}

# Checks the venv in $1 (its python run directly, so it works before the rename): the versions,
# every library resolved, and `anki --version` answering. Prints why on failure.
check_env() {
  local dir=$1 sp versions f unresolved=0 out
  if [ ! -x "$dir/bin/python" ] || [ ! -f "$dir/bin/anki" ]; then
    log "$dir: no bin/python or bin/anki"
    return 1
  fi
  versions=$("$dir/bin/python" -c 'import importlib.metadata as m
print(" ".join(m.version(p) for p in ("aqt", "anki", "PyQt6", "PyQt6-WebEngine")))' 2>/dev/null) || versions=none
  if [ "$versions" != "$AQT_VERSION $AQT_VERSION $PYQT6_VERSION $PYQT6_WEBENGINE_VERSION" ]; then
    log "$dir holds aqt anki PyQt6 PyQt6-WebEngine = $versions, not $AQT_VERSION $AQT_VERSION $PYQT6_VERSION $PYQT6_WEBENGINE_VERSION"
    return 1
  fi
  sp=$("$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  while read -r f; do
    [ -e "$f" ] || { log "missing $f"; unresolved=1; continue; }
    if ldd "$f" | grep -q 'not found'; then
      log "$f: $(ldd "$f" | grep 'not found' | tr -s ' \t\n' ' ')"
      unresolved=1
    fi
  done < <(linked_files "$sp")
  [ "$unresolved" = 0 ] || return 1
  # A clean environment: Anki must not depend on the caller's (C4); HOME is only read here.
  out=$(env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=/nonexistent USER=root LOGNAME=root \
        "$dir/bin/python" "$dir/bin/anki" --version 2>&1) || { log "anki --version failed: $out"; return 1; }
  case "$out" in
    *"Anki $ANKI_RELEASE"*) ;;
    *) log "anki --version said: $out"; return 1 ;;
  esac
}

build_into() {
  local tmp=$1 f
  log "building $venv (aqt[qt]==$AQT_VERSION, about 300 MB from PyPI) in $tmp"
  /usr/bin/python3 -m venv "$tmp"
  # --no-compile: the bytecode is compiled below with the final path inside it
  "$tmp/bin/pip" install --disable-pip-version-check --no-compile -q "aqt[qt]==$AQT_VERSION" >&2 ||
    die "pip could not install aqt[qt]==$AQT_VERSION (above); is PyPI reachable (proxy, PIP_CERT for a private CA)?"
  # A venv names its own folder in its scripts' first lines and activate files: point them at the
  # final place before the rename.
  for f in "$tmp"/bin/* "$tmp/pyvenv.cfg"; do
    if [ -f "$f" ] && [ ! -L "$f" ] && grep -qF "$tmp" "$f"; then
      sed -i "s|$tmp|$venv|g" "$f"
    fi
  done
  "$tmp/bin/python" -m compileall -q -j 0 -s "$tmp" -p "$venv" "$tmp/lib" >/dev/null || true
  chmod -R a+rX "$tmp"
}

build_dir=""
remove_build_dir() { [ -z "$build_dir" ] || rm -rf "$build_dir"; }

main() {
  local old
  install_missing_packages
  mkdir -p "$(dirname "$venv")"
  # One maker at a time per place; the others wait, then find the venv made.
  exec 9>"$venv.lock"
  flock 9

  if [ -d "$venv" ]; then
    if [ "$(cat "$venv/$marker_name" 2>/dev/null)" = "$key" ] && check_env "$venv"; then
      log "$venv is ready ($key)"
      echo "$venv"
      return 0
    fi
    if [ ! -e "$venv/$marker_name" ] && check_env "$venv"; then
      log "adopting $venv (made without this script; it holds $key and passes the checks)"
      chmod -R a+rX "$venv"
      echo "$key" > "$venv/$marker_name"
      echo "$venv"
      return 0
    fi
    log "$venv is not a usable $key: rebuilding it"
  fi

  build_dir=$(mktemp -d "$venv.build-XXXXXX")
  trap remove_build_dir EXIT
  build_into "$build_dir"
  check_env "$build_dir" || die "the new venv failed its checks (above); $venv left as it was"
  echo "$key" > "$build_dir/$marker_name"
  if [ -e "$venv" ]; then
    old=$(mktemp -d "$venv.old-XXXXXX")
    mv "$venv" "$old/venv"
    mv "$build_dir" "$venv"
    rm -rf "$old"
  else
    mv "$build_dir" "$venv"
  fi
  build_dir=""
  log "$venv is ready ($key)"
  echo "$venv"
}

main "$@"
