package dev.ankisupervisor.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the option names of {@code nix/module.nix} as text (no Nix needed) and the README's NixOS option
 * table, so tests can compare them. Names are relative to {@code services.anki-supervisor.}.
 */
final class NixOptionNames {
  static final Path MODULE = Path.of("nix/module.nix");
  static final Path README = Path.of("README.md");
  static final String PREFIX = "services.anki-supervisor.";

  private static final Pattern OPTION = Pattern.compile("^\\s*([A-Za-z0-9_]+) = (mkOption|mkEnableOption|lib[.]mkPackageOption)\\b(.*)$");
  private static final Pattern GROUP = Pattern.compile("^\\s*([A-Za-z0-9_]+) = \\{\\s*$");
  private static final Pattern CLOSE = Pattern.compile("^\\s*\\};\\s*$");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  private NixOptionNames() {}

  /** Every option declared under {@code options.services.anki-supervisor = { ... };}, in file order. */
  static List<String> fromModule() throws IOException {
    List<String> names = new ArrayList<>();
    Deque<String> groups = new ArrayDeque<>();
    boolean inside = false;
    int skipDepth = 0;
    for (String line : Files.readAllLines(MODULE)) {
      if (!inside) {
        inside = line.strip().equals("options.services.anki-supervisor = {");
        continue;
      }
      if (skipDepth > 0) {
        skipDepth += braces(line);
        continue;
      }
      Matcher option = OPTION.matcher(line);
      if (option.matches()) {
        List<String> path = new ArrayList<>(groups);
        java.util.Collections.reverse(path);
        path.add(option.group(1));
        names.add(String.join(".", path));
        skipDepth = braces(option.group(3));
      } else if (GROUP.matcher(line).matches()) {
        Matcher g = GROUP.matcher(line);
        g.matches();
        groups.push(g.group(1));
      } else if (CLOSE.matcher(line).matches()) {
        if (groups.isEmpty()) {
          return names;
        }
        groups.pop();
      }
    }
    throw new IllegalStateException(MODULE + " has no complete `options.services.anki-supervisor = { ... };` block");
  }

  private static int braces(String text) {
    int n = 0;
    for (char c : text.toCharArray()) {
      n += c == '{' ? 1 : c == '}' ? -1 : 0;
    }
    return n;
  }

  /** The README's NixOS section (from `## NixOS` to the next `## ` heading or the end). */
  static String readmeSection() throws IOException {
    String text = Files.readString(README);
    int start = text.indexOf("\n## NixOS\n");
    if (start < 0) {
      throw new IllegalStateException("README.md has no `## NixOS` section");
    }
    int end = text.indexOf("\n## ", start + 1);
    return text.substring(start, end < 0 ? text.length() : end);
  }

  /** The README's example configuration (the first ```nix block of the section). */
  static String readmeExample() throws IOException {
    String section = readmeSection();
    int start = section.indexOf("```nix\n");
    int end = section.indexOf("```", start + 7);
    return section.substring(start + 7, end);
  }

  /** The option table: each option (cell braces expanded) -> the seed column's text. */
  static Map<String, String> readmeTable() throws IOException {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : readmeSection().split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      if (cells[1].contains(PREFIX)) {
        continue; // the header row
      }
      for (String name : expand(cells[1])) {
        if (rows.put(name, cells[2].strip()) != null) {
          throw new IllegalStateException("README.md lists option " + name + " twice");
        }
      }
    }
    return rows;
  }

  /** {@code `a`, `b.{c, d}`} -> a, b.c, b.d. */
  static List<String> expand(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      String name = m.group(1);
      int brace = name.indexOf('{');
      if (brace < 0) {
        out.add(name);
        continue;
      }
      String head = name.substring(0, brace);
      for (String tail : name.substring(brace + 1, name.indexOf('}')).split(",")) {
        out.add(head + tail.strip());
      }
    }
    return out;
  }
}
