package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.client.discovery.CheckSpec;
import io.coord.client.discovery.Registration;
import io.coord.client.discovery.ServiceRegistry;
import io.coord.server.config.ConfigKeys;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The DNS interface, queried over UDP and TCP with dnsjava's resolver. */
@Timeout(120)
class DiscoveryDnsIT {
  private CoordTestCluster cluster;

  @BeforeEach
  void start() {
    cluster = CoordTestCluster.builder().size(3).set(ConfigKeys.DNS_LISTEN, "127.0.0.1:0")
        .build().start();
    cluster.awaitReady();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static Message query(int port, String name, int type, boolean tcp) throws Exception {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
    resolver.setPort(port);
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(3));
    return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type,
        DClass.IN)));
  }

  private static List<Integer> srvPorts(Message answer) {
    return answer.getSection(Section.ANSWER).stream().map(r -> ((SRVRecord) r).getPort())
        .sorted().toList();
  }

  @Test
  void srvAndARecordsNameOnlyHealthyInstancesOnEveryMember() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    CoordClient client = cluster.newClient();
    ServiceRegistry registry = client.discovery().registry(Duration.ofSeconds(6));
    registry.register(Registration.builder("web", "web-1").address("127.0.0.11").port(8081)
        .weight(5).tag("primary").build());
    registry.register(Registration.builder("web", "web-2").address("127.0.0.12").port(8082)
        .build());
    registry.register(Registration.builder("web", "web-3").address("127.0.0.13").port(8083)
        .tag("primary")
        .check(CheckSpec.tcp("127.0.0.1:" + closedPort).interval(Duration.ofMillis(200)))
        .build());

    for (CoordTestCluster.Member member : cluster.members()) {
      String dns = member.server().dnsAddress();
      int port = Integer.parseInt(dns.substring(dns.lastIndexOf(':') + 1));
      // Each member answers from its own applied state: wait until it has applied them.
      Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
          srvPorts(query(port, "web.service.coord.", Type.SRV, false))
              .equals(List.of(8081, 8082)));
      Message srv = query(port, "web.service.coord.", Type.SRV, false);
      assertThat(srv.getRcode()).isEqualTo(Rcode.NOERROR);
      SRVRecord web1 = srv.getSection(Section.ANSWER).stream().map(r -> (SRVRecord) r)
          .filter(r -> r.getPort() == 8081).findFirst().orElseThrow();
      assertThat(web1.getWeight()).isEqualTo(5);
      assertThat(srv.getSection(Section.ADDITIONAL).stream()
          .filter(r -> r.getName().equals(web1.getTarget())).map(r -> ((ARecord) r)
              .getAddress().getHostAddress())).containsExactly("127.0.0.11");

      Message a = query(port, "web.service.coord.", Type.A, false);
      assertThat(a.getSection(Section.ANSWER)).map(r -> ((ARecord) r).getAddress()
          .getHostAddress()).containsExactlyInAnyOrder("127.0.0.11", "127.0.0.12");

      assertThat(srvPorts(query(port, "primary.web.service.coord.", Type.SRV, false)))
          .containsExactly(8081);
      assertThat(srvPorts(query(port, "_web._tcp.service.coord.", Type.SRV, true)))
          .containsExactly(8081, 8082);

      Message unknown = query(port, "nothing.service.coord.", Type.A, false);
      assertThat(unknown.getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(unknown.getSection(Section.AUTHORITY)).extracting(Record::getType)
          .containsExactly(Type.SOA);
    }

    registry.deregister("web", "web-2");
    String dns = cluster.members().get(0).server().dnsAddress();
    int port = Integer.parseInt(dns.substring(dns.lastIndexOf(':') + 1));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        srvPorts(query(port, "web.service.coord.", Type.SRV, false)).equals(List.of(8081)));
  }
}
