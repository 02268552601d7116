package dev.ankisupervisor.prepare;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What {@link BasePreparer#prepare} did, for one log line and the {@code prepare} command's output.
 *
 * @param prefs the prefs21.db outcome
 * @param glDriverWritten true when gldriver6 was (re)written
 * @param addonSettingsWritten true when AnkiConnect's meta.json was (re)written
 * @param bindAddress the address written as webBindAddress
 * @param addonFiles what mirroring --addon-source changed in the add-on folder (nothing without one)
 */
public record PrepareReport(PrefsSeedReport prefs, boolean glDriverWritten, boolean addonSettingsWritten, InetAddress bindAddress,
    AddonSourceMirror.Changes addonFiles) {
  public PrepareReport {
    Objects.requireNonNull(prefs, "prefs");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(addonFiles, "addonFiles");
  }

  /** What changed, for people: "prefs21.db written (profile created), gldriver6 unchanged, ...". */
  public String describe() {
    String prefsText = !prefs.written() ? "unchanged" : "written"
        + (prefs.profileCreated() ? ", profile created" : "")
        + (prefs.syncKey() == PrefsSeedReport.SyncKeyAction.WRITTEN ? ", sync login written" : "")
        + prefs.movedAside().map(p -> ", old file moved to " + p).orElse("");
    return "prefs21.db " + prefsText + "; gldriver6 " + (glDriverWritten ? "written" : "unchanged")
        + "; AnkiConnect settings (meta.json) " + (addonSettingsWritten ? "written" : "unchanged");
  }

  /** True when nothing on disk changed. */
  public boolean isUnchanged() {
    return !prefs.written() && !glDriverWritten && !addonSettingsWritten && addonFiles.isNone();
  }
}
