package dev.ankisupervisor.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A large file copied while another thread hashes it: the same bytes, the same SHA-256 as a plain hash. */
class HashAsideTest {
  @TempDir Path tmp;

  @Test
  void copiesEveryByteAndHashesThemInOrder() throws Exception {
    byte[] data = new byte[(20 << 20) + 12_345]; // not a whole number of chunks
    new Random(3).nextBytes(data);
    Path src = Files.write(tmp.resolve("collection.anki2"), data);
    Path dst = tmp.resolve("copy");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long n;
    try (FileChannel in = FileChannel.open(src); FileChannel out = FileChannel.open(dst, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      n = HashAside.copy(in, out, sha, new BackupProgress(System::nanoTime));
    }
    assertThat(n).isEqualTo(data.length);
    assertThat(dst).hasSameBinaryContentAs(src);
    assertThat(HexFormat.of().formatHex(sha.digest()))
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
  }
}
