package io.coord.cli.election;

import com.google.protobuf.ByteString;
import io.coord.cli.ChildCommand;
import io.coord.cli.Durations;
import io.coord.cli.Globals;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.CoordTimeoutException;
import io.coord.client.election.ElectionEvent;
import io.coord.client.election.ElectionListener;
import io.coord.client.election.ElectionObserver;
import io.coord.client.election.LeaderInfo;
import io.coord.client.election.Leadership;
import io.coord.client.session.Session;
import io.coord.client.session.SessionLoss;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code coord elect NAME VALUE [-- CMD ARGS...]} campaigns and holds the leadership while CMD
 * runs (or until interrupted); {@code coord elect NAME --listen} prints every change of leader.
 */
@Command(name = "elect",
    description = {"Campaigns in the election NAME with VALUE (waiting in line as long as it"
        + " takes, or at most --timeout), prints the leadership (name, term, session), then runs"
        + " CMD with COORD_ELECTION_NAME, COORD_ELECTION_TERM, COORD_ELECTION_VALUE and"
        + " COORD_ELECTION_SESSION in its environment and resigns when CMD exits. Without CMD,"
        + " leads until interrupted. If leadership is lost, CMD is terminated (SIGTERM, then"
        + " SIGKILL after --kill-after) before anyone else can be elected, and coord exits 1.",
        "With --listen, prints every change of leader of NAME instead, in order, including"
            + " NO_LEADER, until interrupted: LEADER TERM SESSION REVISION VALUE or NO_LEADER"
            + " REVISION (the first line is the current state)."},
    footerHeading = "%nExit status:%n",
    footer = {"CMD's exit status when it ran to its end as leader; 1 if leadership was lost,"
        + " not won within --timeout, or the request failed; 2 on a usage error."})
public final class ElectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The election's name.")
  String name;

  @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE",
      description = "The value to publish as leader (required unless --listen).")
  String value;

  @Parameters(index = "2..*", paramLabel = "CMD",
      description = "The command to run while leading (after --).")
  List<String> command = List.of();

  @Option(names = {"-l", "--listen"}, description = "Print every change of leader instead.")
  boolean listen;

  @Option(names = "--max-events", paramLabel = "N",
      description = "With --listen: exit after N lines (default: until interrupted).")
  long maxEvents;

  @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "10s",
      converter = Durations.class,
      description = "TTL of the campaign's session: how long a crashed coord stays leader at"
          + " most (default: ${DEFAULT-VALUE}).")
  Duration ttl;

  @Option(names = "--kill-after", paramLabel = "DURATION", defaultValue = "100ms",
      converter = Durations.class,
      description = "When leadership is lost: time between SIGTERM and SIGKILL to CMD"
          + " (default: ${DEFAULT-VALUE}).")
  Duration killAfter;

  @Override
  public Integer call() throws Exception {
    Globals globals = new Globals(spec);
    if (listen && (value != null || !command.isEmpty())) {
      throw globals.usage("--listen takes only NAME");
    }
    if (maxEvents < 0 || maxEvents > 0 && !listen) {
      throw globals.usage(maxEvents < 0 ? "--max-events must not be negative"
          : "--max-events goes with --listen");
    }
    if (!listen && value == null) {
      throw globals.usage("VALUE is required to campaign (or use --listen to observe)");
    }
    Output out = globals.output();
    try (CoordClient client = globals.connect()) {
      return listen ? listen(client, out) : campaign(client, out, globals);
    }
  }

  private int campaign(CoordClient client, Output out, Globals globals) throws Exception {
    Duration wait = globals.explicitTimeout().orElse(null);
    Session session = client.sessions().grant(ttl);
    Leadership leadership;
    try {
      leadership = io.coord.client.kv.KvClient.await(client.elections().campaignAsync(name,
          ByteString.copyFromUtf8(value), session, wait));
    } catch (CoordTimeoutException notInTime) {
      session.close();
      globals.err().println("coord: not elected leader of " + name + " within "
          + Durations.format(wait));
      globals.err().flush();
      return 1;
    }
    try {
      print(out, leadership);
      out.flush();
      CompletableFuture<SessionLoss> lost = leadership.lost();
      if (command.isEmpty()) {
        Thread onInterrupt = new Thread(() -> {
          leadership.resign();
          session.close();
        }, "coord-elect-resign");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        reportLoss(globals, lost.join(), false);
        return 1;
      }
      ChildCommand.Outcome outcome = new ChildCommand(command, Map.of(
          "COORD_ELECTION_NAME", name,
          "COORD_ELECTION_TERM", Long.toString(leadership.term()),
          "COORD_ELECTION_VALUE", value,
          "COORD_ELECTION_SESSION", Long.toString(session.id())), killAfter).run(lost);
      if (outcome.lost()) {
        reportLoss(globals, lost.join(), true);
        return 1;
      }
      return outcome.exitCode();
    } finally {
      leadership.resign();
      session.close();
    }
  }

  private void reportLoss(Globals globals, SessionLoss loss, boolean terminated) {
    globals.err().println("coord: leadership of " + name + " lost (" + loss.reason() + ": "
        + loss.message() + ")" + (terminated ? "; the command was terminated" : ""));
    globals.err().flush();
  }

  private void print(Output out, Leadership leadership) {
    switch (out.format()) {
      case JSON -> out.json(Json.object()
          .put("name", name)
          .put("term", leadership.term())
          .put("session", leadership.session().id())
          .put("value", out.jsonBytes(leadership.value()))
          .put("since", leadership.since().toString())
          .put("revision", leadership.revision()));
      case TABLE -> out.table(new io.coord.cli.AsciiTable("NAME", "TERM", "SESSION", "VALUE")
          .row(name, leadership.term(), leadership.session().id(),
              leadership.value().toStringUtf8()));
      case SIMPLE -> out.line("leader of " + name + ": term " + leadership.term()
          + ", session " + leadership.session().id());
    }
  }

  private int listen(CoordClient client, Output out) throws InterruptedException {
    CompletableFuture<Integer> ended = new CompletableFuture<>();
    ElectionListener listener = new ElectionListener() {
      private long printed;

      @Override
      public void onEvent(ElectionEvent event) {
        synchronized (out) {
          printEvent(out, event);
          out.flush();
        }
        if (maxEvents > 0 && ++printed >= maxEvents) {
          ended.complete(0);
        }
      }

      @Override
      public void onError(io.coord.client.CoordException error) {
        new Globals(spec).err().println("coord: the observation ended: "
            + error.getMessage());
        ended.complete(1);
      }
    };
    try (ElectionObserver observer = client.elections().observe(name, listener)) {
      Thread onInterrupt = new Thread(observer::close, "coord-elect-listen-shutdown");
      Runtime.getRuntime().addShutdownHook(onInterrupt);
      return ended.join();
    }
  }

  static void printEvent(Output out, ElectionEvent event) {
    switch (out.format()) {
      case JSON -> out.json(Json.object()
          .put("type", event.type().name())
          .put("leader", event.leader().map(l -> leaderJson(out, l)).orElse(null))
          .put("revision", event.revision()));
      case TABLE, SIMPLE -> out.line(event.leader().map(l -> "LEADER " + l.term() + " "
          + l.session() + " " + event.revision() + " " + l.valueString())
          .orElse("NO_LEADER " + event.revision()));
    }
  }

  private static Json leaderJson(Output out, LeaderInfo l) {
    return Json.object()
        .put("name", l.name())
        .put("value", out.jsonBytes(l.value()))
        .put("term", l.term())
        .put("session", l.session())
        .put("since", l.since().toString())
        .put("revision", l.revision());
  }

}
