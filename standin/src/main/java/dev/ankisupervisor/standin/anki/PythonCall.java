package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Gives an action a Python signature, so wrong params fail with CPython's own text (A2):
 * AnkiConnect calls {@code method(**params)} on a bound method, and CPython (3.10+) names it by
 * its qualified name: {@code AnkiConnect.createDeck() missing 1 required positional argument:
 * 'deck'}, {@code AnkiConnect.deckNames() got an unexpected keyword argument 'x'}. An unexpected
 * keyword is reported before a missing one, as CPython does. Immutable; any thread.
 */
final class PythonCall {
  private PythonCall() {}

  /**
   * Wraps {@code body} with the signature {@code name(required..., optional=...)}.
   * H1b's actions use this too, so every action answers bad params the same way.
   */
  static Action of(String name, List<String> required, List<String> optional, Action body) {
    List<String> req = List.copyOf(required);
    List<String> opt = List.copyOf(optional);
    return (params, context) -> {
      check(name, req, opt, params);
      return body.run(params, context);
    };
  }

  static void check(String name, List<String> required, List<String> optional, JsonNode params)
      throws ActionError {
    String qualified = "AnkiConnect." + name + "()";
    Iterator<String> keys = params.fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (!required.contains(key) && !optional.contains(key)) {
        throw new ActionError(qualified + " got an unexpected keyword argument '" + key + "'");
      }
    }
    List<String> missing = new ArrayList<>();
    for (String r : required) {
      if (!params.has(r)) {
        missing.add("'" + r + "'");
      }
    }
    if (!missing.isEmpty()) {
      int n = missing.size();
      throw new ActionError(qualified + " missing " + n + " required positional argument"
          + (n == 1 ? "" : "s") + ": " + joinPython(missing));
    }
  }

  /** CPython's list: 'a'; 'a' and 'b'; 'a', 'b', and 'c'. */
  private static String joinPython(List<String> names) {
    int n = names.size();
    if (n == 1) {
      return names.get(0);
    }
    if (n == 2) {
      return names.get(0) + " and " + names.get(1);
    }
    return String.join(", ", names.subList(0, n - 1)) + ", and " + names.get(n - 1);
  }
}
