package io.nextbest.loadtest.bench;

import io.nextbest.job.JobSetup;
import io.nextbest.job.NextbestJob;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.schemas.Topics;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The two jobs a benchmark compares: the full pipeline and the ceiling. */
enum JobUnderTest {
    NEXTBEST(Topics.SUGGESTIONS.name()),
    CEILING(CeilingJob.OUTPUT);

    private final String outputTopic;

    JobUnderTest(String outputTopic) {
        this.outputTopic = outputTopic;
    }

    String outputTopic() {
        return outputTopic;
    }

    /** Starts the job on a local (in-process) Flink cluster, with a web UI on {@code webPort} (0: none). */
    JobClient start(NextbestConfig config, int webPort) throws Exception {
        org.apache.flink.configuration.Configuration flink = JobSetup.flinkConfiguration(config);
        StateSizeProbe.enable(flink);
        StreamExecutionEnvironment env;
        if (webPort > 0) {
            flink.set(org.apache.flink.configuration.RestOptions.PORT, webPort);
            flink.set(org.apache.flink.configuration.RestOptions.BIND_ADDRESS, "127.0.0.1");
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        } else {
            env = StreamExecutionEnvironment.createLocalEnvironment(flink);
        }
        JobSetup.configure(env, config);
        if (this == NEXTBEST) {
            NextbestJob.buildWithKafka(env, config);
        } else {
            CeilingJob.build(env, config);
        }
        return env.executeAsync(name().toLowerCase());
    }

    /** Whether the job writes one output for this input (so the probe waits for it). */
    boolean expectsOutput(io.nextbest.generator.InputEvent e) {
        if (e.eventId() == null || e.action().equals(io.nextbest.generator.InputEvent.BROKEN)) {
            return false;
        }
        if (this == CEILING) {
            return !e.topic().equals(Topics.CATALOG.name());
        }
        return e.topic().equals(Topics.INTERACTIONS.name()) || e.action().equals("order");
    }
}
