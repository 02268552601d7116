package dev.ankisupervisor.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a small text file the operator points us at (a key file, the config file, the status file,
 * an add-on's JSON) with a size cap, so {@code /dev/zero} or a 25 MB file is refused instead of
 * filling the heap, and a file of random bytes is called "not text" instead of a decoder's
 * "(Input length = 3)". Every refusal is an {@link IOException} whose message names the file, what is
 * wrong and the limit.
 *
 * <p>Stateless; any thread.
 */
public final class TextFile {
  /** The cap for settings files (config file, secrets, add-on JSON, pidfiles). */
  public static final int SETTINGS_MAX_BYTES = 1 << 20;

  private TextFile() {}

  /**
   * The file's text, UTF-8.
   *
   * @throws java.nio.file.NoSuchFileException when it does not exist (callers often word that one themselves)
   * @throws IOException when it is not a regular file (a FIFO, /dev/zero), larger than {@code maxBytes},
   *     not UTF-8 or holds NUL bytes, or cannot be read
   */
  public static String read(Path file, int maxBytes) throws IOException {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // A FIFO would block and a device never ends: refuse before opening.
      throw new IOException(file + " is not a regular file; give a file of at most " + describe(maxBytes));
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "does not exist");
    } catch (AccessDeniedException e) {
      throw new AccessDeniedException(file.toString(), null, "permission denied (check its owner and mode)");
    }
    if (bytes.length > maxBytes) {
      throw new IOException(file + " is larger than " + describe(maxBytes) + "; it cannot be the expected file");
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new IOException(file + " is not a text file (a NUL byte at offset " + i + ")");
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException(file + " is not a text file (not valid UTF-8)", e);
    }
  }

  private static String describe(int bytes) {
    return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
  }
}
