package dev.ankisupervisor.commands;

import java.time.Duration;

/**
 * The seams tests open in a jar they start as a process, as system properties, never as flags of
 * the product's command line (docs/testing.md). Unset, each is the product's own behaviour.
 * Stateless; any thread.
 */
public final class TestSeams {
  /** Milliseconds {@code backup} pauses after each file copied, so a test can interrupt a copy. */
  public static final String BACKUP_COPY_PAUSE_MS = "anki-supervisor.test.backup-copy-pause-ms";

  private TestSeams() {}

  /** {@value #BACKUP_COPY_PAUSE_MS}; zero when unset. */
  static Duration backupCopyPause() {
    String ms = System.getProperty(BACKUP_COPY_PAUSE_MS);
    return ms == null ? Duration.ZERO : Duration.ofMillis(Long.parseLong(ms.strip()));
  }
}
