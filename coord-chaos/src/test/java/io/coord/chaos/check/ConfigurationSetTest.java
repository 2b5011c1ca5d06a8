package io.coord.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigurationSetTest {
  @Test
  void remembersEveryConfigurationThroughGrowthAndTellsStatesApart() {
    ConfigurationSet set = new ConfigurationSet(64);
    long high = 0;
    long low = 0;
    for (int op = 0; op < 64; op++) {
      high ^= set.keyHigh(op);
      low ^= set.keyLow(op);
      for (int state = 0; state < 100; state++) {
        assertThat(set.add(high, low, state)).isTrue();
      }
    }
    assertThat(set.size()).isEqualTo(6_400);
    high = 0;
    low = 0;
    for (int op = 0; op < 64; op++) {
      high ^= set.keyHigh(op);
      low ^= set.keyLow(op);
      for (int state = 0; state < 100; state++) {
        assertThat(set.add(high, low, state)).isFalse();
      }
    }
    assertThat(set.size()).isEqualTo(6_400);
  }

  @Test
  void theFingerprintOfASetDoesNotDependOnTheOrderOfLinearization() {
    ConfigurationSet set = new ConfigurationSet(3);
    assertThat(set.add(set.keyHigh(0) ^ set.keyHigh(2), set.keyLow(0) ^ set.keyLow(2), 7))
        .isTrue();
    assertThat(set.add(set.keyHigh(2) ^ set.keyHigh(0), set.keyLow(2) ^ set.keyLow(0), 7))
        .isFalse();
    assertThat(set.add(set.keyHigh(1) ^ set.keyHigh(2), set.keyLow(1) ^ set.keyLow(2), 7))
        .isTrue();
  }
}
