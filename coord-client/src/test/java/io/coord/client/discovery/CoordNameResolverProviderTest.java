package io.coord.client.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.grpc.NameResolverRegistry;
import org.junit.jupiter.api.Test;

class CoordNameResolverProviderTest {
  @Test
  void theClientJarRegistersTheCoordSchemeWithoutTakingOverHostPortTargets() {
    NameResolverRegistry registry = NameResolverRegistry.getDefaultRegistry();
    assertThat(registry.getProviderForScheme("coord"))
        .isInstanceOf(CoordNameResolverProvider.class);
    assertThat(registry.asFactory().getDefaultScheme()).isEqualTo("dns");

    try (CoordClient client = CoordClient.builder().endpoints("127.0.0.1:1").build()) {
      CoordNameResolverProvider bound = new CoordNameResolverProvider(client);
      registry.register(bound);
      try {
        assertThat(registry.getProviderForScheme("coord")).isSameAs(bound);
        assertThat(registry.asFactory().getDefaultScheme()).isEqualTo("dns");
      } finally {
        registry.deregister(bound);
      }
    }
  }
}
