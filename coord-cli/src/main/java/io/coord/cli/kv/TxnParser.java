package io.coord.cli.kv;

import com.google.protobuf.ByteString;
import io.coord.cli.IdConverter;
import io.coord.cli.kv.LineScanner.Token;
import io.coord.client.kv.Cmp;
import io.coord.client.kv.DeleteOptions;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.Op;
import io.coord.client.kv.PutOptions;
import io.coord.proto.v1.Compare.CompareTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a txn script in etcdctl's syntax: compares, a blank line, the operations to run when
 * every compare holds, a blank line, the operations to run otherwise.
 *
 * <pre>
 * mod("config") = "7"
 * version("lock") = "0"
 *
 * put config "new value"
 * put lock me
 *
 * get config
 * </pre>
 *
 * <p>A compare is {@code TARGET("KEY") OP VALUE} with TARGET one of value (val), version (ver),
 * create (c), mod (m), session (lease) and OP one of {@code = != < >}. Operations are
 * {@code put KEY VALUE [--prev-kv] [--session ID]},
 * {@code get KEY [RANGE_END] [--prefix|--from-key] [--limit N] [--rev N] [--keys-only]
 * [--count-only]} and {@code del KEY [RANGE_END] [--prefix|--from-key] [--prev-kv]}.
 */
final class TxnParser {
  private final BufferedReader in;
  private final PrintWriter prompts;
  private int lineNumber;

  /**
   * @param prompts where to print a prompt before each section (interactive mode), or null
   */
  TxnParser(BufferedReader in, PrintWriter prompts) {
    this.in = in;
    this.prompts = prompts;
  }

  /**
   * Reads the whole script.
   *
   * @throws IllegalArgumentException naming the line and what is wrong with it
   */
  TxnScript parse() throws IOException {
    List<Cmp> compares = section("compares:", this::compare);
    List<Op> success = section("success requests (get, put, del):", this::operation);
    List<Op> failure = section("failure requests (get, put, del):", this::operation);
    return new TxnScript(compares, success, failure);
  }

  private <T> List<T> section(String prompt, Function<String, T> parser) throws IOException {
    if (prompts != null) {
      prompts.println(prompt);
      prompts.flush();
    }
    List<T> items = new ArrayList<>();
    String line;
    while ((line = in.readLine()) != null && !line.isBlank()) {
      lineNumber++;
      try {
        items.add(parser.apply(line));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("txn line " + lineNumber + " '" + line.trim() + "': "
            + e.getMessage(), e);
      }
    }
    if (line != null) {
      lineNumber++;
    }
    return items;
  }

  private Cmp compare(String line) {
    LineScanner scan = new LineScanner(line);
    String target = scan.word();
    scan.expect('(');
    ByteString key = scan.quoted();
    scan.expect(')');
    String op = scan.operator();
    ByteString value = scan.token().bytes();
    if (!scan.atEnd()) {
      throw scan.error("unexpected text after the value");
    }
    return switch (target) {
      case "value", "val" -> valueCompare(key, op, value);
      case "version", "ver" -> numberCompare(key, CompareTarget.VERSION, op, value);
      case "create", "c" -> numberCompare(key, CompareTarget.CREATE, op, value);
      case "mod", "m" -> numberCompare(key, CompareTarget.MOD, op, value);
      case "session", "lease" -> numberCompare(key, CompareTarget.SESSION, op, value);
      default -> throw new IllegalArgumentException("unknown compare target '" + target
          + "' (expected value, version, create, mod or session)");
    };
  }

  private static Cmp valueCompare(ByteString key, String op, ByteString value) {
    Cmp.ValueTarget target = Cmp.value(key);
    return switch (op) {
      case "=", "==" -> target.equalTo(value);
      case "!=" -> target.notEqualTo(value);
      case "<" -> target.lessThan(value);
      default -> target.greaterThan(value);
    };
  }

  private static Cmp numberCompare(ByteString key, CompareTarget kind, String op,
      ByteString text) {
    long number = number(text.toStringUtf8(), kind.name().toLowerCase());
    Cmp.NumberTarget target = Cmp.of(key, kind);
    return switch (op) {
      case "=", "==" -> target.equalTo(number);
      case "!=" -> target.notEqualTo(number);
      case "<" -> target.lessThan(number);
      default -> target.greaterThan(number);
    };
  }

