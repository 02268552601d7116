package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.wiring.DemoRealAnki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code demo --real-anki}'s flag rules and where it finds the venv; nothing is started. */
class DemoRealAnkiTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int demo(String... args) {
    CommandLine cl = AnkiSupervisorCommand.newCommandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "demo";
    System.arraycopy(args, 0, all, 1, args.length);
    return cl.execute(all);
  }

  private Path fakeVenv(String marker) throws Exception {
    Path venv = dir.resolve("venv");
    Path anki = Files.createDirectories(venv.resolve("bin")).resolve("anki");
    Files.writeString(anki, "#!/bin/sh\n");
    Files.setPosixFilePermissions(anki, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (marker != null) {
      Files.writeString(venv.resolve(DemoRealAnki.MARKER), marker + "\n");
    }
    return venv;
  }

  @Test
  void addonSourceWithoutRealAnkiAndRealAnkiWithoutAddonSourceAreUsageErrors() {
    assertThat(demo("--addon-source", dir.toString())).isEqualTo(64);
    assertThat(err.toString()).contains("--addon-source is for --real-anki");
    assertThat(demo("--real-anki=" + dir)).isEqualTo(64);
    assertThat(err.toString()).contains("--real-anki needs --addon-source DIR");
    assertThat(dir.toFile().list()).isEmpty(); // nothing written
  }

  @Test
  void aVenvWithoutAnkiOrAnAddonWithoutInitAreConfigErrors() throws Exception {
    assertThat(demo("--real-anki=" + dir.resolve("none"), "--addon-source", dir.toString())).isEqualTo(78);
    assertThat(err.toString()).contains(dir.resolve("none/bin/anki").toString(), "real-anki/make-env.sh");
    Path venv = fakeVenv(null);
    Path addon = Files.createDirectories(dir.resolve("addon"));
    assertThat(demo("--real-anki=" + venv, "--addon-source", addon.toString())).isEqualTo(78);
    assertThat(err.toString()).contains("holds no __init__.py");
  }

  @Test
  void theVenvIsTheValueElseAnkiVenvElseTheDefaultAndTheBannerNamesWhatItHolds() throws Exception {
    Path venv = fakeVenv("aqt[qt]==25.9.2 anki==25.9.2");
    assertThat(DemoCommand.locateRealAnki(venv.toString(), Map.of()).venv()).isEqualTo(venv);
    DemoRealAnki fromEnv = DemoCommand.locateRealAnki("", Map.of(DemoRealAnki.VENV_VARIABLE, venv.toString()));
    assertThat(fromEnv.ankiCommand()).containsExactly(venv.resolve("bin/anki").toString());
    assertThat(fromEnv.describe()).isEqualTo("real Anki: " + venv.resolve("bin/anki") + " (aqt[qt]==25.9.2 anki==25.9.2)");
    assertThat(DemoRealAnki.DEFAULT_VENV).isEqualTo(Path.of("/var/cache/anki-supervisor/real-anki-25.9.2/venv"));
    assertThat(fromEnv.syncServerCommand(dir, 8080, "demo", "pw"))
        .isEqualTo("SYNC_USER1=demo:pw SYNC_BASE=" + dir + " SYNC_HOST=127.0.0.1 SYNC_PORT=8080 "
            + venv.resolve("bin/python") + " -m anki.syncserver");
  }
}
