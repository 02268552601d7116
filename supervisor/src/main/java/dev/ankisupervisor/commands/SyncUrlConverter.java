package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.SyncSettings;
import picocli.CommandLine;

/**
 * Reads {@code --sync-url} (flag, environment or config file alike) and applies the URL rules of
 * {@link SyncSettings#checkUrl} before anything is written. An empty value means "no sync server".
 * Stateless.
 */
final class SyncUrlConverter implements CommandLine.ITypeConverter<String> {
  @Override
  public String convert(String value) {
    if (value.isEmpty()) {
      return value;
    }
    try {
      SyncSettings.checkUrl(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
    return value;
  }
}
