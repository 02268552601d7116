package dev.ankisupervisor.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ankisupervisor.config.ConfigApiSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddonConfigFileTest {
  @TempDir Path addon;

  @Test
  void metaJsonOverridesConfigJsonShallowlyAndDefaultsFillTheRest() throws IOException {
    Files.writeString(addon.resolve("config.json"),
        "{\"apiKey\": null, \"configApi\": {\"enable\": false, \"allowedKeyPrefixes\": [], \"maxValueBytes\": 65536}}");
    // A1: the user's configApi replaces the default object whole, so maxValueBytes falls back to P1's default
    Files.writeString(addon.resolve("meta.json"),
        "{\"config\": {\"configApi\": {\"enable\": true, \"allowedKeyPrefixes\": [\"app.\", \"\", 5, \"other.\"]}}}");
    assertThat(AddonConfigFile.readConfigApi(addon)).isEqualTo(new ConfigApiSettings(true, java.util.List.of("app.", "other."), 65536));
  }

  @Test
  void noFilesMeansP1Defaults() throws IOException {
    assertThat(AddonConfigFile.readConfigApi(addon)).isEqualTo(ConfigApiSettings.DISABLED);
  }

  @Test
  void brokenJsonIsAnErrorNamingTheFile() throws IOException {
    Files.writeString(addon.resolve("meta.json"), "{");
    assertThatThrownBy(() -> AddonConfigFile.readConfigApi(addon)).isInstanceOf(IOException.class)
        .hasMessageContaining("meta.json is not valid JSON");
  }
}
