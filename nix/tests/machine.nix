# The NixOS machine of nix/tests/vm.nix: the README's configuration on one VM, bound to loopback
# (no tailnet there), with the real Anki (pkgs.anki, offscreen), the patched AnkiConnect and
# nixpkgs' anki-sync-server; secrets made at boot outside the store, as agenix would.
# NixModuleIT evaluates this module too, with the others' checks.
{ mvnHash ? null }:
{ pkgs, lib, ... }:
{
  imports = [ ../module.nix ];

  services.anki-supervisor = {
    enable = true;
    bind = "127.0.0.1";
    apiKeyFile = "/run/keys/anki-connect-api-key";
    configApi = { enable = true; allowedKeyPrefixes = [ "awesomeAnki." ]; };
    sync = { enable = true; user = "anki"; passwordFile = "/run/keys/anki-sync-password"; };
    backup = { enable = true; destination = "/var/backups/anki"; };
    package = lib.mkIf (mvnHash != null) (pkgs.callPackage ../package.nix { inherit mvnHash; });
  };
  services.anki-sync-server = {
    enable = true;
    users = [ { username = "anki"; passwordFile = "/run/keys/anki-sync-password"; } ];
  };

  environment.systemPackages = [ pkgs.curl ]; # the test script's client

  systemd.services.test-secrets = {
    wantedBy = [ "multi-user.target" ];
    before = [ "anki-connect.service" "anki-sync-server.service" ];
    serviceConfig.Type = "oneshot";
    script = ''
      install -d -m 0700 /run/keys
      (umask 077; echo vm-test-key > /run/keys/anki-connect-api-key; echo vm-sync-password > /run/keys/anki-sync-password)
    '';
  };
}
