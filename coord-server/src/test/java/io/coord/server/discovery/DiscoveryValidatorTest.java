package io.coord.server.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coord.proto.v1.CheckDefinition;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.HttpCheck;
import io.coord.proto.v1.RegisterRequest;
import io.coord.proto.v1.TcpCheck;
import io.coord.server.api.DiscoveryValidator;
import io.coord.server.error.CoordError;
import org.junit.jupiter.api.Test;

/** Registrations are checked and normalized before the log; errors name field and limit. */
class DiscoveryValidatorTest {
  private final DiscoveryValidator validator = new DiscoveryValidator();

  private static RegisterRequest.Builder valid() {
    return RegisterRequest.newBuilder().setService("api").setInstanceId("api-1")
        .setAddress("10.0.0.1").setPort(8080).setSession(7);
  }

  private static CoordError refusal(RegisterRequest.Builder request) {
    try {
      new DiscoveryValidator().normalize(request.build());
    } catch (CoordError e) {
      return e;
    }
    throw new AssertionError("accepted: " + request);
  }

  @Test
  void defaultsAreFilledIn() {
    RegisterRequest normalized = validator.normalize(valid()
        .addChecks(CheckDefinition.newBuilder().setTcp(TcpCheck.newBuilder()
            .setAddress("10.0.0.1:8080"))).build());
    assertThat(normalized.getWeight()).isEqualTo(1);
    CheckDefinition check = normalized.getChecks(0);
    assertThat(check.getName()).isEqualTo("check-1");
    assertThat(check.getIntervalMs()).isEqualTo(10_000);
    assertThat(check.getTimeoutMs()).isEqualTo(5_000);
    assertThat(check.getFailureThreshold()).isEqualTo(1);
  }

  @Test
  void badFieldsAreNamedWithTheirLimits() {
    assertThat(refusal(valid().setService("Api")).getMessage())
        .startsWith("register.service: 'Api' is not 1-63 characters of lowercase letters");
    assertThat(refusal(valid().setService("a".repeat(64))).reason())
        .isEqualTo(ErrorReason.LIMIT_EXCEEDED);
    assertThat(refusal(valid().setInstanceId("a/b")).getMessage())
        .startsWith("register.instance_id");
    assertThat(refusal(valid().setAddress("10.0.0.999")).getMessage())
        .startsWith("register.address");
    assertThat(refusal(valid().setPort(0)).getMessage())
        .isEqualTo("register.port: 0 is outside 1 - 65535");
    assertThat(refusal(valid().setWeight(70_000)).getMessage())
        .isEqualTo("register.weight: 70000 is outside 1 - 65535");
    assertThat(refusal(valid().setSession(0)).getMessage()).startsWith("register.session");
    assertThat(refusal(valid().addTags("a").addTags("a")).getMessage())
        .isEqualTo("register.tags[1]: duplicate tag 'a'");
    assertThat(refusal(valid().putMetadata("k", "v".repeat(5000))).getMessage())
        .contains("over the limit of 4096 bytes");
    assertThat(refusal(valid().addChecks(CheckDefinition.newBuilder()
        .setHttp(HttpCheck.newBuilder().setUrl("ftp://x/")))).getMessage())
        .startsWith("register.checks[0].http.url: must be an http:// or https:// URL");
    assertThat(refusal(valid().addChecks(CheckDefinition.newBuilder()
        .setHttp(HttpCheck.newBuilder().setUrl("http://x/")).setIntervalMs(50))).getMessage())
        .isEqualTo("register.checks[0].interval_ms: 50 ms is outside 100 ms - 3600000 ms");
    assertThat(refusal(valid().addChecks(CheckDefinition.newBuilder())).getMessage())
        .contains("a check needs a target");
    assertThat(refusal(valid().setDeregisterCriticalAfterMs(10)).getMessage())
        .startsWith("register.deregister_critical_after_ms");
    assertThatThrownBy(() -> validator.normalize(valid().setAddress("host_name").build()))
        .isInstanceOf(CoordError.class);
  }

  @Test
  void hostNamesAndIpv6AreAddresses() {
    validator.normalize(valid().setAddress("api-1.internal.example").build());
    validator.normalize(valid().setAddress("::1").build());
  }
}
