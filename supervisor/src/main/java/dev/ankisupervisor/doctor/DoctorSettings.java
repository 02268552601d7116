package dev.ankisupervisor.doctor;

import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.ProfileName;
import dev.ankisupervisor.systemd.UnitSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What doctor looks at: the same folders, address and files as {@code run}, plus the backups.
 *
 * @param base Anki's base folder (C1)
 * @param profile the profile whose collection lock is checked
 * @param addonDirName AnkiConnect's folder under addons21/ (A1)
 * @param bind where AnkiConnect binds (the Tailscale interface or an address)
 * @param port AnkiConnect's port
 * @param apiKey AnkiConnect's apiKey, if one is set (never printed)
 * @param pidFile the supervisor's pidfile of the running Anki (its lock is not foreign)
 * @param statusFile sync-status.json
 * @param syncUrl the sync server (its /health), if any
 * @param backupDir the folder holding the backups and last-backup.json, if backups are checked
 * @param maxBackupAge a last successful backup older than this is a problem
 * @param timeout for each network probe
 * @param backupTimer the timer that runs the backups (its state explains a missing last-backup.json)
 * @param unit the service's unit, when doctor was given one ({@code --unit}): its credentials and
 *     environment files are checked
 */
public record DoctorSettings(
    Path base, String profile, String addonDirName, BindSpec bind, int port, Optional<String> apiKey,
    Path pidFile, Path statusFile, Optional<String> syncUrl, Optional<Path> backupDir,
    Duration maxBackupAge, Duration timeout, String backupTimer,
    Optional<UnitSettings> unit) {
  public DoctorSettings {
    Objects.requireNonNull(base, "base");
    ProfileName.check(profile);
    Objects.requireNonNull(addonDirName, "addonDirName");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(pidFile, "pidFile");
    Objects.requireNonNull(statusFile, "statusFile");
    Objects.requireNonNull(syncUrl, "syncUrl");
    Objects.requireNonNull(backupDir, "backupDir");
    Objects.requireNonNull(maxBackupAge, "maxBackupAge");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(backupTimer, "backupTimer");
    Objects.requireNonNull(unit, "unit");
    syncUrl = syncUrl.map(u -> u.endsWith("/") ? u : u + "/");
  }

  @Override
  public String toString() {
    return "DoctorSettings[base=" + base + ", profile=" + profile + ", port=" + port + ", apiKey="
        + (apiKey.isPresent() ? "<redacted>" : "none") + "]";
  }
}
