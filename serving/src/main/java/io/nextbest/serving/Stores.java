package io.nextbest.serving;

import io.nextbest.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The service's local view of the job's compacted outputs, kept by Kafka Streams and read with interactive
 * queries. Nothing here is state of its own: every store is rebuilt from its topic on start.
 *
 * <ul>
 *   <li>{@value #SUGGESTIONS}: the {@code suggestions} topic as a table (key: customer or session id), partitioned
 *       across the replicas of the service (one application id): each holds the partitions Kafka Streams assigns
 *       it, and {@link #owner} says which replica holds a key. The source topic is the store's changelog (no
 *       extra topic); the last list written for a key wins (the job writes a key's lists in order; after a
 *       job recovery it writes them again, ending with the newest).
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

    private final KafkaStreams streams;
    private final HostInfo self;

    private Stores(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    /** The topology: one partitioned table, two global tables, all materialized, no caching (reads see every update). */
    static Topology topology(String topicPrefix) {
        StreamsBuilder b = new StreamsBuilder();
        Consumed<String, byte[]> bytes = Consumed.with(Serdes.String(), Serdes.ByteArray());
        b.table(topicPrefix + Topics.SUGGESTIONS.name(), bytes,
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(SUGGESTIONS).withCachingDisabled());
        b.globalTable(topicPrefix + Topics.ITEM_NEIGHBOURS.name(), bytes,
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(NEIGHBOURS).withCachingDisabled());
        b.globalTable(topicPrefix + Topics.CATALOG.name(), bytes,
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(CATALOG).withCachingDisabled());
        b.globalTable(topicPrefix + Topics.TRENDING.name(), bytes,
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(TRENDING).withCachingDisabled());
        return b.build();
    }

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
        streams.start();
        return new Stores(streams, self);
    }

    /** Whether the stores are up and have read their topics to within {@code maxLag} records (every local partition). */
    public boolean ready(long maxLag) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        Map<String, Map<Integer, LagInfo>> lags = streams.allLocalStorePartitionLags();
        return lags.values().stream().flatMap(m -> m.values().stream()).allMatch(l -> l.offsetLag() <= maxLag);
    }

    /** Total records this replica's partitions of the suggestions table are behind their topic (0 when caught up). */
    public long lag() {
        return streams.allLocalStorePartitionLags().values().stream().flatMap(m -> m.values().stream())
                .mapToLong(LagInfo::offsetLag).sum();
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
    }
}
