package dev.ankisupervisor.doctor;

import dev.ankisupervisor.systemd.UnitSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The unit itself (with {@code --unit}): every {@code LoadCredential=} source must be a readable
 * file, else systemd refuses to start the service with 243/CREDENTIALS ("Failed to set up
 * credentials"), before the supervisor runs and can say anything; and every required environment
 * file must exist. Pure apart from looking at the files.
 */
final class UnitChecks {
  private UnitChecks() {}

  static Finding unit(Optional<UnitSettings> unit) {
    if (unit.isEmpty()) {
      return Finding.ok(DoctorCheck.UNIT, "not checked (no --unit)");
    }
    UnitSettings u = unit.get();
    List<String> problems = new ArrayList<>(u.problems());
    for (Map.Entry<String, Path> credential : u.credentials().entrySet()) {
      Path source = credential.getValue();
      if (!Files.isRegularFile(source)) {
        problems.add("LoadCredential " + credential.getKey() + ": " + source + " is missing, so systemd cannot start "
            + u.unit() + " (status 243/CREDENTIALS)");
      } else if (!Files.isReadable(source)) {
        problems.add("LoadCredential " + credential.getKey() + ": " + source + " is not readable here (run doctor as"
            + " root to check it)");
      }
    }
    if (problems.isEmpty()) {
      return Finding.ok(DoctorCheck.UNIT, u.unit() + ": " + u.credentials().size() + " credential file(s) present"
          + (u.credentials().isEmpty() ? "" : " (" + String.join(", ", u.credentials().keySet()) + ")"));
    }
    return Finding.problem(DoctorCheck.UNIT, String.join("; ", problems),
        "create the missing file (systemd/README.md section 6), then systemctl restart " + u.unit());
  }
}
