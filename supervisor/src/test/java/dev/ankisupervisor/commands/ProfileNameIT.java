package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.config.ProfileName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A profile name becomes a folder under the base (C1), a prefs21.db row (C2) and part of log lines:
 * the jar refuses any name that is not one plain file name with 64 and the rule, whether it comes as
 * a flag, an environment variable or a config-file key, before anything on disk changes.
 */
class ProfileNameIT {
  @TempDir Path dir;
  private Path base;

  @BeforeEach
  void installAddon() throws Exception {
    base = dir.resolve("anki");
    SupervisorProcess.installAnkiConnect(base, SupervisorProcess.freePort());
  }

  private JarCommand prepare(String... more) {
    return new JarCommand("prepare", "--base", base.toString(), "--bind", "127.0.0.1",
        "--state-dir", dir.resolve("state").toString()).args(more);
  }

  /** A bad name given as a flag is a usage error (64). */
  private void assertRefused(JarCommand.Result r) throws Exception {
    assertRefused(r, 64);
  }

  /** @param exit 64 for a flag; 78 for the environment or the config file (docs/errors.md) */
  private void assertRefused(JarCommand.Result r, int exit) throws Exception {
    assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
    assertThat(r.err()).as(r.toString()).contains(ProfileName.RULE).doesNotContain("\tat ");
    assertThat(r.err().strip().lines().count()).as(r.toString()).isEqualTo(1);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("nothing written beside the base").containsExactly("anki");
    }
    try (Stream<Path> inBase = Files.list(base)) {
      assertThat(inBase.map(p -> p.getFileName().toString())).as("nothing written in the base").containsExactly("addons21");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a/b", ".", "..", "a\nb", "tab\there", "\u001b[31mred"})
  void refusesANameThatIsNotOneFileNameGivenAsAFlag(String name) throws Exception {
    assertRefused(prepare("--profile", name).run());
  }

  @Test
  void refusesAnOverLongNameWithTheRuleNotAnIoError() throws Exception {
    assertRefused(prepare("--profile", "p".repeat(300)).run());
  }

  @Test
  void acceptsTheLongestAllowedNameAndNonAsciiNames() throws Exception {
    String longest = "é".repeat(ProfileName.MAX_BYTES / 2);
    JarCommand.Result r = prepare("--profile", longest).run();
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(base.resolve("prefs21.db")).exists();
  }

  @Test
  void refusesABadNameFromTheEnvironment() throws Exception {
    assertRefused(prepare().env("ANKI_SUPERVISOR_PROFILE", "../escaped").run(), 78);
  }

  @Test
  void refusesABadNameFromTheConfigFileIncludingNul() throws Exception {
    Path config = Files.writeString(Files.createTempFile("bad-profile", ".properties"), "profile=a\\u0000b\n");
    try {
      assertRefused(prepare("--config", config.toString()).run(), 78);
    } finally {
      Files.delete(config);
    }
  }

  @Test
  void runAndDoctorRefuseTheSameNames() throws Exception {
    assertRefused(new JarCommand("run", "--base", base.toString(), "--bind", "127.0.0.1", "--state-dir",
        dir.resolve("state").toString(), "--profile", "../x").run());
    JarCommand.Result doctor = new JarCommand("doctor", "--base", base.toString(), "--bind", "127.0.0.1",
        "--profile", "a/b").run();
    assertThat(doctor.exit()).as(doctor.toString()).isEqualTo(64);
    assertThat(doctor.err()).contains(ProfileName.RULE);
  }
}
