package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.ConfigApiSettings;
import picocli.CommandLine;

/**
 * Reads one {@code --config-api-prefix} value (from a flag, the environment or the config file
 * alike) and refuses an empty or blank one at once (P1: it would allow every key). Stateless.
 */
final class ConfigApiPrefixConverter implements CommandLine.ITypeConverter<String> {
  @Override
  public String convert(String value) {
    try {
      ConfigApiSettings.checkPrefix(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
    return value;
  }
}
