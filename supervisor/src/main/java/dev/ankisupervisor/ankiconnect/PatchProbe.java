package dev.ankisupervisor.ankiconnect;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns which of our patches (P1, P2) one running add-on has: the one place that asks
 * {@code apiReflect {"scopes": ["actions"]}} (A4: its action list is how a patched add-on differs
 * from a stock one) and reads the answer. It remembers the answer until {@link #forget()}, so the
 * supervisor's patch check at ready and the syncs after it ask once per Anki start.
 *
 * <p>Threading: {@link #patches()} blocks on one AnkiConnect call when the answer is not known; the
 * answer is shared through a volatile field, so any thread may call any method.
 */
public final class PatchProbe {
  private static final Logger LOG = LoggerFactory.getLogger(PatchProbe.class);

  private final AnkiConnectClient client;
  private final Duration timeout;
  /** What apiReflect said; null until it answered, and after {@link #forget()}. */
  private volatile AddonPatches known;

  public PatchProbe(AnkiConnectClient client, Duration timeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** Asks once, remembering nothing: for {@code check} and {@code doctor}. */
  public static AddonPatches ask(AnkiConnectClient client, Duration timeout) throws AnkiConnectException {
    return AddonPatches.fromActions(reflectActions(client, timeout));
  }

  /** What the add-on has: the remembered answer, else apiReflect's (then remembered and logged). */
  public AddonPatches patches() throws AnkiConnectException {
    AddonPatches p = known;
    if (p == null) {
      p = ask(client, timeout);
      LOG.info("AnkiConnect patches: config API {}, headless sync {}", p.configApi(), p.headlessSync());
      known = p;
    }
    return p;
  }

  /** The remembered answer, if apiReflect answered since the last {@link #forget()}. */
  public Optional<AddonPatches> known() {
    return Optional.ofNullable(known);
  }

  /** Forgets the answer: call when Anki restarted (the add-on may have changed). */
  public void forget() {
    known = null;
  }

  private static List<String> reflectActions(AnkiConnectClient client, Duration timeout) throws AnkiConnectException {
    return AddonPatches.actionsOf(client.call("apiReflect", Map.of("scopes", List.of("actions")), timeout));
  }
}
