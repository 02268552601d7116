package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The real path of a file that may not exist yet: every existing component resolved through its
 * symbolic links (as {@link Path#toRealPath} does), then the missing rest appended as written, with
 * {@code ..} applied only after the link before it was resolved (a lexical normalize would be wrong
 * after a link). Stateless.
 */
final class RealPath {
  private RealPath() {}

  static Path of(Path path) throws IOException {
    Path abs = path.toAbsolutePath();
    Path current = abs.getRoot();
    boolean exists = true;
    for (Path name : abs) {
      String n = name.toString();
      if (n.equals(".")) {
        continue;
      }
      if (n.equals("..")) {
        current = current.getParent() == null ? current : current.getParent();
        continue;
      }
      Path next = current.resolve(n);
      if (exists && Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        current = Files.exists(next) ? next.toRealPath() : next; // a dangling link: keep its own path
      } else {
        exists = false;
        current = next;
      }
    }
    return current;
  }
}
