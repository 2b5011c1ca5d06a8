package io.coord.cli;

import static io.coord.cli.Cli.coord;
import static io.coord.cli.Cli.coordWithInput;
import static io.coord.cli.JsonDoc.fields;
import static io.coord.cli.JsonDoc.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coord.cli.Cli.Run;
import io.coord.testing.CoordTestCluster;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pins the JSON schema documented in docs/cli-json.md: names, order and types of fields. */
@ExtendWith(SharedCluster.class)
@Timeout(120)
class JsonOutputTest {
  private static final String[] HEADER = {"cluster_id", "member_id", "revision", "raft_term"};
  private static final String[] KEY_VALUE =
      {"key", "value", "create_revision", "mod_revision", "version", "session"};
  private static final String[] MEMBER_STATUS = {"id", "id_hex", "name", "peer_address",
      "client_address", "http_address", "role", "raft_term", "leader_id", "commit_index",
      "applied_index", "revision", "compact_revision", "db_size_bytes", "raft_log_size_bytes",
      "last_contact_ms", "lag_entries", "healthy", "reason", "version"};
  private static final String[] SESSION_INFO = {"id", "ttl", "remaining_ms", "key_count", "keys",
      "granted_revision", "granted_at_ms"};
  private static final String[] ENDED_SESSION = {"id", "reason", "revision", "ended_at_ms",
      "keys_deleted", "ttl", "granted_at_ms"};

  @Test
  void put() {
    JsonNode first = parse(coord("-o", "json", "kv", "put", "json/put", "v1"));
    assertThat(fields(first)).containsExactly("header", "prev_kv");
    assertHeader(first.get("header"));
    assertThat(first.get("prev_kv").isNull()).isTrue();

    JsonNode second = parse(coord("-o", "json", "kv", "put", "--prev-kv", "json/put", "v2"));
    assertThat(second.get("header").get("revision").asLong())
        .isGreaterThan(first.get("header").get("revision").asLong());
    assertKeyValue(second.get("prev_kv"), "json/put", "v1");
    assertThat(second.get("prev_kv").get("mod_revision").asLong())
        .isEqualTo(first.get("header").get("revision").asLong());
  }

  @Test
  void get() {
    JsonNode put = parse(coord("-o", "json", "kv", "put", "json/get", "hello"));
    long revision = put.get("header").get("revision").asLong();

    JsonNode get = parse(coord("-o", "json", "kv", "get", "json/get"));

    assertThat(fields(get)).containsExactly("header", "kvs", "more", "count");
    assertHeader(get.get("header"));
    assertThat(get.get("kvs").isArray()).isTrue();
    assertThat(get.get("kvs")).hasSize(1);
    JsonNode kv = get.get("kvs").get(0);
    assertKeyValue(kv, "json/get", "hello");
    assertThat(kv.get("create_revision").asLong()).isEqualTo(revision);
    assertThat(kv.get("mod_revision").asLong()).isEqualTo(revision);
    assertThat(kv.get("version").asLong()).isEqualTo(1);
    assertThat(kv.get("session").asLong()).isZero();
    assertThat(get.get("more").isBoolean()).isTrue();
    assertThat(get.get("count").isIntegralNumber()).isTrue();
    assertThat(get.get("count").asLong()).isEqualTo(1);

    JsonNode missing = parse(coord("-o", "json", "kv", "get", "json/missing"));
    assertThat(missing.get("kvs")).isEmpty();
    assertThat(missing.get("count").asLong()).isZero();
  }

  @Test
  void getWithLimitReportsMoreAndTheFullCount() {
    coord("kv", "put", "json/limit/a", "1");
    coord("kv", "put", "json/limit/b", "2");
    JsonNode get = parse(coord("-o", "json", "kv", "get", "--prefix", "--limit", "1",
        "json/limit/"));
    assertThat(get.get("kvs")).hasSize(1);
    assertThat(get.get("more").asBoolean()).isTrue();
    assertThat(get.get("count").asLong()).isEqualTo(2);
  }

