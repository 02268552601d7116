package dev.ankisupervisor.prepare;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code software} into {@code <base>/gldriver6} (C4): with it Anki uses software OpenGL
 * instead of failing into a driver dialog when there is no GPU. Atomic, and only when the content
 * differs (so an unchanged base is never touched).
 *
 * <p>Stateless; call from the thread that prepares the base (no Anki of it running).
 */
public final class GlDriverWriter {
  /** The content Anki reads as "use software rendering" (C4). */
  public static final String SOFTWARE = "software";

  private static final Logger LOG = LoggerFactory.getLogger(GlDriverWriter.class);

  /**
   * Makes {@code <base>/gldriver6} say {@code software}.
   *
   * @return true when the file was (re)written, false when it already said so
   * @throws PrepareException kind IO when the file cannot be written
   */
  public boolean write(AnkiSettings anki) throws PrepareException {
    Path file = anki.glDriverFile();
    try {
      // Read only a small regular file of its own: a link (to /dev/zero, to a huge file) is replaced, not followed.
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) <= 64
          && Files.readString(file, StandardCharsets.UTF_8).strip().equals(SOFTWARE)) {
        return false;
      }
      Files.createDirectories(anki.base());
      AtomicFile.write(file, SOFTWARE.getBytes(StandardCharsets.UTF_8), AtomicFile.MODE_0644);
      LOG.info("wrote '{}' into {} (software OpenGL, no GPU needed)", SOFTWARE, file);
      return true;
    } catch (IOException e) {
      throw new PrepareException(PrepareException.Kind.IO, "cannot write " + file + " (" + e.getMessage()
          + "); Anki needs it to say 'software' without a GPU; make " + anki.base() + " writable", e);
    }
  }
}
