package dev.ankisupervisor.check;

import java.util.Objects;

/**
 * The outcome of one check step. Immutable; any thread.
 *
 * @param step which step
 * @param outcome pass, fail or skip
 * @param detail one line saying what was seen, and for a failure how to fix it; never a secret
 */
public record StepResult(CheckStep step, Outcome outcome, String detail) {
  /** How a step ended. */
  public enum Outcome {
    /** The step saw what the contract promises. */
    PASS,
    /** The step saw something else; counts toward the exit code. */
    FAIL,
    /** The step could not be judged (an earlier step failed, or input is missing); not a failure. */
    SKIP
  }

  public StepResult {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(outcome, "outcome");
    detail = Objects.requireNonNull(detail, "detail").replaceAll("\\s+", " ").strip();
  }

  static StepResult pass(CheckStep step, String detail) {
    return new StepResult(step, Outcome.PASS, detail);
  }

  static StepResult fail(CheckStep step, String detail) {
    return new StepResult(step, Outcome.FAIL, detail);
  }

  static StepResult skip(CheckStep step, String detail) {
    return new StepResult(step, Outcome.SKIP, detail);
  }

  public boolean isFailure() {
    return outcome == Outcome.FAIL;
  }

  /** The printed line: {@code PASS a version: AnkiConnect answers, API version 6}. */
  public String line() {
    return outcome + " " + step.id() + " " + step.label() + ": " + detail;
  }
}
