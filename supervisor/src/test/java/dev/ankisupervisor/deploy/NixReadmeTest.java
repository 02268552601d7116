package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's NixOS option table names every option of {@code nix/module.nix} once, and puts the seed's
 * {@code homeserver.ankiConnect.*} name beside the options the seed had. Text level, so it always runs;
 * {@code NixModuleIT} compares the table with the options the module system really declares.
 */
class NixReadmeTest {
  /** The seed's options ({@code homeserver.ankiConnect.*}), named the same under services.anki-supervisor. */
  static final List<String> SEED = List.of("enable", "port", "profile", "configApi.enable",
      "configApi.allowedKeyPrefixes", "configApi.maxValueBytes", "sync.enable", "sync.onStart", "sync.interval");

  @Test
  void optionTableListsEveryModuleOptionOnce() throws Exception {
    List<String> declared = NixOptionNames.fromModule();
    assertThat(declared).hasSizeGreaterThan(20).containsAll(SEED).doesNotHaveDuplicates();
    assertThat(NixOptionNames.readmeTable().keySet()).containsExactlyInAnyOrderElementsOf(declared);
  }

  @Test
  void seedOptionsStandBesideTheirHomeserverNames() throws Exception {
    Map<String, String> table = NixOptionNames.readmeTable();
    for (String name : SEED) {
      assertThat(table.get(name)).as(name).isEqualTo("`homeserver.ankiConnect." + name + "`");
    }
    assertThat(table.entrySet()).filteredOn(e -> !SEED.contains(e.getKey()))
        .allSatisfy(e -> assertThat(e.getValue()).doesNotContain("homeserver.ankiConnect."));
  }

  @Test
  void exampleSetsEverySeedOptionWithTheSeedsValues() throws Exception {
    String example = NixOptionNames.readmeExample();
    assertThat(example).contains("enable = true;", "port = 8765;", "profile = \"server\";",
        "configApi = { enable = true; allowedKeyPrefixes = [ \"awesomeAnki.\" ]; maxValueBytes = 65536; };",
        "sync = { enable = true; onStart = true; interval = \"5m\";", "port = 27701;");
  }

  @Test
  void expandsBracedNames() {
    assertThat(NixOptionNames.expand("`a`, `b.{c, d}`")).containsExactly("a", "b.c", "b.d");
  }
}
