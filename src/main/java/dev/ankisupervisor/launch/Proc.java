package dev.ankisupervisor.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads /proc/PID/stat for the launcher: start time (field 22), parent (4), process group (5),
 * state (3). Stateless; any thread; a process vanishing mid-read is simply absent.
 */
final class Proc {
  /** The fields of one /proc/PID/stat we use. */
  record Stat(long pid, char state, long ppid, long pgrp, long startTicks) {
    boolean isZombie() {
      return state == 'Z' || state == 'X';
    }
  }

  private static final Path ROOT = Path.of("/proc");

  private Proc() {}

  static Optional<Stat> stat(long pid) {
    try {
      String text = Files.readString(ROOT.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
      int close = text.lastIndexOf(')'); // comm may hold spaces and ')'
      String[] f = text.substring(close + 1).trim().split("\\s+");
      return Optional.of(new Stat(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[19])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Every live (non-zombie) process now present. */
  static List<Stat> all() {
    List<Stat> out = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(ROOT)) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          stat(Long.parseLong(name)).filter(s -> !s.isZombie()).ifPresent(out::add);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list /proc", e);
    }
    return out;
  }
}
