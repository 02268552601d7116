package dev.ankisupervisor.systemd;

import dev.ankisupervisor.files.TextFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a systemd unit gives the program it starts, as {@code systemctl show} reports it: the
 * arguments of its ExecStart, its {@code Environment=} assignments overlaid by its
 * {@code EnvironmentFile=} files (systemd reads those last, so they win), and its
 * {@code LoadCredential=} sources. Lets {@code doctor}, {@code check} and the others see the
 * service's settings instead of the shell's. Immutable; any thread.
 *
 * @param unit the unit's full name ({@code Id}, e.g. anki-connect.service)
 * @param execStartArgs the ExecStart arguments after the program, e.g. [run, --bind, 127.0.0.1]
 * @param environment the variables the program gets from the unit, file lines winning
 * @param credentials LoadCredential= id -> its source file
 * @param credentialsDir where the credentials appear while the unit runs (its {@code %d})
 * @param problems what could not be read (an environment file that is missing), one line each
 */
public record UnitSettings(String unit, List<String> execStartArgs, Map<String, String> environment,
    Map<String, Path> credentials, Path credentialsDir, List<String> problems) {
  public UnitSettings {
    execStartArgs = List.copyOf(execStartArgs);
    environment = Map.copyOf(environment);
    credentials = Map.copyOf(credentials);
    problems = List.copyOf(problems);
  }

  /** The properties asked for. */
  static final List<String> PROPERTIES = List.of("Id", "LoadState", "ExecStart", "Environment", "EnvironmentFiles",
      "LoadCredential");

  /**
   * Asks {@code systemctl show} about {@code unit}.
   *
   * @throws IOException when systemctl cannot run, fails, or the unit is not loaded (no such unit)
   */
  public static UnitSettings read(String unit) throws IOException {
    List<String> args = new ArrayList<>(List.of("show"));
    PROPERTIES.forEach(p -> args.add("--property=" + p));
    args.add("--");
    args.add(unit);
    UnitSettings settings = parse(SystemctlQuery.run(args.toArray(String[]::new)), UnitSettings::readEnvironmentFile);
    if (settings.credentials().isEmpty()) {
      // systemctl show of systemd 252 does not print LoadCredential=: read it from the unit's files.
      String cat;
      try {
        cat = SystemctlQuery.run("cat", "--", settings.unit());
      } catch (IOException e) {
        cat = "";
      }
      settings = settings.withCredentials(credentialsOf(settings.unit(), cat));
    }
    return settings;
  }

  private UnitSettings withCredentials(Map<String, Path> found) {
    return new UnitSettings(unit, execStartArgs, environment, found, credentialsDir, problems);
  }

  /**
   * The LoadCredential= lines of a unit's files as {@code systemctl cat} prints them (the unit, then
   * its drop-ins; an empty assignment clears the list), with the specifiers a source path may use
   * ({@code %i} the instance, {@code %n} the unit, {@code %%}).
   */
  static Map<String, Path> credentialsOf(String unit, String catOutput) {
    Map<String, Path> out = new LinkedHashMap<>();
    int at = unit.indexOf('@');
    int dot = unit.lastIndexOf('.');
    String instance = at >= 0 && dot > at ? unit.substring(at + 1, dot) : "";
    for (String raw : catOutput.split("\n")) {
      String line = raw.strip();
      if (!line.startsWith("LoadCredential=")) {
        continue;
      }
      String value = line.substring("LoadCredential=".length()).strip();
      if (value.isEmpty()) {
        out.clear();
        continue;
      }
      int colon = value.indexOf(':');
      if (colon > 0) {
        String source = value.substring(colon + 1).replace("%i", instance).replace("%I", instance)
            .replace("%n", unit).replace("%%", "%");
        out.put(value.substring(0, colon), Path.of(source));
      }
    }
    return out;
  }

  /** Reads an environment file; the text, or a NoSuchFileException. */
  @FunctionalInterface
  interface FileReader {
    String read(Path file) throws IOException;
  }

  private static String readEnvironmentFile(Path file) throws IOException {
    return TextFile.read(file, TextFile.SETTINGS_MAX_BYTES);
  }

  /**
   * Parses {@code systemctl show}'s output (one {@code Name=value} per line; EnvironmentFiles may
   * repeat), reading each environment file with {@code files}.
   *
   * @throws IOException when the unit is not loaded
   */
  static UnitSettings parse(String show, FileReader files) throws IOException {
    String id = "";
    String loadState = "";
    List<String> args = List.of();
    Map<String, String> env = new LinkedHashMap<>();
    List<Path> envFiles = new ArrayList<>();
    List<Boolean> optional = new ArrayList<>();
    Map<String, Path> credentials = new LinkedHashMap<>();
    for (String line : show.split("\n")) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = line.substring(0, eq);
      String value = line.substring(eq + 1);
      switch (name) {
        case "Id" -> id = value;
        case "LoadState" -> loadState = value;
        case "ExecStart" -> args = execArgs(value);
        case "Environment" -> EnvironmentText.words(value).forEach(w -> put(env, w));
        case "EnvironmentFiles" -> {
          // "/etc/x.env (ignore_errors=yes)"
          int paren = value.lastIndexOf(" (ignore_errors=");
          envFiles.add(Path.of(paren >= 0 ? value.substring(0, paren) : value));
          optional.add(value.contains("(ignore_errors=yes)"));
        }
        case "LoadCredential" -> {
          // "id:/source/path"; an older systemctl prints nothing for it
          int colon = value.indexOf(':');
          if (colon > 0) {
            credentials.put(value.substring(0, colon), Path.of(value.substring(colon + 1)));
          }
        }
        default -> { }
      }
    }
    if (!loadState.equals("loaded")) {
      throw new IOException("unit " + (id.isEmpty() ? "?" : id) + " is not loaded (LoadState=" + loadState
          + "); give the name `systemctl status` knows, e.g. anki-connect or anki-connect@alice");
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < envFiles.size(); i++) {
      Path file = envFiles.get(i);
      try {
        EnvironmentText.lines(files.read(file)).forEach(w -> put(env, w));
      } catch (NoSuchFileException e) {
        if (!optional.get(i)) {
          problems.add("environment file " + file + " does not exist; the unit cannot start without it");
        }
      } catch (IOException e) {
        problems.add("cannot read environment file " + file + " (" + e.getMessage() + "); run as root");
      }
    }
    return new UnitSettings(id, args, env, credentials, Path.of("/run/credentials", id), problems);
  }

  private static void put(Map<String, String> env, String assignment) {
    int eq = assignment.indexOf('=');
    if (eq > 0) {
      env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
    }
  }

  /** "{ path=/x ; argv[]=/x run --bind y ; ignore_errors=no ; ... }" -> [run, --bind, y]. */
  private static List<String> execArgs(String value) {
    int start = value.indexOf("argv[]=");
    if (start < 0) {
      return List.of();
    }
    int end = value.indexOf(" ; ", start);
    String argv = value.substring(start + "argv[]=".length(), end < 0 ? value.length() : end);
    List<String> words = EnvironmentText.words(argv);
    return words.isEmpty() ? List.of() : words.subList(1, words.size());
  }

  /**
   * A path a setting names, as this process can read it: a file in the unit's credentials folder
   * ({@code %d}, present only while the unit runs and readable only by it) is its
   * {@code LoadCredential=} source instead, when that is where it comes from and the copy cannot be read.
   */
  public Path readable(Path path) {
    if (path.startsWith(credentialsDir) && !Files.isReadable(path)) {
      Path source = credentials.get(credentialsDir.relativize(path).toString());
      if (source != null) {
        return source;
      }
    }
    return path;
  }
}
