package io.coord.client.discovery;

import java.util.List;

/**
 * One registered service.
 *
 * @param name the service name
 * @param instances instances registered
 * @param healthy of which PASSING or WARNING
 * @param tags every tag of any instance, sorted
 */
public record ServiceSummary(String name, long instances, long healthy, List<String> tags) {}
