package dev.ankisupervisor.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Installs anki-supervisor into a {@link SystemdContainer} the way systemd/README.md tells a Debian
 * user: the shaded jar and the launcher under /usr/local/lib/anki-supervisor with a symlink on PATH
 * (section 2), the service users and their folders (4, 7), credentials under
 * /etc/anki-supervisor/credentials with umask 077 (6), and the unit files copied unchanged into
 * /etc/systemd/system (9). The stand-in's launcher goes next to the supervisor's (the tests' Anki).
 * Files come from the project folder and the built jar; the commands run inside the container.
 */
final class DebianInstall {
  static final Path JAR = Path.of(System.getProperty("anki.supervisor.jar", "supervisor/target/anki-supervisor.jar")).toAbsolutePath();
  /** Where the project's files are staged inside the container before `install` copies them. */
  static final String SRC = "/root/anki-supervisor-src";
  static final String LIB = "/usr/local/lib/anki-supervisor";
  static final String STANDIN = LIB + "/anki-standin";

  private DebianInstall() {}

  /**
   * A booted container with the supervisor and its units installed ({@link #supervisorAndUnits}), or
   * the test class skipped where containers cannot run (failed under CI=true).
   */
  static SystemdContainer bootWithSupervisor(String name) throws Exception {
    NspawnTests.assumeContainersCanRun();
    SystemdContainer c = SystemdContainer.boot(name);
    supervisorAndUnits(c);
    return c;
  }

  /** README sections 2 and 9: jar, launchers, the ExecStart wrapper and every unit file, then daemon-reload. */
  static void supervisorAndUnits(SystemdContainer c) throws IOException, InterruptedException {
    stage(c, JAR, "anki-supervisor.jar");
    for (String f : List.of("launcher/anki-supervisor", "launcher/anki-standin", "systemd/anki-sync-server-exec",
        "systemd/anki-connect.service", "systemd/anki-connect@.service", "systemd/anki-sync-server.service",
        "systemd/anki-sync-backup.service", "systemd/anki-sync-backup.timer")) {
      stage(c, Path.of(f).toAbsolutePath(), f);
    }
    c.sh("cd " + SRC + "\n"
        + "install -Dm644 anki-supervisor.jar " + LIB + "/anki-supervisor.jar\n"
        + "install -Dm755 launcher/anki-supervisor " + LIB + "/anki-supervisor\n"
        + "install -Dm755 systemd/anki-sync-server-exec " + LIB + "/anki-sync-server-exec\n"
        + "ln -sf " + LIB + "/anki-supervisor /usr/local/bin/anki-supervisor\n"
        + "anki-supervisor --version\n"
        + "install -Dm755 launcher/anki-standin " + STANDIN + "\n"
        + "install -m644 systemd/*.service systemd/*.timer /etc/systemd/system/\n"
        + "systemctl daemon-reload\n");
  }

  /** README section 4: the system user {@code anki} and its base folder, plus the stand-in's add-on folder (section 5's place). */
  static void ankiUser(SystemdContainer c, String base, int port) throws IOException, InterruptedException {
    c.sh("id anki >/dev/null 2>&1 || useradd --system --home-dir /var/lib/anki --shell /usr/sbin/nologin anki\n"
        + "install -d -o anki -g anki -m 0750 /var/lib/anki " + base + "\n"
        + "install -d -o anki -g anki " + base + "/addons21 " + base + "/addons21/2055492159\n");
    Files.writeString(c.path(base + "/addons21/2055492159/config.json"), ankiConnectConfig(port));
    c.sh("chown -R anki:anki " + base);
  }

  /** A1: AnkiConnect's stock config.json with the given port; the supervisor writes the real bind address and port into meta.json. */
  static String ankiConnectConfig(int port) {
    return "{\"apiKey\": null, \"apiLogPath\": null, \"webBindAddress\": \"127.0.0.1\", \"webBindPort\": " + port + ","
        + " \"webCorsOriginList\": [\"http://localhost\"], \"ignoreOriginList\": []}\n";
  }

  /** README section 6: secret files (relative name -> content) in /etc/anki-supervisor/credentials, root-only. */
  static void credentials(SystemdContainer c, Map<String, String> files) throws IOException, InterruptedException {
    c.sh("install -d -m 0700 /etc/anki-supervisor/credentials");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path host = c.path("/etc/anki-supervisor/credentials/" + f.getKey());
      Files.createDirectories(host.getParent());
      Files.writeString(host, f.getValue());
      c.sh("chmod 0700 \"$(dirname /etc/anki-supervisor/credentials/" + f.getKey() + ")\"; chmod 0600 /etc/anki-supervisor/credentials/"
          + f.getKey());
    }
  }

  /** Writes a drop-in {@code /etc/systemd/system/<unit>.d/test.conf} and reloads systemd. */
  static void dropIn(SystemdContainer c, String unit, String text) throws IOException, InterruptedException {
    Path file = c.path("/etc/systemd/system/" + unit + ".d/test.conf");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    c.sh("systemctl daemon-reload");
  }

  static void stage(SystemdContainer c, Path from, String as) throws IOException {
    Path to = c.path(SRC + "/" + as);
    Files.createDirectories(to.getParent());
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
  }
}
