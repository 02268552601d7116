package dev.ankisupervisor.standin.anki;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * ANKI_STANDIN_MEMORY_GROWTH_KB_PER_S: a daemon thread that keeps (and touches) that many more KB
 * of heap every second, so the process's memory grows steadily like a leak. Stops growing (and
 * says so) when the heap is full.
 */
final class MemoryGrowth {
  private MemoryGrowth() {}

  static void start(long kbPerSecond) {
    Thread t = new Thread(() -> grow(kbPerSecond), "memory-growth");
    t.setDaemon(true);
    t.start();
  }

  private static void grow(long kbPerSecond) {
    List<byte[]> kept = new ArrayList<>();
    int chunk = (int) Math.min(Integer.MAX_VALUE - 8, kbPerSecond * 1024);
    try {
      while (true) {
        byte[] b = new byte[chunk];
        for (int i = 0; i < b.length; i += 4096) {
          b[i] = 1; // touch every page so it counts in RSS
        }
        kept.add(b);
        Pause.sleep(Duration.ofSeconds(1));
      }
    } catch (OutOfMemoryError e) {
      int held = kept.size();
      Console.diag("memory growth stopped: heap full after " + held + " chunks");
      Pause.forever();
    }
  }
}
