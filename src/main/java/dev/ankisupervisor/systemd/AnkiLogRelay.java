package dev.ankisupervisor.systemd;

import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Relays one of Anki's output streams into our log, line by line, under the logger {@code anki}
 * (so each line reads {@code anki: ...}), choosing each line's level (issue 3, step 13): a Python
 * traceback ({@code Traceback (most recent call last):}, its indented lines and the closing
 * exception line), Qt fatal messages and lines naming an error or exception are ERROR; warnings
 * are WARN; the rest INFO.
 *
 * <p>Threading: one instance per stream, fed by that stream's reader thread only (it remembers
 * whether it is inside a traceback).
 */
public final class AnkiLogRelay {
  private static final Logger ANKI = LoggerFactory.getLogger("anki");
  private static final String TRACEBACK = "Traceback (most recent call last):";
  private static final Pattern ERROR = Pattern.compile(
      "(?i)(\\berror\\b|exception\\b|\\bfatal\\b|qt\\.qpa\\.plugin: could not|failed to start|core dumped|\\babort)");
  private static final Pattern WARNING = Pattern.compile("(?i)\\bwarn(ing)?\\b");

  /** Whether the previous line was part of a traceback still going on. */
  private boolean inTraceback;

  /** Logs {@code line} at the level {@link #levelOf} gives. */
  public void relay(String line) {
    Level level = levelOf(line);
    ANKI.atLevel(level).log(line);
  }

  /** The level of {@code line}, given the lines before it; advances the traceback state. */
  public Level levelOf(String line) {
    if (line.startsWith(TRACEBACK)) {
      inTraceback = true;
      return Level.ERROR;
    }
    if (inTraceback) {
      // Traceback frames are indented; the first unindented line is the exception itself and ends it.
      if (!(line.startsWith(" ") || line.startsWith("\t"))) {
        inTraceback = false;
      }
      return Level.ERROR;
    }
    if (ERROR.matcher(line).find()) {
      return Level.ERROR;
    }
    if (WARNING.matcher(line).find()) {
      return Level.WARN;
    }
    return Level.INFO;
  }
}
