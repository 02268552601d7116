{
  description = "anki-supervisor: headless Anki + AnkiConnect as a dependable systemd service";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      overlays.default = final: prev: {
        anki-supervisor = final.callPackage ./nix/package.nix { };
        anki-connect-supervised = final.callPackage ./nix/anki-connect.nix { };
      };

      packages = forAllSystems (pkgs: rec {
        anki-supervisor = pkgs.callPackage ./nix/package.nix { };
        anki-connect = pkgs.callPackage ./nix/anki-connect.nix { };
        default = anki-supervisor;
      });

      # The NixOS VM test (nix/tests/vm.nix); needs KVM and mvnHash (docs/nixos.md, first build).
      checks = forAllSystems (pkgs: {
        vm = pkgs.callPackage ./nix/tests/vm.nix { };
      });

      nixosModules.default = {
        imports = [ ./nix/module.nix ];
        nixpkgs.overlays = [ self.overlays.default ];
      };
    };
}
