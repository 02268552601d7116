package dev.ankisupervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No string the product says names a contract item (C7, A3, P1, ... of docs/anki-behaviour.md):
 * an operator reading a log line, an error, doctor's or check's output or {@code --help} does not
 * know them, so a message says the thing itself ("the config API patch", "Anki cannot open a locked
 * collection"). The ids belong in comments and docs. Every string literal under src/main/java is
 * read, since a message is assembled from literals wherever it is thrown or logged; the stand-in is
 * a test double and keeps its own texts. The ids are those the page defines, so a new item is
 * covered at once.
 */
class OperatorMessagesTest {
  private static final Path MAIN = Path.of("supervisor/src/main/java/dev/ankisupervisor");
  private static final Path STAND_IN = MAIN.resolve("standin");
  private static final Path CONTRACT = Path.of("docs/anki-behaviour.md");
  /** An item's definition: a paragraph opening with its id in bold, "**C7 Collection lock.**" or "**N1**". */
  private static final Pattern DEFINITION = Pattern.compile("(?m)^\\*\\*([A-Z][0-9]+)\\b");

  @Test
  void noProductStringNamesAContractItem() throws IOException {
    Pattern ids = idsOf(Files.readString(CONTRACT));
    List<String> found;
    try (Stream<Path> files = Files.walk(MAIN)) {
      found = files.filter(p -> p.toString().endsWith(".java") && !p.startsWith(STAND_IN))
          .flatMap(p -> literalsNaming(ids, p).stream()).toList();
    }
    assertThat(found).as("messages naming a contract item (file:line: literal); say the thing itself,"
        + " keep the id in a comment").isEmpty();
  }

  @Test
  void theCheckSeesEveryIdInStringsAndNoneInComments() throws IOException {
    Pattern ids = idsOf(Files.readString(CONTRACT));
    assertThat(ids.pattern()).contains("C1", "C9", "A4", "S3", "N4", "P2");
    String src = """
        // a comment about C7
        /** P1 (javadoc) */
        class X {
          char c = '"';
          String a = "locked (C7)" + "escaped \\" quote, A3";
          String b = \"""
              text block naming N1-N4 and C2/C3\""";
          String ok = "SIGUSR1, C10, PC1, C1x, 0xA1";
        }
        """;
    assertThat(JavaStringLiterals.of(src).stream()
        .flatMap(l -> matches(ids, l.text()).stream().map(id -> l.line() + ":" + id)).toList())
        .containsExactly("5:C7", "5:A3", "6:N1", "6:N4", "6:C2", "6:C3");
  }

  /** The ids docs/anki-behaviour.md defines, as whole words. */
  static Pattern idsOf(String contract) {
    Set<String> ids = new TreeSet<>();
    Matcher m = DEFINITION.matcher(contract);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return Pattern.compile("(?<![A-Za-z0-9_])(" + String.join("|", ids) + ")(?![A-Za-z0-9_])");
  }

  private static List<String> literalsNaming(Pattern ids, Path file) {
    try {
      return JavaStringLiterals.of(Files.readString(file)).stream()
          .filter(l -> !matches(ids, l.text()).isEmpty())
          .map(l -> MAIN.relativize(file) + ":" + l.line() + ": " + l.text()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> matches(Pattern ids, String text) {
    return ids.matcher(text).results().map(r -> r.group(1)).collect(Collectors.toList());
  }
}
