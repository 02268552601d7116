package dev.ankisupervisor.watch;

/**
 * Hears every new {@link SupervisorSnapshot}: the status file writer, the sd_notify bridge, the
 * metrics file. Called on the supervisor thread, in order, once per change; it must be quick and
 * must not block (hand slow work to its own thread). An exception is logged and does not stop the
 * supervisor.
 */
@FunctionalInterface
public interface SupervisorListener {
  /**
   * @param previous the snapshot before the change
   * @param current the snapshot now published
   */
  void onChange(SupervisorSnapshot previous, SupervisorSnapshot current);
}
