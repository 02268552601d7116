# AnkiConnect (add-on 2055492159) with the project's two patches added (P1 config API, P2 headless
# sync): nixpkgs' own ankiAddons.anki-connect, so no second download and no hash to fill in. The
# patches are written against AnkiConnect 25.11.9.0 (patches/README.md), the version nixpkgs packages
# (pkgs/by-name/an/anki/addons/anki-connect, e.g. at nixpkgs commit 7b16fb26b526); with any other
# version evaluation stops with a message, as their hunks would not fit.
{ lib, ankiAddons }:

let
  base = ankiAddons.anki-connect;
  patchedFor = "25.11.9.0";
in
lib.throwIf (base.version != patchedFor) ''
  anki-supervisor: nixpkgs' ankiAddons.anki-connect is ${base.version}, but the project's AnkiConnect
  patches (patches/*.patch) are written for ${patchedFor}. Use a nixpkgs whose anki-connect is
  ${patchedFor} (nixos-unstable from November 2025 on), or set
  services.anki-supervisor.ankiConnectPackage to an AnkiConnect ${patchedFor} with the patches applied.''
(base.overrideAttrs (old: {
  # nixpkgs builds from sourceRoot = "<src>/plugin" (N4), while our patches are rooted at the
  # repository (a/plugin/__init__.py): strip one more component.
  patches = (old.patches or [ ]) ++ [
    ../patches/anki-connect-config-actions.patch
    ../patches/anki-connect-headless-sync.patch
  ];
  patchFlags = [ "-p2" ];
}))
