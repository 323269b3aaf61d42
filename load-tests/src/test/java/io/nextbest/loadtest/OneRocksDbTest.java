package io.nextbest.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Flink's state backend (frocksdbjni, a fork) and Kafka Streams (rocksdbjni) ship the same {@code org.rocksdb}
 * classes; where both are on one class path, Flink's RocksDB state fails to open (UnsatisfiedLinkError in its
 * compaction filter) and the job restarts for ever. This module runs both (the bench runs the job, bench-serve the
 * serving stores), so only the fork may be here; Kafka Streams runs on it.
 */
class OneRocksDbTest {

    @Test
    void onlyFlinksRocksDbIsOnTheClassPath() {
        String[] jars = System.getProperty("java.class.path").split(File.pathSeparator);
        assertThat(Arrays.stream(jars).filter(j -> j.contains("frocksdbjni"))).as("Flink's RocksDB").isNotEmpty();
        assertThat(Arrays.stream(jars).filter(j -> new File(j).getName().startsWith("rocksdbjni")))
                .as("a second RocksDB (exclude org.rocksdb:rocksdbjni where kafka-streams comes in)").isEmpty();
    }
}
