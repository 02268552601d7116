package dev.ankisupervisor.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectError;
import dev.ankisupervisor.ankiconnect.AnkiConnectException;
import dev.ankisupervisor.ankiconnect.Patch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steps b to e: the Config API of patch P1 against a live AnkiConnect. Every key it writes is fresh
 * (a unique suffix) and is reset to null afterwards, because P1 has no delete action. Single use,
 * one thread.
 */
final class ConfigApiSteps {
  private static final Pattern TOO_LARGE = Pattern.compile("config value is too large \\((\\d+) bytes > (\\d+)\\)");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final AnkiConnectClient client;
  private final CheckOptions options;
  private final Supplier<String> uniqueSuffix;

  ConfigApiSteps(AnkiConnectClient client, CheckOptions options, Supplier<String> uniqueSuffix) {
    this.client = client;
    this.options = options;
    this.uniqueSuffix = uniqueSuffix;
  }

  List<StepResult> run() {
    List<StepResult> results = new ArrayList<>();
    if (options.firstPrefix().isEmpty()) {
      String why = "no allowed key prefix known; pass --config-prefix P (from the add-on's configApi.allowedKeyPrefixes) or --addon-dir";
      for (CheckStep s : List.of(CheckStep.CONFIG_ABSENT, CheckStep.CONFIG_ROUND_TRIP, CheckStep.CONFIG_PREFIX_RULE, CheckStep.CONFIG_SIZE_CAP)) {
        results.add(StepResult.skip(s, why));
      }
      return results;
    }
    String prefix = options.firstPrefix().get();
    StepResult absent = absent(prefix);
    results.add(absent);
    if (absent.isFailure()) {
      String why = "needs a working config API (step b failed)";
      results.add(StepResult.skip(CheckStep.CONFIG_ROUND_TRIP, why));
      results.add(StepResult.skip(CheckStep.CONFIG_PREFIX_RULE, why));
      results.add(StepResult.skip(CheckStep.CONFIG_SIZE_CAP, why));
      return results;
    }
    results.add(roundTrip(prefix));
    results.add(prefixRule());
    results.add(sizeCap(prefix));
    return results;
  }

  private StepResult absent(String prefix) {
    String key = prefix + "anki-supervisor-check-absent-" + uniqueSuffix.get();
    try {
      JsonNode value = getConfig(key);
      return value.isNull()
          ? StepResult.pass(CheckStep.CONFIG_ABSENT, "getConfig of the fresh key " + key + " answers null")
          : StepResult.fail(CheckStep.CONFIG_ABSENT, "getConfig of the fresh key " + key + " answers " + value + " instead of null (the config API patch answers null for a missing key)");
    } catch (AnkiConnectException e) {
      return StepResult.fail(CheckStep.CONFIG_ABSENT, "getConfig " + key + " failed: " + explain(e, prefix));
    }
  }

  private StepResult roundTrip(String prefix) {
    String suffix = uniqueSuffix.get();
    String key = prefix + "anki-supervisor-check-" + suffix;
    ObjectNode value = MAPPER.createObjectNode().put("check", suffix).put("text", "round trip \u00e9 \u2713");
    try {
      JsonNode stored = setConfig(key, value);
      if (!stored.isBoolean() || !stored.asBoolean()) {
        return StepResult.fail(CheckStep.CONFIG_ROUND_TRIP, "setConfig " + key + " answered " + stored + " instead of true (the config API patch's answer)");
      }
      JsonNode back = getConfig(key);
      String reset = reset(key);
      if (!back.equals(value)) {
        return StepResult.fail(CheckStep.CONFIG_ROUND_TRIP, "getConfig " + key + " answered " + back + " after setConfig of " + value + "; " + reset);
      }
      return StepResult.pass(CheckStep.CONFIG_ROUND_TRIP, "setConfig then getConfig of " + key + " round-trips; " + reset);
    } catch (AnkiConnectException e) {
      return StepResult.fail(CheckStep.CONFIG_ROUND_TRIP, "setConfig/getConfig " + key + " failed: " + explain(e, prefix));
    }
  }