  @Test
  void delete() {
    coord("kv", "put", "json/del/a", "1");
    JsonNode del = parse(coord("-o", "json", "kv", "del", "--prev-kv", "--prefix", "json/del/"));

    assertThat(fields(del)).containsExactly("header", "deleted", "prev_kvs");
    assertHeader(del.get("header"));
    assertThat(del.get("deleted").asLong()).isEqualTo(1);
    assertThat(del.get("prev_kvs")).hasSize(1);
    assertKeyValue(del.get("prev_kvs").get(0), "json/del/a", "1");

    JsonNode none = parse(coord("-o", "json", "kv", "del", "json/del/a"));
    assertThat(none.get("deleted").asLong()).isZero();
    assertThat(none.get("prev_kvs")).isEmpty();
  }

  @Test
  void txn() {
    JsonNode txn = parse(coordWithInput("""
        version("json/txn") = "0"

        put json/txn v
        get json/txn
        del json/txn/none
        """, "-o", "json", "kv", "txn"));

    assertThat(fields(txn)).containsExactly("header", "succeeded", "responses");
    assertHeader(txn.get("header"));
    assertThat(txn.get("succeeded").asBoolean()).isTrue();
    JsonNode responses = txn.get("responses");
    assertThat(responses).hasSize(3);
    assertThat(fields(responses.get(0))).containsExactly("type", "put");
    assertThat(responses.get(0).get("type").asText()).isEqualTo("put");
    assertThat(fields(responses.get(0).get("put"))).containsExactly("header", "prev_kv");
    assertThat(responses.get(1).get("type").asText()).isEqualTo("get");
    assertKeyValue(responses.get(1).get("get").get("kvs").get(0), "json/txn", "v");
    assertThat(responses.get(2).get("type").asText()).isEqualTo("delete");
    assertThat(responses.get(2).get("delete").get("deleted").asLong()).isZero();

    JsonNode failed = parse(coordWithInput("version(\"json/txn\") = \"0\"\n\nput json/txn w\n",
        "-o", "json", "kv", "txn"));
    assertThat(failed.get("succeeded").asBoolean()).isFalse();
    assertThat(failed.get("responses")).isEmpty();
  }

  @Test
  void compact() {
    JsonNode put = parse(coord("-o", "json", "kv", "put", "json/compact", "v"));
    long revision = put.get("header").get("revision").asLong();

    JsonNode compact = parse(coord("-o", "json", "kv", "compact", Long.toString(revision)));

    assertThat(fields(compact)).containsExactly("compact_revision", "revision");
    assertThat(compact.get("compact_revision").asLong()).isEqualTo(revision);
    assertThat(compact.get("revision").asLong()).isGreaterThanOrEqualTo(revision);
  }

  @Test
  void base64EncodesKeysAndValues() {
    coord("kv", "put", "json/b64", "ünïcode\t");
    JsonNode get = parse(coord("-o", "json", "--base64", "kv", "get", "json/b64"));

    JsonNode kv = get.get("kvs").get(0);
    assertThat(decode(kv.get("key").asText())).isEqualTo("json/b64");
    assertThat(decode(kv.get("value").asText())).isEqualTo("ünïcode\t");

    JsonNode plain = parse(coord("-o", "json", "kv", "get", "json/b64"));
    assertThat(plain.get("kvs").get(0).get("value").asText()).isEqualTo("ünïcode\t");
  }

  @Test
  void memberList() {
    CoordTestCluster cluster = SharedCluster.cluster();
    String leader = cluster.awaitLeader().name();

    JsonNode list = parse(coord("-o", "json", "member", "list"));

    assertThat(fields(list)).containsExactly("leader_id", "members");
    assertThat(list.get("members")).hasSize(3);
    for (JsonNode member : list.get("members")) {
      assertThat(fields(member)).containsExactly("id", "id_hex", "name", "peer_address",
          "client_address", "http_address", "is_learner", "is_leader");
      assertThat(member.get("id").isIntegralNumber()).isTrue();
      assertThat(member.get("id_hex").asText())
          .isEqualTo(String.format("%016x", member.get("id").asLong()));
      CoordTestCluster.Member known = cluster.member(member.get("name").asText());
      assertThat(member.get("peer_address").asText()).isEqualTo(known.peerAddress());
      assertThat(member.get("client_address").asText()).isEqualTo(known.clientAddress());
      assertThat(member.get("http_address").asText()).isEqualTo(known.httpAddress());
      assertThat(member.get("is_learner").asBoolean()).isFalse();
      assertThat(member.get("is_leader").asBoolean()).isEqualTo(known.name().equals(leader));
      if (known.name().equals(leader)) {
        assertThat(member.get("id").asLong()).isEqualTo(list.get("leader_id").asLong());
      }
    }
  }

