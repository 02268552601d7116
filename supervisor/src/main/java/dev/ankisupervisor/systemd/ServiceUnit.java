package dev.ankisupervisor.systemd;

import dev.ankisupervisor.files.TextFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The systemd service this process runs as, so that a command we print can name it
 * ({@code --unit NAME}) and then read the service's settings. systemd gives a service no variable
 * holding its name, but it sets {@code INVOCATION_ID} and runs each service in its own cgroup,
 * {@code .../NAME.service}: cgroup v2's {@code 0::} line of /proc/self/cgroup, or v1's
 * {@code name=systemd} one. Only the system manager's services count: {@code systemctl show}, which
 * {@code --unit} asks, does not see a user manager's. Pure apart from reading the file; any thread.
 */
public final class ServiceUnit {
  private static final Path OWN_CGROUP = Path.of("/proc/self/cgroup");
  private static final String SUFFIX = ".service";

  private ServiceUnit() {}

  /** This process's service (without {@code .service}), when systemd started it as one. */
  public static Optional<String> current(Map<String, String> env) {
    if (env.getOrDefault("INVOCATION_ID", "").isBlank()) {
      return Optional.empty();
    }
    try {
      return fromCgroup(TextFile.read(OWN_CGROUP, TextFile.SETTINGS_MAX_BYTES));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The service named by a /proc/PID/cgroup text; empty outside a system service. */
  static Optional<String> fromCgroup(String cgroup) {
    Optional<String> v1 = Optional.empty();
    for (String line : cgroup.lines().toList()) {
      String[] f = line.split(":", 3);
      if (f.length == 3 && f[0].equals("0") && f[1].isEmpty()) {
        return serviceIn(f[2]);
      }
      if (f.length == 3 && f[1].equals("name=systemd")) {
        v1 = serviceIn(f[2]);
      }
    }
    return v1;
  }

  /** The innermost {@code NAME.service} of a cgroup path, unless a user manager ({@code user@UID.service}) holds it. */
  private static Optional<String> serviceIn(String path) {
    List<String> parts = List.of(path.split("/"));
    if (parts.stream().anyMatch(p -> p.startsWith("user@") && p.endsWith(SUFFIX))) {
      return Optional.empty();
    }
    return parts.stream().filter(p -> p.endsWith(SUFFIX) && p.length() > SUFFIX.length())
        .reduce((outer, inner) -> inner).map(p -> p.substring(0, p.length() - SUFFIX.length()));
  }
}
