package io.coord.cli.service;

import io.coord.cli.Json;
import io.coord.client.discovery.CheckState;
import io.coord.client.discovery.ServiceInstance;
import java.util.stream.Collectors;

/** How instances print: simple cells and JSON objects (schema in docs/cli-json.md). */
final class ServiceText {
  static final String[] COLUMNS =
      {"ID", "ADDRESS", "PORT", "STATUS", "WEIGHT", "TAGS", "SESSION", "CHECKS"};

  private ServiceText() {}

  static String[] cells(ServiceInstance i) {
    return new String[] {i.id(), i.address(), Integer.toString(i.port()), i.status().name(),
        Integer.toString(i.weight()), orDash(String.join(",", i.tags())),
        Long.toString(i.session()), orDash(i.checks().stream()
            .map(c -> c.spec().name() + "=" + c.status()).collect(Collectors.joining(",")))};
  }

  private static String orDash(String text) {
    return text.isEmpty() ? "-" : text;
  }

  static Json json(ServiceInstance i) {
    return Json.object()
        .put("service", i.service())
        .put("id", i.id())
        .put("address", i.address())
        .put("port", i.port())
        .put("status", i.status().name())
        .put("weight", i.weight())
        .put("tags", i.tags())
        .put("metadata", metadata(i))
        .put("session", i.session())
        .putList("checks", i.checks(), ServiceText::json)
        .put("create_revision", i.createRevision())
        .put("mod_revision", i.modRevision());
  }

  private static Json metadata(ServiceInstance i) {
    Json metadata = Json.object();
    new java.util.TreeMap<>(i.metadata()).forEach(metadata::put);
    return metadata;
  }

  static Json json(CheckState c) {
    return Json.object()
        .put("name", c.spec().name())
        .put("kind", c.spec().kind())
        .put("target", c.spec().target())
        .put("status", c.status().name())
        .put("output", c.output())
        .put("since_revision", c.sinceRevision());
  }
}
