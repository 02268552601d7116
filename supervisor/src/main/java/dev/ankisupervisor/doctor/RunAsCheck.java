package dev.ankisupervisor.doctor;

import dev.ankisupervisor.files.PidFile;
import dev.ankisupervisor.launch.ChromiumSandbox;
import dev.ankisupervisor.os.ProcessIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Who Anki runs as (C9): as root the supervisor must switch Chromium's sandbox off, so root is a
 * problem with one fix, a dedicated user. The running Anki (the pidfile's pid, checked by start
 * time) tells the truth; with none running, the owner of the base folder stands for the service's
 * user (whoever runs Anki writes it). Doctor's own user says nothing: it is often run with sudo.
 */
final class RunAsCheck {
  private final DoctorSettings s;
  /** The uid owning a path (/proc/PID or the base folder). */
  private final ToLongFunction<Path> uidOf;

  RunAsCheck(DoctorSettings s, ToLongFunction<Path> uidOf) {
    this.s = s;
    this.uidOf = uidOf;
  }

  /** The owner's uid by the file system; -1 when it cannot be read. */
  static long uidOfPath(Path p) {
    try {
      return ((Number) Files.getAttribute(p, "unix:uid")).longValue();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  Finding check() {
    Optional<Long> anki = livePid();
    Path evidence = anki.map(pid -> Path.of("/proc", Long.toString(pid))).orElse(s.base());
    String who = anki.map(pid -> "Anki pid " + pid).orElse("the base folder " + s.base() + " (no Anki running) is owned by");
    long uid = uidOf.applyAsLong(evidence);
    if (uid < 0) {
      return Finding.ok(DoctorCheck.RUN_AS, "cannot tell who Anki runs as (" + evidence + " unreadable)");
    }
    String as = anki.isPresent() ? who + " runs as uid " + uid : who + " uid " + uid;
    if (uid == 0) {
      return Finding.problem(DoctorCheck.RUN_AS, as + " (root): Chromium's sandbox has to be off for Anki's web views as root"
          + " (the supervisor adds --no-sandbox)", ChromiumSandbox.FIX);
    }
    return Finding.ok(DoctorCheck.RUN_AS, as + ", not root: Chromium's sandbox stays on");
  }

  private Optional<Long> livePid() {
    try {
      return new PidFile(s.pidFile()).liveProcess().map(ProcessIdentity::pid);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
