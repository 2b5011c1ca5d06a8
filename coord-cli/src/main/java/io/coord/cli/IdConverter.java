package io.coord.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses an id (session, member) written in decimal or as {@code 0x}-prefixed hex. */
public final class IdConverter implements ITypeConverter<Long> {
  @Override
  public Long convert(String text) {
    try {
      String trimmed = text.trim();
      return trimmed.startsWith("0x") || trimmed.startsWith("0X")
          ? Long.parseUnsignedLong(trimmed.substring(2), 16) : Long.parseLong(trimmed);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not an id (decimal, or hex with 0x)");
    }
  }

  /** Formats a member id the way the CLI prints it: 16 lower-case hex digits. */
  public static String hex(long id) {
    return String.format("%016x", id);
  }
}
