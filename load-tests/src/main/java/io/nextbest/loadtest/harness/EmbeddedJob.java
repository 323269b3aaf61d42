package io.nextbest.loadtest.harness;

import io.nextbest.kafka.EmbeddedKafka;
import io.nextbest.job.JobSetup;
import io.nextbest.job.NextbestJob;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.io.TopicAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The real job ({@link NextbestJob#buildWithKafka}) on an in-process Kafka broker and a local Flink
 * cluster, as the replays ({@code evaluate}, {@code triggers}) run it: topics created with one
 * partition per unit of {@code job.parallelism}, the job reading them from the earliest offset,
 * checkpoints in a temporary folder. Closing cancels the job and stops the broker.
 */
public final class EmbeddedJob implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final NextbestConfig config;
    private final JobClient job;
    private boolean cancelled;

    private EmbeddedJob(EmbeddedKafka kafka, NextbestConfig config, JobClient job) {
        this.kafka = kafka;
        this.config = config;
        this.job = job;
    }

    /**
     * Starts a broker, creates the job's topics and submits the job.
     *
     * @param base the job's settings; the Kafka keys and the checkpoint folder are set here
     * @param topicPrefix {@code kafka.topic-prefix}, e.g. "eval."
     * @param groupId {@code kafka.group-id} of the job
     * @param jobName the Flink job's name
     */
    public static EmbeddedJob start(NextbestConfig base, String topicPrefix, String groupId, String jobName)
            throws Exception {
        Path work = Files.createTempDirectory(jobName + "-");
        EmbeddedKafka kafka = EmbeddedKafka.start(0);
        try {
            NextbestConfig config = base.toBuilder()
                    .set("kafka.bootstrap-servers", kafka.bootstrapServers())
                    .set("kafka.topic-prefix", topicPrefix)
                    .set("kafka.group-id", groupId)
                    .set("kafka.starting-offsets", "earliest")
                    .set("job.checkpoint-dir", work.resolve("checkpoints").toUri().toString())
                    .build();
            TopicAdmin.createMissing(config, config.get(Settings.JOB_PARALLELISM), (short) 1);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(
                    JobSetup.flinkConfiguration(config));
            JobSetup.configure(env, config);
            NextbestJob.buildWithKafka(env, config);
            return new EmbeddedJob(kafka, config, env.executeAsync(jobName));
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
    }

    /** The settings the job runs with (Kafka keys included). */
    public NextbestConfig config() {
        return config;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The full name of a topic of the registry ({@code Topics}), prefix included. */
    public String topic(String registryName) {
        return config.topic(registryName);
    }

    /** Cancels the job (once). */
    public void cancel() throws Exception {
        if (!cancelled) {
            cancelled = true;
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            cancel();
        } catch (Exception e) {
            // the job failed or ended already: nothing left to cancel
        } finally {
            kafka.close();
        }
    }
}
