package dev.ankisupervisor.watch;

import dev.ankisupervisor.model.SupervisorState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Records every snapshot it hears; the first entry is the state it saw first (the "previous" one). */
final class RecordingListener implements SupervisorListener {
  private final List<SupervisorSnapshot> snapshots = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void onChange(SupervisorSnapshot previous, SupervisorSnapshot current) {
    synchronized (snapshots) {
      if (snapshots.isEmpty()) {
        snapshots.add(previous);
      }
      snapshots.add(current);
    }
  }

  List<SupervisorSnapshot> snapshots() {
    synchronized (snapshots) {
      return List.copyOf(snapshots);
    }
  }

  /** The distinct states in order (consecutive repeats from non-state updates collapsed). */
  List<SupervisorState> states() {
    List<SupervisorState> out = new ArrayList<>();
    for (SupervisorSnapshot s : snapshots()) {
      if (out.isEmpty() || out.get(out.size() - 1) != s.state()) {
        out.add(s.state());
      }
    }
    return out;
  }
}
