package dev.ankisupervisor.launch;

import java.util.Arrays;

/**
 * QTWEBENGINE_CHROMIUM_FLAGS with {@code --disable-gpu} (C4: without a GPU QtWebEngine aborts with
 * SIGABRT; the flag goes through this variable, never onto Anki's command line, where it would be
 * taken as a file to import). Pure function; any thread.
 */
public final class ChromiumFlags {
  public static final String VARIABLE = "QTWEBENGINE_CHROMIUM_FLAGS";
  public static final String DISABLE_GPU = "--disable-gpu";

  private ChromiumFlags() {}

  /** {@code existing} with {@code --disable-gpu} appended, unless it is already one of its flags; null or blank gives the flag alone. */
  public static String withDisableGpu(String existing) {
    if (existing == null || existing.isBlank()) {
      return DISABLE_GPU;
    }
    if (Arrays.asList(existing.trim().split("\\s+")).contains(DISABLE_GPU)) {
      return existing;
    }
    return existing.strip() + " " + DISABLE_GPU;
  }
}
