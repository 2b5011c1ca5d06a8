package io.coord.server.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Stable numeric ids of clusters and members, derived from names so every member agrees. */
public final class MemberIds {
  private MemberIds() {}

  public static long clusterId(String clusterToken) {
    return hash("cluster/" + clusterToken);
  }

  public static long memberId(String clusterToken, String memberName) {
    return hash("member/" + clusterToken + "/" + memberName);
  }

  private static long hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = (value << 8) | (digest[i] & 0xFF);
      }
      // Positive, so it prints the same in every language and in JSON.
      return value & Long.MAX_VALUE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
