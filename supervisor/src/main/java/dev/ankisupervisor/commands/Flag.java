package dev.ankisupervisor.commands;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One long flag, declared once: its name, value label, default, help text, and how its text becomes
 * its value. picocli's model of every command that takes it is built from this ({@link FlagSpecs}),
 * and so is {@code run}'s picocli-free parse ({@link QuickRun}): the two read the same names,
 * defaults and rules. Nothing here touches picocli, so the quick parse never loads it (picocli's
 * classes are Java 5 class files: never in a class-data archive, verified at every start).
 *
 * <p>A flag is its own identity (a key of its value): deliberately not a record, whose hashCode and
 * equals spin method handles at their first call (tens of milliseconds of a start).
 *
 * <p>Immutable; any thread.
 *
 * @param <T> the type of the value
 */
final class Flag<T> {

  /** How a flag's text becomes its value. */
  enum Kind {
    /** A string. */
    TEXT,
    /** A path. */
    PATH,
    /** An {@code int}. */
    NUMBER,
    /** A duration ({@link DurationText}). */
    DURATION,
    /** A boolean that takes no value: given, it is the opposite of its default. */
    SWITCH,
    /** A boolean switch on by default with a {@code --no-} form: given, on; {@code --no-NAME}, off. */
    NEGATABLE_SWITCH,
    /** A list of strings: each occurrence adds one. */
    WORDS,
    /** A list of strings: each occurrence adds one or more, comma-separated. */
    LIST;

    /** Whether the value is a list (the flag may be repeated). */
    boolean isList() {
      return this == WORDS || this == LIST;
    }

    /** Whether the flag takes no value on the command line. */
    boolean isSwitch() {
      return this == SWITCH || this == NEGATABLE_SWITCH;
    }
  }

  /** The separator of a {@link Kind#LIST} value. */
  static final String LIST_SEPARATOR = ",";

  /** The long name, {@code --base}. */
  private final String name;
  /** The value's name in usage ({@code DIR}); null for a switch. */
  private final String label;
  /** The built-in default as text (as a flag would give it); null for none. */
  private final String defaultValue;
  /** The usage help. */
  private final String description;
  /** How the text becomes a value. */
  private final Kind kind;
  /** A further rule on each text value (it throws {@link IllegalArgumentException}); null for none. */
  private final Consumer<String> check;
  /** Whether the command line must give it. */
  private final boolean required;

  private Flag(String name, String label, String defaultValue, String description, Kind kind, Consumer<String> check,
      boolean required) {
    this.name = name;
    this.label = label;
    this.defaultValue = defaultValue;
    this.description = description;
    this.kind = kind;
    this.check = check;
    this.required = required;
  }

  private Flag(String name, String label, String defaultValue, String description, Kind kind) {
    this(name, label, defaultValue, description, kind, null, false);
  }

  String name() {
    return name;
  }

  String label() {
    return label;
  }

  String defaultValue() {
    return defaultValue;
  }

  String description() {
    return description;
  }

  Kind kind() {
    return kind;
  }

  Consumer<String> check() {
    return check;
  }

  boolean isRequired() {
    return required;
  }

  static Flag<String> text(String name, String label, String description) {
    return new Flag<>(name, label, null, description, Kind.TEXT);
  }

  static Flag<Path> path(String name, String label, String description) {
    return new Flag<>(name, label, null, description, Kind.PATH);
  }

  static Flag<Integer> number(String name, String label, String description) {
    return new Flag<>(name, label, null, description, Kind.NUMBER);
  }

  static Flag<Duration> duration(String name, String description) {
    return new Flag<>(name, "DURATION", null, description, Kind.DURATION);
  }

  /** A switch, off by default. */
  static Flag<Boolean> toggle(String name, String description) {
    return new Flag<>(name, null, "false", description, Kind.SWITCH);
  }

  /** A switch, on by default, with its {@code --no-} form. */
  static Flag<Boolean> negatable(String name, String description) {
    return new Flag<>(name, null, "true", description, Kind.NEGATABLE_SWITCH);
  }

  static Flag<List<String>> words(String name, String label, String description) {
    return new Flag<>(name, label, null, description, Kind.WORDS);
  }

  static Flag<List<String>> list(String name, String label, String description) {
    return new Flag<>(name, label, null, description, Kind.LIST);
  }

  /** The same flag with a built-in default, as text. */
  Flag<T> withDefault(String text) {
    return new Flag<>(name, label, text, description, kind, check, required);
  }

  /** The same flag with a further rule on each text value (throwing {@link IllegalArgumentException}). */
  Flag<T> checkedBy(Consumer<String> rule) {
    return new Flag<>(name, label, defaultValue, description, kind, rule, required);
  }

  /** The same flag, which the command line must give. */
  Flag<T> required() {
    return new Flag<>(name, label, defaultValue, description, kind, check, true);
  }

  @Override
  public String toString() {
    return name;
  }

  /** The {@code --no-} form of a negatable switch. */
  String negatedName() {
    return "--no-" + name.substring(2);
  }

  /** The flags of {@code groups}, in order: a command's flags as its usage lists them. */
  @SafeVarargs
  static List<Flag<?>> concat(List<? extends Flag<?>>... groups) {
    List<Flag<?>> all = new ArrayList<>();
    for (List<? extends Flag<?>> g : groups) {
      all.addAll(g);
    }
    return List.copyOf(all);
  }
}
