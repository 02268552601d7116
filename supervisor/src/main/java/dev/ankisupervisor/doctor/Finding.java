package dev.ankisupervisor.doctor;

import java.util.Objects;

/**
 * The result of one check: {@code OK <check>: <detail>} or {@code PROBLEM <check>: <detail>; fix:
 * <how>}. Immutable.
 */
public record Finding(DoctorCheck check, boolean ok, String detail, String fix) {
  public Finding {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(fix, "fix");
  }

  static Finding ok(DoctorCheck check, String detail) {
    return new Finding(check, true, detail, "");
  }

  static Finding problem(DoctorCheck check, String detail, String fix) {
    return new Finding(check, false, detail, fix);
  }

  /** The line doctor prints. */
  public String line() {
    return ok ? "OK " + check.label() + ": " + detail : "PROBLEM " + check.label() + ": " + detail + "; fix: " + fix;
  }
}
