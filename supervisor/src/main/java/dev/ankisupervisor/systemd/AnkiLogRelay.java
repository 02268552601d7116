package dev.ankisupervisor.systemd;

import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Relays one of Anki's output streams into our log, line by line, under the logger {@code anki}
 * (so each line reads {@code anki: ...}), choosing each line's level (the journal priority): a Python
 * traceback ({@code Traceback (most recent call last):}, its indented lines and the closing
 * exception line), Qt fatal messages and lines naming an error or exception are ERROR; warnings
 * and Qt's {@code QStandardPaths:} complaints are WARN; the rest INFO. QtWebEngine's start-up
 * block ({@code qt.webenginecontext:}, then GL facts and its "Init Parameters" list, C9) is INFO
 * whatever words it holds: it describes the set-up and is printed on every healthy start.
 *
 * <p>Threading: one instance per stream, fed by that stream's reader thread only (it remembers
 * whether it is inside a traceback).
 */
public final class AnkiLogRelay {
  private static final Logger ANKI = LoggerFactory.getLogger("anki");
  private static final String TRACEBACK = "Traceback (most recent call last):";
  private static final Pattern ERROR = Pattern.compile(
      "(?i)(\\berror\\b|exception\\b|\\bfatal\\b|qt\\.qpa\\.plugin: could not|failed to start|core dumped|\\babort)");
  private static final Pattern WARNING = Pattern.compile("(?i)(\\bwarn(ing)?\\b|^QStandardPaths: )");
  /** The first line of QtWebEngine's start-up block (C9). */
  private static final String QT_CONTEXT = "qt.webenginecontext:";
  /** The lines of that block: blank, {@code Name: value}, {@code Init Parameters:}, {@code   *  flag value}. */
  private static final Pattern QT_CONTEXT_LINE = Pattern.compile("^(\\s*|  \\*  .*|[A-Za-z][\\w ]*:.*)$");

  /** Whether the previous line was part of a traceback still going on. */
  private boolean inTraceback;
  /** Whether the previous line was part of QtWebEngine's start-up block. */
  private boolean inQtContext;

  /** Logs {@code line} at the level {@link #levelOf} gives. */
  public void relay(String line) {
    Level level = levelOf(line);
    ANKI.atLevel(level).log(line);
  }

  /** The level of {@code line}, given the lines before it; advances the traceback state. */
  public Level levelOf(String line) {
    if (line.startsWith(QT_CONTEXT)) {
      inQtContext = true;
      return Level.INFO;
    }
    if (inQtContext) {
      // A flag list may name anything ("ErrorPageAutoReload"); any other block line naming an error is one.
      boolean flag = line.startsWith("  *  ");
      if (QT_CONTEXT_LINE.matcher(line).matches() && (flag || !ERROR.matcher(line).find())) {
        return Level.INFO;
      }
      inQtContext = false; // the block is over: this line is judged on its own
    }
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
