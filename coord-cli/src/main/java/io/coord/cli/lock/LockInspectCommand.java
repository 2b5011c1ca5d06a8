package io.coord.cli.lock;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.lock.LockHolder;
import io.coord.client.lock.LockInfo;
import io.coord.client.lock.LockWaiter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coord lock inspect NAME}. */
@Command(name = "inspect", description = {
    "Shows who holds the lock NAME (session, token, mode, since when), who waits for it in"
        + " the order they will be granted, and its last break.",
    "Simple output: a line with NAME, KIND and PERMITS, then one line per holder (HOLDER"
        + " SESSION TOKEN MODE SINCE) and per waiter (WAITER SESSION MODE SINCE), and BROKEN"
        + " REVISION AT REASON if it was ever broken; a free lock prints only its first line."})
final class LockInspectCommand extends ClientCommand {
  @Parameters(paramLabel = "NAME", description = "The lock's name.")
  String name;

  @Override
  protected void run(CoordClient client, Output out) {
    Optional<LockInfo> found = client.locks().inspect(name);
    LockInfo info = found.orElse(null);
    switch (out.format()) {
      case JSON -> out.json(json(name, info));
      case TABLE -> {
        AsciiTable table = new AsciiTable("ROLE", "SESSION", "TOKEN", "MODE", "SINCE");
        if (info != null) {
          info.holders().forEach(h -> table.row("holder", h.session(), h.token(), h.mode(),
              h.heldSince()));
          info.waiters().forEach(w -> table.row("waiter", w.session(), "", w.mode(),
              w.waitingSince()));
        }
        out.table(table);
      }
      case SIMPLE -> {
        out.line(name + " " + (info == null ? "free" : info.kind() + " " + info.permits()));
        if (info != null) {
          for (LockHolder h : info.holders()) {
            out.line("HOLDER " + h.session() + " " + h.token() + " " + h.mode() + " "
                + h.heldSince());
          }
          for (LockWaiter w : info.waiters()) {
            out.line("WAITER " + w.session() + " " + w.mode() + " " + w.waitingSince());
          }
          info.lastBreak().ifPresent(b -> out.line("BROKEN " + b.revision() + " " + b.at()
              + " " + b.reason()));
        }
      }
    }
  }

  static Json json(String name, LockInfo info) {
    return Json.object()
        .put("name", name)
        .put("kind", info == null ? null : info.kind().name())
        .put("permits", info == null ? 0 : info.permits())
        .putList("holders", info == null ? java.util.List.<LockHolder>of() : info.holders(),
            LockInspectCommand::holder)
        .putList("waiters", info == null ? java.util.List.<LockWaiter>of() : info.waiters(),
            w -> Json.object().put("session", w.session()).put("mode", w.mode().name())
                .put("waiting_since", w.waitingSince().toString()))
        .put("waiter_count", info == null ? 0 : info.waiterCount())
        .put("last_break", info == null ? null : info.lastBreak().map(b -> Json.object()
            .put("reason", b.reason())
            .put("at", b.at().toString())
            .put("revision", b.revision())
            .putList("released", b.released(), LockInspectCommand::holder)).orElse(null));
  }

  static Json holder(LockHolder h) {
    return Json.object().put("session", h.session()).put("token", h.token())
        .put("mode", h.mode().name()).put("held_since", h.heldSince().toString())
        .put("revision", h.revision());
  }
}
