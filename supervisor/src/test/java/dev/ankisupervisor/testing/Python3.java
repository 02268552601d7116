package dev.ankisupervisor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs CPython for cross-checks and as a real lock or port holder in tests. */
public final class Python3 {
  private Python3() {}

  /** Runs {@code python3 -c script args...} to completion and returns its stdout. */
  public static String run(String script, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("python3 output: %s", out).isZero();
    return out;
  }

  /** The rows of a prefs21.db as CPython's pickle reads them: {name: {key: [type name, repr]}}. */
  public static JsonNode readPrefs(java.nio.file.Path db) throws IOException, InterruptedException {
    String script = String.join("\n",
        "import sqlite3, pickle, json, sys",
        "c = sqlite3.connect(sys.argv[1])",
        "out = {}",
        "for name, data in c.execute('select name, cast(data as blob) from profiles'):",
        "    d = pickle.loads(data)",
        "    out[name] = {k: [type(v).__name__, repr(v)] for k, v in d.items()}",
        "print(json.dumps(out))");
    return new ObjectMapper().readTree(run(script, db.toString()));
  }

  /**
   * Starts {@code python3 -c script args...} and waits for its first stdout line (the script prints
   * one when it holds what it should). The caller destroys the process.
   */
  public static Started start(String script, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = r.readLine();
    assertThat(first).as("python3 printed its ready line").isNotNull();
    return new Started(p, first);
  }

  public record Started(Process process, String firstLine) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A script that holds an exclusive WAL lock on the SQLite file argv[1] (like Anki, C7) until killed. */
  public static final String HOLD_SQLITE_LOCK = String.join("\n",
      "import sqlite3, sys, time, os",
      "c = sqlite3.connect(sys.argv[1], isolation_level=None)",
      "c.execute('pragma journal_mode=wal'); c.execute('pragma locking_mode=exclusive')",
      "c.execute('create table if not exists t(x)'); c.execute('begin exclusive'); c.execute('insert into t values(1)'); c.execute('commit')",
      "print('locked', os.getpid(), flush=True)",
      "time.sleep(600)");
}
