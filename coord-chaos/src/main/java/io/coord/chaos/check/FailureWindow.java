package io.coord.chaos.check;

import io.coord.chaos.history.F;
import io.coord.chaos.history.Operation;
import io.coord.chaos.history.Times;
import java.util.List;

/**
 * The smallest failing window of a non-linearizable key: a small set of its operations that is
 * already not linearizable, where the search over that set got stuck, and what it had
 * linearized by then.
 *
 * @param ops the window's operations in invocation order
 * @param from earliest invocation in the window
 * @param to latest completion in the window (latest invocation if none completed)
 * @param prefix the longest linearizable order of window operations the search found before
 *     getting stuck
 * @param registerAfterPrefix the register's value (JSON) after {@code prefix}
 * @param blocked the operation that could not be linearized after {@code prefix}
 * @param minimal false if shrinking stopped at its time bound; the window is then larger than
 *     needed but still fails
 */
public record FailureWindow(List<Operation> ops, long from, long to, List<Operation> prefix,
    String registerAfterPrefix, Operation blocked, boolean minimal) {

  /** A multi-line human-readable description, times relative to {@code origin}. */
  public String render(long origin) {
    StringBuilder out = new StringBuilder();
    out.append("smallest failing window: ").append(ops.size()).append(" operations, ")
        .append(Times.relative(from, origin)).append(" .. ").append(Times.relative(to, origin));
    if (!minimal) {
      out.append(" (shrinking stopped at its time bound)");
    }
    for (Operation op : ops) {
      out.append("\n    ").append(op == blocked ? "=> " : "   ").append(op.describe(origin));
    }
    out.append("\n  longest linearizable prefix of the window: ");
    if (prefix.isEmpty()) {
      out.append("(none)");
    }
    for (int i = 0; i < prefix.size(); i++) {
      Operation op = prefix.get(i);
      boolean read = op.f().equals(F.READ) || op.f().equals(F.FINAL_READ);
      out.append(i == 0 ? "" : ", ").append('p').append(op.process()).append(' ').append(op.f())
          .append(' ').append(read ? op.output() : op.input());
    }
    out.append(" -> register holds ").append(registerAfterPrefix);
    out.append("\n  cannot linearize: ").append(blocked.describe(origin))
        .append(" — no order of the operations concurrent with it explains its result");
    return out.toString();
  }
}
