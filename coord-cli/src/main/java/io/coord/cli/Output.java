package io.coord.cli;

import com.google.protobuf.ByteString;
import java.io.PrintWriter;
import java.util.Base64;

/**
 * Where a command writes its result (standard output), in the chosen {@link OutputFormat}.
 * Errors never go here.
 */
public final class Output {
  private final PrintWriter out;
  private final OutputFormat format;
  private final boolean base64;

  public Output(PrintWriter out, OutputFormat format, boolean base64) {
    this.out = out;
    this.format = format;
    this.base64 = base64;
  }

  public OutputFormat format() {
    return format;
  }

  /** Prints a line of simple output. */
  public void line(Object text) {
    out.println(text);
  }

  /** Prints a JSON document on one line. */
  public void json(Json document) {
    out.println(document);
  }

  public void table(AsciiTable table) {
    out.print(table);
  }

  /** Bytes (a key or value) as a JSON string: base64 with {@code --base64}, else UTF-8. */
  public String jsonBytes(ByteString bytes) {
    return base64 ? Base64.getEncoder().encodeToString(bytes.toByteArray())
        : bytes.toStringUtf8();
  }

  public void flush() {
    out.flush();
  }
}
