package io.nextbest.serving;

import io.nextbest.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The service's local view of the job's compacted outputs, kept by Kafka Streams and read with interactive
 * queries. Nothing here is state of its own: every store is rebuilt from its topic on start.
 *
 * <ul>
 *   <li>{@value #SUGGESTIONS}: the answers to {@code GET …/suggestions} (key: customer or session id): each list of
 *       the {@code suggestions} topic with the catalog facts of its items added when it arrives, so that a read
 *       is one lookup and no parsing. Partitioned across the replicas of the service (one application id): each
 *       holds the partitions Kafka Streams assigns it, and {@link #locate} says which replica holds a key. Kept in
 *       a changelog topic of the application (a restart restores from it). The last list written for a key wins
 *       (the job writes a key's lists in order; after a job recovery it writes them again, ending with the
 *       newest); catalog facts are as of when the list arrived.
 *   <li>{@value #TRIGGER_DECISIONS}: the newest {@code trigger-decisions} record of each customer (the page shows
 *       what became of an abandoned basket). Read in the same sub-topology as the lists, so a customer's decision
 *       lives on the replica that holds the customer's list ({@link #locate} answers for both; the two topics have
 *       the same number of partitions, as the job's topic set-up makes them).
 *   <li>{@value #NEIGHBOURS}, {@value #CATALOG} and {@value #TRENDING}: {@code item-neighbours}, {@code catalog}
 *       and {@code trending} as global tables, whole on every replica (item data is small next to customer data).
 * </ul>
 *
 * Values are kept as the topics' bytes (JSON of the contract); the API decodes what it answers with.
 */
public final class Stores implements AutoCloseable {
    public static final String SUGGESTIONS = "suggestions";
    public static final String NEIGHBOURS = "item-neighbours";
    public static final String CATALOG = "catalog";
    public static final String TRENDING = "trending";
    public static final String TRIGGER_DECISIONS = "trigger-decisions";

    private final KafkaStreams streams;
    private final HostInfo self;
    private final org.apache.kafka.clients.admin.Admin admin;
    private final String applicationId;
    /** Per local input partition not yet caught up: the end offset it had when this replica found it local. */
    private final Map<TopicPartition, Long> catchUpTargets = new java.util.concurrent.ConcurrentHashMap<>();
    /** The local input partitions that have reached their catch-up target since they became local. */
    private final java.util.Set<TopicPartition> caughtUp = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Stores(KafkaStreams streams, HostInfo self, org.apache.kafka.clients.admin.Admin admin, String applicationId) {
        this.streams = streams;
        this.self = self;
        this.admin = admin;
        this.applicationId = applicationId;
    }

    /** The topology: two partitioned stores (answers, trigger decisions) fed by one processor, three global tables; no caching. */
    static Topology topology(String topicPrefix) {
        StreamsBuilder b = new StreamsBuilder();
        Consumed<String, byte[]> bytes = Consumed.with(Serdes.String(), Serdes.ByteArray());
        b.globalTable(topicPrefix + Topics.ITEM_NEIGHBOURS.name(), bytes,
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(NEIGHBOURS).withCachingDisabled());
        b.globalTable(topicPrefix + Topics.CATALOG.name(), bytes,
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(CATALOG).withCachingDisabled());
        b.globalTable(topicPrefix + Topics.TRENDING.name(), bytes,
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(TRENDING).withCachingDisabled());
        // plain (not timestamped) stores: a read returns RocksDB's bytes as they are, with no copy to strip a timestamp
        for (String store : List.of(SUGGESTIONS, TRIGGER_DECISIONS)) {
            b.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                    org.apache.kafka.streams.state.Stores.persistentKeyValueStore(store), Serdes.String(),
                    Serdes.ByteArray()).withCachingDisabled());
        }
        // each list is turned into its answer (catalog facts added) once, when it arrives; a customer's trigger
        // decisions go beside its list (same task, same replica)
        b.stream(List.of(topicPrefix + Topics.SUGGESTIONS.name(), topicPrefix + Topics.TRIGGER_DECISIONS.name()), bytes)
                .process(() -> new Answers(topicPrefix + Topics.TRIGGER_DECISIONS.name()), Named.as("answers"),
                        SUGGESTIONS, TRIGGER_DECISIONS);
        return b.build();
    }

    /**
     * Lists → answers: the list plus the catalog facts of its items, read from the global catalog store, kept as the
     * key's answer. Trigger decisions are kept as they are, the newest per customer. A tombstone (erase) deletes.
     */
    private static final class Answers implements Processor<String, byte[], Void, Void> {
        private final String decisionsTopic;
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, ValueAndTimestamp<byte[]>> catalog; // a global table's store keeps timestamps
        private KeyValueStore<String, byte[]> answers;
        private KeyValueStore<String, byte[]> decisions;

        Answers(String decisionsTopic) {
            this.decisionsTopic = decisionsTopic;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.catalog = context.getStateStore(CATALOG);
            this.answers = context.getStateStore(SUGGESTIONS);
            this.decisions = context.getStateStore(TRIGGER_DECISIONS);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null) {
                return; // the job always keys both topics; a keyless record has no place in a store
            }
            if (context.recordMetadata().map(m -> m.topic().equals(decisionsTopic)).orElse(false)) {
                decisions.put(record.key(), record.value());
                return;
            }
            if (record.value() == null) {
                answers.delete(record.key());
                return;
            }
            try {
                answers.put(record.key(), Api.answer(record.value(),
                        item -> ValueAndTimestamp.getValueOrNull(catalog.get(item))));
            } catch (RuntimeException e) { // not a list of the contract: skipped, the previous answer stays
                LOG.warn("skipped a suggestions record at {} that is not a list: {}", context.recordMetadata()
                        .map(m -> m.topic() + "/" + m.partition() + "@" + m.offset()).orElse("?"),
                        e.getClass().getSimpleName());
            }
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Stores.class);

    /**
     * Starts the stores.
     *
     * @param settings Kafka client settings (bootstrap servers, security), the application id and the state directory
     * @param self the host and port other replicas reach this one's HTTP API at ({@code application.server})
     */
    public static Stores start(String topicPrefix, Properties settings, HostInfo self) {
        Properties p = new Properties();
        p.putAll(settings);
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        p.putIfAbsent(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        KafkaStreams streams = new KafkaStreams(topology(topicPrefix), p);
        Properties adminProps = new Properties();
        adminProps.putAll(settings);
        adminProps.keySet().removeIf(k -> k.toString().startsWith("application.") || k.toString().startsWith("state.")
                || k.toString().equals(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG)
                || k.toString().equals(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(adminProps);
        streams.start();
        return new Stores(streams, self, admin, p.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    /**
     * Whether the stores are up and have caught up to within {@code maxLag} records: running, every changelog
     * restored that far, and every local partition of the input topic processed (committed) to within that far of
     * the end it had when this replica found the partition local. (A fresh replica reads {@code suggestions} by
     * processing it, not by restoring a changelog, so the changelog lags alone would say "ready" while it is still
     * reading.) A partition that has caught up once stays caught up while it is local: lists keep arriving, and the
     * committed offsets trail them by up to a commit interval, so "committed to the live end" would flap to 503
     * under steady traffic (a partition that moves here again gets a new target).
     */
    public boolean ready(long maxLag) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        Map<String, Map<Integer, LagInfo>> lags = streams.allLocalStorePartitionLags();
        if (!lags.values().stream().flatMap(m -> m.values().stream()).allMatch(l -> l.offsetLag() <= maxLag)) {
            return false;
        }
        return catchUpLag() <= maxLag;
    }

    /**
     * Records of the local input partitions not yet caught up ({@link #ready}) that lie between their committed
     * offsets and their catch-up targets; {@code Long.MAX_VALUE} while unknown.
     */
    private long catchUpLag() {
        Map<TopicPartition, Long> committedHere = committedHere();
        catchUpTargets.keySet().retainAll(committedHere.keySet());
        caughtUp.retainAll(committedHere.keySet());
        Map<TopicPartition, Long> pending = new java.util.HashMap<>(committedHere);
        pending.keySet().removeAll(caughtUp);
        if (pending.isEmpty()) {
            return 0;
        }
        try {
            Offsets o = offsets(pending);
            long lag = 0;
            for (TopicPartition tp : pending.keySet()) {
                long target = catchUpTargets.computeIfAbsent(tp, o.ends::get);
                long committed = o.committed.get(tp);
                if (committed >= target) {
                    caughtUp.add(tp);
                    catchUpTargets.remove(tp);
                } else {
                    lag += target - committed;
                }
            }
            return lag;
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Records of the input partitions this replica processes that are not yet processed and committed (against
     * their live ends); {@code Long.MAX_VALUE} while unknown.
     */
    private long inputLag() {
        Map<TopicPartition, Long> committedHere = committedHere();
        if (committedHere.isEmpty()) {
            return 0;
        }
        try {
            Offsets o = offsets(committedHere);
            long lag = 0;
            for (TopicPartition tp : committedHere.keySet()) {
                lag += Math.max(0, o.ends.get(tp) - o.committed.get(tp));
            }
            return lag;
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
    }

    /** The input partitions of this replica's active tasks, with the offsets their tasks committed (-1: none yet). */
    private Map<TopicPartition, Long> committedHere() {
        Map<TopicPartition, Long> committedHere = new java.util.HashMap<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                for (TopicPartition tp : task.topicPartitions()) {
                    committedHere.put(tp, task.committedOffsets().getOrDefault(tp, -1L));
                }
            }
        }
        return committedHere;
    }

    /**
     * The end offsets of {@code partitions} and how far each is processed: the newer of the task's own commit and
     * the application's committed offset (a task that took a partition over from another replica restored its store
     * from the changelog and starts at that offset).
     */
    private Offsets offsets(Map<TopicPartition, Long> partitions) throws Exception {
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> group = admin
                .listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
        partitions.keySet().forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
        var listed = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, Long> ends = new java.util.HashMap<>();
        Map<TopicPartition, Long> committed = new java.util.HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : partitions.entrySet()) {
            ends.put(e.getKey(), listed.get(e.getKey()).offset());
            var g = group.get(e.getKey());
            committed.put(e.getKey(), Math.max(e.getValue(), g == null ? 0 : g.offset()));
        }
        return new Offsets(ends, committed);
    }

    private record Offsets(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> committed) {
    }

    /** Records this replica's stores are behind their topics: changelogs to restore plus input to process. */
    public long lag() {
        long restore = streams.allLocalStorePartitionLags().values().stream().flatMap(m -> m.values().stream())
                .mapToLong(LagInfo::offsetLag).sum();
        long input = inputLag();
        return input == Long.MAX_VALUE ? -1 : restore + input;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Where the suggestions of a key live: here, on another replica ({@code host}), or unknown (rebalancing). */
    public record Location(boolean local, HostInfo host) {
        static final Location HERE = new Location(true, null);
        static final Location UNKNOWN = new Location(false, null);

        public boolean unknown() {
            return !local && host == null;
        }
    }

    /** Which replica holds the suggestions of {@code key} (as Kafka Streams' metadata says now). */
    public Location locate(String key) {
        KeyQueryMetadata m = streams.queryMetadataForKey(SUGGESTIONS, key, Serdes.String().serializer());
        if (m == null || m.equals(KeyQueryMetadata.NOT_AVAILABLE) || m.activeHost() == null) {
            return Location.UNKNOWN;
        }
        return m.activeHost().equals(self) ? Location.HERE : new Location(false, m.activeHost());
    }

    /** The newest list of a customer or session, as written on the topic; null if this replica has none. */
    public byte[] suggestions(String key) {
        return store(SUGGESTIONS).get(key);
    }

    /** The newest trigger decision of a customer (a {@code trigger-decisions} record), null if this replica has none. */
    public byte[] triggerDecision(String customerId) {
        return store(TRIGGER_DECISIONS).get(customerId);
    }

    /**
     * Catalog records in item-id order, the first {@code limit} after {@code after} (null: from the start): the
     * items a shop's grid lists.
     */
    public List<byte[]> catalogPage(String after, int limit) {
        List<byte[]> page = new java.util.ArrayList<>();
        try (org.apache.kafka.streams.state.KeyValueIterator<String, byte[]> it = after == null
                ? store(CATALOG).all() : store(CATALOG).range(after, null)) {
            while (it.hasNext() && page.size() < limit) {
                org.apache.kafka.streams.KeyValue<String, byte[]> e = it.next();
                if (!e.key.equals(after) && e.value != null) {
                    page.add(e.value);
                }
            }
        }
        return page;
    }

    /** The published neighbour list of an item (an {@code item-neighbours} record), null if none. */
    public byte[] neighbours(String itemId) {
        return store(NEIGHBOURS).get(itemId);
    }

    /** The catalog record of an item, null if the catalog never named it or deleted it. */
    public byte[] catalog(String itemId) {
        return store(CATALOG).get(itemId);
    }

    /** A trending list ({@code global} or a feature such as {@code category:shoes}), null if none was published. */
    public byte[] trending(String list) {
        return store(TRENDING).get(list);
    }

    private ReadOnlyKeyValueStore<String, byte[]> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore()));
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(5));
    }
}
