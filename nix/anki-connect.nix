# AnkiConnect 25.11.9.0 (add-on 2055492159) with our two patches (P1 config API, P2 headless sync),
# built as nixpkgs builds its anki-connect add-on (N4): the files land in
# $out/share/anki/addons/anki-connect, which the module hands to `anki-supervisor run --addon-source`.
#
# The source hash cannot be known before the first build. To get it: build once with the fake hash
# (`nix build .#anki-connect`); Nix fails with "hash mismatch ... got: sha256-..."; put that value in
# `hash` below (or pass `hash = "sha256-...";` to callPackage). Verify it is commit 532a3c8 of
# devsdocs/anki-connect, the version patches/README.md names.
{ lib, ankiAddons, fetchFromGitHub, hash ? lib.fakeHash }:

ankiAddons.anki-connect.overrideAttrs (old: {
  version = "25.11.9.0";
  src = fetchFromGitHub {
    owner = "devsdocs";
    repo = "anki-connect";
    rev = "532a3c816e08e91c4367e2799ce3779403d70274";
    inherit hash;
  };
  # nixpkgs builds from sourceRoot = "<src>/plugin" (N4), while our patches are rooted at the repository
  # (a/plugin/__init__.py): strip one more component.
  patches = (old.patches or [ ]) ++ [
    ../patches/anki-connect-config-actions.patch
    ../patches/anki-connect-headless-sync.patch
  ];
  patchFlags = [ "-p2" ];
})
