# anki-supervisor: the shaded jar built with Maven (its unit tests run in the build), and
# bin/anki-supervisor (launcher/anki-supervisor) running it on a headless JRE (17 or newer).
#
# mvnHash pins every Maven dependency (a fixed-output download). Its value depends on the poms and on
# nixpkgs' Maven, so it is given by whoever builds: `anki-supervisor.override { mvnHash = "sha256-..."; }`.
# Without it, instantiating the package stops with one message saying how to learn it and what to
# write (docs/nixos.md, first build), never a failure deep in the fixed-output download.
{ lib, maven, jre_headless, makeWrapper, coreutils, gnused, util-linux, python3, mvnHash ? null }:

let
  missingHash = ''
    anki-supervisor: mvnHash is not set. It is the hash of the Maven dependencies that the poms name, as
    nixpkgs' Maven downloads them; learn it once with
      nix build --impure --expr 'with import <nixpkgs> { }; (callPackage ./nix/package.nix { mvnHash = lib.fakeHash; })'
    (run in the anki-supervisor checkout), copy the "got: sha256-..." of the hash mismatch, and write
      services.anki-supervisor.package = pkgs.anki-supervisor.override { mvnHash = "sha256-..."; };
    (with the module imported without flakes: pkgs.callPackage <checkout>/nix/package.nix { mvnHash = "sha256-..."; };
    without the module: anki-supervisor.packages.''${system}.anki-supervisor.override { mvnHash = "sha256-..."; }).
    After every change to a pom.xml, learn it again. See docs/nixos.md.'';

  # What the unit tests run besides the JVM and stdenv's tools: python3 (CPython reads the pickles
  # and databases the supervisor writes, and plays processes that hold a port or a SQLite lock) and
  # util-linux's setsid (process groups).
  checkTools = [ python3 util-linux ];
in
maven.buildMavenPackage {
  pname = "anki-supervisor";
  version = "0.1.0";

  # The whole checkout but Git's folder, Maven's target/ folders and nix-build's result links: the
  # unit tests also hold the docs, the unit files, this module and the AnkiConnect patches to the code.
  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.fromSource (lib.sources.cleanSourceWith {
      src = ../.;
      filter = path: type:
        !(lib.elem (baseNameOf path) [ ".git" "target" ] || (type == "symlink" && lib.hasPrefix "result" (baseNameOf path)));
    });
  };

  # Thrown only when the derivation is built or instantiated, so that `.override { mvnHash = ...; }`
  # stays reachable on the package.
  mvnHash = if mvnHash == null then throw missingHash else mvnHash;

  # The unit tests (Surefire, *Test) run in the build: buildMavenPackage's `mvn package` runs them
  # unless doCheck is false. The integration tests (*IT: processes, systemd, containers) are
  # Failsafe's and run after `package`, so never here; they run in CI (docs/testing.md). doCheck is
  # set, not left to buildMavenPackage's default, so that stdenv adds nativeCheckInputs to the build.
  doCheck = true;
  nativeCheckInputs = checkTools;
  # The download of the dependencies runs the same `mvn package`, tests included (Surefire fetches
  # its JUnit provider only when it runs tests), so it needs the same tools.
  mvnFetchExtraArgs = { doCheck = true; nativeCheckInputs = checkTools; };

  nativeBuildInputs = [ makeWrapper ];

  installPhase = ''
    runHook preInstall
    install -Dm644 supervisor/target/anki-supervisor.jar $out/share/anki-supervisor/anki-supervisor.jar
    install -Dm755 launcher/anki-supervisor $out/share/anki-supervisor/anki-supervisor
    # The launcher exec()s the JVM, so systemd's main PID stays the JVM (Type=notify, NotifyAccess=main).
    makeWrapper $out/share/anki-supervisor/anki-supervisor $out/bin/anki-supervisor \
      --set JAVA_HOME ${jre_headless} \
      --set ANKI_SUPERVISOR_JAR $out/share/anki-supervisor/anki-supervisor.jar \
      --prefix PATH : ${lib.makeBinPath [ coreutils gnused util-linux ]}
    runHook postInstall
  '';

  meta = {
    description = "Keeps a headless Anki with AnkiConnect running as a dependable systemd service";
    platforms = lib.platforms.linux;
    mainProgram = "anki-supervisor";
  };
}
