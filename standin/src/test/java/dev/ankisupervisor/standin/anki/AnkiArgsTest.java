package dev.ankisupervisor.standin.anki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Anki's argparse rules (C4). Expected values were taken from CPython's argparse with the same
 * options as {@code aqt.parseArgs} (25.09.2), e.g. {@code -platform offscreen} gives profile
 * "latform" and the extra "offscreen".
 */
class AnkiArgsTest {
  private static AnkiArgs parse(String... argv) throws AnkiArgs.UsageError {
    return AnkiArgs.parse(List.of(argv));
  }

  @Test
  void qtPlatformFlagParsesAsGluedProfile() throws Exception {
    AnkiArgs a = parse("-platform", "offscreen");
    assertThat(a.profile()).isEqualTo("latform");
    assertThat(a.extras()).containsExactly("offscreen");
  }

  @Test
  void unknownFlagsAndWordsBecomeExtrasInOrder() throws Exception {
    assertThat(parse("--disable-gpu").extras()).containsExactly("--disable-gpu");
    assertThat(parse("-x").extras()).containsExactly("-x");
    assertThat(parse("-1").extras()).containsExactly("-1");
    AnkiArgs a = parse("file.apkg", "-p", "a");
    assertThat(a.extras()).containsExactly("file.apkg");
    assertThat(a.profile()).isEqualTo("a");
  }

  @Test
  void valuesMayBeGluedOrGivenWithEquals() throws Exception {
    assertThat(parse("-p=foo").profile()).isEqualTo("foo");
    assertThat(parse("-pfoo").profile()).isEqualTo("foo");
    assertThat(parse("--profile=foo").profile()).isEqualTo("foo");
    assertThat(parse("-b", "/x", "-l", "de").base()).isEqualTo("/x");
  }

  @Test
  void longOptionsMayBeAbbreviatedWhenUnique() throws Exception {
    assertThat(parse("--prof", "x").profile()).isEqualTo("x");
    assertThat(parse("--safe").safemode()).isTrue();
    assertThatThrownBy(() -> parse("--s")).hasMessageContaining("ambiguous option: --s");
  }

  @Test
  void shortFlagsCombine() throws Exception {
    AnkiArgs a = parse("-vpfoo");
    assertThat(a.version()).isTrue();
    assertThat(a.profile()).isEqualTo("foo");
  }

  @Test
  void emptyBaseFallsBackAndDoubleDashIsKept() throws Exception {
    AnkiArgs a = parse("--base=", "q");
    assertThat(a.base()).isEmpty();
    assertThat(a.extras()).containsExactly("q");
    assertThat(parse("--", "-p", "x").extras()).containsExactly("--", "-p", "x");
  }

  @Test
  void missingValueIsAUsageError() {
    assertThatThrownBy(() -> parse("-p")).hasMessage("argument -p/--profile: expected one argument");
    assertThatThrownBy(() -> parse("-p", "--disable-gpu"))
        .hasMessage("argument -p/--profile: expected one argument");
  }
}
