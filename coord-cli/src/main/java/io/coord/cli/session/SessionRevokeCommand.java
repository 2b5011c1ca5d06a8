package io.coord.cli.session;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coord session revoke ID}. */
@Command(name = "revoke", description = {"Ends session ID now; its keys are deleted in one"
    + " revision.", "Simple output: 'session ID revoked, N keys deleted'."})
final class SessionRevokeCommand extends ClientCommand {
  @Parameters(paramLabel = "ID", description = "The session id.")
  long id;

  @Override
  protected void run(CoordClient client, Output out) {
    long deleted = client.sessions().revoke(id);
    switch (out.format()) {
      case JSON -> out.json(Json.object().put("id", id).put("keys_deleted", deleted));
      case TABLE -> out.table(new AsciiTable("ID", "KEYS DELETED").row(id, deleted));
      case SIMPLE -> out.line("session " + id + " revoked, " + deleted
          + (deleted == 1 ? " key" : " keys") + " deleted");
    }
  }
}
