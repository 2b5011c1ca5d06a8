package io.coord.cli.session;

import io.coord.cli.ClientCall;
import io.coord.client.CoordClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coord session revoke ID}. */
@Command(name = "revoke", description = "Ends session ID now; its keys are deleted in one"
    + " revision.")
final class SessionRevokeCommand extends ClientCall {
  @Parameters(paramLabel = "ID", description = "The session id.")
  long id;

  @Override
  protected int run(CoordClient client, PrintWriter out) {
    long deleted = client.sessions().revoke(id);
    out.println("session " + id + " revoked, " + deleted + (deleted == 1 ? " key" : " keys")
        + " deleted");
    return 0;
  }
}
