package io.coord.cli;

import java.util.Locale;

/** The {@code --output} formats. */
public enum OutputFormat {
  /** For humans and cut/awk: specific to each command, one record per line or per block. */
  SIMPLE,
  /** One JSON document per command on one line; the schema is in docs/cli-json.md. */
  JSON,
  /** ASCII tables. */
  TABLE;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
