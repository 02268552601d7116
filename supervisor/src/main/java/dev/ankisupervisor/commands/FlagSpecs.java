package dev.ankisupervisor.commands;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * picocli's model of {@link Flag}s: a command takes a group of them as a mixin
 * ({@code @Mixin CommandSpec folders = FlagSpecs.mixin(AnkiFolderOptions.FLAGS)}, in the place its
 * usage lists them) and reads their values through {@link #values}. picocli's own converters turn
 * text, paths, numbers and booleans into values (its messages for a bad one); durations and a flag's
 * further rule refuse a value with picocli's one-line conversion error.
 *
 * <p>Threading: the parsing thread.
 */
final class FlagSpecs {
  private FlagSpecs() {}

  /** A mixin holding {@code flags}, in order; a new one for each command (an option belongs to one). */
  static CommandSpec mixin(List<? extends Flag<?>> flags) {
    CommandSpec mixin = CommandSpec.create();
    flags.forEach(f -> mixin.addOption(option(f)));
    return mixin;
  }

  /** The values of the flags of {@code command} (once parsed). */
  static FlagValues values(CommandSpec command) {
    return new FlagValues() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T get(Flag<T> flag) {
        OptionSpec option = command.findOption(flag.name());
        if (option == null) {
          throw new IllegalArgumentException(command.qualifiedName() + " has no flag " + flag.name() + " (a bug)");
        }
        return (T) option.getValue();
      }
    };
  }

  private static OptionSpec option(Flag<?> f) {
    OptionSpec.Builder b = OptionSpec.builder(f.name()).description(f.description()).required(f.isRequired());
    if (f.label() != null) {
      b.paramLabel(f.label());
    }
    if (f.defaultValue() != null) {
      b.defaultValue(f.defaultValue());
    }
    switch (f.kind()) {
      case TEXT -> b.type(String.class);
      case PATH -> b.type(Path.class);
      case NUMBER -> b.type(int.class);
      case DURATION -> b.type(Duration.class).converters(value -> checked(() -> DurationText.parse(value)));
      case SWITCH -> b.type(boolean.class);
      case NEGATABLE_SWITCH -> b.type(boolean.class).negatable(true).fallbackValue("true");
      case WORDS -> b.type(List.class).auxiliaryTypes(String.class);
      case LIST -> b.type(List.class).auxiliaryTypes(String.class).splitRegex(Flag.LIST_SEPARATOR);
    }
    if (f.check() != null) {
      b.converters(value -> checked(() -> {
        f.check().accept(value);
        return value;
      }));
    }
    return b.build();
  }

  /** Runs a conversion; its refusal becomes picocli's "Invalid value for option '--x': <why>". */
  private static Object checked(java.util.function.Supplier<Object> convert) {
    try {
      return convert.get();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
