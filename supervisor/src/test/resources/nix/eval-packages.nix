# Evaluates nix/package.nix and nix/anki-connect.nix with stub builders (no nixpkgs package set), for
# NixModuleIT: what a flake user gets before the build starts.
#   nix-instantiate --eval --strict --json eval-packages.nix -A <attr> \
#     --arg libPath <NIXPKGS_LIB> --arg repo /path/to/checkout --argstr ankiConnectVersion 25.11.9.0
{ libPath, repo, ankiConnectVersion }:
let
  # nixpkgs' lib wants Nix 2.18; lib.fileset reads builtins.readFileType, which older Nix (Debian 12's
  # 2.8) lacks. There, lib is imported with that one builtin made from readDir (the same answers).
  lib =
    if builtins ? readFileType then import libPath
    else
      let
        withFileType = builtins // {
          readFileType = p: (builtins.readDir (dirOf p)).${baseNameOf p};
        };
        scope = { builtins = withFileType; import = scopedImport scope; };
      in scopedImport scope libPath;

  maven.buildMavenPackage = attrs: attrs;
  # The source as a file set, not a store copy: its files are listed below.
  libForPackage = lib // { fileset = lib.fileset // { toSource = { root, fileset }: { inherit root fileset; }; }; };
  supervisor = lib.makeOverridable (import (repo + "/nix/package.nix")) {
    lib = libForPackage;
    inherit maven;
    jre_headless = "jre";
    makeWrapper = "makeWrapper";
    coreutils = "coreutils";
    gnused = "gnused";
    util-linux = "util-linux";
    python3 = "python3";
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
  # What decides whether buildMavenPackage runs the unit tests, in the build and in the download.
  unitTests = {
    inherit (supervisor) doCheck nativeCheckInputs;
    mvnParameters = supervisor.mvnParameters or "";
    fetch = { inherit (supervisor.mvnFetchExtraArgs) doCheck nativeCheckInputs; };
  };
  # The package's source, relative to the checkout.
  sourceFiles = map (f: lib.removePrefix "${toString repo}/" (toString f)) (lib.fileset.toList supervisor.src.fileset);
}
