package dev.ankisupervisor.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * All step results of one check run, in step order. Immutable; any thread.
 *
 * @param results one per step
 */
public record CheckReport(List<StepResult> results) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public CheckReport {
    results = List.copyOf(results);
  }

  /** How many steps failed (the command's exit code). */
  public int failures() {
    return (int) results.stream().filter(StepResult::isFailure).count();
  }

  /** The result of {@code step}, if it ran. */
  public StepResult result(CheckStep step) {
    return results.stream().filter(r -> r.step() == step).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no result for step " + step));
  }

  /** One line per step, as printed. */
  public List<String> lines() {
    return results.stream().map(StepResult::line).toList();
  }

  /**
   * The results for scripts: {@code {"ok": false, "failures": 1, "steps": [{"step": "a", "name":
   * "version", "outcome": "PASS", "detail": "..."}, ...]}}.
   */
  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("ok", failures() == 0);
    root.put("failures", failures());
    ArrayNode steps = root.putArray("steps");
    for (StepResult r : results) {
      ObjectNode s = steps.addObject();
      s.put("step", r.step().id());
      s.put("name", r.step().label());
      s.put("outcome", r.outcome().name());
      s.put("detail", r.detail());
    }
    return root.toPrettyString();
  }
}
