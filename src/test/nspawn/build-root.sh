#!/bin/sh
# build-root.sh DEST MIRROR PACKAGE...: the Debian 12 root the systemd container tests boot
# (SystemdContainer). Run by ContainerRoot as root into a temporary folder that it renames when
# this script succeeds; the cache key is this file's text plus the package list, so editing either
# rebuilds the root. MIRROR comes from the machine's own apt configuration (DebianMirror).
set -eu
dest=$1
mirror=$2
shift 2
packages=$(echo "$*" | tr ' ' ',')

debootstrap --variant=minbase --include="$packages" bookworm "$dest" "$mirror"

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