  @Test
  void clusterStatus() {
    JsonNode status = parse(coord("-o", "json", "cluster", "status"));

    assertThat(fields(status)).containsExactly("members");
    assertThat(status.get("members")).hasSize(3);
    for (JsonNode member : status.get("members")) {
      assertThat(fields(member)).containsExactly(MEMBER_STATUS);
      assertThat(member.get("role").asText()).isIn("LEADER", "FOLLOWER");
      assertThat(member.get("healthy").asBoolean()).isTrue();
      assertThat(member.get("reason").asText()).isEmpty();
      for (String number : new String[] {"id", "raft_term", "leader_id", "commit_index",
          "applied_index", "revision", "db_size_bytes", "last_contact_ms", "lag_entries"}) {
        assertThat(member.get(number).isIntegralNumber()).as(number).isTrue();
      }
      assertThat(member.get("raft_term").asLong()).isPositive();
      assertThat(member.get("leader_id").asLong()).isPositive();
      assertThat(member.get("db_size_bytes").asLong()).isPositive();
    }
    assertThat(status.get("members")).filteredOn(m -> m.get("role").asText().equals("LEADER"))
        .hasSize(1);
  }

  @Test
  void clusterHealth() {
    Run run = coord("-o", "json", "cluster", "health");
    assertThat(run.lines()).as(run.toString()).hasSize(1);
    JsonNode health = JsonDoc.readLine(run.out());

    assertThat(fields(health)).containsExactly("healthy", "members");
    assertThat(health.get("healthy").isBoolean()).isTrue();
    assertThat(run.exitCode()).as("exit code follows healthy")
        .isEqualTo(health.get("healthy").asBoolean() ? 0 : 1);
    assertThat(health.get("members")).hasSize(3);
    for (JsonNode member : health.get("members")) {
      assertThat(fields(member)).containsExactly(MEMBER_STATUS);
    }
    assertThat(health.get("members"))
        .filteredOn(m -> m.get("role").asText().equals("LEADER")).hasSize(1);
  }

