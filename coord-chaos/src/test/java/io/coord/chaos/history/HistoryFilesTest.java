package io.coord.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFilesTest {
  @TempDir
  Path dir;

  private final AtomicLong clock = new AtomicLong(1_000);

  private HistoryWriter writer(Path file) throws IOException {
    return HistoryWriter.open(file, () -> clock.addAndGet(10));
  }

  @Test
  void writesOneJsonObjectPerLineInTheDocumentedShape() throws IOException {
    Path file = dir.resolve("history.jsonl");
    try (HistoryWriter out = writer(file)) {
      out.invoke(3, F.CAS, "k", List.of(1, 2));
      out.fail(3, F.CAS, "k", List.of(1, 2), "mismatch");
      out.invoke(4, F.WRITE, "k", 7);
      out.ok(4, F.WRITE, "k", 7, 42);
    }
    assertThat(Files.readAllLines(file)).containsExactly(
        "{\"process\":3,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"k\",\"value\":[1,2],"
            + "\"time\":1010}",
        "{\"process\":3,\"type\":\"fail\",\"f\":\"cas\",\"key\":\"k\",\"value\":[1,2],"
            + "\"time\":1020,\"error\":\"mismatch\"}",
        "{\"process\":4,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k\",\"value\":7,"
            + "\"time\":1030}",
        "{\"process\":4,\"type\":\"ok\",\"f\":\"write\",\"key\":\"k\",\"value\":7,"
            + "\"time\":1040,\"revision\":42}");
  }

  @Test
  void readerPairsInvocationsWithTheirCompletionsPerProcess() throws IOException {
    Path file = dir.resolve("history.jsonl");
    try (HistoryWriter out = writer(file)) {
      out.invoke(1, F.WRITE, "a", 1);
      out.invoke(2, F.READ, "a", null);
      out.ok(2, F.READ, "a", null);
      out.ok(1, F.WRITE, "a", 1);
      out.invoke(2, F.READ, "a", null);
      out.info(2, F.READ, "a", null, "deadline exceeded");
      out.invoke(1, F.WRITE, "a", 2);
    }
    History history = HistoryReader.read(file);

    assertThat(history.events()).hasSize(7);
    assertThat(history.operations()).hasSize(4);
    Operation write1 = history.operations().get(0);
    assertThat(write1.process()).isEqualTo(1);
    assertThat(write1.type()).isEqualTo(EventType.OK);
    assertThat(write1.input().asInt()).isEqualTo(1);
    assertThat(write1.invokeTime()).isEqualTo(1010);
    assertThat(write1.completeTime()).isEqualTo(1040);
    Operation read = history.operations().get(1);
    assertThat(read.isOk()).isTrue();
    assertThat(read.output().isNull()).isTrue();
    Operation timedOut = history.operations().get(2);
    assertThat(timedOut.isInfo()).isTrue();
    assertThat(timedOut.error()).isEqualTo("deadline exceeded");
    assertThat(timedOut.returnTime()).isEqualTo(Long.MAX_VALUE);
    Operation open = history.operations().get(3);
    assertThat(open.isInfo()).as("an invocation without completion counts as info").isTrue();
    assertThat(open.completeTime()).isEqualTo(Long.MAX_VALUE);
    assertThat(history.fs()).containsExactly(F.WRITE, F.READ);
    assertThat(history.origin()).isEqualTo(1010);
    assertThat(history.truncatedTail()).isFalse();
  }

  @Test
  void aLastLineCutShortByACrashIsSkippedAndTheRestIsRead() throws IOException {
    Path file = dir.resolve("history.jsonl");
    try (HistoryWriter out = writer(file)) {
      out.invoke(1, F.WRITE, "a", 1);
      out.ok(1, F.WRITE, "a", 1);
      out.invoke(1, F.WRITE, "a", 2);
    }
    Files.writeString(file, "{\"process\":1,\"type\":\"ok\",\"f\":\"wri",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

    History history = HistoryReader.read(file);

    assertThat(history.truncatedTail()).isTrue();
    assertThat(history.operations()).hasSize(2);
    assertThat(history.operations().get(1).isInfo()).isTrue();
  }

  @Test
  void aMalformedLineInTheMiddleIsAnErrorNamingTheLine() throws IOException {
    Path file = dir.resolve("history.jsonl");
    Files.writeString(file, """
        {"process":1,"type":"invoke","f":"read","key":"a","value":null,"time":1}
        {"process":1,"type":"ok","f":"read"
        {"process":1,"type":"invoke","f":"read","key":"a","value":null,"time":3}
        """);
    assertThatThrownBy(() -> HistoryReader.read(file))
        .isInstanceOf(HistoryFormatException.class).hasMessageStartingWith("line 2: not JSON");
  }

  @Test
  void missingOrWrongFieldsAreErrorsNamingTheField() throws IOException {
    Path file = dir.resolve("history.jsonl");
    Files.writeString(file, """
        {"process":1,"type":"invoke","f":"read","value":null}
        """);
    assertThatThrownBy(() -> HistoryReader.read(file))
        .hasMessage("line 1: \"time\" must be an integer");
    Files.writeString(file, """
        {"process":1,"type":"done","f":"read","time":5}
        """);
    assertThatThrownBy(() -> HistoryReader.read(file))
        .hasMessageContaining("unknown type \"done\"");
  }

  @Test
  void aProcessWithTwoOutstandingOperationsIsRejected() {
    List<Event> events = List.of(
        Event.of(1, EventType.INVOKE, F.READ, "a", null, 1),
        Event.of(1, EventType.INVOKE, F.WRITE, "a", Json.of(1), 2));
    assertThatThrownBy(() -> History.of(events)).isInstanceOf(HistoryFormatException.class)
        .hasMessage("line 2: process 1 invoked write while its read was still outstanding");
  }

  @Test
  void aCompletionWithoutInvocationOrOfAnotherOperationIsRejected() {
    assertThatThrownBy(() -> History.of(List.of(
        Event.of(1, EventType.OK, F.READ, "a", null, 1))))
        .hasMessage("line 1: ok of read by process 1 has no outstanding invocation");
    assertThatThrownBy(() -> History.of(List.of(
        Event.of(1, EventType.INVOKE, F.READ, "a", null, 1),
        Event.of(1, EventType.OK, F.WRITE, "a", null, 2))))
        .hasMessage("line 2: completion write of process 1 does not match its invocation read");
  }

  @Test
  void concurrentWritersNeverInterleaveLinesAndKeepTimeOrder() throws Exception {
    Path file = dir.resolve("history.jsonl");
    int threads = 4;
    int opsPerThread = 500;
    try (HistoryWriter out = writer(file)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long process = t;
        Thread worker = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          for (int i = 0; i < opsPerThread; i++) {
            String value = process + "-" + i;
            out.invoke(process, F.WRITE, "k" + process, value);
            out.ok(process, F.WRITE, "k" + process, value);
          }
        });
        worker.start();
        workers.add(worker);
      }
      start.countDown();
      for (Thread worker : workers) {
        worker.join();
      }
    }
    History history = HistoryReader.read(file);
    assertThat(history.operations()).hasSize(threads * opsPerThread)
        .allMatch(Operation::isOk)
        .allMatch(op -> op.input().asText().startsWith(op.process() + "-"));
    long previous = Long.MIN_VALUE;
    for (Event event : history.events()) {
      assertThat(event.time()).isGreaterThan(previous);
      previous = event.time();
    }
  }

  @Test
  void faultsPairStartsWithHealsAndKeepTheLeaderFlag() throws IOException {
    Path file = dir.resolve("faults.jsonl");
    try (FaultWriter out = FaultWriter.open(file, () -> clock.addAndGet(100))) {
      out.start("kill", "n1", true);
      out.start("pause", "n2", false);
      out.heal("kill", "n1");
      out.start("partition", "n1|n2,n3", true);
      out.heal("pause", "n2");
    }
    assertThat(Files.readAllLines(file).get(0)).isEqualTo(
        "{\"time\":1100,\"fault\":\"kill\",\"target\":\"n1\",\"phase\":\"start\","
            + "\"leader\":true}");

    FaultLog log = FaultLog.read(file);

    assertThat(log.events()).hasSize(5);
    assertThat(log.intervals()).containsExactly(
        new FaultInterval("kill", "n1", 1100, 1300, true),
        new FaultInterval("pause", "n2", 1200, 1500, false),
        new FaultInterval("partition", "n1|n2,n3", 1400, Long.MAX_VALUE, true));
    assertThat(log.leaderLosses()).extracting(FaultInterval::fault)
        .containsExactly("kill", "partition");
    assertThat(FaultLog.read(dir.resolve("absent.jsonl")).events()).isEmpty();
  }
}
