package dev.ankisupervisor.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The bench's flags: {@code --runs N} (5), {@code --quick} (2 runs, 60 s soak, 3 status runs),
 * {@code --soak DURATION} (10m), {@code --sync-interval DURATION} (30s), {@code --status-runs N}
 * (10), {@code --dir DIR} (a new temp folder, kept).
 */
record BenchOptions(int runs, Duration soak, String syncInterval, int statusRuns, Optional<Path> dir) {
  static BenchOptions parse(String[] args) {
    int runs = 5;
    Duration soak = Duration.ofMinutes(10);
    String sync = "30s";
    int statusRuns = 10;
    Optional<Path> dir = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> {
          runs = 2;
          soak = Duration.ofSeconds(60);
          statusRuns = 3;
        }
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--soak" -> soak = duration(args[++i]);
        case "--sync-interval" -> sync = args[++i];
        case "--status-runs" -> statusRuns = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Optional.of(Path.of(args[++i]));
        default -> throw new IllegalArgumentException("unknown flag " + a + "; flags: --runs N --quick --soak 10m"
            + " --sync-interval 30s --status-runs N --dir DIR");
      }
    }
    if (runs < 1) {
      throw new IllegalArgumentException("--runs must be >= 1, found " + runs);
    }
    return new BenchOptions(runs, soak, sync, statusRuns, dir);
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
