package io.nextbest.job;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateChangelogOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Applies the job's configuration to a Flink environment: parallelism, checkpoints, state backend. */
public final class JobSetup {
    private JobSetup() {}

    /** The Flink settings the job needs, for {@code env.configure(...)} or a local cluster. */
    public static Configuration flinkConfiguration(NextbestConfig config) {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, config.get(Settings.JOB_STATE_BACKEND).name().toLowerCase());
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.get(Settings.JOB_CHECKPOINT_DIR));
        c.setString("state.backend.rocksdb.timer-service.factory",
                config.get(Settings.JOB_TIMER_SERVICE).name().toLowerCase()); // RocksDBOptions.TIMER_SERVICE_FACTORY
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, config.get(Settings.JOB_INCREMENTAL_CHECKPOINTS));
        c.set(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG, config.get(Settings.JOB_CHANGELOG_ENABLED));
        if (config.get(Settings.JOB_CHANGELOG_ENABLED)) {
            String dir = config.get(Settings.JOB_CHANGELOG_DIR);
            c.set(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE, "filesystem");
            // FsStateChangelogOptions.BASE_PATH by key: the job's client code needs no class of flink-dstl-dfs
            c.setString("state.changelog.dstl.dfs.base-path", dir.isBlank()
                    ? config.get(Settings.JOB_CHECKPOINT_DIR).replaceAll("/+$", "") + "/changelog" : dir);
            c.set(StateChangelogOptions.PERIODIC_MATERIALIZATION_INTERVAL,
                    config.get(Settings.JOB_CHANGELOG_MATERIALIZE_INTERVAL));
            // the changelog cannot take the full first checkpoint that NO_CLAIM (Flink's default) demands after a
            // restore from a savepoint: the job takes the savepoint over instead (docs/operations.md, upgrades)
            c.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
        }
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.get(Settings.JOB_CHECKPOINT_INTERVAL));
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        c.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, config.get(Settings.JOB_CHECKPOINT_TIMEOUT));
        c.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, config.get(Settings.JOB_CHECKPOINT_MIN_PAUSE));
        c.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, config.get(Settings.JOB_CHECKPOINT_TOLERABLE_FAILURES));
        // RocksDBOptions / RocksDBNativeMetricOptions (flink-statebackend-rocksdb), by key
        c.setString("state.backend.rocksdb.predefined-options", config.get(Settings.JOB_ROCKSDB_PROFILE).name());
        if (!config.get(Settings.JOB_ROCKSDB_LOCAL_DIR).isBlank()) {
            c.setString("state.backend.rocksdb.localdir", config.get(Settings.JOB_ROCKSDB_LOCAL_DIR));
        }
        c.setString("state.backend.rocksdb.memory.managed", String.valueOf(config.get(Settings.JOB_ROCKSDB_MANAGED_MEMORY)));
        if (config.get(Settings.JOB_ROCKSDB_NATIVE_METRICS)) {
            c.setString("state.backend.rocksdb.metrics.estimate-num-keys", "true");
            c.setString("state.backend.rocksdb.metrics.estimate-live-data-size", "true");
            c.setString("state.backend.rocksdb.metrics.column-family-as-variable", "true"); // state name as a label
        }
        // every exchange off the critical path; NextbestPipeline sets job.buffer-timeout where events go to customers
        c.set(ExecutionOptions.BUFFER_TIMEOUT, config.get(Settings.JOB_SIDE_BUFFER_TIMEOUT));
        c.set(PipelineOptions.NAME, config.get(Settings.JOB_NAME));
        c.set(PipelineOptions.OBJECT_REUSE, true);
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(PipelineOptions.MAX_PARALLELISM, config.get(Settings.JOB_MAX_PARALLELISM));
        c.set(PipelineOptions.GLOBAL_JOB_PARAMETERS, config.toMap());
        return c;
    }

    /** Configures an environment for the job. */
    public static void configure(StreamExecutionEnvironment env, NextbestConfig config) {
        env.configure(flinkConfiguration(config));
        env.setParallelism(config.get(Settings.JOB_PARALLELISM));
    }
}
