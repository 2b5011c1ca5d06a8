package io.coord.chaos.check;

import java.time.Duration;

/**
 * The linearizability verdict of one key.
 *
 * @param key the key
 * @param verdict {@link Verdict#PASS} linearizable, {@link Verdict#FAIL} not linearizable,
 *     {@link Verdict#UNKNOWN} search budget exhausted
 * @param operations operations searched (after dropping failed ones and unknown reads)
 * @param exploredStates configurations the search explored
 * @param elapsed time the search took
 * @param note why the verdict is unknown, or where the full search got stuck; empty for a pass
 * @param window the smallest failing window; null unless the verdict is FAIL
 */
public record KeyResult(String key, Verdict verdict, int operations, long exploredStates,
    Duration elapsed, String note, FailureWindow window) {
}
