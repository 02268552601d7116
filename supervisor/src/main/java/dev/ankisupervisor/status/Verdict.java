package dev.ankisupervisor.status;

import java.util.Objects;

/**
 * What {@link StatusEvaluator} concluded.
 *
 * @param health the Nagios state
 * @param reason one line: why
 */
public record Verdict(Health health, String reason) {
  public Verdict {
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(reason, "reason");
  }
}
