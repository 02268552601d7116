package dev.ankisupervisor.commands;

/**
 * The values of a command's {@link Flag}s once parsed, from wherever each came (flag, environment,
 * config file, default): picocli's model ({@link FlagSpecs#values}) or {@code run}'s quick parse
 * ({@link QuickRun}). Read on the parsing thread.
 */
interface FlagValues {
  /** The value of {@code flag}; null when it has none (no default, not given). */
  <T> T get(Flag<T> flag);
}
