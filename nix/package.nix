# anki-supervisor: the shaded jar built with Maven, and bin/anki-supervisor (launcher/anki-supervisor)
# running it on a headless JRE (17 or newer).
#
# mvnHash pins every Maven dependency (a fixed-output download). Its value depends on the poms and on
# nixpkgs' Maven, so it is given by whoever builds: `anki-supervisor.override { mvnHash = "sha256-..."; }`.
# Without it, instantiating the package stops with one message saying how to learn it and what to
# write (docs/nixos.md, first build), never a failure deep in the fixed-output download.
{ lib, maven, jre_headless, makeWrapper, coreutils, gnused, util-linux, mvnHash ? null }:

let
  missingHash = ''
    anki-supervisor: mvnHash is not set. It is the hash of the Maven dependencies that the poms name, as
    nixpkgs' Maven downloads them; learn it once with
      nix build --impure --expr 'with import <nixpkgs> { }; (callPackage ./nix/package.nix { mvnHash = lib.fakeHash; })'
    (run in the anki-supervisor checkout), copy the "got: sha256-..." of the hash mismatch, and write
      services.anki-supervisor.package = pkgs.anki-supervisor.override { mvnHash = "sha256-..."; };
    (or, without the module: anki-supervisor.packages.''${system}.anki-supervisor.override { mvnHash = "sha256-..."; }).
    After every change to a pom.xml, learn it again. See docs/nixos.md.'';
in
maven.buildMavenPackage {
  pname = "anki-supervisor";
  version = "0.1.0";

  src = lib.fileset.toSource {
    root = ../.;
    # The parent pom and its two modules (the stand-in is inside the jar), without any target/.
    fileset = lib.fileset.unions [ ../pom.xml ../standin/pom.xml ../standin/src ../supervisor/pom.xml ../supervisor/src ../launcher ];
  };

  # Thrown only when the derivation is built or instantiated, so that `.override { mvnHash = ...; }`
  # stays reachable on the package.
  mvnHash = if mvnHash == null then throw missingHash else mvnHash;
  # The tests need the stand-in's processes, Python and network namespaces: run them in CI, not here.
  mvnParameters = "-DskipTests";
  doCheck = false;

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
