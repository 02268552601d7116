package dev.ankisupervisor.commands;

/**
 * An unrelated Java program for {@link SyncNowCommandIT}: it only waits, with no SIGUSR1 handler,
 * so a SIGUSR1 sent to it by mistake ends it (the JVM's default action) and the test sees that.
 */
public final class IdleJavaMain {
  private IdleJavaMain() {}

  public static void main(String[] args) throws InterruptedException {
    Thread.sleep(Long.parseLong(args[0]));
  }
}
