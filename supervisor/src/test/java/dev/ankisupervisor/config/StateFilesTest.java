package dev.ankisupervisor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The longest state folder under which Anki's single-instance socket fits (C5), against a real bind:
 * the JDK's, which the stand-in uses and which refuses what Qt refuses (StateFilesRealQtIT: Anki's own Qt).
 */
class StateFilesTest {
  /** Anki's socket name: "anki" and sha1 of the login name in hex (C5). */
  private static final String SOCKET = "anki" + "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path tmp;

  @Test
  void theLongestAllowedStateFolderHoldsAnkisSocketAndOneByteMoreDoesNot() throws IOException {
    Path fits = folderOfBytes(StateFiles.STATE_DIR_MAX_BYTES, 'a');
    Path over = folderOfBytes(StateFiles.STATE_DIR_MAX_BYTES + 1, 'b');

    assertThat(StateFiles.tooLongForAnki(fits)).isEmpty();
    bindSocketUnder(fits);
    assertThat(StateFiles.tooLongForAnki(over)).hasValueSatisfying(p -> assertThat(p)
        .contains(over.toString(), (StateFiles.STATE_DIR_MAX_BYTES + 1) + " bytes long",
            "more than " + StateFiles.STATE_DIR_MAX_BYTES, "106-byte limit Qt puts on a Unix socket path"));
    assertThatThrownBy(() -> bindSocketUnder(over)).isInstanceOf(SocketException.class);
  }

  @Test
  void bytesCountNotCharactersAndARelativeFolderCountsAsAbsolute() {
    // "é" is two bytes in UTF-8: "/a" and 25 of them are 52 bytes; "/" and 26 of them, 53.
    assertThat(StateFiles.tooLongForAnki(Path.of("/a" + "é".repeat(25)))).isEmpty();
    assertThat(StateFiles.tooLongForAnki(Path.of("/" + "é".repeat(26)))).isPresent();
    Path relative = Path.of("x".repeat(StateFiles.STATE_DIR_MAX_BYTES - 1));
    assertThat(StateFiles.tooLongForAnki(relative)).isPresent();
  }

  /** A real folder whose absolute path has exactly {@code bytes} bytes, made under the temp folder. */
  private Path folderOfBytes(int bytes, char fill) throws IOException {
    int pad = bytes - tmp.toString().length() - 1;
    assumeTrue(pad >= 1, "the temp folder " + tmp + " is too long for this test");
    Path folder = Files.createDirectory(tmp.resolve(String.valueOf(fill).repeat(pad)));
    assertThat(folder.toString()).hasSize(bytes);
    return folder;
  }

  private static void bindSocketUnder(Path stateDir) throws IOException {
    Path socket = Files.createDirectories(StateFiles.ankiTmpDir(stateDir)).resolve(SOCKET);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
    }
  }
}
