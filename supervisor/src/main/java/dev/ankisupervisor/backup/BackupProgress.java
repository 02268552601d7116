package dev.ankisupervisor.backup;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * How far a backup is: files and bytes done (copied or linked, every database pass included) out
 * of what the walk found, and the rate since the start. The copy threads count; a reporter reads
 * {@link #line} or {@link #percentLine} whenever it likes. Thread-safe.
 */
public final class BackupProgress {
  private final LongSupplier nanos;
  private final LongAdder bytes = new LongAdder();
  private final LongAdder files = new LongAdder();
  private final long startNanos;
  private volatile long totalBytes = -1;
  private volatile long totalFiles = -1;

  public BackupProgress(LongSupplier nanos) {
    this.nanos = nanos;
    this.startNanos = nanos.getAsLong();
  }

  void total(long files, long bytes) {
    this.totalFiles = files;
    this.totalBytes = bytes;
  }

  void bytes(long n) {
    bytes.add(n);
  }

  void file() {
    files.increment();
  }

  /** The journal's line: {@code 1200/3002 files, 312/600 MiB, 95 MiB/s}; empty before the walk ended. */
  public String line() {
    if (totalFiles < 0) {
      return "";
    }
    return String.format(Locale.ROOT, "%d/%d files, %s/%s MiB, %s MiB/s", files.sum(), totalFiles,
        mib(bytes.sum()), mib(totalBytes), mib(rate()));
  }

  /** A terminal's line: {@code 52% (1200/3002 files, 312/600 MiB, 95 MiB/s)}. */
  public String percentLine() {
    if (totalFiles < 0) {
      return "";
    }
    long done = bytes.sum();
    // Repeated database passes can count more than the total: never above 99 before the end.
    long pct = totalBytes <= 0 ? 99 : Math.min(99, done * 100 / totalBytes);
    return pct + "% (" + line() + ")";
  }

  private long rate() {
    long ns = Math.max(1, nanos.getAsLong() - startNanos);
    return (long) (bytes.sum() * 1e9 / ns);
  }

  private static String mib(long b) {
    return b < 10L << 20 ? String.format(Locale.ROOT, "%.1f", b / 1048576.0) : Long.toString(b >> 20);
  }
}
