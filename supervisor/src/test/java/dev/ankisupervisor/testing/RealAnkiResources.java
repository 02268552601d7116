package dev.ankisupervisor.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every real-Anki test class needs around its tests: the venv before the first one (a failure
 * under CI, else a skip, as {@link RealAnkiVenv#require()} decides), and after each test the
 * processes it started closed, newest first (a supervisor before the sync server it syncs with).
 * Register it as a static field with {@code @RegisterExtension}.
 */
public final class RealAnkiResources implements BeforeAllCallback, AfterEachCallback {
  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private RealAnkiVenv venv;

  @Override
  public void beforeAll(ExtensionContext context) {
    venv = RealAnkiVenv.require();
  }

  public RealAnkiVenv venv() {
    return venv;
  }

  /** Closes {@code resource} after the current test, before anything opened earlier. */
  public <T extends AutoCloseable> T closeAfterTest(T resource) {
    open.push(resource);
    return resource;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