  private Op operation(String line) {
    LineScanner scan = new LineScanner(line);
    String name = scan.token().text();
    List<Token> args = new ArrayList<>();
    Map<String, String> flags = new HashMap<>();
    while (!scan.atEnd()) {
      Token token = scan.token();
      if (!token.quoted() && token.text().startsWith("--")) {
        String flag = token.text().substring(2);
        int eq = flag.indexOf('=');
        if (eq >= 0) {
          flags.put(flag.substring(0, eq), flag.substring(eq + 1));
        } else if (Set.of("limit", "rev", "session").contains(flag) && !scan.atEnd()) {
          flags.put(flag, scan.token().text());
        } else {
          flags.put(flag, "");
        }
      } else {
        args.add(token);
      }
    }
    return switch (name) {
      case "put" -> put(args, flags);
      case "get" -> get(args, flags);
      case "del", "delete" -> delete(args, flags);
      default -> throw new IllegalArgumentException("unknown operation '" + name
          + "' (expected put, get or del)");
    };
  }

  private static Op put(List<Token> args, Map<String, String> flags) {
    allow(flags, "prev-kv", "session");
    if (args.size() != 2) {
      throw new IllegalArgumentException("put takes KEY VALUE");
    }
    PutOptions.Builder options = PutOptions.builder();
    if (flags.containsKey("prev-kv")) {
      options.prevKv();
    }
    if (flags.containsKey("session")) {
      options.session(new IdConverter().convert(flags.get("session")));
    }
    return Op.put(args.get(0).bytes(), args.get(1).bytes(), options.build());
  }

  private static Op get(List<Token> args, Map<String, String> flags) {
    allow(flags, "prefix", "from-key", "limit", "rev", "keys-only", "count-only");
    if (args.isEmpty() || args.size() > 2) {
      throw new IllegalArgumentException("get takes KEY [RANGE_END]");
    }
    GetOptions.Builder options = GetOptions.builder();
    range(args, flags, options::rangeEnd, options::prefix, options::fromKey);
    if (flags.containsKey("limit")) {
      options.limit(number(flags.get("limit"), "--limit"));
    }
    if (flags.containsKey("rev")) {
      options.revision(number(flags.get("rev"), "--rev"));
    }
    if (flags.containsKey("keys-only")) {
      options.keysOnly();
    }
    if (flags.containsKey("count-only")) {
      options.countOnly();
    }
    return Op.get(args.get(0).bytes(), options.build());
  }

  private static Op delete(List<Token> args, Map<String, String> flags) {
    allow(flags, "prefix", "from-key", "prev-kv");
    if (args.isEmpty() || args.size() > 2) {
      throw new IllegalArgumentException("del takes KEY [RANGE_END]");
    }
    DeleteOptions.Builder options = DeleteOptions.builder();
    range(args, flags, options::rangeEnd, options::prefix, options::fromKey);
    if (flags.containsKey("prev-kv")) {
      options.prevKv();
    }
    return Op.delete(args.get(0).bytes(), options.build());
  }

  private static void range(List<Token> args, Map<String, String> flags,
      Function<ByteString, ?> rangeEnd, Runnable prefix, Runnable fromKey) {
    int ranges = (args.size() == 2 ? 1 : 0) + (flags.containsKey("prefix") ? 1 : 0)
        + (flags.containsKey("from-key") ? 1 : 0);
    if (ranges > 1) {
      throw new IllegalArgumentException("give only one of RANGE_END, --prefix and --from-key");
    }
    if (args.size() == 2) {
      rangeEnd.apply(args.get(1).bytes());
    } else if (flags.containsKey("prefix")) {
      prefix.run();
    } else if (flags.containsKey("from-key")) {
      fromKey.run();
    }
  }

  private static void allow(Map<String, String> flags, String... allowed) {
    for (String flag : flags.keySet()) {
      if (!List.of(allowed).contains(flag)) {
        throw new IllegalArgumentException("unknown option --" + flag + " (allowed: --"
            + String.join(", --", allowed) + ")");
      }
    }
  }

  private static long number(String text, String what) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " needs a number, got '" + text + "'");
    }
  }
}
