package dev.ankisupervisor.deploy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link GuideIT} does with each shell block of systemd/README.md: the one list of every block
 * with how it runs (once, twice, or skipped and why), the textual substitutions applied to it (each
 * with why: what cannot run in the test's container) and the prose steps of the guide the test plays
 * before it (Tailscale coming up, a device uploading). docs/systemd-tests.md has the same list as a
 * table; {@code GuideBlocksTest} keeps the two, and this list and the guide, in step: a block of the
 * guide that is not here, an entry with no block, or a substitution whose text is no longer in its
 * block fails it. Immutable; any thread.
 */
final class GuidePlan {
  /** Where {@link GuideIT} stages what the substitutions use, inside the container. */
  static final String STAGED = "/root/guide-test";
  /** The Tailscale address the test gives the container (the range Tailscale hands out, 100.64.0.0/10). */
  static final String TAILSCALE_ADDRESS = "100.64.0.1";

  /** The deck the played device uploads before "First sync" (and the bootstrap brings into the profile). */
  static final String UPLOADED_DECK = "From my laptop";

  /** How often a block runs: the install blocks twice in a row, since the guide says they can be run again. */
  enum Runs { ONCE, TWICE, SKIPPED }

  /** {@code from}, a piece of a block's text, is replaced by {@code to} before the block runs. */
  record Substitution(String from, String to, String why) {}

  /** A step the guide leaves to the reader in prose, played by the test (a shell script in the container) before the block. */
  record Given(String script, String why) {}

  /** How one block is treated; {@code skipReason} is set exactly when it does not run. */
  record Handling(Runs runs, List<Substitution> substitutions, List<Given> before, String skipReason) {
    Handling {
      substitutions = List.copyOf(substitutions);
      before = List.copyOf(before);
      if ((runs == Runs.SKIPPED) != (skipReason != null)) {
        throw new IllegalArgumentException("a skipped block needs its reason, and only a skipped block has one");
      }
    }

    static Handling once() {
      return new Handling(Runs.ONCE, List.of(), List.of(), null);
    }

    static Handling twice() {
      return new Handling(Runs.TWICE, List.of(), List.of(), null);
    }

    static Handling skipped(String why) {
      return new Handling(Runs.SKIPPED, List.of(), List.of(), why);
    }

    Handling with(Substitution s) {
      List<Substitution> all = new ArrayList<>(substitutions);
      all.add(s);
      return new Handling(runs, all, before, skipReason);
    }

    Handling after(Given g) {
      List<Given> all = new ArrayList<>(before);
      all.add(g);
      return new Handling(runs, substitutions, all, skipReason);
    }
  }

  /** A block of the guide with its handling and the script that runs (its text after the substitutions). */
  record Step(GuideBlocks.Block block, Handling handling, String script) {}

  private static final Substitution BUILD = new Substitution("mvn -B -q -DskipTests package",
      "install -Dm644 " + STAGED + "/anki-supervisor.jar supervisor/target/anki-supervisor.jar",
      "no JDK or Maven in the container's root; the jar this build made (the one under test) stands for the build's output");

  static final Map<String, Handling> PLAN = plan();

  private static Map<String, Handling> plan() {
    Map<String, Handling> p = new LinkedHashMap<>();
    p.put("1. Packages and the source #1", Handling.twice()
        .with(new Substitution("openjdk-17-jdk-headless maven git python3-venv patch openssl", "openssl",
            "the cached root lacks these five (adding them rebuilds it) and the container has no network; what they are for"
                + " is substituted where it is used: the build (JDK, Maven), the clones (git), the venvs (python3-venv), the"
                + " patching (patch). apt-get runs for the rest, which the root holds"))
        .with(new Substitution("git clone https://github.com/ankisupervisor/anki-supervisor", "cp -a " + STAGED + "/checkout",
            "no git and no network: a copy of this project's folder (without target/ folders and .git) stands for the clone")));
    p.put("2. anki-supervisor itself #1", Handling.twice().with(BUILD));
    p.put("3. Anki (headless), from PyPI #1", Handling.twice()
        .with(new Substitution("python3 -m venv /opt/anki\n/opt/anki/bin/pip install 'aqt[qt]==25.9.2'",
            "install -d /opt/anki/bin\n"
                + "printf '#!/bin/sh\\nexec env ANKI_STANDIN_PATCHES=config-actions,headless-sync"
                + " /usr/local/bin/anki-supervisor stand-in anki \"$@\"\\n' > /opt/anki/bin/anki\n"
                + "chmod 755 /opt/anki/bin/anki",
            "no PyPI, and the real Anki is too heavy for CI's two cores: /opt/anki/bin/anki, the command the unit runs,"
                + " starts the stand-in Anki (docs/standin.md) through the installed launcher, playing AnkiConnect with"
                + " both patches as section 5 installs it")));
    p.put("4. The service user and its folder #1", Handling.twice());
    p.put("5. AnkiConnect and our two patches #1", Handling.twice()
        .with(new Substitution("git clone -q https://github.com/devsdocs/anki-connect /usr/local/src/anki-connect\n"
            + "git -C /usr/local/src/anki-connect checkout -q 532a3c816e08e91c4367e2799ce3779403d70274\n"
            + "patch -d /usr/local/src/anki-connect -p1 < patches/anki-connect-config-actions.patch\n"
            + "patch -d /usr/local/src/anki-connect -p1 < patches/anki-connect-headless-sync.patch\n",
            "cp -a " + STAGED + "/anki-connect /usr/local/src/anki-connect\n",
            "no git, patch or network, and CI has no AnkiConnect source: the stand-in Anki plays AnkiConnect with P1 and P2"
                + " (see section 3's substitution) and reads only the add-on folder's config.json (A1), so the staged tree is plugin/ with AnkiConnect's"
                + " config.json and an __init__.py (doctor's addon check); that the patches apply is checked by"
                + " patches/verify.sh and the real-Anki tests")));
    p.put("6. Secrets (systemd credentials) #1", Handling.twice());
    p.put("7. The sync server #1", Handling.twice()
        .with(new Substitution("python3 -m venv /opt/anki-sync-server\n/opt/anki-sync-server/bin/pip install 'anki==25.9.2'",
            "mkdir -p /etc/systemd/system/anki-sync-server.service.d\n"
                + "printf '[Service]\\nEnvironment=\"ANKI_SYNC_SERVER_COMMAND=/usr/local/bin/anki-supervisor stand-in"
                + " sync-server\"\\n' > /etc/systemd/system/anki-sync-server.service.d/stand-in.conf",
            "no PyPI: the stand-in sync server (docs/standin.md), chosen the way section 7 says another server is chosen,"
                + " a drop-in setting ANKI_SYNC_SERVER_COMMAND")));
    p.put("9. Settings and units #1", Handling.twice()
        .after(new Given("ip link add tailscale0 type veth peer name tailscale-peer\n"
            + "ip addr add " + TAILSCALE_ADDRESS + "/32 dev tailscale0\n"
            + "ip link set tailscale-peer up\nip link set tailscale0 up\n",
            "section 8 (prose): Tailscale installed and up. A container has no tailscaled; an interface tailscale0 with a"
                + " Tailscale address in the container's own network is what the default --bind tailscale looks for, so the"
                + " units keep their shipped bind address and ports")));
    p.put("9. Settings and units #2", Handling.once());
    p.put("9. Settings and units #3", Handling.twice()
        .after(new Given("useradd --system --no-create-home --shell /usr/sbin/nologin nagios\n",
            "the guide's example monitoring user (\"say nagios\") exists on the reader's machine")));
    p.put("First sync #1", Handling.once()
        .after(new Given("python3 -c 'import urllib.request as u; u.urlopen(u.Request("
            + "\"http://127.0.0.1:27701/standin/decks?user=anki\", data=b\"{\\\"deck\\\": \\\"" + UPLOADED_DECK + "\\\", \\\"cards\\\": 3}\","
            + " headers={\"Content-Type\": \"application/json\"}), timeout=10)'\n",
            "the prose before it: a device uploads its collection (a GUI step). The stand-in sync server's test endpoint"
                + " adds a deck with cards for user anki, as that upload would")));
    p.put("10. Several users on one machine: `anki-connect@.service` #1", Handling.twice());
    p.put("11. Backups #1", Handling.once());
    p.put("11. Backups #2", Handling.once()
        .with(new Substitution("/mnt/data/backups/anki/20261126T031500Z",
            "/mnt/data/backups/anki/$(ls /mnt/data/backups/anki | grep -E '^[0-9]{8}T[0-9]{6}Z$' | tail -n 1)",
            "the guide's example backup name: the test restores the newest backup, the one block #1 made")));
    p.put("12. Changing the sync password #1", Handling.once());
    p.put("Upgrading #1", Handling.once()
        .with(new Substitution("git pull --ff-only", "cp -a " + STAGED + "/checkout/. .",
            "no git and no network: the pull is a fresh copy of the same project folder"))
        .with(BUILD));
    p.put("Tested under real systemd #1", Handling.skipped(
        "the command that runs this very suite: the container has no JDK or Maven, and the suite would run inside itself"));
    return Collections.unmodifiableMap(p);
  }

  private GuidePlan() {}

  /**
   * Each block of the guide with its handling and its script, in the guide's order.
   *
   * @throws IllegalStateException when the guide and {@link #PLAN} disagree: a block with no entry, an
   *     entry with no block, or a substitution whose text is not in its block
   */
  static List<Step> steps(List<GuideBlocks.Block> blocks) {
    List<Step> steps = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (GuideBlocks.Block b : blocks) {
      ids.add(b.id());
      Handling h = PLAN.get(b.id());
      if (h == null) {
        throw new IllegalStateException("systemd/README.md's block \"" + b.id() + "\" is neither run nor skipped by the"
            + " guide test; add it to GuidePlan.PLAN and to the table in docs/systemd-tests.md:\n" + b.text());
      }
      String script = b.text();
      for (Substitution s : h.substitutions()) {
        if (!script.contains(s.from())) {
          throw new IllegalStateException("GuidePlan's substitution of `" + s.from() + "` no longer matches the block \""
              + b.id() + "\" of systemd/README.md; update it (and docs/systemd-tests.md):\n" + b.text());
        }
        script = script.replace(s.from(), s.to());
      }
      steps.add(new Step(b, h, script));
    }
    List<String> stale = PLAN.keySet().stream().filter(id -> !ids.contains(id)).toList();
    if (!stale.isEmpty()) {
      throw new IllegalStateException("GuidePlan names blocks systemd/README.md does not have: " + stale
          + "; its blocks are " + ids);
    }
    return steps;
  }
}
