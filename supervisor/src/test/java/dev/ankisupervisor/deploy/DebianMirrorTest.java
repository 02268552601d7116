package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container root's mirror comes from the machine's apt configuration, in either format. */
class DebianMirrorTest {
  @TempDir Path etcApt;

  @Test
  void deb822TakesTheStanzaOfTheMainSuiteNotSecurity() throws Exception {
    Files.createDirectories(etcApt.resolve("sources.list.d"));
    Files.writeString(etcApt.resolve("sources.list.d/debian.sources"), """
        Types: deb
        URIs: http://security.example/debian-security
        Suites: bookworm-security
        Components: main

        Types: deb
        # a comment
        URIs: http://mirror.example/debian
        Suites: bookworm bookworm-updates
        Components: main
        """);
    assertThat(DebianMirror.of(etcApt, "bookworm")).contains("http://mirror.example/debian");
  }

  @Test
  void disabledStanzasAndOtherTypesAreSkipped() {
    String text = "Types: deb-src\nURIs: http://src.example/\nSuites: bookworm\n\n"
        + "Types: deb\nURIs: http://off.example/\nSuites: bookworm\nEnabled: no\n";
    assertThat(DebianMirror.fromDeb822(text, "bookworm")).isEmpty();
  }

  @Test
  void oneLineFormatWithOptionsAndComments() throws Exception {
    Files.writeString(etcApt.resolve("sources.list"), """
        # deb http://commented.example/debian bookworm main
        deb http://security.example/debian-security bookworm-security main
        deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian bookworm main
        """);
    assertThat(DebianMirror.of(etcApt, "bookworm")).contains("http://mirror.example/debian");
  }

  @Test
  void noSourceNoMirror() throws Exception {
    assertThat(DebianMirror.of(etcApt, "bookworm")).isEmpty();
  }
}
