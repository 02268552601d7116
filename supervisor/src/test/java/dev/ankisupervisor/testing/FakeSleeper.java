package dev.ankisupervisor.testing;

import dev.ankisupervisor.os.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link Sleeper} whose clock moves only when slept on; it records every sleep. Test thread only. */
public final class FakeSleeper implements Sleeper {
  private long now;
  public final List<Duration> sleeps = new ArrayList<>();

  @Override
  public long nanos() {
    return now;
  }

  @Override
  public void sleep(Duration d) {
    sleeps.add(d);
    now += d.toNanos();
  }
}
