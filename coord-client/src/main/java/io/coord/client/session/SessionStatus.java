package io.coord.client.session;

import java.util.Optional;

/**
 * What the server knows of one session: it is live, or it ended (recently).
 *
 * @param live its description if live
 * @param ended its end record if it ended
 */
public record SessionStatus(Optional<SessionInfo> live, Optional<EndedSession> ended) {
  public boolean isLive() {
    return live.isPresent();
  }

  static SessionStatus of(io.coord.proto.v1.SessionTimeToLiveResponse response) {
    return new SessionStatus(
        response.hasLive() ? Optional.of(SessionInfo.of(response.getLive())) : Optional.empty(),
        response.hasEnded() ? Optional.of(EndedSession.of(response.getEnded()))
            : Optional.empty());
  }
}
