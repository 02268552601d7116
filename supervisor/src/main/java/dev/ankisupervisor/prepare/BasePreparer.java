package dev.ankisupervisor.prepare;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.ConnectSettings;
import dev.ankisupervisor.config.SyncSettings;
import java.net.InetAddress;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a base folder ready for a launch: seeds prefs21.db ({@link PrefsSeeder}), writes gldriver6
 * ({@link GlDriverWriter}), makes AnkiConnect's folder match --addon-source when one is set
 * ({@link AddonSourceMirror}, N1-N4) and writes AnkiConnect's settings ({@link AddonSettingsWriter}),
 * in that order.
 * Each step writes only what differs, so preparing an already prepared base changes nothing.
 *
 * <p>Typical use by {@code run} before each launch (after {@link BindAddressWaiter#await} and
 * {@link StaleHolderClearer#clear}, so no Anki of the base runs), and by {@code prepare} alone:
 * <pre>{@code
 * InetAddress addr = new BindAddressWaiter().await(connect.bind(), networkTimeout, progress);
 * new StaleHolderClearer().clear(anki, addr, connect.port(), settings.pidFile(), stopTimeout);
 * PrepareReport r = new BasePreparer().prepare(anki, connect, sync, addr);
 * }</pre>
 *
 * <p>Blocking; one caller at a time per base.
 */
public final class BasePreparer {
  private static final Logger LOG = LoggerFactory.getLogger(BasePreparer.class);

  private final PrefsSeeder prefs;
  private final GlDriverWriter glDriver;
  private final AddonSettingsWriter addon;
  private final AddonSourceMirror mirror = new AddonSourceMirror();

  public BasePreparer() {
    this(new PrefsSeeder(), new GlDriverWriter(), new AddonSettingsWriter());
  }

  public BasePreparer(PrefsSeeder prefs, GlDriverWriter glDriver, AddonSettingsWriter addon) {
    this.prefs = Objects.requireNonNull(prefs, "prefs");
    this.glDriver = Objects.requireNonNull(glDriver, "glDriver");
    this.addon = Objects.requireNonNull(addon, "addon");
  }

  /**
   * Prepares the base folder.
   *
   * @param bindAddress the resolved address AnkiConnect binds (webBindAddress)
   * @throws PrepareException from the first step that fails (later steps are not run)
   */
  public PrepareReport prepare(AnkiSettings anki, ConnectSettings connect, SyncSettings sync, InetAddress bindAddress)
      throws PrepareException {
    PrefsSeedReport seeded = prefs.seed(anki, sync);
    boolean gl = glDriver.write(anki);
    AddonSourceMirror.Changes files = anki.addonSource().isPresent()
        ? mirror.mirror(anki.addonSource().get(), anki.addonDir())
        : AddonSourceMirror.Changes.NONE;
    boolean meta = addon.write(anki, connect, bindAddress);
    PrepareReport report = new PrepareReport(seeded, gl, meta, bindAddress, files);
    LOG.info("prepared {}: prefs21.db {}, gldriver6 {},{} AnkiConnect settings {}", anki.base(),
        seeded.written() ? "written" + seeded.movedAside().map(p -> " (old one moved to " + p + ")").orElse("") : "unchanged",
        gl ? "written" : "unchanged", anki.addonSource().isPresent() ? " AnkiConnect files " + files + "," : "",
        meta ? "written" : "unchanged");
    return report;
  }
}
