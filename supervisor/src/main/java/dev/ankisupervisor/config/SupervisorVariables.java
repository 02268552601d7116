package dev.ankisupervisor.config;

/**
 * The supervisor's own environment variables: every setting as {@code ANKI_SUPERVISOR_<FLAG>}
 * (docs/errors.md), the launcher's ({@code ANKI_SUPERVISOR_JAVA_OPTS}, {@code ANKI_SUPERVISOR_CDS},
 * ...) and the log's. They configure the supervisor only: none of them is passed on to Anki.
 * Constants only.
 */
public final class SupervisorVariables {
  /** The prefix every one of them starts with. */
  public static final String PREFIX = "ANKI_SUPERVISOR_";

  private SupervisorVariables() {}
}
