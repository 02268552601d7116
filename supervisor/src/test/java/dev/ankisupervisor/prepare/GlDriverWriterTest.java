package dev.ankisupervisor.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.config.AnkiSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlDriverWriterTest {
  @TempDir Path base;

  @Test
  void writesSoftwareOnceAndThenLeavesTheFileAlone() throws Exception {
    AnkiSettings anki = new AnkiSettings(base, "server", "", List.of("anki"), "2055492159");
    Files.writeString(base.resolve("gldriver6"), "auto");

    assertThat(new GlDriverWriter().write(anki)).isTrue();
    assertThat(Files.readString(base.resolve("gldriver6"))).isEqualTo("software");
    // Anki strips the content when reading (profiles.py video_driver), so a trailing newline is fine too
    Files.writeString(base.resolve("gldriver6"), "software\n");
    assertThat(new GlDriverWriter().write(anki)).isFalse();
    assertThat(Files.readString(base.resolve("gldriver6"))).isEqualTo("software\n");
  }
}
