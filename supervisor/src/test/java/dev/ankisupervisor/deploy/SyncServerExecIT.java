package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.testing.FreePort;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/anki-sync-server-exec, as systemd runs it: the credential file's user:password lines
 * become SYNC_USER1..n without gaps (S1), and the server command is exec'd (here `env`, which prints
 * what it got); a missing or empty credential is exit 78 with a reason. As the unit's ExecStartPost
 * ({@code --wait-listening}) it returns once the server's port accepts a connection.
 */
class SyncServerExecIT {
  private static final Path SCRIPT = Path.of("systemd/anki-sync-server-exec").toAbsolutePath();

  @TempDir Path tmp;

  private record Result(int code, String out, String err) {}

  private Result run(Path credentials) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString());
    pb.environment().keySet().removeIf(k -> k.startsWith("SYNC_USER"));
    pb.environment().put("CREDENTIALS_DIRECTORY", credentials.toString());
    pb.environment().put("ANKI_SYNC_SERVER_COMMAND", "env");
    pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
  }

  @Test
  void credentialLinesBecomeNumberedSyncUsersAndTheServerIsExeced() throws Exception {
    Path creds = Files.createDirectories(tmp.resolve("creds"));
    Files.writeString(creds.resolve("sync-users"), "# users\nalice:pa:ss\n\nbob:secret");
    Result r = run(creds);
    assertThat(r.code).as(r.err).isZero();
    List<String> users = r.out.lines().filter(l -> l.startsWith("SYNC_USER")).sorted().toList();
    assertThat(users).containsExactly("SYNC_USER1=alice:pa:ss", "SYNC_USER2=bob:secret");
  }

  @Test
  void waitListeningReturnsOnlyOnceTheServersPortAcceptsAConnection() throws Exception {
    // the unit's ExecStartPost: SYNC_HOST 0.0.0.0 is asked on the loopback address
    int port = FreePort.find();
    ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "--wait-listening");
    pb.environment().put("SYNC_HOST", "0.0.0.0");
    pb.environment().put("SYNC_PORT", Integer.toString(port));
    pb.redirectErrorStream(true).redirectOutput(tmp.resolve("out").toFile());
    Process p = pb.start();
    try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(30_000);
      try (Socket waiter = server.accept()) {
        assertThat(waiter.getInetAddress().isLoopbackAddress()).isTrue();
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(tmp.resolve("out"))).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void missingOrEmptyCredentialIsAConfigError() throws Exception {
    Path creds = Files.createDirectories(tmp.resolve("creds"));
    Result missing = run(creds);
    assertThat(missing.code).isEqualTo(78);
    assertThat(missing.err).contains("credential sync-users not found");
    Files.writeString(creds.resolve("sync-users"), "# nobody\n");
    Result empty = run(creds);
    assertThat(empty.code).isEqualTo(78);
    assertThat(empty.err).contains("no user:password line");
    Files.writeString(creds.resolve("sync-users"), "alice-without-password\n");
    assertThat(run(creds).err).contains("has no ':'");
  }
}
