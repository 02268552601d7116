package dev.ankisupervisor.standin.syncserver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stand-in sync server's settings, read once from the environment (S1 plus the stand-in's
 * knobs; docs/standin.md, "The stand-in sync server"). Immutable.
 *
 * @param accounts SYNC_USER1..n, stopping at the first missing number
 * @param passwordsHashed PASSWORDS_HASHED is set (any value, as upstream's {@code is_ok()})
 * @param maxPayloadBytes MAX_SYNC_PAYLOAD_MEGS (default 100) in bytes
 * @param seed STANDIN_SYNC_SEED: deck name -> card count, for every empty user collection at start
 * @param failStatus STANDIN_SYNC_FAIL_STATUS: answer every /sync/ call with this status (0 = off)
 * @param delay STANDIN_SYNC_DELAY_MS: each /sync/ call stalls this long first
 * @param busy STANDIN_SYNC_BUSY=1: answer /sync/ calls with 409 (Anki: "Only one copy...")
 */
record SyncServerSettings(
    List<SyncAccount> accounts,
    Path base,
    String host,
    int port,
    boolean passwordsHashed,
    long maxPayloadBytes,
    Map<String, Integer> seed,
    int failStatus,
    Duration delay,
    boolean busy) {

  SyncServerSettings {
    accounts = List.copyOf(accounts);
    seed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(seed));
  }

  /** Reads the settings; throws IllegalArgumentException with upstream's text where it has one. */
  static SyncServerSettings fromEnv(Map<String, String> env) {
    List<SyncAccount> accounts = new ArrayList<>();
    for (int i = 1; env.containsKey("SYNC_USER" + i); i++) {
      accounts.add(SyncAccount.parse("SYNC_USER" + i, env.get("SYNC_USER" + i)));
    }
    if (accounts.isEmpty()) {
      throw new IllegalArgumentException("No users defined; SYNC_USER1 env var should be set.");
    }
    String baseText = env.get("SYNC_BASE");
    Path base = baseText != null ? Path.of(baseText)
        : Path.of(System.getProperty("user.home"), ".syncserver"); // upstream's default_base
    String host = env.getOrDefault("SYNC_HOST", "0.0.0.0");
    int port = intOf(env, "SYNC_PORT", 8080);
    long megs = intOf(env, "MAX_SYNC_PAYLOAD_MEGS", 100);
    return new SyncServerSettings(
        accounts, base, host, port, env.containsKey("PASSWORDS_HASHED"), megs * 1024 * 1024,
        seedOf(env.getOrDefault("STANDIN_SYNC_SEED", "")),
        intOf(env, "STANDIN_SYNC_FAIL_STATUS", 0),
        Duration.ofMillis(intOf(env, "STANDIN_SYNC_DELAY_MS", 0)),
        "1".equals(env.get("STANDIN_SYNC_BUSY")));
  }

  /** {@code deckA:3,deckB:2} -> {deckA=3, deckB=2}. */
  static Map<String, Integer> seedOf(String text) {
    Map<String, Integer> seed = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int colon = part.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("STANDIN_SYNC_SEED part '" + part
            + "' is not deck:count; write it like STANDIN_SYNC_SEED=deckA:3,deckB:2");
      }
      seed.put(part.substring(0, colon).trim(), Integer.parseInt(part.substring(colon + 1).trim()));
    }
    return seed;
  }

  private static int intOf(Map<String, String> env, String name, int fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + v + " is not a whole number; set it to digits only");
    }
  }
}
