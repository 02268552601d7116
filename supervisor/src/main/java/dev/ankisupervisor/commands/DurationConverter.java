package dev.ankisupervisor.commands;

import java.time.Duration;
import picocli.CommandLine;

/**
 * picocli's converter of every duration option declared by annotation: {@link DurationText}'s rule,
 * its refusal as picocli's one-line conversion error. Stateless.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return DurationText.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
