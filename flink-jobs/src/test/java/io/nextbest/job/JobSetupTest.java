package io.nextbest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.changelog.fs.FsStateChangelogOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateChangelogOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
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
    void theStateChangelogIsOnByDefaultWithItsLogBesideTheCheckpoints() {
        // read back through Flink's own options: a wrong key would read as the option's default
        Configuration c = JobSetup.flinkConfiguration(NextbestConfig.builder()
                .set("job.checkpoint-dir", "file:///data/cp/").build());
        assertThat(c.get(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG)).isTrue();
        assertThat(c.get(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE)).isEqualTo("filesystem");
        assertThat(c.get(FsStateChangelogOptions.BASE_PATH)).isEqualTo("file:///data/cp/changelog");
        assertThat(c.get(StateChangelogOptions.PERIODIC_MATERIALIZATION_INTERVAL)).isEqualTo(Duration.ofMinutes(10));
        // restores from a savepoint claim it: the changelog cannot take the full snapshot NO_CLAIM needs
        assertThat(c.get(StateRecoveryOptions.RESTORE_MODE)).isEqualTo(RecoveryClaimMode.CLAIM);

        Configuration tuned = JobSetup.flinkConfiguration(NextbestConfig.builder()
                .set("job.changelog.dir", "s3://bucket/log").set("job.changelog.materialize-interval", "90s").build());
        assertThat(tuned.get(FsStateChangelogOptions.BASE_PATH)).isEqualTo("s3://bucket/log");
        assertThat(tuned.get(StateChangelogOptions.PERIODIC_MATERIALIZATION_INTERVAL)).isEqualTo(Duration.ofSeconds(90));

        Configuration off = JobSetup.flinkConfiguration(NextbestConfig.builder().set("job.changelog.enabled", "false").build());
        assertThat(off.get(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG)).isFalse();
        assertThat(off.toMap()).doesNotContainKey(FsStateChangelogOptions.BASE_PATH.key())
                .doesNotContainKey(StateRecoveryOptions.RESTORE_MODE.key());
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
