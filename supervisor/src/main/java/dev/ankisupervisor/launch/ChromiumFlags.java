package dev.ankisupervisor.launch;

import java.util.Arrays;

/**
 * QTWEBENGINE_CHROMIUM_FLAGS with the flags a headless Anki needs appended: {@code --disable-gpu}
 * (C4: without a GPU QtWebEngine aborts with SIGABRT) and, as root, {@code --no-sandbox} (C9: the
 * Chromium zygote refuses root otherwise). Flags go through this variable, never onto Anki's
 * command line, where they would be taken as a file to import. Pure functions; any thread.
 */
public final class ChromiumFlags {
  public static final String VARIABLE = "QTWEBENGINE_CHROMIUM_FLAGS";
  public static final String DISABLE_GPU = "--disable-gpu";
  public static final String NO_SANDBOX = "--no-sandbox";

  private ChromiumFlags() {}

  /** {@code existing} with {@code --disable-gpu} appended, unless it is already one of its flags; null or blank gives the flag alone. */
  public static String withDisableGpu(String existing) {
    return with(existing, DISABLE_GPU);
  }

  /** {@code existing} with {@code --no-sandbox} appended, unless it is already one of its flags (C9). */
  public static String withNoSandbox(String existing) {
    return with(existing, NO_SANDBOX);
  }

  /** Whether {@code flag} is one of the words of {@code flags}. */
  public static boolean contains(String flags, String flag) {
    return flags != null && Arrays.asList(flags.trim().split("\\s+")).contains(flag);
  }

  private static String with(String existing, String flag) {
    if (existing == null || existing.isBlank()) {
      return flag;
    }
    if (contains(existing, flag)) {
      return existing;
    }
    return existing.strip() + " " + flag;
  }
}
