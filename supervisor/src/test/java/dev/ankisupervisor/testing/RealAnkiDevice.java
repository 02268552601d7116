package dev.ankisupervisor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second device (supervisor/src/test/resources/real-anki/device.py, run with the real venv's python and its
 * {@code anki} library): puts a collection with known notes on the sync server through the real
 * login and full upload, and reads a collection nobody holds open (the server's after it stopped,
 * Anki's after it closed) from a copy.
 */
public final class RealAnkiDevice {
  private static final Path SCRIPT = Path.of("supervisor/src/test/resources/real-anki/device.py");

  /** What a collection holds: note and card counts, deck names, every note's first field, config values asked for. */
  public record Summary(int notes, int cards, List<String> decks, List<String> fronts, JsonNode config) {}

  private final RealAnkiVenv venv;

  public RealAnkiDevice(RealAnkiVenv venv) {
    this.venv = venv;
  }

  /** A new collection at {@code collection} with one Basic note per front in {@code deck}, fully uploaded to the server. */
  public Summary upload(Path collection, RealAnkiSyncServer server, String user, String password, String deck,
      String... fronts) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("upload", collection.toString(), server.url(), user, password, deck));
    args.addAll(List.of(fronts));
    return run(args);
  }

  /** Reads {@code collection} (nobody may hold it open) with the values of {@code configKeys}. */
  public Summary read(Path collection, String... configKeys) throws IOException, InterruptedException {
    if (!Files.exists(collection)) {
      throw new AssertionError("no collection at " + collection);
    }
    List<String> args = new ArrayList<>(List.of("read", collection.toString()));
    args.addAll(List.of(configKeys));
    return run(args);
  }

  private Summary run(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(venv.python().toString(), SCRIPT.toAbsolutePath().toString()));
    cmd.addAll(args);
    Path err = Files.createTempFile("device", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(RealAnkiVenv.BOUND.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("device.py " + args + " still running after " + RealAnkiVenv.BOUND);
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("device.py " + args + " exited " + p.exitValue() + ":\n" + out
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      // The answer is the last line: the anki library may print lines of its own before it
      // ("blocked main thread for N ms" when a backend call on the main thread is slow).
      List<String> lines = out.strip().lines().toList();
      JsonNode j = new ObjectMapper().readTree(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
      List<String> decks = new ArrayList<>();
      j.get("decks").forEach(d -> decks.add(d.asText()));
      List<String> fronts = new ArrayList<>();
      j.get("fronts").forEach(f -> fronts.add(f.asText()));
      return new Summary(j.get("notes").asInt(), j.get("cards").asInt(), decks, fronts, j.get("config"));
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