  @Test
  void sessionGrantInfoListKeepaliveAndRevoke() {
    JsonNode grant = parse(coord("-o", "json", "session", "grant", "-q", "10"));
    assertThat(fields(grant)).containsExactly("id", "ttl", "ttl_adjustment");
    long id = grant.get("id").asLong();
    assertThat(id).isPositive();
    assertThat(grant.get("ttl").isIntegralNumber()).isTrue();
    assertThat(grant.get("ttl").asLong()).isEqualTo(10);
    assertThat(grant.get("ttl_adjustment").asText()).isEmpty();
    String session = Long.toString(id);
    coord("kv", "put", "--session", session, "json/session/k", "v");

    JsonNode info = parse(coord("-o", "json", "session", "info", "--keys", session));
    assertThat(fields(info)).containsExactly("id", "live", "ended");
    assertThat(info.get("id").asLong()).isEqualTo(id);
    assertThat(info.get("ended").isNull()).isTrue();
    JsonNode live = info.get("live");
    assertThat(fields(live)).containsExactly(SESSION_INFO);
    assertThat(live.get("id").asLong()).isEqualTo(id);
    assertThat(live.get("ttl").asLong()).isEqualTo(10);
    assertThat(live.get("remaining_ms").asLong()).isBetween(1L, 10_000L);
    assertThat(live.get("key_count").asLong()).isEqualTo(1);
    assertThat(live.get("keys")).hasSize(1);
    assertThat(live.get("keys").get(0).asText()).isEqualTo("json/session/k");
    assertThat(live.get("granted_revision").asLong()).isPositive();
    assertThat(live.get("granted_at_ms").asLong()).isPositive();

    JsonNode b64 = parse(coord("-o", "json", "--base64", "session", "info", "--keys", session));
    assertThat(decode(b64.get("live").get("keys").get(0).asText())).isEqualTo("json/session/k");

    JsonNode ls = parse(coord("-o", "json", "session", "ls"));
    assertThat(fields(ls)).containsExactly("live", "ended");
    assertThat(ls.get("ended")).isEmpty();
    JsonNode listed = findById(ls.get("live"), id);
    assertThat(fields(listed)).containsExactly(SESSION_INFO);
    assertThat(listed.get("key_count").asLong()).isEqualTo(1);
    assertThat(listed.get("keys")).isEmpty();

    JsonNode kept = parse(coord("-o", "json", "session", "keepalive", "--once", session));
    assertThat(fields(kept)).containsExactly("id", "ttl");
    assertThat(kept.get("id").asLong()).isEqualTo(id);
    assertThat(kept.get("ttl").asLong()).isEqualTo(10);

    JsonNode revoke = parse(coord("-o", "json", "session", "revoke", session));
    assertThat(fields(revoke)).containsExactly("id", "keys_deleted");
    assertThat(revoke.get("id").asLong()).isEqualTo(id);
    assertThat(revoke.get("keys_deleted").asLong()).isEqualTo(1);

    JsonNode ended = parse(coord("-o", "json", "session", "info", session));
    assertThat(ended.get("live").isNull()).isTrue();
    JsonNode end = ended.get("ended");
    assertThat(fields(end)).containsExactly(ENDED_SESSION);
    assertThat(end.get("id").asLong()).isEqualTo(id);
    assertThat(end.get("reason").asText()).isEqualTo("REVOKED");
    assertThat(end.get("revision").asLong()).isPositive();
    assertThat(end.get("ended_at_ms").asLong())
        .isGreaterThanOrEqualTo(live.get("granted_at_ms").asLong());
    assertThat(end.get("keys_deleted").asLong()).isEqualTo(1);
    assertThat(end.get("ttl").asLong()).isEqualTo(10);
    assertThat(end.get("granted_at_ms").asLong()).isEqualTo(live.get("granted_at_ms").asLong());

    JsonNode withEnded = parse(coord("-o", "json", "session", "ls", "--ended"));
    assertThat(withEnded.get("live")).noneMatch(s -> s.get("id").asLong() == id);
    assertThat(fields(findById(withEnded.get("ended"), id))).containsExactly(ENDED_SESSION);
  }

  @Test
  void sessionGrantReportsARaisedTtl() {
    Run run = coord("-o", "json", "session", "grant", "1");
    JsonNode grant = parse(run);
    assertThat(grant.get("ttl").asLong()).isGreaterThan(1);
    assertThat(grant.get("ttl_adjustment").asText()).contains("raised from 1 s");
    assertThat(run.err()).contains("raised from 1 s");
    coord("session", "revoke", grant.get("id").asText());
  }

  private static JsonNode findById(JsonNode list, long id) {
    assertThat(list.isArray()).isTrue();
    for (JsonNode item : list) {
      if (item.get("id").asLong() == id) {
        return item;
      }
    }
    throw new AssertionError("no " + id + " in " + list);
  }

  private static void assertHeader(JsonNode header) {
    assertThat(fields(header)).containsExactly(HEADER);
    for (String field : HEADER) {
      assertThat(header.get(field).isIntegralNumber()).as(field).isTrue();
    }
    assertThat(header.get("cluster_id").asLong()).isPositive();
    assertThat(header.get("member_id").asLong()).isPositive();
    assertThat(header.get("revision").asLong()).isPositive();
    assertThat(header.get("raft_term").asLong()).isPositive();
  }

  private static void assertKeyValue(JsonNode kv, String key, String value) {
    assertThat(fields(kv)).containsExactly(KEY_VALUE);
    assertThat(kv.get("key").asText()).isEqualTo(key);
    assertThat(kv.get("value").asText()).isEqualTo(value);
    for (String number : new String[] {"create_revision", "mod_revision", "version",
        "session"}) {
      assertThat(kv.get(number).isIntegralNumber()).as(number).isTrue();
    }
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
