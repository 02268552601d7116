package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} as a real process with a PATH that holds none of the host's tools (as a NixOS service's
 * PATH holds only coreutils, findutils, grep, sed and systemd): Anki is still started in its own
 * session through util-linux's setsid, found by its absolute path, and reaches ready.
 */
class HostPathIT {
  @TempDir Path tmp;

  @Test
  void anEmptyPathStillStartsAnkiThroughTheDistributionsSetsid() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty-bin"));
    try (SupervisorProcess run = new SupervisorProcess(tmp.resolve("run")).env("PATH", empty.toString()).start()) {
      run.awaitReady(1);
      assertThat(run.log()).containsPattern("its own process group, through (/usr)?/bin/setsid\\)");
      run.sigterm();
      assertThat(run.awaitExit()).isZero();
    }
  }

  @Test
  void aSetsidOnTheSupervisorsPathComesFirst() throws Exception {
    // The Nix package's wrapper puts util-linux from its closure first on the supervisor's PATH.
    Path bin = Files.createDirectories(tmp.resolve("closure/util-linux/bin"));
    Path real = Files.isExecutable(Path.of("/usr/bin/setsid")) ? Path.of("/usr/bin/setsid") : Path.of("/bin/setsid");
    Files.createSymbolicLink(bin.resolve("setsid"), real);
    try (SupervisorProcess run = new SupervisorProcess(tmp.resolve("run")).env("PATH", bin.toString()).start()) {
      run.awaitReady(1);
      assertThat(run.log()).contains("its own process group, through " + bin.resolve("setsid") + ")");
      run.sigterm();
      assertThat(run.awaitExit()).isZero();
    }
  }
}
