package dev.ankisupervisor.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell blocks (```sh fences) of the Debian install guide, systemd/README.md, in the guide's
 * order, each named by the heading it stands under and its place there: {@code "9. Settings and
 * units #2"} is the second block under that heading. The name is what {@link GuidePlan} and the table
 * in docs/systemd-tests.md key on. Stateless; any thread.
 */
final class GuideBlocks {
  static final Path GUIDE = Path.of("systemd/README.md");
  private static final Pattern HEADING_OR_BLOCK = Pattern.compile("(?ms)^(#{2,4}) (.+?)$|^```sh\\n(.*?)^```");

  /** One shell block: {@code id} names it, {@code text} is what a human pastes. */
  record Block(String id, String text) {}

  private GuideBlocks() {}

  static List<Block> read() throws IOException {
    return parse(Files.readString(GUIDE));
  }

  static List<Block> parse(String markdown) {
    List<Block> blocks = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    String heading = "(before any heading)";
    Matcher m = HEADING_OR_BLOCK.matcher(markdown);
    while (m.find()) {
      if (m.group(2) != null) {
        heading = m.group(2).strip();
      } else {
        int n = seen.merge(heading, 1, Integer::sum);
        blocks.add(new Block(heading + " #" + n, m.group(3)));
      }
    }
    return blocks;
  }
}
