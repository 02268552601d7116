package dev.ankisupervisor.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;

/**
 * The counts of one fault-injection run, and its verdict: PASS when every fault was recovered,
 * no status-file read failed to parse, nothing was left running after a stop, no data was lost,
 * and every SIGTERM stop ended with exit 0.
 *
 * <p>Threading: filled by the driver thread, read after the run.
 */
public final class FaultReport {
  final long seed;
  final Duration injectFor;
  final EnumMap<Fault, Integer> injected = FaultInjection.zeroes();
  final EnumMap<Fault, Integer> recovered = FaultInjection.zeroes();
  final Stats recoveryMs = new Stats();
  final List<String> leftovers = new ArrayList<>();
  final List<String> lost = new ArrayList<>();
  final List<String> stopProblems = new ArrayList<>();
  final List<String> unexpectedExits = new ArrayList<>();
  final List<String> parseFailureSamples = new ArrayList<>();
  boolean syncsWired;
  boolean strayReported = true;
  /** Every second supervisor on the live base exited 78 naming the owner and left the first alone. */
  boolean secondOwnerRefused = true;
  int decksWritten;
  int cardsBefore;
  int cardsAfter;
  int syncAttempts;
  int syncSuccesses;
  long statusReads;
  long parseFailures;

  FaultReport(long seed, Duration injectFor) {
    this.seed = seed;
    this.injectFor = injectFor;
  }

  void record(Fault f, boolean ok, double ms) {
    injected.merge(f, 1, Integer::sum);
    if (ok) {
      recovered.merge(f, 1, Integer::sum);
      recoveryMs.add(ms);
    }
    System.out.printf(Locale.ROOT, "           -> %s%n", ok ? String.format(Locale.ROOT, "recovered in %.0f ms", ms)
        : "NOT recovered");
  }

  public int faultsInjected() {
    return injected.values().stream().mapToInt(Integer::intValue).sum();
  }

  public int faultsRecovered() {
    return recovered.values().stream().mapToInt(Integer::intValue).sum();
  }

  public long parseFailures() {
    return parseFailures;
  }

  public List<String> leftovers() {
    return List.copyOf(leftovers);
  }

  public List<String> lost() {
    return List.copyOf(lost);
  }

  public List<String> stopProblems() {
    return List.copyOf(stopProblems);
  }

  public boolean passed() {
    return faultsInjected() > 0 && faultsRecovered() == faultsInjected() && parseFailures == 0 && leftovers.isEmpty()
        && lost.isEmpty() && stopProblems.isEmpty();
  }

  /** The counts as a Markdown table, then the PASS/FAIL line. */
  public String table() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%n| count | value |%n|---|---|%n"));
    row(b, "seed", Long.toString(seed));
    row(b, "injection time", injectFor.toSeconds() + " s");
    StringBuilder per = new StringBuilder();
    for (Fault f : Fault.values()) {
      if (injected.get(f) > 0) {
        per.append(f.name().toLowerCase(Locale.ROOT)).append(' ').append(recovered.get(f)).append('/')
            .append(injected.get(f)).append(", ");
      }
    }
    row(b, "faults injected", Integer.toString(faultsInjected()));
    row(b, "faults recovered", faultsRecovered() + " (" + (per.length() > 2 ? per.substring(0, per.length() - 2) : "")
        + ")");
    row(b, "time to recover, median / max", String.format(Locale.ROOT, "%.0f ms / %.0f ms", recoveryMs.median(),
        recoveryMs.max()));
    row(b, "syncs attempted / succeeded (status file)", syncsWired ? syncAttempts + " / " + syncSuccesses
        : syncAttempts + " / " + syncSuccesses + " (sync loop not wired into run: no syncs)");
    row(b, "status-file reads / failed to parse", statusReads + " / " + parseFailures
        + (parseFailureSamples.isEmpty() ? "" : " " + parseFailureSamples));
    row(b, "stray port holder reported in the log", strayReported ? "yes (every time)" : "NO");
    row(b, "second supervisor refused with 78, first untouched", secondOwnerRefused ? "yes (every time)" : "NO");
    row(b, "processes left over after stops", leftovers.size() + (leftovers.isEmpty() ? "" : " " + leftovers));
    row(b, "decks + config values written / lost", decksWritten + " + " + decksWritten + " / " + lost.size()
        + (lost.isEmpty() ? "" : " " + lost));
    row(b, "cards (synced from the server) before / after", cardsBefore + " / " + cardsAfter);
    row(b, "SIGTERM stops not ending in exit 0", stopProblems.size() + (stopProblems.isEmpty() ? "" : " " + stopProblems));
    row(b, "unexpected supervisor exits", unexpectedExits.size() + (unexpectedExits.isEmpty() ? "" : " " + unexpectedExits));
    b.append(String.format(Locale.ROOT, "%n%s: %d/%d faults recovered, %d parse failures, %d leftovers, %d lost (seed %d)%n",
        passed() ? "PASS" : "FAIL", faultsRecovered(), faultsInjected(), parseFailures, leftovers.size(), lost.size(),
        seed));
    return b.toString();
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("| ").append(k).append(" | ").append(v).append(" |\n");
  }
}
