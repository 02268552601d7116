package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ankisupervisor.standin.syncserver.CollectionContent;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

/**
 * The sync actions: stock AnkiConnect's {@code sync} (A4), and, when ANKI_STANDIN_PATCHES contains
 * {@code headless-sync}, our patch P2's {@code headlessSync} and {@code fullSync}. Registered
 * into {@link Actions} by name; run on the AnkiConnect thread, which they block (A3).
 */
final class SyncActions {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private SyncActions() {}

  /** Adds the actions this stand-in has (P2 only when patched). */
  static void register(Map<String, Action> map) {
    map.put("sync", PythonCall.of("sync", List.of(), List.of(), SyncActions::sync));
    if (patches(System.getenv()).contains("headless-sync")) {
      map.put("headlessSync", PythonCall.of("headlessSync", List.of(), List.of(), SyncActions::headlessSync));
      map.put("fullSync", PythonCall.of("fullSync", List.of("direction"), List.of("force"), SyncActions::fullSync));
    }
  }

  /** ANKI_STANDIN_PATCHES as a list of names. */
  static List<String> patches(Map<String, String> env) {
    String v = env.getOrDefault("ANKI_STANDIN_PATCHES", "");
    return List.of(v.replace(" ", "").split(","));
  }

  /**
   * AnkiConnect's {@code sync()}: {@code mw.pm.sync_auth()} (no profile: Python's AttributeError
   * on {@code None.get}), then {@code mw.col.sync_collection(...)} (no collection: AttributeError
   * on {@code None}), then an error when a full sync is needed; null on success. The follow-up
   * GUI sync ({@code mw.onSync()}), whose errors nobody sees, is a no-op here.
   */
  private static JsonNode sync(JsonNode params, ActionContext c) throws ActionError {
    if (c.profileName() == null) {
      throw new ActionError("'NoneType' object has no attribute 'get'");
    }
    SyncClient client = SyncClient.forProfile(c.profilePrefs());
    if (client == null) {
      throw new ActionError(SyncTexts.AUTH_NOT_CONFIGURED);
    }
    Connection col;
    try {
      col = c.collection();
    } catch (ActionError e) {
      throw new ActionError("'NoneType' object has no attribute 'sync_collection'");
    }
    SyncRun.Check check = SyncRun.begin(client, col, c.env()).syncCollection();
    if (check.required().isFull()) {
      throw new ActionError(SyncTexts.status(check.required().number));
    }
    return F.nullNode();
  }

  /** P2 {@code headlessSync()}: the collection sync without GUI follow-up; never raises for a full sync. */
  private static JsonNode headlessSync(JsonNode params, ActionContext c) throws ActionError {
    SyncClient client = authOrFail(c);
    SyncRun.Check check = SyncRun.begin(client, c.collection(), c.env()).syncCollection();
    ObjectNode out = F.objectNode();
    out.put("required", check.required().wireName);
    out.put("serverMessage", check.serverMessage());
    return out;
  }

  /**
   * P2 {@code fullSync(direction, force=False)}. Order of checks: direction, auth, collection;
   * then, unless force, the server is asked and only a transfer that loses nothing is done.
   */
  private static JsonNode fullSync(JsonNode params, ActionContext c) throws ActionError {
    JsonNode d = params.get("direction");
    String direction = d != null && d.isTextual() ? d.asText() : "";
    if (!direction.equals("download") && !direction.equals("upload")) {
      throw new ActionError(SyncTexts.BAD_DIRECTION);
    }
    // Like the patch (P2): only JSON true forces; a string such as "false" must never overwrite.
    JsonNode f = params.get("force");
    boolean force = f != null && f.isBoolean() && f.asBoolean();
    SyncClient client = authOrFail(c);
    SyncRun run = SyncRun.begin(client, c.collection(), c.env());
    if (!force) {
      SyncRequired needed = run.check().required();
      SyncRequired safe = direction.equals("download") ? SyncRequired.FULL_DOWNLOAD : SyncRequired.FULL_UPLOAD;
      if (needed != safe) {
        throw new ActionError(SyncTexts.WOULD_OVERWRITE);
      }
      // Like the patch (P2): rslib's "no cards" is not "nothing to lose"; a download also needs no
      // deck but Default and no config key with a value under the config API's allowed prefixes.
      if (direction.equals("download") && !holdsNothing(run.local(), c)) {
        throw new ActionError(SyncTexts.WOULD_OVERWRITE);
      }
    }
    if (direction.equals("download")) {
      run.fullDownload();
    } else {
      run.fullUpload();
    }
    ObjectNode out = F.objectNode();
    out.put("direction", direction);
    return out;
  }

  /** P2's {@code _headlessSyncHoldsNothing}: no card, no deck but Default, no app's config key holding a value (not null). */
  private static boolean holdsNothing(CollectionContent local, ActionContext c) {
    if (!local.cards().isEmpty() || local.decks().stream().anyMatch(d -> !d.equals("Default"))) {
      return false;
    }
    JsonNode config = c.addonConfig();
    JsonNode prefixes = config == null ? null : config.path("configApi").path("allowedKeyPrefixes");
    if (prefixes == null || !prefixes.isArray()) {
      return true;
    }
    for (JsonNode p : prefixes) {
      if (p.isTextual() && !p.asText().isEmpty() && local.config().entrySet().stream()
          .anyMatch(e -> e.getKey().startsWith(p.asText()) && !e.getValue().strip().equals("null"))) {
        return false;
      }
    }
    return true;
  }

  private static SyncClient authOrFail(ActionContext c) throws ActionError {
    SyncClient client = c.profileName() == null ? null : SyncClient.forProfile(c.profilePrefs());
    if (client == null) {
      throw new ActionError(SyncTexts.AUTH_NOT_CONFIGURED);
    }
    return client;
  }
}
