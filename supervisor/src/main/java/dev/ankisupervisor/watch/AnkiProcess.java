package dev.ankisupervisor.watch;

import dev.ankisupervisor.os.ExitStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One launched Anki as the supervisor sees it: its pid, its exit, and the signals it may send to
 * its process group. The real one wraps {@code launch.RunningAnki}; unit tests use a fake.
 *
 * <p>Threading: {@link #onExit()} completes on a reaper thread (the supervisor only submits a task
 * from it); the signal methods are called from the supervisor thread and check the process identity
 * (pid + start time) first, so a reused pid is never signalled.
 */
interface AnkiProcess {
  long pid();

  /** Completes once Anki exited and was reaped. */
  CompletableFuture<ExitStatus> onExit();

  /** SIGTERM to Anki's process group: a clean close (C6). */
  void terminate();

  /** SIGKILL to Anki and every process of its group/tree (QtWebEngine helpers, C4), so none outlives it. */
  void killTree();

  /**
   * Why it ended, when its output named a known cause (C9's zygote line); read once {@link #onExit()}
   * completed.
   */
  Optional<String> diagnosis();
}
