package dev.ankisupervisor.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.ankiconnect.Patch;
import dev.ankisupervisor.config.ConfigApiSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two patch files under {@code patches/} (P1, P2): well-formed unified diffs that touch only the
 * files they should, add the contract's exact texts, and keep their hunks apart so that either
 * order applies. (Applying them needs the upstream source; patches/verify.sh does that by hand.)
 */
class PatchFilesTest {
  private static final Path P1 = Path.of("patches", Patch.CONFIG_ACTIONS.fileName());
  private static final Path P2 = Path.of("patches", Patch.HEADLESS_SYNC.fileName());
  private static final String INIT = "b/plugin/__init__.py";

  @Test
  void bothPatchesAreWellFormedUnifiedDiffsWhoseHunkCountsMatch() throws IOException {
    // read() checks every hunk's line counts against its @@ header and throws on any stray line
    assertThat(UnifiedDiff.read(P1).files()).isNotEmpty();
    assertThat(UnifiedDiff.read(P2).files()).isNotEmpty();
  }

  @Test
  void readerRejectsAHunkWhoseHeaderCountsAreWrong() {
    List<String> broken = List.of("--- a/plugin/__init__.py", "+++ b/plugin/__init__.py", "@@ -1,2 +1,3 @@", " a", "+b", " c", "+d");
    assertThatThrownBy(() -> UnifiedDiff.parse(broken)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void configActionsPatchTouchesOnlyTheModuleAndItsDefaults() throws IOException {
    assertThat(UnifiedDiff.read(P1).files())
        .extracting(f -> f.oldPath() + " -> " + f.newPath())
        .containsExactly("a/plugin/__init__.py -> b/plugin/__init__.py", "a/plugin/config.json -> b/plugin/config.json");
  }

  @Test
  void headlessSyncPatchTouchesOnlyTheModule() throws IOException {
    assertThat(UnifiedDiff.read(P2).files())
        .extracting(f -> f.oldPath() + " -> " + f.newPath())
        .containsExactly("a/plugin/__init__.py -> b/plugin/__init__.py");
  }

  @Test
  void neitherPatchRemovesUpstreamCodeFromTheModule() throws IOException {
    for (Path p : List.of(P1, P2)) {
      assertThat(UnifiedDiff.read(p).file(INIT).hunks()).allSatisfy(h -> assertThat(h.removed()).isEmpty());
    }
  }

  @Test
  void configActionsPatchAddsEveryP1ErrorTextExactly() throws IOException {
    String added = String.join("\n", UnifiedDiff.read(P1).file(INIT).hunks().get(0).added());
    assertThat(added).contains(
        "'config api is disabled'",
        "'config key must be a non-empty string'",
        "'config key is not allowed'",
        "'config value is too large ({} bytes > {})'.format(size, maxBytes)",
        // N = length of the value's compact UTF-8 JSON (P1)
        "len(json.dumps(val, separators=(',', ':'), ensure_ascii=False).encode('utf-8'))",
        "get_config(key, default=None)",
        "set_config(key, val)",
        // read on every call, never cached: enabling it needs no restart
        "aqt.mw.addonManager.getConfig(__name__)");
    // the checks run in the contract's order
    assertThat(added.indexOf("config api is disabled")).isLessThan(added.indexOf("config key must be a non-empty string"));
    assertThat(added.indexOf("config key must be a non-empty string")).isLessThan(added.indexOf("config key is not allowed"));
    assertThat(added.indexOf("config key is not allowed")).isLessThan(added.indexOf("config value is too large"));
  }

  @Test
  void headlessSyncPatchAddsEveryP2TextExactly() throws IOException {
    String added = String.join("\n", UnifiedDiff.read(P2).added());
    assertThat(added).contains(
        "'full sync would overwrite data; pass force to confirm'",
        "'sync: auth not configured'",
        "'no_changes'", "'normal_sync'", "'full_sync'", "'full_download'", "'full_upload'",
        "{'required': ", "'serverMessage': out.server_message",
        "return {'direction': direction}",
        "set_current_sync_url(out.new_endpoint)",
        // the GUI's order for a full sync: close, transfer, reopen (aqt/sync.py 25.09.2)
        "close_for_full_sync()", "full_upload_or_download(", "reopen(after_full_sync=True)");
    assertThat(added.indexOf("close_for_full_sync()")).isLessThan(added.indexOf("full_upload_or_download("));
    assertThat(added.indexOf("full_upload_or_download(")).isLessThan(added.indexOf("reopen(after_full_sync=True)"));
    // no dialog on any path
    assertThat(added).doesNotContain("QMessageBox", "ask_user_dialog", "showText", "show_warning", "aqt.sync.");
  }

  @Test
  void everyAddedActionIsRegisteredLikeUpstreamActions() throws IOException {
    assertRegistered(UnifiedDiff.read(P1).added(), "getConfig(self, key)", "setConfig(self, key, val)");
    assertRegistered(UnifiedDiff.read(P2).added(), "headlessSync(self)", "fullSync(self, direction, force=False)");
  }

  @Test
  void configJsonDefaultIsP1sSetting() throws IOException {
    List<String> added = UnifiedDiff.read(P1).file("b/plugin/config.json").hunks().get(0).added();
    String line = added.stream().filter(l -> l.contains("configApi")).findFirst().orElseThrow().strip();
    JsonNode node = new ObjectMapper().readTree("{" + line + "}").get("configApi");
    assertThat(node.get("enable").asBoolean()).isEqualTo(ConfigApiSettings.DISABLED.enable());
    assertThat(node.get("allowedKeyPrefixes").isArray() && node.get("allowedKeyPrefixes").isEmpty()).isTrue();
    assertThat(node.get("maxValueBytes").asInt()).isEqualTo(ConfigApiSettings.DISABLED.maxValueBytes());
  }

  @Test
  void hunksOfTheTwoPatchesStayApartSoEitherOrderApplies() throws IOException {
    List<UnifiedDiff.Hunk> hunks = new ArrayList<>(UnifiedDiff.read(P1).file(INIT).hunks());
    hunks.addAll(UnifiedDiff.read(P2).file(INIT).hunks());
    hunks.sort((x, y) -> Integer.compare(x.oldStart(), y.oldStart()));
    for (int i = 1; i < hunks.size(); i++) {
      // context included, so neither patch's context lines are lines the other one adds next to
      assertThat(hunks.get(i).oldStart()).as("hunk %s must start after hunk %s ends", i, i - 1)
          .isGreaterThan(hunks.get(i - 1).oldEnd() + 1);
    }
  }

  @Test
  void addedPythonCompilesAsAClassBody(@TempDir Path dir) throws Exception {
    assumeTrue(hasPython3(), "python3 not installed");
    for (Path p : List.of(P1, P2)) {
      StringBuilder src = new StringBuilder("import json\nclass AnkiConnect:\n    pass\n");
      UnifiedDiff.read(p).file(INIT).hunks().forEach(h -> h.added().forEach(l -> src.append(l).append('\n')));
      Path py = dir.resolve(p.getFileName() + ".py");
      Files.writeString(py, src, StandardCharsets.UTF_8);
      Process proc = new ProcessBuilder("python3", "-m", "py_compile", py.toString()).redirectErrorStream(true).start();
      assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(proc.exitValue()).as(new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }
  }

  private static void assertRegistered(List<String> added, String... signatures) {
    for (String sig : signatures) {
      int at = added.indexOf("    def " + sig + ":");
      assertThat(at).as("action %s is added", sig).isPositive();
      assertThat(added.get(at - 1)).isEqualTo("    @util.api()");
    }
  }

  private static boolean hasPython3() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
