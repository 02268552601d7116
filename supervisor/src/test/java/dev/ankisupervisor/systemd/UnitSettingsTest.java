package dev.ankisupervisor.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `systemctl show`'s text as systemd 252 prints it, read into a unit's settings (the container tests read the real one). */
class UnitSettingsTest {
  private static final String SHOW = """
      Id=anki-connect.service
      LoadState=loaded
      ExecStart={ path=/usr/local/bin/anki-supervisor ; argv[]=/usr/local/bin/anki-supervisor run --bind 127.0.0.2 ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }
      Environment=HOME=/var/lib/anki ANKI_SUPERVISOR_API_KEY_FILE=/run/credentials/anki-connect.service/anki-connect-api-key "ANKI_SUPERVISOR_ANKI_COMMAND=/usr/local/lib/anki-standin anki" ANKI_SUPERVISOR_SYNC_USER=anki
      EnvironmentFiles=/etc/anki-supervisor/anki-connect.env (ignore_errors=yes)
      EnvironmentFiles=/etc/anki-supervisor/required.env (ignore_errors=no)
      LoadCredential=anki-connect-api-key:/etc/anki-supervisor/credentials/anki-connect-api-key
      LoadCredential=anki-sync-password:/etc/anki-supervisor/credentials/anki-sync-password
      """;

  @Test
  void readsExecStartEnvironmentFilesThatWinAndCredentialSources() throws Exception {
    UnitSettings u = UnitSettings.parse(SHOW, file -> {
      if (file.toString().endsWith("anki-connect.env")) {
        return "# the operator's\nANKI_SUPERVISOR_SYNC_USER=alice\nexport ANKI_SUPERVISOR_LANG=\"de_DE\"\n\n; comment\n";
      }
      throw new NoSuchFileException(file.toString());
    });

    assertThat(u.unit()).isEqualTo("anki-connect.service");
    assertThat(u.execStartArgs()).containsExactly("run", "--bind", "127.0.0.2");
    assertThat(u.environment()).containsEntry("HOME", "/var/lib/anki")
        .containsEntry("ANKI_SUPERVISOR_ANKI_COMMAND", "/usr/local/lib/anki-standin anki")
        .containsEntry("ANKI_SUPERVISOR_SYNC_USER", "alice") // the file wins over Environment=
        .containsEntry("ANKI_SUPERVISOR_LANG", "de_DE");
    assertThat(u.credentials()).containsEntry("anki-sync-password", Path.of("/etc/anki-supervisor/credentials/anki-sync-password"));
    // The optional file may be missing; the required one may not.
    assertThat(u.problems()).singleElement().asString().contains("/etc/anki-supervisor/required.env does not exist");
    // The credential copy exists only inside the running unit: its source is read instead.
    assertThat(u.readable(Path.of("/run/credentials/anki-connect.service/anki-connect-api-key")))
        .isEqualTo(Path.of("/etc/anki-supervisor/credentials/anki-connect-api-key"));
    assertThat(u.readable(Path.of("/opt/anki/bin/anki"))).isEqualTo(Path.of("/opt/anki/bin/anki"));
  }

  @Test
  void credentialsFromTheUnitFilesWhenSystemctlShowDoesNotPrintThem() {
    String cat = """
        # /etc/systemd/system/anki-connect@.service
        [Service]
        LoadCredential=anki-connect-api-key:/etc/anki-supervisor/credentials/%i/anki-connect-api-key
        LoadCredential=anki-sync-password:/etc/anki-supervisor/credentials/%i/anki-sync-password

        # /etc/systemd/system/anki-connect@.service.d/override.conf
        [Service]
        LoadCredential=
        LoadCredential=anki-connect-api-key:/srv/keys/%i
        """;
    assertThat(UnitSettings.credentialsOf("anki-connect@alice.service", cat))
        .containsExactly(Map.entry("anki-connect-api-key", Path.of("/srv/keys/alice")));
  }

  @Test
  void aUnitSystemdDoesNotKnowIsRefusedWithTheFix() {
    assertThatThrownBy(() -> UnitSettings.parse("Id=anki-conect.service\nLoadState=not-found\n", f -> ""))
        .isInstanceOf(IOException.class).hasMessageContaining("anki-conect.service is not loaded");
  }

  @Test
  void aTimerThatHasNotFiredYet() {
    assertThat(TimerState.parse("LoadState=loaded\nActiveState=active\nLastTriggerUSec=n/a\n"
        + "NextElapseUSecRealtime=Tue 2026-12-08 00:31:07 UTC\n"))
        .contains(new TimerState(true, false, "Tue 2026-12-08 00:31:07 UTC"));
    assertThat(TimerState.parse("LoadState=loaded\nActiveState=active\nLastTriggerUSec=Mon 2026-12-07 00:12:00 UTC\n"))
        .hasValueSatisfying(t -> assertThat(t.hasRun()).isTrue());
    assertThat(TimerState.parse("LoadState=not-found\nActiveState=inactive\n")).isEmpty();
  }

  @Test
  void environmentWordsKeepQuotedBlanks() {
    assertThat(EnvironmentText.words("A=1 \"B=x y\" C=\"q\\\"z\"")).containsExactly("A=1", "B=x y", "C=q\"z");
    assertThat(EnvironmentText.lines("A = 1\nB='two words'\nnot an assignment\n")).containsExactly("A=1", "B=two words");
  }

  @Test
  void anEmptyFileListParsesToNothing() throws Exception {
    UnitSettings u = UnitSettings.parse("Id=x.service\nLoadState=loaded\nExecStart=\nEnvironment=\n", f -> "");
    assertThat(u.execStartArgs()).isEmpty();
    assertThat(u.environment()).isEqualTo(Map.of());
  }
}
