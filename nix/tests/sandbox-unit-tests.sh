#!/bin/bash
# Runs `mvn package` with the unit tests, as nix/package.nix's build does, under the conditions of
# Nix's build sandbox as far as a Debian host can give them, to find the unit tests that would fail
# in the package build (docs/nixos.md, "How it is checked"):
#   - uid 1000, with /etc/passwd and /etc/group holding only root, nixbld and nobody (as Nix writes
#     them), HOME=/homeless-shelter (does not exist), TMPDIR the build folder;
#   - a network namespace of its own (loopback only) and a PID namespace of its own;
#   - on PATH only stdenv's tools (coreutils, findutils, diffutils, sed, grep, awk, tar, gzip, bzip2,
#     xz, make, bash, patch, file), the tools nix/package.nix gives the tests (checkTools) and Maven;
#     the JDK only as JAVA_HOME (as buildMavenPackage sets it); /usr/bin (but sh, as Nix's /bin/sh),
#     /usr/sbin, /usr/local, /root, /home and /var/cache hidden;
#   - the source as package.nix takes it: the checkout without .git, target/ folders and result.
# Not like the sandbox: the rest of the host's file system stays visible (/etc, /usr/lib, /opt), and
# Maven runs offline on a copy of ~/.m2/repository (the build's dependency download has network).
# Needs root (namespaces, mounts, setpriv), Debian's util-linux and a populated ~/.m2.
#   nix/tests/sandbox-unit-tests.sh [maven arguments, e.g. -Dtest=ProgramCheckTest]
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/nix-sandbox-like.XXXXXX)
trap 'rm -rf "$work"' EXIT
tools=$work/tools
mkdir -p "$work/build/source" "$tools" "$work/host"

tar -C "$repo" --exclude=.git --exclude=target --exclude=./result -cf - . | tar -C "$work/build/source" -xf -
cp -a "$HOME/.m2/repository" "$work/build/.m2"

# stdenv's tools (the programs of Debian's counterparts).
for p in $(dpkg -L coreutils | grep -E '/bin/[^/]+$'); do cp -L "$p" "$tools/"; done
for p in find xargs diff cmp sed grep awk tar gzip gunzip bzip2 xz make bash patch file; do cp -L "$(command -v $p)" "$tools/"; done
ln -s bash "$tools/sh"
# package.nix's checkTools, by their Debian counterparts.
check_tools=$(sed -n 's/^ *checkTools = \[ \(.*\) \];$/\1/p' "$repo/nix/package.nix")
[ -n "$check_tools" ] || { echo "nix/package.nix has no 'checkTools = [ ... ];' line" >&2; exit 1; }
for t in $check_tools; do
  case $t in
    python3) cp -L /usr/bin/python3 "$tools/python3" ;; # Debian's, not a shim on PATH (pyenv)
    util-linux) for p in $(dpkg -L util-linux | grep -E '/s?bin/[^/]+$'); do cp -L "$p" "$tools/" 2>/dev/null || true; done ;;
    *) echo "checkTools names $t: add its Debian counterpart to $0" >&2; exit 1 ;;
  esac
done

printf 'root:x:0:0:Nix build user:/build:/noshell\nnixbld:x:1000:100:Nix build user:/build:/noshell\nnobody:x:65534:65534:Nobody:/:/noshell\n' > "$work/passwd"
printf 'root:x:0:\nnixbld:!:100:\nnogroup:x:65534:\n' > "$work/group"
cp -L "$(command -v mount)" "$(command -v setpriv)" "$work/host/"
chown -R 1000:100 "$work/build"
chmod 755 "$work" "$tools"

java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
maven_home=$(dirname "$(dirname "$(readlink -f "$(command -v mvn)")")")
args=$(printf '%q ' "$@")
unshare --mount --net --pid --fork --mount-proc -- bash -c "
  set -e
  ip link set lo up
  mount --bind $work/passwd /etc/passwd
  mount --bind $work/group /etc/group
  for d in /root /home /var/cache /usr/sbin /usr/local; do mount -t tmpfs -o mode=755 tmpfs \$d; done
  $work/host/mount -t tmpfs -o mode=755 tmpfs /usr/bin
  $tools/cp $tools/bash /usr/bin/sh
  cd $work/build/source
  exec $work/host/setpriv --reuid=1000 --regid=100 --clear-groups $tools/env -i \
    HOME=/homeless-shelter TMPDIR=$work/build NIX_BUILD_TOP=$work/build TERM=dumb \
    PATH=$tools:$maven_home/bin JAVA_HOME=$java_home \
    $tools/bash -c 'mvn -B package -o -nsu -Dmaven.repo.local=$work/build/.m2 $args'
"
