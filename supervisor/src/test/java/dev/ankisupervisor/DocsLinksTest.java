package dev.ankisupervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the repository's Markdown files (README.md, docs/, bench/RESULTS.md, the
 * READMEs under systemd/ and patches/) points at a file that exists and, with a {@code #anchor} into
 * a Markdown file, at a heading that exists, with GitHub's heading anchors.
 */
class DocsLinksTest {
  private static final Pattern LINK = Pattern.compile("\\[[^\\]\\n]*\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?) *#*$");
  private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");

  @Test
  void everyRelativeLinkPointsAtAFileAndHeadingThatExist() throws IOException {
    List<Path> docs = markdownFiles();
    assertThat(docs).contains(Path.of("README.md"), Path.of("docs/configuration.md"));
    List<String> broken = new ArrayList<>();
    for (Path doc : docs) {
      broken.addAll(brokenLinks(doc, Files.readString(doc)));
    }
    assertThat(broken).as("broken links (file: target)").isEmpty();
  }

  @Test
  void theLinkCheckFindsAMissingFileAndAMissingHeading() throws IOException {
    Path readme = Path.of("README.md");
    assertThat(brokenLinks(readme, "## Exit codes\nsee [run](docs/run.md) and [codes](#exit-codes)")).isEmpty();
    assertThat(brokenLinks(readme, "see [gone](docs/no-such.md) and [x](docs/run.md#no-such-heading)"))
        .containsExactly("README.md: docs/no-such.md", "README.md: docs/run.md#no-such-heading");
    assertThat(brokenLinks(readme, "`[not a link](nowhere.md)` and a web [link](https://example.org/x.md)"))
        .isEmpty();
  }

  @Test
  void anchorsFollowGitHubsRules() {
    assertThat(anchors("## Sync outcomes (`sync.state`)\n### Launching (C4, C5)\n## `run` and `prepare`\n## A\n## A\n"))
        .contains("sync-outcomes-syncstate", "launching-c4-c5", "run-and-prepare", "a", "a-1");
  }

  static List<String> brokenLinks(Path doc, String text) throws IOException {
    List<String> broken = new ArrayList<>();
    Matcher m = LINK.matcher(INLINE_CODE.matcher(FENCE.matcher(text).replaceAll("")).replaceAll(""));
    while (m.find()) {
      String target = m.group(1);
      if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
        continue;  // http:, https:, mailto: ...: not ours to check
      }
      int hash = target.indexOf('#');
      String file = hash < 0 ? target : target.substring(0, hash);
      String anchor = hash < 0 ? "" : target.substring(hash + 1);
      Path resolved = file.isEmpty() ? doc : parentOf(doc).resolve(file).normalize();
      if (!Files.exists(resolved)) {
        broken.add(doc + ": " + target);
      } else if (!anchor.isEmpty() && resolved.toString().endsWith(".md")
          && !anchors(resolved.equals(doc) ? text : Files.readString(resolved)).contains(anchor)) {
        broken.add(doc + ": " + target);
      }
    }
    return broken;
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to '-', repeats numbered. */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    Matcher m = HEADING.matcher(FENCE.matcher(markdown).replaceAll(""));
    while (m.find()) {
      String slug = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
      int n = seen.merge(slug, 1, Integer::sum) - 1;
      anchors.add(n == 0 ? slug : slug + "-" + n);
    }
    return anchors;
  }

  private static Path parentOf(Path doc) {
    return doc.getParent() == null ? Path.of("") : doc.getParent();
  }

  /** A module's target/ (standin/target, supervisor/target) or one at the root. */
  private static boolean isBuildOutput(Path p) {
    return p.startsWith("target") || p.getNameCount() > 1 && p.getName(1).toString().equals("target");
  }

  private static List<Path> markdownFiles() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of(""))) {
      return files.filter(p -> p.toString().endsWith(".md"))
          .filter(p -> !p.startsWith(".git") && !isBuildOutput(p))
          .map(Path::normalize)
          .sorted()
          .toList();
    }
  }
}
