package io.nextbest.job.testing;

import io.nextbest.job.JobSetup;
import io.nextbest.job.NextbestJob;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.io.TopicAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The integration tests' kit, one JUnit 5 extension: a Flink MiniCluster and a real Kafka broker for the test
 * class, and {@link #start} to run the real job ({@link NextbestJob#buildWithKafka}) on them with its own topics.
 * Each job gets a fresh topic prefix and checkpoint folder, so the tests of a class do not see each other's
 * records. The returned {@link JobHandle} sends typed events ({@link Events}) and reads the outputs back.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final JobKit KIT = JobKit.withSlots(2);
 *
 * try (JobHandle job = KIT.start(s -> s.set("ranking.list-size", "4"))) {
 *     String id = job.send(job.events().view("c1", "S1"));
 *     Suggestions list = job.awaitList(id);
 * }
 * }</pre>
 */
public final class JobKit implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
    private final MiniClusterExtension flink;
    private EmbeddedKafkaCluster kafka;
    private Path work;

    private JobKit(MiniClusterExtension flink) {
        this.flink = flink;
    }

    /** One TaskManager with this many slots (the largest parallelism a test runs at, summed over its jobs). */
    public static JobKit withSlots(int slots) {
        return withSlots(slots, new Configuration());
    }

    /** The same, with a TaskManager configuration (memory, a metrics reporter). */
    public static JobKit withSlots(int slots, Configuration configuration) {
        return new JobKit(new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(slots)
                .setConfiguration(configuration)
                .build()));
    }

    /** A TaskManager configuration with this much managed and network memory (RocksDB-heavy or many-slot tests). */
    public static Configuration memory(String managed, String network) {
        Configuration c = new Configuration();
        c.set(org.apache.flink.configuration.TaskManagerOptions.MANAGED_MEMORY_SIZE,
                org.apache.flink.configuration.MemorySize.parse(managed));
        c.set(org.apache.flink.configuration.TaskManagerOptions.NETWORK_MEMORY_MIN,
                org.apache.flink.configuration.MemorySize.parse(network));
        c.set(org.apache.flink.configuration.TaskManagerOptions.NETWORK_MEMORY_MAX,
                org.apache.flink.configuration.MemorySize.parse(network));
        return c;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        flink.beforeAll(context);
        kafka = new EmbeddedKafkaCluster();
        work = Files.createTempDirectory("nextbest-it-");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            flink.afterAll(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        flink.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        flink.afterEach(context);
    }

    /** {@code @InjectMiniCluster MiniCluster} (and the other parameters of Flink's extension) in tests. */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return flink.supportsParameter(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return flink.resolveParameter(parameter, context);
    }

    public EmbeddedKafkaCluster kafka() {
        return kafka;
    }

    /** The job's settings for this broker, a fresh topic prefix and checkpoint folder, with the test's on top. */
    public NextbestConfig config(UnaryOperator<NextbestConfig.Builder> settings) {
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        return settings.apply(kafka.jobConfig(prefix, work.resolve(prefix + "checkpoints"))).build();
    }

    /** Starts the real job with these settings on topics of 2 partitions (created here). */
    public JobHandle start(UnaryOperator<NextbestConfig.Builder> settings) throws Exception {
        return start(config(settings), 2);
    }

    /** Starts the real job with this configuration on topics of {@code partitions} partitions. */
    public JobHandle start(NextbestConfig config, int partitions) throws Exception {
        return start(config, partitions, NextbestJob::buildWithKafka);
    }

    /** Builds a job's graph on the environment (already configured with {@link JobSetup#configure}). */
    @FunctionalInterface
    public interface Graph {
        void build(StreamExecutionEnvironment env, NextbestConfig config) throws Exception;
    }

    /** Starts a job built by {@code graph} (e.g. the job with a fault injected) on topics created here. */
    public JobHandle start(NextbestConfig config, int partitions, Graph graph) throws Exception {
        TopicAdmin.createMissing(config, partitions, (short) 1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobSetup.configure(env, config);
        graph.build(env, config);
        return new JobHandle(kafka, config, env.executeAsync("it-" + config.topic("job")));
    }
}
