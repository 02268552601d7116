package dev.ankisupervisor.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The bench's flags: {@code --runs N} (5), {@code --quick} (2 runs, 60 s soak, 3 status runs),
 * {@code --soak DURATION} (10m), {@code --sync-interval DURATION} (30s), {@code --status-runs N}
 * (10), {@code --dir DIR} (a new temp folder, kept), {@code --twin-opts FLAGS} (a second supervisor of
 * ours in the soak with these JVM flags added after the launcher's defaults; {@code before}: {@link #BEFORE};
 * default {@code none}: not run),
 * {@code --real-anki} (the figures with the real Anki instead, {@link RealAnkiBench}: soak 30m, sync every 10s).
 */
record BenchOptions(int runs, Duration soak, String syncInterval, int statusRuns, Optional<Path> dir, String twinOpts,
    boolean realAnki) {
  /**
   * {@code --twin-opts before}: they put back the launcher's JVM defaults from before the relocation and
   * idle flags (archives relocated to a random address, the perf-data sampler, safepoint and monitor
   * checks every 1 s and 250 ms), so row 3b is the before of row 3 in the same soak.
   */
  static final String BEFORE = "-XX:ArchiveRelocationMode=1 -XX:+UsePerfData -XX:GuaranteedSafepointInterval=1000"
      + " -XX:AsyncDeflationInterval=250";

  static BenchOptions parse(String[] args) {
    int runs = 5;
    Duration soak = Duration.ofMinutes(10);
    String sync = "30s";
    int statusRuns = 10;
    Optional<Path> dir = Optional.empty();
    String twin = "none";
    boolean real = false;
    boolean quick = false;
    Duration givenSoak = null;
    String givenSync = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> {
          quick = true;
          runs = 2;
          soak = Duration.ofSeconds(60);
          statusRuns = 3;
        }
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--soak" -> givenSoak = duration(args[++i]);
        case "--sync-interval" -> givenSync = args[++i];
        case "--real-anki" -> real = true;
        case "--status-runs" -> statusRuns = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Optional.of(Path.of(args[++i]));
        case "--twin-opts" -> twin = args[++i].equals("before") ? BEFORE : args[i];
        default -> throw new IllegalArgumentException("unknown flag " + a + "; flags: --runs N --quick --soak 10m"
            + " --sync-interval 30s --status-runs N --dir DIR --twin-opts 'JVM FLAGS'|none --real-anki");
      }
    }
    if (runs < 1) {
      throw new IllegalArgumentException("--runs must be >= 1, found " + runs);
    }
    if (real && !quick) {
      // The real-Anki soak: 30 minutes with a sync every 10 s, unless given.
      soak = Duration.ofMinutes(30);
      sync = "10s";
    }
    return new BenchOptions(runs, givenSoak != null ? givenSoak : soak, givenSync != null ? givenSync : sync,
        statusRuns, dir, twin, real);
  }

  /** 90s, 10m, 1h, or plain seconds. */
  static Duration duration(String s) {
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    }
    char unit = s.charAt(s.length() - 1);
    return switch (unit) {
      case 's' -> Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      case 'm' -> Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      case 'h' -> Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
      default -> Duration.ofSeconds(Long.parseLong(s));
    };
  }
}
