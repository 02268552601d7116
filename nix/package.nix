# anki-supervisor: the shaded jar built with Maven, and bin/anki-supervisor (launcher/anki-supervisor)
# running it on a headless JRE (17 or newer).
#
# mvnHash pins every Maven dependency. After a change to pom.xml it must be refreshed: set
# `mvnHash = lib.fakeHash;`, run `nix build .#default`, and copy the "got: sha256-..." value from the
# hash mismatch error here.
{ lib, maven, jre_headless, makeWrapper, coreutils, gnused, util-linux, mvnHash ? lib.fakeHash }:

maven.buildMavenPackage {
  pname = "anki-supervisor";
  version = "0.1.0";

  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [ ../pom.xml ../src ../launcher ];
  };

  inherit mvnHash;
  # The tests need the stand-in's processes, Python and network namespaces: run them in CI, not here.
  mvnParameters = "-DskipTests";
  doCheck = false;

  nativeBuildInputs = [ makeWrapper ];

  installPhase = ''
    runHook preInstall
    install -Dm644 target/anki-supervisor.jar $out/share/anki-supervisor/anki-supervisor.jar
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
