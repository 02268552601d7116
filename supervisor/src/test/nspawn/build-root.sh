#!/bin/sh
# build-root.sh DEST MIRROR PACKAGE...: the Debian 12 root the systemd container tests boot
# (SystemdContainer). Run by ContainerRoot as root into a temporary folder that it renames when
# this script succeeds; the cache key is this file's text plus the package list, so editing either
# rebuilds the root. MIRROR comes from the machine's own apt configuration (DebianMirror).
set -eu
dest=$1
mirror=$2
shift 2

# Two steps, because debootstrap fetches one package at a time: it makes the minimal base (about
# 90 packages), and apt inside the new root fetches the rest (about 190 packages, 210 MB) with
# pipelined requests, which is several times quicker. --no-install-recommends: what debootstrap's
# --include would have installed. Unsafe I/O (no fsync per file) is fine for a throw-away root.
debootstrap --variant=minbase bookworm "$dest" "$mirror"
echo "deb $mirror bookworm main" > "$dest/etc/apt/sources.list"
mount -t proc proc "$dest/proc"
trap 'umount "$dest/proc" 2>/dev/null || true' EXIT
chroot "$dest" apt-get -q update
DEBIAN_FRONTEND=noninteractive chroot "$dest" apt-get -q -y --no-install-recommends \
  -o Dpkg::Options::=--force-unsafe-io install "$@"
umount "$dest/proc"

# A quiet, quick boot: no login prompt on the console nspawn gives the container, no units that
# wait for hardware or a network the container does not manage.
for unit in console-getty.service getty@.service systemd-networkd-wait-online.service \
  systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer; do
  ln -sf /dev/null "$dest/etc/systemd/system/$unit"
done
echo anki-nspawn > "$dest/etc/hostname"
# An empty machine-id: systemd makes a transient one at each boot (each test container differs).
: > "$dest/etc/machine-id"
# Keep the cache small: downloaded .deb files and apt lists are not needed to boot.
rm -rf "$dest"/var/cache/apt/archives/*.deb "$dest"/var/lib/apt/lists/*
