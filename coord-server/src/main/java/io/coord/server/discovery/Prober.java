package io.coord.server.discovery;

import io.coord.proto.v1.CheckDefinition;
import java.util.concurrent.CompletableFuture;

/** Runs one probe of a check; never completes exceptionally (a failure is a CRITICAL outcome). */
@FunctionalInterface
public interface Prober {
  CompletableFuture<ProbeOutcome> probe(CheckDefinition check);
}