  private StepResult prefixRule() {
    String key = "anki-supervisor-check-outside-" + uniqueSuffix.get();
    while (startsWithAllowedPrefix(key)) {
      key = "~" + key;
    }
    try {
      setConfig(key, MAPPER.getNodeFactory().booleanNode(true));
      return StepResult.fail(CheckStep.CONFIG_PREFIX_RULE, "setConfig accepted " + key + ", outside the prefixes "
          + options.configPrefixes() + "; the prefix rule is broken, or the add-on allows more prefixes than "
          + "--config-prefix names (pass them all); " + reset(key));
    } catch (AnkiConnectException e) {
      if (AnkiConnectError.CONFIG_KEY_NOT_ALLOWED.isIn(e)) {
        return StepResult.pass(CheckStep.CONFIG_PREFIX_RULE, "setConfig " + key + " fails with \""
            + AnkiConnectError.CONFIG_KEY_NOT_ALLOWED.text() + "\"");
      }
      return StepResult.fail(CheckStep.CONFIG_PREFIX_RULE, "setConfig " + key + " failed with \"" + e.errorText()
          + "\" instead of \"" + AnkiConnectError.CONFIG_KEY_NOT_ALLOWED.text() + "\" (the config API patch's text)");
    }
  }

  private StepResult sizeCap(String prefix) {
    String key = prefix + "anki-supervisor-check-big-" + uniqueSuffix.get();
    int max = options.maxValueBytes();
    // A string of max-1 ASCII characters is max+1 bytes of compact JSON: its two quotes (P1).
    int size = max + 1;
    try {
      setConfig(key, MAPPER.getNodeFactory().textNode("x".repeat(max - 1)));
      return StepResult.fail(CheckStep.CONFIG_SIZE_CAP, "setConfig accepted a value of " + size + " bytes, over maxValueBytes "
          + max + "; the add-on's cap is larger or missing (pass --config-max-bytes with configApi.maxValueBytes); " + reset(key));
    } catch (AnkiConnectException e) {
      Matcher m = TOO_LARGE.matcher(e.errorText());
      if (e.kind() != AnkiConnectException.Kind.ACTION_ERROR || !m.matches()) {
        return StepResult.fail(CheckStep.CONFIG_SIZE_CAP, "setConfig of " + size + " bytes failed with \"" + e.errorText()
            + "\" instead of \"config value is too large (" + size + " bytes > " + max + ")\" (the config API patch's text)");
      }
      if (Long.parseLong(m.group(1)) != size) {
        return StepResult.fail(CheckStep.CONFIG_SIZE_CAP, "the add-on measured our value as " + m.group(1) + " bytes, not "
            + size + ": its size is not the compact UTF-8 JSON length the config API patch defines");
      }
      return StepResult.pass(CheckStep.CONFIG_SIZE_CAP, "setConfig of " + size + " bytes fails with \"" + e.errorText() + "\""
          + (Long.parseLong(m.group(2)) == max ? "" : " (the add-on's cap is " + m.group(2) + ", not " + max + ")"));
    }
  }

  private boolean startsWithAllowedPrefix(String key) {
    return options.configPrefixes().stream().anyMatch(key::startsWith);
  }

  /** Sets {@code key} back to null (P1 has no delete action) and says how that went. */
  private String reset(String key) {
    try {
      setConfig(key, MAPPER.getNodeFactory().nullNode());
      return "key reset to null (the config API has no delete)";
    } catch (AnkiConnectException e) {
      return "resetting " + key + " to null failed: " + e.errorText();
    }
  }

  private JsonNode getConfig(String key) throws AnkiConnectException {
    return client.call("getConfig", Map.of("key", key), options.callTimeout());
  }

  private JsonNode setConfig(String key, JsonNode value) throws AnkiConnectException {
    Map<String, Object> params = new HashMap<>();
    params.put("key", key);
    params.put("val", value);
    return client.call("setConfig", params, options.callTimeout());
  }

  /** AnkiConnect's error text, with the likely fix for the ones P1 defines. */
  private static String explain(AnkiConnectException e, String prefix) {
    String text = e.errorText();
    return text + AnkiConnectError.of(e).map(known -> switch (known) {
      case UNSUPPORTED_ACTION -> ": the add-on lacks " + Patch.CONFIG_ACTIONS.describe() + "; apply it (patches/README.md)";
      case CONFIG_API_DISABLED -> ": set configApi.enable to true in the add-on's settings";
      case CONFIG_KEY_NOT_ALLOWED -> ": \"" + prefix + "\" is not in configApi.allowedKeyPrefixes; pass a listed --config-prefix";
      case COLLECTION_NOT_AVAILABLE -> ": no profile is open (see step f)";
      default -> "";
    }).orElse("");
  }
}
