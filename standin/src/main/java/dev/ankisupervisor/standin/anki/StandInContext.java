package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;

/** The {@link ActionContext} of a running stand-in Anki: a view of its {@link MainWindow}. Server thread only. */
final class StandInContext implements ActionContext {
  private final MainWindow window;
  private final Map<String, String> env;

  StandInContext(MainWindow window, Map<String, String> env) {
    this.window = window;
    this.env = Map.copyOf(env);
  }

  @Override
  public Connection collection() throws ActionError {
    CollectionHolder col = window.collection();
    if (col == null) {
      throw new ActionError("collection is not available");
    }
    return col.connection();
  }

  @Override
  public String profileName() {
    return window.profileName();
  }

  @Override
  public Map<String, Object> profilePrefs() {
    Map<String, Object> p = window.profile();
    return p == null ? Map.of() : p;
  }

  @Override
  public JsonNode addonConfig() {
    return AddonSettings.read(window.base());
  }

  @Override
  public Path base() {
    return window.base();
  }

  @Override
  public Map<String, String> env() {
    return env;
  }

  /** The profile names ({@code pm.profiles()}), for getProfiles. */
  java.util.List<String> profiles() throws ActionError {
    try {
      return window.prefs().profiles();
    } catch (java.sql.SQLException e) {
      throw new ActionError(e.getMessage());
    }
  }
}
