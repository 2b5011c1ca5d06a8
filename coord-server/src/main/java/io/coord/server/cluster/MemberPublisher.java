package io.coord.server.cluster;

import io.coord.server.command.Command;
import io.coord.server.command.PublishMember;
import io.coord.server.raft.Proposer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this member's client and HTTP addresses through the log once it starts, retrying
 * until the cluster accepts it (for instance once a leader is elected).
 */
public final class MemberPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemberPublisher.class);

  private final Proposer proposer;
  private final java.util.function.BooleanSupplier leaderKnown;
  private final MemberDirectory directory;
  private final PublishMember self;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "coord-member-publisher");
    t.setDaemon(true);
    return t;
  });

  public MemberPublisher(Proposer proposer, java.util.function.BooleanSupplier leaderKnown,
      MemberDirectory directory, PublishMember self) {
    this.proposer = proposer;
    this.leaderKnown = leaderKnown;
    this.directory = directory;
    this.self = self;
  }

  public void start() {
    timer.execute(this::attempt);
  }

  private void attempt() {
    if (!leaderKnown.getAsBoolean()) {
      retryLater();
      return;
    }
    try {
      if (self.equals(directory.published().get(self.getName()))) {
        return;
      }
    } catch (RuntimeException notReadable) {
      // The store is not open yet: try again below.
    }
    proposer.propose(Command.newBuilder().setPublishMember(self).build())
        .whenComplete((result, error) -> {
          if (error != null) {
            LOG.debug("publishing member addresses failed, retrying: {}", error.getMessage());
            retryLater();
          } else {
            LOG.info("published client address {}", self.getClientAddress());
          }
        });
  }

  private void retryLater() {
    try {
      timer.schedule(this::attempt, 500, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // Closed meanwhile.
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
