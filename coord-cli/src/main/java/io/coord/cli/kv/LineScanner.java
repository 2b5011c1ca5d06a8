package io.coord.cli.kv;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the pieces of one line of a txn script: words, operators and strings. A string is
 * double-quoted with Go-style escapes ({@code \" \\ \n \t \r \xHH \\uHHHH}), single-quoted and
 * literal, or bare (up to the next space).
 */
final class LineScanner {
  /** A piece of an operation line; {@code quoted} tells a quoted "--x" from an option. */
  record Token(ByteString bytes, boolean quoted) {
    String text() {
      return bytes.toStringUtf8();
    }
  }

  private final String line;
  private int pos;

  LineScanner(String line) {
    this.line = line;
  }

  boolean atEnd() {
    skipSpaces();
    return pos >= line.length();
  }

  /** A run of letters, e.g. a compare target. */
  String word() {
    skipSpaces();
    int start = pos;
    while (pos < line.length() && Character.isLetter(line.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("expected a word");
    }
    return line.substring(start, pos);
  }

  void expect(char c) {
    skipSpaces();
    if (pos >= line.length() || line.charAt(pos) != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  /** One of {@code = == != < >}. */
  String operator() {
    skipSpaces();
    for (String op : new String[] {"==", "!=", "=", "<", ">"}) {
      if (line.startsWith(op, pos)) {
        pos += op.length();
        return op;
      }
    }
    throw error("expected one of = != < >");
  }

  /** A double-quoted string. */
  ByteString quoted() {
    skipSpaces();
    if (pos >= line.length() || line.charAt(pos) != '"') {
      throw error("expected a double-quoted string");
    }
    return doubleQuoted();
  }

  /** A quoted or bare string. */
  Token token() {
    skipSpaces();
    if (pos >= line.length()) {
      throw error("expected more");
    }
    char c = line.charAt(pos);
    if (c == '"') {
      return new Token(doubleQuoted(), true);
    }
    if (c == '\'') {
      int end = line.indexOf('\'', pos + 1);
      if (end < 0) {
        throw error("unterminated '");
      }
      String text = line.substring(pos + 1, end);
      pos = end + 1;
      return new Token(ByteString.copyFromUtf8(text), true);
    }
    int start = pos;
    while (pos < line.length() && !Character.isWhitespace(line.charAt(pos))) {
      pos++;
    }
    return new Token(ByteString.copyFromUtf8(line.substring(start, pos)), false);
  }

  private ByteString doubleQuoted() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    pos++;
    while (pos < line.length()) {
      char c = line.charAt(pos++);
      if (c == '"') {
        return ByteString.copyFrom(bytes.toByteArray());
      }
      if (c != '\\') {
        int end = Character.isHighSurrogate(c) && pos < line.length() ? pos + 1 : pos;
        bytes.writeBytes(line.substring(pos - 1, end).getBytes(StandardCharsets.UTF_8));
        pos = end;
        continue;
      }
      if (pos >= line.length()) {
        break;
      }
      char escape = line.charAt(pos++);
      switch (escape) {
        case 'n' -> bytes.write('\n');
        case 't' -> bytes.write('\t');
        case 'r' -> bytes.write('\r');
        case '"', '\\', '\'' -> bytes.write(escape);
        case 'x' -> bytes.write(hex(2));
        case 'u' -> bytes.writeBytes(Character.toString(hex(4))
            .getBytes(StandardCharsets.UTF_8));
        default -> throw error("unknown escape \\" + escape);
      }
    }
    throw error("unterminated \"");
  }

  private int hex(int digits) {
    if (pos + digits > line.length()) {
      throw error("expected " + digits + " hex digits");
    }
    try {
      int value = Integer.parseInt(line.substring(pos, pos + digits), 16);
      pos += digits;
      return value;
    } catch (NumberFormatException e) {
      throw error("expected " + digits + " hex digits");
    }
  }

  private void skipSpaces() {
    while (pos < line.length() && Character.isWhitespace(line.charAt(pos))) {
      pos++;
    }
  }

  /** A syntax error at the current position. */
  IllegalArgumentException error(String message) {
    return new IllegalArgumentException(message + " at column " + (pos + 1));
  }
}
