package io.coord.server.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.proto.v1.HealthStatus;
import io.coord.proto.v1.Instance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** DNS answers built from instances (no sockets). */
class DnsResponderTest {
  private static Instance instance(String id, String address, int port, int weight,
      HealthStatus status, String... tags) {
    return Instance.newBuilder().setService("web").setId(id).setAddress(address).setPort(port)
        .setWeight(weight).setStatus(status).addAllTags(List.of(tags)).build();
  }

  private final DnsResponder responder = new DnsResponder(service -> Map.of("web", List.of(
      instance("w1", "10.0.0.1", 8080, 5, HealthStatus.PASSING, "primary"),
      instance("w2", "10.0.0.2", 8081, 1, HealthStatus.WARNING),
      instance("w3", "10.0.0.3", 8082, 1, HealthStatus.CRITICAL, "primary"),
      instance("w4", "web4.example.com", 8083, 2, HealthStatus.PASSING)))
      .getOrDefault(service, List.of()), 0);

  private Message ask(String name, int type) throws Exception {
    return responder.answer(Message.newQuery(Record.newRecord(Name.fromString(name), type,
        DClass.IN)));
  }

  @Test
  void aRecordsOfHealthyInstancesWithIpAddresses() throws Exception {
    Message answer = ask("web.service.coord.", Type.A);
    assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer.getSection(Section.ANSWER)).map(r -> ((ARecord) r).getAddress()
        .getHostAddress()).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
  }

  @Test
  void srvRecordsCarryWeightPortAndResolvableTargets() throws Exception {
    Message answer = ask("WEB.service.coord.", Type.SRV);
    List<SRVRecord> srv = answer.getSection(Section.ANSWER).stream()
        .map(r -> (SRVRecord) r).toList();
    assertThat(srv).extracting(SRVRecord::getPort).containsExactlyInAnyOrder(8080, 8081, 8083);
    SRVRecord w1 = srv.stream().filter(r -> r.getPort() == 8080).findFirst().orElseThrow();
    assertThat(w1.getWeight()).isEqualTo(5);
    assertThat(w1.getTarget().toString()).isEqualTo("0a000001.addr.coord.");
    assertThat(srv.stream().filter(r -> r.getPort() == 8083).findFirst().orElseThrow()
        .getTarget().toString()).isEqualTo("web4.example.com.");
    assertThat(answer.getSection(Section.ADDITIONAL)).map(r -> r.getName().toString())
        .contains("0a000001.addr.coord.", "0a000002.addr.coord.");
    Message addr = ask("0a000001.addr.coord.", Type.A);
    assertThat(((ARecord) addr.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress())
        .isEqualTo("10.0.0.1");
  }

  @Test
  void tagsFilterInBothForms() throws Exception {
    assertThat(ask("primary.web.service.coord.", Type.SRV).getSection(Section.ANSWER))
        .map(r -> ((SRVRecord) r).getPort()).containsExactly(8080);
    assertThat(ask("_web._primary.service.coord.", Type.SRV).getSection(Section.ANSWER))
        .map(r -> ((SRVRecord) r).getPort()).containsExactly(8080);
    assertThat(ask("_web._tcp.service.coord.", Type.SRV).getSection(Section.ANSWER)).hasSize(3);
  }

  @Test
  void unknownNamesAreNxdomainWithSoaAndForeignNamesRefused() throws Exception {
    Message unknown = ask("nope.service.coord.", Type.A);
    assertThat(unknown.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(unknown.getSection(Section.AUTHORITY)).extracting(Record::getType)
        .containsExactly(Type.SOA);
    assertThat(ask("x.y.coord.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(ask("example.com.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    Message noData = ask("absent-tag.web.service.coord.", Type.A);
    assertThat(noData.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(noData.getSection(Section.ANSWER)).isEmpty();
    assertThat(noData.getSection(Section.AUTHORITY)).hasSize(1);
  }
}
