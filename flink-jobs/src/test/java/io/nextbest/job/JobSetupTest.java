package io.nextbest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class JobSetupTest {

    @Test
    void operatorSettingsBecomeFlinkOptions() {
        Configuration c = JobSetup.flinkConfiguration(NextbestConfig.builder()
                .set("job.checkpoint-timeout", "3m")
                .set("job.checkpoint-min-pause", "2s")
                .set("job.checkpoint-tolerable-failures", "5")
                .set("job.rocksdb.profile", "flash-ssd-optimized")
                .set("job.rocksdb.managed-memory", "false")
                .build());
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT)).isEqualTo(Duration.ofMinutes(3));
        assertThat(c.get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS)).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isEqualTo(5);
        assertThat(c.toMap()).containsEntry("state.backend.rocksdb.predefined-options", "FLASH_SSD_OPTIMIZED")
                .containsEntry("state.backend.rocksdb.memory.managed", "false")
                .containsEntry("state.backend.rocksdb.metrics.estimate-num-keys", "true")
                .containsEntry("state.backend.rocksdb.metrics.estimate-live-data-size", "true");
    }

    @Test
    void defaults() {
        Configuration c = JobSetup.flinkConfiguration(NextbestConfig.defaults());
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT)).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isEqualTo(3);
        assertThat(c.toMap()).containsEntry("state.backend.rocksdb.predefined-options", "DEFAULT")
                .containsEntry("state.backend.rocksdb.memory.managed", "true");
        assertThat(JobSetup.flinkConfiguration(NextbestConfig.builder().set("job.rocksdb.native-metrics", "false").build())
                .toMap()).doesNotContainKey("state.backend.rocksdb.metrics.estimate-num-keys");
    }
}
