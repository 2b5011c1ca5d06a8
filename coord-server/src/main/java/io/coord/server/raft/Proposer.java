package io.coord.server.raft;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.EntryResult;
import io.coord.server.error.CoordError;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries commands to the Raft leader, many per log entry. Commands that arrive while
 * {@code maxInflight} entries are already on their way wait and leave together in the next
 * entry, so under load one fsync and one apply batch cover many writes while a lone write still
 * leaves at once.
 *
 * <p>While an election is under way here (this member campaigns, leads but is not ready yet,
 * knows no leader, or knows that its leader's process is gone), commands wait in the queue, up
 * to {@code maxHold}, instead of going through the Ratis client: it would only try the members
 * in turn, back off and try again, and a command that arrives while this member is elected
 * would queue behind them in the client.
 * The next leader change or readiness sends them, to the leader or locally.
 *
 * <p>Entries appended locally (this member leads) and entries forwarded through the Ratis
 * client count separately: a forwarded entry can wait for the client's whole timeout when
 * leadership moves, and entries forwarded before this member was elected must not hold back
 * what it can now append itself.
 */
public final class Proposer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Proposer.class);
  private final Supplier<RaftClient> clients;
  private final Function<byte[], Optional<CompletableFuture<RaftClientReply>>> localLeader;
  private final BooleanSupplier leading;
  private final BooleanSupplier electing;
  private final Supplier<String> leader;
  private final long maxHoldNanos;
  private boolean recheckScheduled;
  private RaftClient client;
  /** The leader this member knew when it made {@link #client}. */
  private String clientMadeFor;
  private final int maxBatchCommands;
  private final long maxBatchBytes;
  private final int maxInflight;
  private final Executor completions;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int inflightLocal;
  private int inflightForwarded;
  private int inflightCommands;
  private boolean closed;
  private final java.util.concurrent.atomic.AtomicLong failed =
      new java.util.concurrent.atomic.AtomicLong();

  private record Pending(byte[] command, CompletableFuture<CommandResult> result,
      long queuedAtNanos) {}

  /**
   * @param clients makes the Ratis client proposals go through; called again when Ratis closed
   *     the current one (it does so for good after a request fails with "already closed", for
   *     instance when it reached a member that was being removed or stopped)
   * @param localLeader appends an entry through this member's own Raft server if it is the
   *     ready leader; empty otherwise
   * @param leading whether this member is the ready leader now
   * @param electing whether an election is under way here: this member campaigns, or leads
   *     but is not ready, or knows no leader, or knows its leader's process is gone
   * @param leader the name of the leader this member knows, or null
   * @param maxHold longest a command waits in the queue for an election to end before it is
   *     forwarded anyway
   */
  Proposer(Supplier<RaftClient> clients,
      Function<byte[], Optional<CompletableFuture<RaftClientReply>>> localLeader,
      BooleanSupplier leading, BooleanSupplier electing, Supplier<String> leader,
      java.time.Duration maxHold, int maxBatchCommands, long maxBatchBytes, int maxInflight,
      Executor completions) {
    this.clients = clients;
    this.localLeader = localLeader;
    this.leading = leading;
    this.electing = electing;
    this.leader = leader;
    this.maxHoldNanos = maxHold.toNanos();
    this.clientMadeFor = leader.get();
    this.client = clients.get();
    this.maxBatchCommands = maxBatchCommands;
    this.maxBatchBytes = maxBatchBytes;
    this.maxInflight = maxInflight;
    this.completions = completions;
  }

  /**
   * Proposes {@code command}; completes with its result once the leader applied it, or
   * exceptionally with a {@link CoordError} (NO_LEADER / NOT_READY) when it could not be
   * committed. In that case it may still have been applied: retry with the same request id.
   */
  public CompletableFuture<CommandResult> propose(Command command) {
    Pending pending = new Pending(command.toByteArray(), new CompletableFuture<>(),
        System.nanoTime());
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(CoordError.notReady("member stopping"));
      }
      queue.add(pending);
    }
    sendWhatIsPossible();
    return pending.result();
  }

  /** Sends what waits in the queue, if any: call when this member became the ready leader. */
  public void leaderReady() {
    sendWhatIsPossible();
  }

  /**
   * Sends what waits for an election to end, if it did: call when this member learns of a new
   * leader (or of none). Returns at once; the sending happens on the completion executor.
   */
  public void leaderChanged() {
    try {
      completions.execute(this::sendWhatIsPossible);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // Stopping: close() fails what waits.
    }
  }

  private void sendWhatIsPossible() {
    while (true) {
      boolean local = leading.getAsBoolean();
      boolean hold = !local && electing.getAsBoolean();
      List<Pending> batch = new ArrayList<>();
      synchronized (this) {
        if ((local ? inflightLocal : inflightForwarded) >= maxInflight || queue.isEmpty()) {
          return;
        }
        if (hold) {
          long heldNanos = System.nanoTime() - queue.peek().queuedAtNanos();
          if (heldNanos < maxHoldNanos) {
            recheckAfter(maxHoldNanos - heldNanos);
            return;
          }
        }
        long bytes = 0;
        while (!queue.isEmpty() && batch.size() < maxBatchCommands
            && (batch.isEmpty() || bytes + queue.peek().command().length <= maxBatchBytes)) {
          Pending next = queue.poll();
          bytes += next.command().length;
          batch.add(next);
        }
        if (local) {
          inflightLocal++;
        } else {
          inflightForwarded++;
        }
        inflightCommands += batch.size();
      }
      send(batch, local);
    }
  }

  /** Looks at the queue again after {@code nanos}, unless a look is already scheduled. */
  private void recheckAfter(long nanos) {
    if (recheckScheduled || closed) {
      return;
    }
    recheckScheduled = true;
    Executor later = CompletableFuture.delayedExecutor(nanos, java.util.concurrent.TimeUnit
        .NANOSECONDS, completions);
    later.execute(() -> {
      synchronized (this) {
        recheckScheduled = false;
      }
      sendWhatIsPossible();
    });
  }

  /**
   * Sends {@code batch}, counted in the window of its path ({@code local} or forwarded) until it
   * completes; a local append that finds this member no longer leads moves to the forwarded
   * window before it goes through the client.
   */
  private void send(List<Pending> batch, boolean local) {
    AtomicReference<RaftClient> sender = new AtomicReference<>();
    byte[] entry = encode(batch);
    AtomicBoolean countedLocal = new AtomicBoolean(local);
    CompletableFuture<RaftClientReply> reply;
    try {
      // On the leader, append locally; if it turns out not to lead (nothing was appended),
      // fall back to the client, which finds the leader.
      reply = localLeader.apply(entry)
          .map(appended -> appended.thenCompose(r -> {
            if (!notLeader(r)) {
              return CompletableFuture.completedFuture(r);
            }
            moveToForwarded(countedLocal);
            return forward(entry, sender);
          }))
          .orElseGet(() -> {
            moveToForwarded(countedLocal);
            return forward(entry, sender);
          });
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenCompleteAsync((r, error) -> {
      try {
        if (isClosed(error, r) && sender.get() != null) {
          replace(sender.get());
        }
        complete(batch, r, error);
      } finally {
        synchronized (this) {
          if (countedLocal.get()) {
            inflightLocal--;
          } else {
            inflightForwarded--;
          }
          inflightCommands -= batch.size();
        }
        sendWhatIsPossible();
      }
    }, completions);
  }

  /** Sends {@code entry} through the Ratis client, noting in {@code sender} which one. */
  private CompletableFuture<RaftClientReply> forward(byte[] entry,
      AtomicReference<RaftClient> sender) {
    RaftClient client = aimedClient();
    sender.set(client);
    return client.async().send(RaftMessages.message(entry));
  }

  /**
   * The client to forward through. After a leader change the current client still aims at the
   * member it last knew, often the dead leader: it would try that one first, then others in
   * turn with pauses. When it carries nothing else, a fresh client aimed at the leader this
   * member knows replaces it, once per leader this member learns of.
   */
  private RaftClient aimedClient() {
    RaftClient stale;
    RaftClient fresh;
    String known;
    synchronized (this) {
      known = leader.get();
      RaftPeerId aimed = client.getLeaderId();
      if (closed || known == null || known.equals(clientMadeFor) || aimed == null
          || known.equals(aimed.toString()) || inflightForwarded > 1) {
        return client;
      }
      stale = client;
      clientMadeFor = known;
      client = fresh = clients.get();
    }
    LOG.debug("proposal client {} replaced by {}, aimed at the leader {}", stale.getId(),
        fresh.getId(), known);
    completions.execute(() -> closeQuietly(stale));
    return fresh;
  }

  /** Counts a batch as forwarded from now on; what waits may then go locally. */
  private void moveToForwarded(AtomicBoolean countedLocal) {
    synchronized (this) {
      if (!countedLocal.getAndSet(false)) {
        return;
      }
      inflightLocal--;
      inflightForwarded++;
    }
    completions.execute(this::sendWhatIsPossible);
  }

  /** True if the reply proves the entry was not appended because the member did not lead. */
  private static boolean notLeader(RaftClientReply reply) {
    return reply.getNotLeaderException() != null
        || reply.getException() instanceof LeaderNotReadyException;
  }

  private static boolean isClosed(Throwable error, RaftClientReply reply) {
    Throwable cause = error != null ? error : reply != null ? reply.getException() : null;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof AlreadyClosedException;
  }

  /** Replaces {@code broken} with a fresh client, unless that was done already. */
  private void replace(RaftClient broken) {
    RaftClient fresh;
    synchronized (this) {
      if (closed || client != broken) {
        return;
      }
      clientMadeFor = leader.get();
      client = fresh = clients.get();
    }
    LOG.info("the proposal client was closed by Ratis; replaced it with {}", fresh.getId());
    closeQuietly(broken);
  }

  private static void closeQuietly(RaftClient replaced) {
    try {
      replaced.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing the replaced proposal client failed: {}", e.toString());
    }
  }

  /** Encodes the batch as a {@code LogEntry} without re-serializing the commands. */
  private static byte[] encode(List<Pending> batch) {
    int size = 0;
    for (Pending pending : batch) {
      size += CodedOutputStream.computeByteArraySize(1, pending.command());
    }
    byte[] out = new byte[size];
    CodedOutputStream stream = CodedOutputStream.newInstance(out);
    try {
      for (Pending pending : batch) {
        stream.writeByteArray(1, pending.command());
      }
      stream.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** Commands queued or on their way to the leader, not yet answered. */
  public synchronized long pending() {
    return queue.size() + inflightCommands;
  }

  /** Commands that could not be committed (no leader, timeout, stopping) since the start. */
  public long failed() {
    return failed.get();
  }

  private void complete(List<Pending> batch, RaftClientReply reply, Throwable error) {
    if (error == null && reply != null && !reply.isSuccess()) {
      error = reply.getException();
    }
    if (error != null) {
      failed.addAndGet(batch.size());
      CoordError failure = failure(error);
      batch.forEach(p -> p.result().completeExceptionally(failure));
      return;
    }
    EntryResult results;
    try {
      results = EntryResult.parseFrom(RaftMessages.buffer(reply.getMessage()));
    } catch (InvalidProtocolBufferException e) {
      batch.forEach(p -> p.result().completeExceptionally(e));
      return;
    }
    if (results.getResultsCount() != batch.size()) {
      IllegalStateException mismatch = new IllegalStateException("entry at index "
          + reply.getLogIndex() + " returned " + results.getResultsCount() + " results for "
          + batch.size() + " commands");
      batch.forEach(p -> p.result().completeExceptionally(mismatch));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result().complete(results.getResults(i));
    }
  }

  private static CoordError failure(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof AlreadyClosedException) {
      return CoordError.noLeader("the write met a member that was stopping or leaving the cluster"
          + " (" + cause.getMessage() + "); it may or may not have been applied");
    }
    if (cause instanceof StateMachineException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return CoordError.noLeader("the write could not be committed (" + cause.getClass()
        .getSimpleName() + ": " + cause.getMessage() + "); it may or may not have been applied");
  }

  @Override
  public void close() {
    List<Pending> abandoned;
    RaftClient last;
    synchronized (this) {
      closed = true;
      abandoned = new ArrayList<>(queue);
      queue.clear();
      last = client;
    }
    try {
      last.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing the proposal client failed: {}", e.toString());
    }
    CoordError stopping = CoordError.notReady("member stopping");
    abandoned.forEach(p -> p.result().completeExceptionally(stopping));
  }
}
