package dev.ankisupervisor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Lays out, inside a {@link SystemdContainer}, what a NixOS system holds for the unit files NixOS
 * renders from nix/module.nix (supervisor/src/test/resources/nix/rendered, made by NixModuleIT):
 *
 * <ul>
 *   <li>the store paths those files name ({@link #store}: the made-up hashes of
 *       supervisor/src/test/resources/nix/eval-module.nix), filled from the container's Debian packages:
 *       coreutils, findutils, grep, sed and systemd (NixOS's default service PATH), util-linux and a
 *       Java (what nix/package.nix's wrapper adds), bash (patchShebangs' interpreter);
 *   <li>the package as nix/package.nix installs it: the jar and the launcher (its shebang pointing
 *       into the store, as patchShebangs leaves it) in share/anki-supervisor, and bin/anki-supervisor,
 *       a wrapper setting JAVA_HOME, ANKI_SUPERVISOR_JAR and PATH (the packages package.nix names,
 *       read from it) as makeWrapper does;
 *   <li>Anki (the stand-in) and AnkiConnect's add-on folder as their packages' outputs;
 *   <li>the store side of nixpkgs' sync server (N5): the server and the run script that reads the
 *       password credential and execs it. Its unit is rendered too (eval-module.nix declares it as
 *       nixpkgs does, merged with what nix/module.nix adds: KillSignal=SIGINT).
 * </ul>
 *
 * Every unit here gets the drop-in {@link #NO_HOST_BIN}: NixOS has no /usr/bin or /usr/sbin beyond
 * /usr/bin/env, so a unit may run only what its PATH (the store) gives it.
 */
final class NixosLikeInstall {
  /** Hides Debian's programs from a unit, as on NixOS (the container's /bin and /sbin point there). */
  static final String NO_HOST_BIN = "[Service]\nInaccessiblePaths=/usr/bin /usr/sbin\n";

  /** GNU coreutils' programs (what nixpkgs' coreutils puts in bin/). */
  static final List<String> COREUTILS = List.of(("[ arch b2sum base32 base64 basename basenc cat chcon chgrp chmod chown"
      + " cksum comm cp csplit cut date dd df dir dircolors dirname du echo env expand expr factor false fmt fold groups head"
      + " hostid id install join link ln logname ls md5sum mkdir mkfifo mknod mktemp mv nice nl nohup nproc numfmt od paste"
      + " pathchk pinky pr printenv printf ptx pwd readlink realpath rm rmdir runcon seq sha1sum sha224sum sha256sum"
      + " sha384sum sha512sum shred shuf sleep sort split stat stdbuf stty sum sync tac tail tee test timeout touch tr true"
      + " truncate tsort tty uname unexpand uniq unlink users vdir wc who whoami yes").split(" "));

  private NixosLikeInstall() {}

  /** The made-up store path of a stub package (eval-module.nix: the first 32 hex digits of sha256(name)). */
  static String store(String name) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return "/nix/store/" + HexFormat.of().formatHex(h).substring(0, 32) + "-" + name;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The store: tools, Java, the package, Anki and AnkiConnect. */
  static void store(SystemdContainer c) throws IOException, InterruptedException {
    DebianInstall.stage(c, DebianInstall.JAR, "anki-supervisor.jar");
    DebianInstall.stage(c, Path.of("launcher/anki-supervisor").toAbsolutePath(), "launcher/anki-supervisor");
    String pkg = store("anki-supervisor");
    String bash = store("bash");
    StringBuilder sh = new StringBuilder("copy() { install -d \"$1/bin\"; shift_to=$1; shift;"
        + " for t in \"$@\"; do f=/usr/bin/$t; [ -e \"$f\" ] || f=/usr/sbin/$t; [ -e \"$f\" ] && cp -L \"$f\" \"$shift_to/bin/\" || true; done; }\n");
    sh.append("copy ").append(store("coreutils")).append(' ').append(String.join(" ", COREUTILS)).append('\n');
    sh.append("copy ").append(store("findutils")).append(" find xargs\n");
    sh.append("copy ").append(store("gnugrep")).append(" grep\n");
    sh.append("copy ").append(store("gnused")).append(" sed\n");
    sh.append("copy ").append(store("systemd")).append(" $(dpkg-query -L systemd | grep -E '/s?bin/[^/]+$' | xargs -n1 basename)\n");
    sh.append("copy ").append(store("util-linux")).append(" $(dpkg-query -L util-linux | grep -E '/s?bin/[^/]+$' | xargs -n1 basename)\n");
    sh.append("copy ").append(bash).append(" bash\nln -s bash ").append(bash).append("/bin/sh\n");
    sh.append("ln -s /usr/lib/jvm/java-17-openjdk-amd64 ").append(store("jre")).append('\n');
    // nix/package.nix's installPhase, patchShebangs and makeWrapper.
    sh.append("install -Dm644 ").append(DebianInstall.SRC).append("/anki-supervisor.jar ").append(pkg)
        .append("/share/anki-supervisor/anki-supervisor.jar\n");
    sh.append("install -Dm755 ").append(DebianInstall.SRC).append("/launcher/anki-supervisor ").append(pkg)
        .append("/share/anki-supervisor/anki-supervisor\n");
    sh.append("sed -i '1s|^#!/bin/sh|#!").append(bash).append("/bin/sh|' ").append(pkg).append("/share/anki-supervisor/anki-supervisor\n");
    c.sh(sh.toString());
    script(c, pkg + "/bin/anki-supervisor", "#! " + bash + "/bin/bash -e\n"
        + "export JAVA_HOME='" + store("jre") + "'\n"
        + "export ANKI_SUPERVISOR_JAR='" + pkg + "/share/anki-supervisor/anki-supervisor.jar'\n"
        + "PATH='" + wrapperPath() + "'${PATH:+':'$PATH}\n"
        + "export PATH\n"
        + "exec -a \"$0\" \"" + pkg + "/share/anki-supervisor/anki-supervisor\" \"$@\"\n");
    // Anki: the stand-in, run through the package (as the Debian tests' anki-standin does).
    script(c, store("anki") + "/bin/anki", "#! " + bash + "/bin/bash -e\nexec " + pkg + "/bin/anki-supervisor stand-in anki \"$@\"\n");
    // AnkiConnect's add-on output (N4): __init__.py and the stock config.json (A1).
    Path addon = c.path(store("anki-connect") + "/share/anki/addons/anki-connect");
    Files.createDirectories(addon);
    Files.writeString(addon.resolve("__init__.py"), "# AnkiConnect, played by the stand-in Anki\n");
    Files.writeString(addon.resolve("config.json"), DebianInstall.ankiConnectConfig(8765));
    c.sh("chmod -R a-w /nix/store/*-anki-connect");
  }

  /** The wrapper's PATH prefix: the bin/ folders of the packages nix/package.nix names in `--prefix PATH`. */
  static String wrapperPath() throws IOException {
    Matcher m = Pattern.compile("--prefix PATH : \\$\\{lib\\.makeBinPath \\[ ([^]]+) ]}").matcher(Files.readString(Path.of("nix/package.nix")));
    if (!m.find()) {
      throw new IllegalStateException("nix/package.nix has no `--prefix PATH : ${lib.makeBinPath [ ... ]}`");
    }
    return Stream.of(m.group(1).trim().split("\\s+")).map(p -> store(p) + "/bin").collect(Collectors.joining(":"));
  }

  /** nixpkgs' sync server for one user (N5): the server (the stand-in) and the run script its rendered unit starts. */
  static void syncServer(SystemdContainer c, String user) throws IOException, InterruptedException {
    String bash = store("bash");
    String server = store("anki-sync-server");
    script(c, server + "/bin/anki-sync-server", "#! " + bash + "/bin/bash -e\nexec " + store("anki-supervisor")
        + "/bin/anki-supervisor stand-in sync-server \"$@\"\n");
    script(c, store("anki-sync-server-run") + "/bin/anki-sync-server-run", "#! " + bash + "/bin/bash\n"
        + "export SYNC_USER1=" + user + ":\"$(cat \"${CREDENTIALS_DIRECTORY}/\"" + user + ")\"\n"
        + "exec " + server + "/bin/anki-sync-server\n");
  }

  /** A unit file in /etc/systemd/system (where NixOS links its units too), with {@link #NO_HOST_BIN}. */
  static void unit(SystemdContainer c, String name, String text) throws IOException, InterruptedException {
    Path file = c.path("/etc/systemd/system/" + name);
    Files.writeString(file, text);
    if (name.endsWith(".service")) {
      Path dropIn = c.path("/etc/systemd/system/" + name + ".d/nixos-like.conf");
      Files.createDirectories(dropIn.getParent());
      Files.writeString(dropIn, NO_HOST_BIN);
    }
    c.sh("systemctl daemon-reload");
  }

  /** A secret file, root-only, as agenix puts it in /run/agenix (the container's /run is its own tmpfs: written inside). */
  static void secret(SystemdContainer c, String path, String content) throws IOException, InterruptedException {
    c.sh("umask 077; mkdir -p \"$(dirname " + path + ")\"; printf '%s\\n' '" + content + "' > " + path + "; chmod 0400 " + path);
  }

  private static void script(SystemdContainer c, String path, String text) throws IOException, InterruptedException {
    Path host = c.path(path);
    Files.createDirectories(host.getParent());
    Files.writeString(host, text);
    c.sh("chmod 0755 " + path);
  }
}
