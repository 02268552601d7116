# A NixOS VM test of nix/module.nix (nixpkgs' runNixOSTest): the machine of ./machine.nix must start
# anki-connect.service until ready, answer deckNames with its key on 127.0.0.1:8765, back up the
# DynamicUser sync server, and stop cleanly. It runs where a NixOS VM can (KVM), e.g.
#   nix build .#checks.x86_64-linux.vm   (after setting mvnHash, docs/nixos.md "First build")
# Here (no nixpkgs, no KVM) NixModuleIT evaluates ./machine.nix; the container test NixOsUnitsIT boots
# the units it renders.
{ pkgs, mvnHash ? null }:

pkgs.testers.runNixOSTest {
  name = "anki-supervisor";
  nodes.machine = import ./machine.nix { inherit mvnHash; };
  testScript = ''
    machine.wait_for_unit("anki-sync-server.service")
    machine.wait_for_unit("anki-connect.service")
    machine.succeed("systemctl show -p StatusText --value anki-connect.service | grep -q '^ready'")
    machine.succeed(
        "curl -sf -X POST -d '{\"action\": \"deckNames\", \"version\": 6, \"key\": \"vm-test-key\"}'"
        + " http://127.0.0.1:8765/ | grep -q Default"
    )
    machine.succeed("systemctl start anki-sync-backup.service")
    machine.succeed("grep -q '\"ok\": *true' /var/backups/anki/last-backup.json")
    machine.succeed("systemctl stop anki-connect.service")
    machine.succeed("systemctl show -p Result --value anki-connect.service | grep -qx success")
  '';
}
