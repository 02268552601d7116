package dev.ankisupervisor.wiring;

import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.watch.SupervisorListener;
import dev.ankisupervisor.watch.SupervisorSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the launcher that the class-data archive this JVM writes at its exit is worth keeping: the
 * launcher places a {@code run} or {@code demo} archive only when the file it named in the system
 * property {@value #PROPERTY} exists, and this creates it when Anki is first ready. A run that ends
 * earlier (a configuration error, a network that never came) has loaded a few classes of the start
 * path only; its archive would otherwise serve every later start.
 *
 * <p>Threading: called on the supervisor thread; creating the file is one system call.
 */
final class ArchiveReadyMark implements SupervisorListener {
  /** Set by launcher/anki-supervisor when this JVM dumps an archive at its exit. */
  static final String PROPERTY = "anki-supervisor.cds-ready-mark";

  private final Path mark;
  private final AtomicBoolean done = new AtomicBoolean();

  ArchiveReadyMark(Path mark) {
    this.mark = mark;
  }

  /** The listener for the mark the launcher asked for, if it asked. */
  static Optional<ArchiveReadyMark> fromProperty(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(new ArchiveReadyMark(Path.of(value)));
  }

  @Override
  public void onChange(SupervisorSnapshot previous, SupervisorSnapshot current) {
    if (current.state() == SupervisorState.READY && done.compareAndSet(false, true)) {
      try {
        Files.deleteIfExists(mark);
        Files.createFile(mark);
      } catch (IOException e) {
        // only the archive is lost: the launcher makes another at a later start
      }
    }
  }
}
