package io.coord.chaos.nemesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs the nemeses on a schedule in a thread of its own: a quiet period, then over and over
 * one fault (the kinds taken in turns, shuffled each round), held for a while, healed, and a
 * quiet period; no fault starts after {@code lastStart}. {@link #stop()} heals a fault in
 * force and ends the thread.
 */
public final class NemesisSchedule {
  private final List<Nemesis> nemeses;
  private final FaultContext context;
  private final Timing timing;
  private final long lastStart;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Map<String, Integer> injected = new TreeMap<>();
  private final List<String> errors = new ArrayList<>();
  private final Thread thread;

  /**
   * Durations of the schedule.
   *
   * @param first quiet time before the first fault
   * @param holdMin shortest time a fault is held
   * @param holdMax longest time a fault is held
   * @param quietMin shortest quiet time after a heal
   * @param quietMax longest quiet time after a heal
   */
  public record Timing(Duration first, Duration holdMin, Duration holdMax, Duration quietMin,
      Duration quietMax) {
    /** 5 s first, faults held 3-8 s, 3-6 s quiet after each. */
    public static Timing standard() {
      return new Timing(Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(8),
          Duration.ofSeconds(3), Duration.ofSeconds(6));
    }
  }

  /**
   * @param lastStart no fault starts after this (System.nanoTime)
   */
  public NemesisSchedule(List<Nemesis> nemeses, FaultContext context, Timing timing,
      long lastStart) {
    this.nemeses = List.copyOf(nemeses);
    this.context = context;
    this.timing = timing;
    this.lastStart = lastStart;
    this.thread = new Thread(this::loop, "chaos-nemesis");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void loop() {
    List<Nemesis> round = new ArrayList<>();
    if (nemeses.isEmpty() || !pause(timing.first())) {
      return;
    }
    while (System.nanoTime() < lastStart && stopping.getCount() > 0) {
      if (round.isEmpty()) {
        round.addAll(nemeses);
        Collections.shuffle(round, context.random());
      }
      Nemesis nemesis = round.remove(0);
      Fault fault;
      try {
        fault = nemesis.inject(context);
      } catch (RuntimeException e) {
        error(nemesis.name() + " could not be injected: " + e.getMessage());
        pause(timing.quietMin());
        continue;
      }
      synchronized (injected) {
        injected.merge(nemesis.name(), 1, Integer::sum);
      }
      pause(between(timing.holdMin(), timing.holdMax()));
      try {
        fault.heal();
      } catch (RuntimeException e) {
        error("healing " + fault.description() + " failed: " + e.getMessage());
      }
      if (!pause(between(timing.quietMin(), timing.quietMax()))) {
        return;
      }
    }
  }

  private void error(String message) {
    context.progress().say("nemesis: %s", message);
    synchronized (errors) {
      errors.add(message);
    }
  }

  private Duration between(Duration min, Duration max) {
    long span = max.toMillis() - min.toMillis();
    return min.plusMillis(span <= 0 ? 0 : context.random().nextLong(span + 1));
  }

  /** Waits; false if the schedule is stopping. */
  private boolean pause(Duration duration) {
    try {
      return !stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Heals the fault in force (the loop does, at once) and waits for the thread to end. */
  public void stop() {
    stopping.countDown();
    try {
      thread.join(TimeUnit.MINUTES.toMillis(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      error("the nemesis thread did not end within 3 minutes");
    }
  }

  /** How many faults of each kind were injected. */
  public Map<String, Integer> injected() {
    synchronized (injected) {
      return new TreeMap<>(injected);
    }
  }

  /** Faults that could not be injected or healed. */
  public List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }
}
