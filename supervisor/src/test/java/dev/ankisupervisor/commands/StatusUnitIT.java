package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.statusfile.Documents;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.StatusJson;
import dev.ankisupervisor.statusfile.SupervisorView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status --unit NAME} as a real process reads the status file of the unit's supervisor, as
 * {@code systemctl show} describes the unit: a {@code systemctl} script first on the jar's PATH
 * answers for the units this test made up (the container tests ask the real one).
 */
class StatusUnitIT {
  @TempDir Path tmp;
  private Path bin;

  @BeforeEach
  void writeSystemctl() throws Exception {
    bin = Files.createDirectories(tmp.resolve("bin"));
    // `systemctl --no-pager show --property=... -- UNIT`: the text of show-UNIT, or a unit systemd does not know.
    Path systemctl = bin.resolve("systemctl");
    Files.writeString(systemctl, "#!/bin/sh\n[ \"$2\" = show ] || exit 0\nfor a; do unit=$a; done\n"
        + "if [ -f '" + tmp + "'/show-$unit ]; then cat '" + tmp + "'/show-$unit; else"
        + " printf 'Id=%s.service\\nLoadState=not-found\\n' $unit; fi\n");
    Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwx------"));
  }

  /** A unit whose `run` has {@code execStartFlags} and {@code environment} (systemctl show's Environment= text). */
  private void unit(String name, String execStartFlags, String environment) throws Exception {
    Files.writeString(tmp.resolve("show-" + name), "Id=" + name + ".service\nLoadState=loaded\n"
        + "ExecStart={ path=/usr/local/bin/anki-supervisor ; argv[]=/usr/local/bin/anki-supervisor run " + execStartFlags
        + " ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }\n"
        + "Environment=" + environment + "\n");
  }

  /** A status file of a supervisor that stopped (WARNING, 1), its version naming it. */
  private Path statusFile(String folder, String version) throws Exception {
    StatusDocument ready = Documents.ready(Instant.now());
    SupervisorView s = ready.supervisor();
    StatusDocument doc = ready.withSupervisor(new SupervisorView(s.pid(), s.startTicks(), version, s.startedAt(),
        SupervisorState.STOPPED));
    Path file = Files.createDirectories(tmp.resolve(folder)).resolve("sync-status.json");
    Files.write(file, StatusJson.toBytes(doc));
    return file;
  }

  /** The report without the file's age, which moves between two runs. */
  private static String withoutAge(String out) {
    return out.replaceFirst("\\(updated [^)]* ago\\)", "");
  }

  private JarCommand.Result status(String... args) throws Exception {
    return new JarCommand("status").args(args).env("PATH", bin + ":" + System.getenv("PATH")).run();
  }

  @Test
  void theUnitsStatusFileIsReadFromItsExecStartOrItsEnvironment() throws Exception {
    Path alice = statusFile("alice", "alice-0.1");
    Path bob = statusFile("bob", "bob-0.1");
    unit("anki-connect@alice", "--status-file " + alice, "HOME=/var/lib/anki");
    unit("anki-connect@bob", "--bind 127.0.0.1", "ANKI_SUPERVISOR_STATUS_FILE=" + bob);

    JarCommand.Result viaUnit = status("--unit", "anki-connect@alice");
    JarCommand.Result viaFile = status("--status-file", alice.toString());
    assertThat(viaUnit.exit()).as(viaUnit.toString()).isEqualTo(1);
    assertThat(withoutAge(viaUnit.out())).contains("version alice-0.1").isEqualTo(withoutAge(viaFile.out()));

    assertThat(status("--unit", "anki-connect@bob").out()).contains("version bob-0.1");
    // a flag given here still wins
    assertThat(status("--unit", "anki-connect@bob", "--status-file", alice.toString()).out()).contains("version alice-0.1");
  }

  @Test
  void aUnitSystemdDoesNotKnowIsUnknownWithinNagiosRange() throws Exception {
    JarCommand.Result r = status("--unit", "anki-conect");
    assertThat(r.exit()).as(r.toString()).isEqualTo(3);
    assertThat(r.err().strip()).doesNotContain("\n").contains("anki-conect").contains("not loaded");
  }
}
