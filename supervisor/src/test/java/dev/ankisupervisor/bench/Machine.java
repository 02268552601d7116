package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a figure was measured on: CPUs, CPU model, memory, Java, load average.
 *
 * <p>Threading: stateless; any thread.
 */
final class Machine {
  private Machine() {}

  static String describe() {
    String model = "?";
    String mem = "?";
    try {
      model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
      mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .findFirst().map(l -> l.replaceAll("\\s+", " ")).orElse("?");
    } catch (IOException e) {
      // keep "?"
    }
    return "machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (" + model + "), " + mem + ", Java "
        + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.name") + "), load average "
        + loadAverage();
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
