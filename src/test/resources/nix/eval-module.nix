# Evaluates nix/module.nix with nixpkgs' real module system (lib.evalModules) and stub declarations
# for the NixOS options it sets, for NixModuleIT. No nixpkgs package set is needed: the packages are
# stub derivations whose outPath is a folder the test made.
#   nix-instantiate --eval --strict --json eval-module.nix \
#     --arg lib 'import <NIXPKGS_LIB>' --arg module ./nix/module.nix --arg scenario ./seed.nix --argstr stubOut /tmp/x
{ lib, module, scenario, stubOut }:
let
  inherit (lib) mkOption types;
  stub = name: { type = "derivation"; inherit name; outPath = "${stubOut}/${name}"; };
  pkgs = {
    anki = stub "anki";
    anki-supervisor = stub "anki-supervisor";
    anki-connect-supervised = stub "anki-connect";
  };
  anyAttrs = mkOption { type = types.attrsOf types.anything; default = { }; };
  stubs = {
    options = {
      assertions = mkOption { type = types.listOf types.unspecified; default = [ ]; };
      warnings = mkOption { type = types.listOf types.str; default = [ ]; };
      users.users = anyAttrs;
      users.groups = anyAttrs;
      systemd.services = anyAttrs;
      systemd.timers = anyAttrs;
      services.anki-sync-server = {
        enable = mkOption { type = types.bool; default = false; };
        address = mkOption { type = types.str; default = "::1"; };
        port = mkOption { type = types.port; default = 27701; };
        users = mkOption { type = types.listOf types.anything; default = [ ]; };
      };
    };
  };
  eval = lib.evalModules {
    modules = [ stubs module scenario { _module.args.pkgs = pkgs; } ];
  };
  cfg = eval.config;
  failed = map (a: a.message) (builtins.filter (a: !a.assertion) cfg.assertions);
  ok = failed == [ ];
in
{
  failedAssertions = failed;
  service = if ok then cfg.systemd.services.anki-connect or null else null;
  backupService = if ok then cfg.systemd.services.anki-sync-backup or null else null;
  backupTimer = if ok then cfg.systemd.timers.anki-sync-backup or null else null;
  users = if ok then builtins.attrNames cfg.users.users else [ ];
  options = map (o: lib.showOption o.loc) (lib.collect lib.isOption eval.options.services.anki-supervisor);
}
