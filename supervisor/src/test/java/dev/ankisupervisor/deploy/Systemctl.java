package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** systemctl and journalctl of one {@link SystemdContainer}, with their answers parsed. */
final class Systemctl {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SystemdContainer c;

  Systemctl(SystemdContainer c) {
    this.c = c;
  }

  SystemdContainer.Result run(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("systemctl"));
    argv.addAll(List.of(args));
    return c.exec(argv.toArray(String[]::new));
  }

  /** {@code systemctl show UNIT -p A,B}: property -> value. */
  Map<String, String> show(String unit, String... props) throws IOException, InterruptedException {
    String out = run("show", unit, "-p", String.join(",", props)).ok().out();
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }

  String prop(String unit, String prop) throws IOException, InterruptedException {
    return show(unit, prop).getOrDefault(prop, "");
  }

  /** Waits (bounded by {@link SystemdContainer#WAIT}) until a property satisfies the test. */
  String awaitProp(String unit, String prop, Predicate<String> ok) throws IOException, InterruptedException {
    // untilAsserted: a timeout reports the last value seen.
    await().atMost(SystemdContainer.WAIT).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(prop(unit, prop)).as(unit + " " + prop).matches(ok));
    return prop(unit, prop);
  }

  /** The unit's journal entries of this boot, each a JSON object (MESSAGE, PRIORITY, _PID ...). */
  List<JsonNode> journal(String... filters) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("journalctl", "--no-pager", "-o", "json", "-b"));
    argv.addAll(List.of(filters));
    String out = c.exec(argv.toArray(String[]::new)).ok().out();
    List<JsonNode> entries = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        entries.add(JSON.readTree(line));
      }
    }
    return entries;
  }

  /** The journal's current end, for {@code --after-cursor=}: what a test's actions log comes after it. */
  String cursor() throws IOException, InterruptedException {
    String out = c.exec("journalctl", "--no-pager", "-n", "0", "--show-cursor").ok().out();
    return out.substring(out.indexOf("-- cursor: ") + "-- cursor: ".length()).strip();
  }

  /** MESSAGE of a journal entry as text (journalctl writes non-UTF-8 or binary messages as byte arrays). */
  static String message(JsonNode entry) {
    JsonNode m = entry.path("MESSAGE");
    if (m.isArray()) {
      StringBuilder s = new StringBuilder();
      m.forEach(b -> s.append((char) b.asInt()));
      return s.toString();
    }
    return m.asText();
  }
}
