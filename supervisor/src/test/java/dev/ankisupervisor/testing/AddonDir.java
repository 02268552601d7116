package dev.ankisupervisor.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes AnkiConnect's add-on folder {@code <base>/addons21/2055492159} (A1) for tests:
 * {@code config.json} with the add-on's defaults and a chosen bind address and port, and
 * optionally {@code meta.json} with a user {@code config} overlay.
 */
public final class AddonDir {
  public static final String DIR = "2055492159";

  private AddonDir() {}

  public static Path folder(Path base) {
    return base.resolve("addons21").resolve(DIR);
  }

  /** config.json with the defaults, bound to 127.0.0.1:port. */
  public static Path write(Path base, int port) throws IOException {
    return write(base, "127.0.0.1", port);
  }

  /** config.json with the defaults, bound to address:port. */
  public static Path write(Path base, String address, int port) throws IOException {
    Path dir = folder(base);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), "{\n"
        + "  \"apiKey\": null,\n"
        + "  \"apiLogPath\": null,\n"
        + "  \"webBindAddress\": \"" + address + "\",\n"
        + "  \"webBindPort\": " + port + ",\n"
        + "  \"webCorsOriginList\": [\"http://localhost\"],\n"
        + "  \"ignoreOriginList\": []\n"
        + "}\n");
    return dir;
  }

  /** meta.json whose {@code config} object (JSON text) overrides config.json key by key. */
  public static void writeMetaConfig(Path base, String configJson) throws IOException {
    Path dir = folder(base);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("meta.json"), "{\"name\": \"AnkiConnect\", \"config\": " + configJson + "}\n");
  }
}
