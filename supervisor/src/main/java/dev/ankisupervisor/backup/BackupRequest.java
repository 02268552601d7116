package dev.ankisupervisor.backup;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One backup to make.
 *
 * @param source the sync server's data folder ($SYNC_BASE, S2), only ever read
 * @param dest the folder holding the backups, one sub-folder each
 * @param stopUnit the systemd unit to stop for the copy and start again afterwards; empty: live copy
 * @param retention which older backups to keep after a successful one
 * @param maxPasses live copy: how many passes before giving up on a source that keeps changing
 */
public record BackupRequest(
    Path source, Path dest, Optional<String> stopUnit, Retention retention, int maxPasses) {
  public BackupRequest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(dest, "dest");
    Objects.requireNonNull(stopUnit, "stopUnit");
    Objects.requireNonNull(retention, "retention");
    if (maxPasses < 2) {
      throw new IllegalArgumentException("--passes must be >= 2 (two passes must agree), found " + maxPasses);
    }
  }

  /**
   * restic's --keep-daily/--keep-weekly/--keep-monthly: for each of the last N days (weeks,
   * months) that have backups, keep the newest backup of it. All zero keeps every backup.
   */
  public record Retention(int keepDaily, int keepWeekly, int keepMonthly) {
    public static final Retention DEFAULT = new Retention(7, 4, 6);

    public Retention {
      if (keepDaily < 0 || keepWeekly < 0 || keepMonthly < 0) {
        throw new IllegalArgumentException("--keep-daily/--keep-weekly/--keep-monthly must be >= 0, found "
            + keepDaily + "/" + keepWeekly + "/" + keepMonthly);
      }
    }

    public boolean keepsEverything() {
      return keepDaily == 0 && keepWeekly == 0 && keepMonthly == 0;
    }
  }
}
