package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.testing.Prefs;
import dev.ankisupervisor.testing.RealAnkiConnect;
import dev.ankisupervisor.testing.RealAnkiResources;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The prefs21.db the supervisor prepares makes real Anki open the named profile with no dialog
 * (C2, C3), from a base whose prefs21.db would show dialogs: first run, no language, two profiles
 * and another one last loaded. A dialog is a hang: the ready wait fails with Anki's lines.
 */
class RealAnkiPrefsIT {
  @RegisterExtension static final RealAnkiResources real = new RealAnkiResources();

  @TempDir Path dir;
  private RealAnkiRun run;

  @ParameterizedTest
  @EnumSource(RealAnkiRun.As.class)
  void aPrefsFileThatWouldShowDialogsIsPreparedAndTheNamedProfileOpens(RealAnkiRun.As as) throws Exception {
    run = real.closeAfterTest(new RealAnkiRun(dir, real.venv(), as));
    Prefs.empty().profile("other").profile(RealAnkiRun.PROFILE).lastLoaded("other")
        .global("firstRun", true).global("defaultLang", null).write(run.sup.base);
    run.sup.args("--no-sync-on-start", "--sync-interval", "0");
    run.start();
    run.awaitReady(1);
    RealAnkiConnect anki = run.connect();
    assertThat(anki.call("getActiveProfile", "{}").asText()).isEqualTo(RealAnkiRun.PROFILE);
    assertThat(anki.call("getProfiles", "{}")).extracting(n -> n.asText())
        .containsExactlyInAnyOrder("other", RealAnkiRun.PROFILE);
    assertThat(run.sup.log()).doesNotContain("did not become ready");
    assertThat(run.sigterm()).as(run.sup.log()).isZero();
    run.assertCollectionClosed();
    // Anki saved prefs21.db at its clean close; the profile stays the last loaded one, no first run.
    assertThat(Prefs.read(run.sup.base).get("_global")).containsEntry("firstRun", false)
        .containsEntry("last_loaded_profile_name", RealAnkiRun.PROFILE);
  }
}
