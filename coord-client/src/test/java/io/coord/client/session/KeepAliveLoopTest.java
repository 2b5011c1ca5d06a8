package io.coord.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.proto.v1.EndedSession;
import io.coord.proto.v1.SessionEndReason;
import io.coord.proto.v1.SessionKeepAliveRequest;
import io.coord.proto.v1.SessionKeepAliveResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One multiplexed keep-alive stream, failing over between endpoints, on a manual clock. */
class KeepAliveLoopTest {
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<FakeStream> streams = new ArrayList<>();
  private final KeepAliveLoop loop = new KeepAliveLoop(List.of("a:1", "b:2", "c:3"),
      (endpoint, responses) -> {
        FakeStream stream = new FakeStream(endpoint, responses);
        streams.add(stream);
        return stream;
      }, scheduler);
  private final List<String> events = new ArrayList<>();

  private Liveness session(long id) {
    Liveness liveness = new Liveness(id, TimeUnit.SECONDS.toNanos(6), scheduler.nanoTime(),
        scheduler, (state, loss) -> events.add(id + ":" + state
            + (loss == null ? "" : ":" + loss.reason())));
    loop.add(liveness);
    scheduler.drain();
    return liveness;
  }

  private FakeStream current() {
    return streams.get(streams.size() - 1);
  }

  private static SessionKeepAliveResponse ack(SessionKeepAliveRequest request) {
    return SessionKeepAliveResponse.newBuilder().setId(request.getId())
        .setNonce(request.getNonce()).setTtl(6).build();
  }

  @Test
  void sessionsShareOneStreamAndKeepAlivesGoEveryThirdOfTheTtl() {
    session(1);
    session(2);
    assertThat(streams).hasSize(1);
    assertThat(current().sent).extracting(SessionKeepAliveRequest::getId).containsExactly(1L, 2L);
    current().answerAll();
    scheduler.advanceMillis(2000);
    assertThat(current().sent).extracting(SessionKeepAliveRequest::getId)
        .containsExactly(1L, 2L, 1L, 2L);
    assertThat(current().sent).extracting(SessionKeepAliveRequest::getNonce)
        .doesNotHaveDuplicates();
    assertThat(events).isEmpty();
  }

  @Test
  void aBrokenStreamSuspendsAndReconnectsOnTheNextEndpointAtOnce() {
    session(1);
    current().answerAll();
    String first = current().endpoint;
    current().fail(Status.UNAVAILABLE);
    scheduler.drain();
    assertThat(events).containsExactly("1:SUSPENDED");
    assertThat(streams).hasSize(2);
    assertThat(current().endpoint).isNotEqualTo(first);
    assertThat(current().sent).hasSize(1);
    current().answerAll();
    scheduler.drain();
    assertThat(events).containsExactly("1:SUSPENDED", "1:RECONNECTED");
  }

  @Test
  void anUnansweredKeepAliveMovesTheStreamToAnotherMember() {
    session(1);
    FakeStream silent = current();
    scheduler.advanceMillis(2000);
    assertThat(events).containsExactly("1:SUSPENDED");
    assertThat(silent.cancelled).isTrue();
    assertThat(streams).hasSize(2);
    current().answerAll();
    scheduler.drain();
    assertThat(events).containsExactly("1:SUSPENDED", "1:RECONNECTED");
  }

  @Test
  void whenNoMemberAnswersTheSessionIsLostBeforeItsTtl() {
    session(1);
    scheduler.advanceMillis(5839);
    assertThat(events).containsExactly("1:SUSPENDED");
    assertThat(streams.size()).isGreaterThan(2);
    scheduler.advanceMillis(1);
    assertThat(events).containsExactly("1:SUSPENDED", "1:LOST:DEADLINE_PASSED");
  }

  @Test
  void aSessionTheServerEndedIsLostWithTheServersReason() {
    Liveness one = session(1);
    session(2);
    SessionKeepAliveRequest first = current().sent.get(0);
    current().responses.onNext(SessionKeepAliveResponse.newBuilder().setId(1)
        .setNonce(first.getNonce()).setTtl(0).setEnd(EndedSession.newBuilder().setId(1)
            .setReason(SessionEndReason.REVOKED).setRevision(9)).build());
    scheduler.drain();
    assertThat(events).containsExactly("1:LOST:REVOKED");
    assertThat(one.isLost()).isTrue();
    loop.remove(1);
    scheduler.drain();
    current().sent.clear();
    scheduler.advanceMillis(2000);
    assertThat(current().sent).extracting(SessionKeepAliveRequest::getId).containsExactly(2L);
  }

  @Test
  void theStreamClosesWhenTheLastSessionGoes() {
    session(1);
    loop.remove(1);
    scheduler.drain();
    assertThat(current().completed).isTrue();
    session(3);
    assertThat(streams).hasSize(2);
  }

  private final class FakeStream extends ClientCallStreamObserver<SessionKeepAliveRequest> {
    final String endpoint;
    final StreamObserver<SessionKeepAliveResponse> responses;
    final List<SessionKeepAliveRequest> sent = new ArrayList<>();
    boolean cancelled;
    boolean completed;

    FakeStream(String endpoint, StreamObserver<SessionKeepAliveResponse> responses) {
      this.endpoint = endpoint;
      this.responses = responses;
    }

    void answerAll() {
      for (SessionKeepAliveRequest request : sent) {
        responses.onNext(ack(request));
      }
      scheduler.drain();
    }

    void fail(Status status) {
      responses.onError(status.asRuntimeException());
    }

    @Override
    public void onNext(SessionKeepAliveRequest value) {
      sent.add(value);
    }

    @Override
    public void onError(Throwable t) {
      cancelled = true;
    }

    @Override
    public void onCompleted() {
      completed = true;
    }

    @Override
    public void cancel(String message, Throwable cause) {
      cancelled = true;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}

    @Override
    public void disableAutoInboundFlowControl() {}
  }
}
