package dev.ankisupervisor.watch;

import dev.ankisupervisor.model.SupervisorState;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link SupervisorSnapshot} and routes every change through one place:
 * {@link #moveTo} checks the move against {@link SupervisorState#canMoveTo}, logs it once and tells
 * the listeners; {@link #update} changes other fields and tells the listeners.
 *
 * <p>Threading: {@link #moveTo} and {@link #update} only from the supervisor thread (they are not
 * atomic otherwise); {@link #snapshot()} from any thread (a volatile read, no lock); listeners may be
 * added from any thread and are called on the supervisor thread, in order.
 */
final class Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  /** The current snapshot; replaced whole, never mutated. */
  private volatile SupervisorSnapshot snapshot;
  /** Told of every change, in registration order. */
  private final List<SupervisorListener> listeners = new CopyOnWriteArrayList<>();

  Lifecycle(SupervisorSnapshot initial) {
    this.snapshot = Objects.requireNonNull(initial, "initial");
  }

  SupervisorSnapshot snapshot() {
    return snapshot;
  }

  SupervisorState state() {
    return snapshot.state();
  }

  void addListener(SupervisorListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Moves to {@code next}, logging {@code why}.
   *
   * @throws IllegalStateException naming both states when the move is not allowed
   */
  void moveTo(SupervisorState next, String why) {
    moveTo(next, why, UnaryOperator.identity());
  }

  /** Moves to {@code next} and applies {@code change} to the new snapshot, telling listeners once. */
  void moveTo(SupervisorState next, String why, UnaryOperator<SupervisorSnapshot> change) {
    SupervisorState current = snapshot.state();
    if (!current.canMoveTo(next)) {
      throw new IllegalStateException("cannot go from " + current + " to " + next);
    }
    SupervisorSnapshot moved = change.apply(snapshot.withState(next));
    if (moved.state() != next) {
      throw new IllegalStateException("a change during the move to " + next + " must not change the state");
    }
    LOG.info("state {} -> {}: {}", current.statusName(), next.statusName(), why);
    publish(moved);
  }

  /** Replaces the snapshot with {@code change(current)} (same state) and tells listeners if it differs. */
  void update(UnaryOperator<SupervisorSnapshot> change) {
    SupervisorSnapshot next = change.apply(snapshot);
    if (next.state() != snapshot.state()) {
      throw new IllegalStateException("update must not change the state (" + snapshot.state() + " to "
          + next.state() + "); use moveTo");
    }
    if (!next.equals(snapshot)) {
      publish(next);
    }
  }

  private void publish(SupervisorSnapshot next) {
    SupervisorSnapshot previous = snapshot;
    snapshot = next;
    for (SupervisorListener l : listeners) {
      try {
        l.onChange(previous, next);
      } catch (RuntimeException e) {
        LOG.warn("listener {} failed on {}; continuing", l, next.state(), e);
      }
    }
  }
}
