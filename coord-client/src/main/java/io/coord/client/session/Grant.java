package io.coord.client.session;

import java.time.Duration;
import java.util.Optional;

/**
 * A granted session id, without keep-alives (see {@link SessionClient#grantId(Duration)}).
 *
 * @param id the session
 * @param ttl the granted TTL
 * @param adjustment why the granted TTL differs from the requested one, if it does
 */
public record Grant(long id, Duration ttl, Optional<String> adjustment) {}
