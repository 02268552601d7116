package dev.ankisupervisor.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which Anki to run and on what (C1, C4). The paths, and the program when it is a relative path,
 * are made absolute against the folder the supervisor started in ({@link StartFolder}).
 *
 * @param base the Anki base folder ({@code -b}), e.g. /var/lib/anki
 * @param profile the profile name ({@code -p}, exact and case-sensitive, C3)
 * @param lang the UI language ({@code -l} and prefs21.db's defaultLang), e.g. en_US
 * @param command the command that starts Anki, without -b/-p/-l (C4: it must be configurable)
 * @param addonDirName AnkiConnect's folder under addons21/ (A1: 2055492159 from AnkiWeb)
 * @param addonSource a read-only folder holding AnkiConnect's files (a Nix store path, N1-N4) that
 *     {@link #addonDir()} is made to match before each launch; empty: the add-on is installed there
 */
public record AnkiSettings(
    Path base, String profile, String lang, List<String> command, String addonDirName, Optional<Path> addonSource) {
  public static final String ANKICONNECT_ADDON_ID = "2055492159";
  /** Anki's profile list and settings, at the top of the base folder (C1). */
  public static final String PREFS_DB = "prefs21.db";
  /** Anki's choice of graphics driver, at the top of the base folder (C9). */
  public static final String GL_DRIVER = "gldriver6";
  /** The add-ons folder, at the top of the base folder. */
  public static final String ADDONS = "addons21";
  /** A profile's collection, in the profile's folder (C7: Anki holds its lock while open). */
  public static final String COLLECTION = "collection.anki2";

  public AnkiSettings {
    base = StartFolder.resolve(Objects.requireNonNull(base, "base"));
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(lang, "lang");
    command = List.copyOf(command);
    Objects.requireNonNull(addonDirName, "addonDirName");
    addonSource = Objects.requireNonNull(addonSource, "addonSource").map(StartFolder::resolve);
    ProfileName.check(profile);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the Anki command must not be empty");
    }
    // Anki runs in its base folder: a relative program would be looked for there.
    List<String> words = new java.util.ArrayList<>(command);
    words.set(0, StartFolder.resolveProgram(words.get(0)));
    command = List.copyOf(words);
  }

  /** Settings whose add-on is installed in {@code <base>/addons21/<addonDirName>} by hand. */
  public AnkiSettings(Path base, String profile, String lang, List<String> command, String addonDirName) {
    this(base, profile, lang, command, addonDirName, Optional.empty());
  }

  public Path prefsDb() {
    return base.resolve(PREFS_DB);
  }

  public Path glDriverFile() {
    return base.resolve(GL_DRIVER);
  }

  public Path profileDir() {
    return base.resolve(profile);
  }

  public Path collection() {
    return profileDir().resolve(COLLECTION);
  }

  public Path addonDir() {
    return base.resolve(ADDONS).resolve(addonDirName);
  }

  public Optional<String> langFlag() {
    return lang.isBlank() ? Optional.empty() : Optional.of(lang);
  }
}
