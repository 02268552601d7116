package dev.ankisupervisor.standin.anki;

import java.util.Locale;
import java.util.Map;

/**
 * Decides whether Qt could create its application here (C4). The stand-in has no display, so it
 * needs {@code QT_QPA_PLATFORM=offscreen}; anything else ends like Qt with no usable platform
 * plugin: fatal lines, then SIGABRT. Also plays Anki's own GNOME override (25.09.2,
 * {@code aqt._run}): on a GNOME session ({@code XDG_CURRENT_DESKTOP} or {@code DESKTOP_SESSION}
 * contains "gnome", any case) where Wayland is configured ({@code QT_QPA_PLATFORM=wayland} or
 * {@code WAYLAND_DISPLAY} set), X11 is available ({@code DISPLAY} set) and {@code ANKI_WAYLAND} is
 * unset, Anki overwrites {@code QT_QPA_PLATFORM} with {@code xcb}. Pure functions; any thread.
 */
final class DisplayCheck {
  private DisplayCheck() {}

  /** The platform Qt will use after Anki's override, or null when none is set. */
  static String effectivePlatform(Map<String, String> env) {
    String platform = env.get("QT_QPA_PLATFORM");
    boolean gnome = contains(env.get("XDG_CURRENT_DESKTOP")) || contains(env.get("DESKTOP_SESSION"));
    boolean wayland = "wayland".equals(platform) || nonEmpty(env.get("WAYLAND_DISPLAY"));
    boolean x11 = nonEmpty(env.get("DISPLAY"));
    boolean forced = nonEmpty(env.get("ANKI_WAYLAND"));
    if (gnome && wayland && x11 && !forced) {
      Console.anki("Wayland support is disabled by default due to bugs:");
      Console.anki("https://github.com/ankitects/anki/issues/1767");
      Console.anki("You can force it on with an env var: ANKI_WAYLAND=1");
      Console.diag("GNOME session with DISPLAY and WAYLAND_DISPLAY: QT_QPA_PLATFORM overwritten with xcb (C4)");
      return "xcb";
    }
    return platform;
  }

  /** Whether Qt can start with this platform: only "offscreen" works without a display. */
  static boolean canStart(String platform) {
    return "offscreen".equals(platform);
  }

  /** Prints what Qt prints when no platform plugin can start, then dies by SIGABRT. */
  static void failLikeQt(String platform, Map<String, String> env) {
    String name = platform == null || platform.isEmpty() ? "xcb" : platform;
    if (name.equals("xcb")) {
      Console.ankiErr("qt.qpa.xcb: could not connect to display " + env.getOrDefault("DISPLAY", ""));
    }
    Console.ankiErr("qt.qpa.plugin: Could not load the Qt platform plugin \"" + name
        + "\" in \"\" even though it was found.");
    Console.ankiErr("This application failed to start because no Qt platform plugin could be"
        + " initialized. Reinstalling the application may fix this problem.");
    Console.ankiErr("");
    Console.ankiErr("Available platform plugins are: eglfs, linuxfb, minimal, minimalegl, offscreen,"
        + " vkkhrdisplay, vnc, wayland-egl, wayland, xcb.");
    Console.ankiErr("");
    Console.diag("no usable display: QT_QPA_PLATFORM=" + platform
        + " (C4: set QT_QPA_PLATFORM=offscreen); aborting like Qt");
    Abort.now();
  }

  private static boolean contains(String value) {
    return value != null && value.toLowerCase(Locale.ROOT).contains("gnome");
  }

  private static boolean nonEmpty(String value) {
    return value != null && !value.isEmpty();
  }
}
