# Evaluates nix/module.nix with nixpkgs' real module system (lib.evalModules) and stub declarations
# for the NixOS options it sets, for NixModuleIT. No nixpkgs package set is needed: the packages are
# stub derivations whose outPath is a folder the test made (or, with stubOut = "/nix/store", a store
# path of a fixed made-up hash, for the rendered unit files the container test boots).
#   nix-instantiate --eval --strict --json eval-module.nix \
#     --arg lib 'import <NIXPKGS_LIB>' --arg module ./nix/module.nix --arg scenario ./seed.nix --argstr stubOut /tmp/x
{ lib, module, scenario, stubOut }:
let
  inherit (lib) mkOption types;
  outOf = name:
    if stubOut == "/nix/store"
    then "/nix/store/${builtins.substring 0 32 (builtins.hashString "sha256" name)}-${name}"
    else "${stubOut}/${name}";
  stub = name: { type = "derivation"; inherit name; outPath = outOf name; };
  pkgs = {
    anki = stub "anki";
    anki-supervisor = stub "anki-supervisor";
    anki-connect-supervised = stub "anki-connect";
    # NixOS's default PATH of every service (after the unit's own `path`).
    coreutils = stub "coreutils";
    findutils = stub "findutils";
    gnugrep = stub "gnugrep";
    gnused = stub "gnused";
    systemd = stub "systemd";
    curl = stub "curl"; # nix/tests/machine.nix
    anki-sync-server = stub "anki-sync-server";
    # A build step: its script is kept so that the test can run it as the build would.
    runCommand = name: env: script: stub name // { inherit script; };
  };
  anyAttrs = mkOption { type = types.attrsOf types.anything; default = { }; };
  stubs = {
    options = {
      assertions = mkOption { type = types.listOf types.unspecified; default = [ ]; };
      warnings = mkOption { type = types.listOf types.str; default = [ ]; };
      meta = anyAttrs;
      users.users = anyAttrs;
      users.groups = anyAttrs;
      environment.systemPackages = mkOption { type = types.listOf types.package; default = [ ]; };
      networking.firewall = anyAttrs;
      systemd.services = anyAttrs;
      systemd.timers = anyAttrs;
      systemd.tmpfiles.rules = mkOption { type = types.listOf types.str; default = [ ]; };
      services.anki-sync-server = {
        enable = mkOption { type = types.bool; default = false; };
        address = mkOption { type = types.str; default = "::1"; };
        port = mkOption { type = types.port; default = 27701; };
        users = mkOption {
          type = types.listOf (types.submodule {
            options.username = mkOption { type = types.str; };
            options.passwordFile = mkOption { type = types.nullOr types.str; default = null; };
          });
          default = [ ];
        };
      };
      services.tailscale = {
        enable = mkOption { type = types.bool; default = false; };
        interfaceName = mkOption { type = types.str; default = "tailscale0"; };
      };
    };
  };
  # The unit nixpkgs' services.anki-sync-server declares (N5), so that the module's settings for it
  # merge with nixpkgs' own as on NixOS: a run script (users with a passwordFile, as credentials)
  # that execs the server, DynamicUser, SYNC_BASE=%S/%N, Restart=always, no KillSignal.
  syncServerUnit = { config, ... }:
    let server = config.services.anki-sync-server; in {
      config.systemd.services = lib.mkIf server.enable {
        anki-sync-server = {
          description = "anki-sync-server: Anki sync server built into Anki";
          after = [ "network.target" ];
          wantedBy = [ "multi-user.target" ];
          path = [ pkgs.anki-sync-server ];
          environment = { SYNC_BASE = "%S/%N"; SYNC_HOST = server.address; SYNC_PORT = toString server.port; };
          serviceConfig = {
            Type = "simple";
            DynamicUser = true;
            StateDirectory = "anki-sync-server";
            ExecStart = "${stub "anki-sync-server-run"}/bin/anki-sync-server-run";
            Restart = "always";
            LoadCredential = map (u: "${u.username}:${u.passwordFile}") (builtins.filter (u: u.passwordFile != null) server.users);
          };
        };
      };
    };
  eval = lib.evalModules {
    modules = [ stubs syncServerUnit module scenario { _module.args.pkgs = pkgs; } ];
  };
  cfg = eval.config;
  failed = map (a: a.message) (builtins.filter (a: !a.assertion) cfg.assertions);
  ok = failed == [ ];
  service = cfg.systemd.services.anki-connect or null;
  render = import ./render-units.nix { inherit lib pkgs; };
in
{
  failedAssertions = failed;
  inherit (cfg) warnings;
  service = if ok then service else null;
  services = if ok then cfg.systemd.services else { };
  backupService = if ok then cfg.systemd.services.anki-sync-backup or null else null;
  backupTimer = if ok then cfg.systemd.timers.anki-sync-backup or null else null;
  users = if ok then builtins.attrNames cfg.users.users else [ ];
  tmpfiles = if ok then cfg.systemd.tmpfiles.rules else [ ];
  firewall = if ok then cfg.networking.firewall else { };
  systemPackages = if ok then map (p: p.name) cfg.environment.systemPackages else [ ];
  configCheck = if ok && service != null then map (d: d.script) (service.restartTriggers or [ ]) else [ ];
  rendered = if ok then render cfg else { };
  options = map (o: lib.showOption o.loc) (lib.collect lib.isOption eval.options.services.anki-supervisor);
}
