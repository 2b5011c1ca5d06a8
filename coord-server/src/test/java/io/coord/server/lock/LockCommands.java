package io.coord.server.lock;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.Fence;
import io.coord.proto.v1.LockBreakRequest;
import io.coord.proto.v1.LockKind;
import io.coord.proto.v1.LockMode;
import io.coord.proto.v1.ProclaimRequest;
import io.coord.server.command.AcquireLock;
import io.coord.server.command.Command;
import io.coord.server.command.ReleaseLock;

/** Log commands of the lock machinery, for apply-side tests. */
public final class LockCommands {
  private LockCommands() {}

  public static Command acquire(String name, long session) {
    return acquire(AcquireLock.newBuilder().setName(name).setSession(session));
  }

  public static Command tryAcquire(String name, long session) {
    return acquire(AcquireLock.newBuilder().setName(name).setSession(session).setNoWait(true));
  }

  public static Command semaphore(String name, long session, int permits) {
    return acquire(AcquireLock.newBuilder().setName(name).setSession(session)
        .setKind(LockKind.SEMAPHORE).setPermits(permits));
  }

  public static Command readWrite(String name, long session, LockMode mode) {
    return acquire(AcquireLock.newBuilder().setName(name).setSession(session)
        .setKind(LockKind.READ_WRITE).setMode(mode));
  }

  public static Command acquire(AcquireLock.Builder request) {
    return Command.newBuilder().setAcquireLock(request).build();
  }

  public static Command releaseToken(String name, long token) {
    return Command.newBuilder().setReleaseLock(ReleaseLock.newBuilder().setName(name)
        .setToken(token)).build();
  }

  public static Command releaseSession(String name, long session) {
    return Command.newBuilder().setReleaseLock(ReleaseLock.newBuilder().setName(name)
        .setSession(session)).build();
  }

  public static Command withdraw(String name, long waiterId) {
    return Command.newBuilder().setReleaseLock(ReleaseLock.newBuilder().setName(name)
        .setWaiterId(waiterId)).build();
  }

  public static Command breakLock(String name, String reason) {
    return Command.newBuilder().setBreakLock(LockBreakRequest.newBuilder().setName(name)
        .setReason(reason)).build();
  }

  public static Command campaign(String name, long session, String value) {
    return Command.newBuilder().setCampaign(AcquireLock.newBuilder().setName(name)
        .setSession(session).setValue(ByteString.copyFromUtf8(value))).build();
  }

  public static Command proclaim(String name, long term, String value) {
    return Command.newBuilder().setProclaim(ProclaimRequest.newBuilder().setName(name)
        .setTerm(term).setValue(ByteString.copyFromUtf8(value))).build();
  }

  public static Command resign(String name, long term) {
    return Command.newBuilder().setResign(ReleaseLock.newBuilder().setName(name)
        .setToken(term)).build();
  }

  public static Fence lockFence(String name, long token) {
    return Fence.newBuilder().setLock(name).setToken(token).build();
  }

  public static LockMode read() {
    return LockMode.READ;
  }

  public static LockMode write() {
    return LockMode.WRITE;
  }
}
