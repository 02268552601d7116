# Evaluates nix/package.nix and nix/anki-connect.nix with stub builders (no nixpkgs package set), for
# NixModuleIT: what a flake user gets before the build starts.
#   nix-instantiate --eval --strict --json eval-packages.nix -A <attr> \
#     --arg lib 'import <NIXPKGS_LIB>' --arg repo /path/to/checkout --argstr ankiConnectVersion 25.11.9.0
{ lib, repo, ankiConnectVersion }:
let
  maven.buildMavenPackage = attrs: attrs;
  supervisor = lib.makeOverridable (import (repo + "/nix/package.nix")) {
    inherit lib maven;
    jre_headless = "jre";
    makeWrapper = "makeWrapper";
    coreutils = "coreutils";
    gnused = "gnused";
    util-linux = "util-linux";
  };
  # nixpkgs' add-on as far as the override sees it: a version, patches and overrideAttrs.
  addon = attrs: attrs // { overrideAttrs = f: addon (attrs // f attrs); };
  ankiConnect = import (repo + "/nix/anki-connect.nix") {
    inherit lib;
    ankiAddons.anki-connect = addon { pname = "anki-connect"; version = ankiConnectVersion; patches = [ ]; };
  };
in
{
  mvnHashUnset = supervisor.mvnHash;
  mvnHashGiven = (supervisor.override { mvnHash = "sha256-given"; }).mvnHash;
  ankiConnect = { inherit (ankiConnect) version patchFlags; patches = map baseNameOf ankiConnect.patches; };
}
