package io.nextbest.job.config;

import java.time.Duration;
import java.util.List;

/** Every configuration key of the job, with its default and doc. Documented in config/nextbest.yaml. */
public final class Settings {
    private Settings() {}

    /** Keys below this prefix are passed to every Kafka client as they are (security, tuning). */
    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

    public enum StartingOffsets { COMMITTED, EARLIEST, LATEST }

    public enum StateBackend { ROCKSDB, HASHMAP }

    public enum WeightCombine { MAX, SUM }

    // kafka
    public static final Option<String> KAFKA_BOOTSTRAP = Option.nonEmpty("kafka.bootstrap-servers", "localhost:9092",
            "Kafka bootstrap servers, comma-separated host:port.");
    public static final Option<String> KAFKA_TOPIC_PREFIX = Option.string("kafka.topic-prefix", "",
            "Put before every topic name (e.g. 'shop1.'), to share a Kafka cluster.");
    public static final Option<String> KAFKA_GROUP_ID = Option.nonEmpty("kafka.group-id", "nextbest",
            "Consumer group id of the job's Kafka sources (offsets are committed on checkpoints).");
    public static final Option<StartingOffsets> KAFKA_STARTING_OFFSETS = Option.choice("kafka.starting-offsets",
            StartingOffsets.COMMITTED, StartingOffsets.class,
            "Where a job without a checkpoint starts reading: committed (the group's offsets, else earliest), earliest or latest.");
    public static final Option<Duration> KAFKA_SUGGESTIONS_LINGER = Option.duration("kafka.suggestions-linger", "1ms",
            Duration.ZERO, "How long the suggestions sink's producer waits to fill a batch (its linger.ms; the other"
                    + " outputs linger 50ms unless kafka.properties.linger.ms says otherwise). Lists are awaited: 1ms cut"
                    + " the median from append by 3 ms against 5ms, at no more CPU (bench, issue 15); 0 sends at once.");

    // job
    public static final Option<String> JOB_NAME = Option.nonEmpty("job.name", "nextbest", "Job name in the Flink UI.");
    public static final Option<Integer> JOB_PARALLELISM = Option.integer("job.parallelism", 2, 1, 4096,
            "Default parallelism of every stage.");
    public static final Option<Integer> JOB_MAX_PARALLELISM = Option.integer("job.max-parallelism", 128, 1, 32768,
            "Upper bound for rescaling keyed state (key groups). Changing it breaks savepoint compatibility.");
    public static final Option<Duration> JOB_CHECKPOINT_INTERVAL = Option.duration("job.checkpoint-interval", "10s",
            Duration.ofMillis(100), "Interval between checkpoints (exactly-once state, offset commits, sink flushes).");
    public static final Option<String> JOB_CHECKPOINT_DIR = Option.nonEmpty("job.checkpoint-dir",
            "file:///tmp/nextbest/checkpoints", "Where checkpoints are written (file://, s3://, …).");
    public static final Option<StateBackend> JOB_STATE_BACKEND = Option.choice("job.state-backend",
            StateBackend.ROCKSDB, StateBackend.class, "Keyed state backend: rocksdb (large state, on disk) or hashmap (heap).");
    public static final Option<Duration> JOB_BUFFER_TIMEOUT = Option.duration("job.buffer-timeout", "0ms",
            Duration.ZERO, "The critical path's network buffers (decoding and the identity resolver to the customer"
                    + " stage): longest a record waits in a buffer before it is sent on. 0 (the default) sends every"
                    + " record at once and needs no flusher thread; a few ms fill buffers fuller at high rates, but each"
                    + " task's flusher then wakes that often, busy or idle.");
    public static final Option<Duration> JOB_SIDE_BUFFER_TIMEOUT = Option.duration("job.side-buffer-timeout", "100ms",
            Duration.ZERO, "The same for every other exchange (similarity, trending, the replica feeds, sinks of another"
                    + " parallelism): they trade milliseconds of freshness for fewer, fuller buffers and fewer flusher"
                    + " wake-ups (Flink's default is 100ms).");
    public enum TimerService { HEAP, ROCKSDB }

    public static final Option<TimerService> JOB_TIMER_SERVICE = Option.choice("job.timer-service", TimerService.HEAP,
            TimerService.class, "Where timers live with the RocksDB backend: heap (fast; checkpointed with the keyed"
                    + " state; two per basket being watched) or rocksdb (for millions of pending timers).");
    public static final Option<Boolean> JOB_INCREMENTAL_CHECKPOINTS = Option.bool("job.incremental-checkpoints", true,
            "RocksDB incremental checkpoints (upload only new SST files).");
    public static final Option<Boolean> JOB_CHANGELOG_ENABLED = Option.bool("job.changelog.enabled", true,
            "Flink's state changelog (state.changelog.enabled): every state change is also appended to a log that a"
                    + " checkpoint uploads, so a checkpoint no longer makes each RocksDB instance flush and link its"
                    + " files while its stage waits (the latency spike at every checkpoint); RocksDB's own snapshot"
                    + " (materialization) runs every job.changelog.materialize-interval instead. Costs: the log's"
                    + " uploads, a restore replays up to one interval of changes, and restores from a savepoint claim"
                    + " it (CLAIM mode: copy a savepoint you may go back to; docs/operations.md).");
    public static final Option<Duration> JOB_CHANGELOG_MATERIALIZE_INTERVAL = Option.duration(
            "job.changelog.materialize-interval", "10m", Duration.ofSeconds(1), "With the changelog: how often the"
                    + " state backend takes its own snapshot, after which the log before it can go (Flink's"
                    + " state.changelog.periodic-materialize.interval). Shorter means smaller logs and faster"
                    + " restores, and more of the pauses the changelog avoids.");
    public static final Option<String> JOB_CHANGELOG_DIR = Option.string("job.changelog.dir", "",
            "With the changelog: where the log's files go (a durable file system, like job.checkpoint-dir; empty:"
                    + " job.checkpoint-dir/changelog).");

    public static final Option<Integer> JOB_PARALLELISM_INGEST = Option.integer("job.parallelism.ingest", 0, 0, 4096,
            "Parallelism of the Kafka sources, decoding and event-time assignment (0: job.parallelism). More"
                    + " subtasks than input partitions sit idle.");
    public static final Option<Integer> JOB_PARALLELISM_CUSTOMER = Option.integer("job.parallelism.customer", 0, 0,
            4096, "Parallelism of the identity resolver, the customer stage (state, ranking in place, triggers) and the"
                    + " pair-delta combiner chained to it (0: job.parallelism). The busiest stage: scale it first. Each"
                    + " subtask holds the replicas it ranks from: catalog, neighbour index, trending lists, rules.");
    public static final Option<Integer> JOB_PARALLELISM_ITEM = Option.integer("job.parallelism.item", 0, 0, 4096,
            "Parallelism of the item stage (similarity rows, published neighbour lists), the trending and impression"
                    + " counters (0: job.parallelism).");
    public static final Option<Integer> JOB_PARALLELISM_SINKS = Option.integer("job.parallelism.sinks", 0, 0, 4096,
            "Parallelism of the Kafka sinks (0: job.parallelism). Equal to the operator before them, a sink chains"
                    + " to it (no network hop); each exactly-once basket-triggers subtask holds one Kafka transaction"
                    + " per checkpoint.");

    public enum SlotSharing { SHARED, PER_STAGE }

    public static final Option<SlotSharing> JOB_SLOT_SHARING = Option.choice("job.slot-sharing", SlotSharing.SHARED,
            SlotSharing.class, "shared: every stage may share a task slot (fewest slots: the largest stage parallelism);"
                    + " per-stage: ingest, customer, item and sinks each get their own slots (isolation,"
                    + " more slots: the sum of the stage parallelisms).");
    public static final Option<Duration> JOB_CHECKPOINT_TIMEOUT = Option.duration("job.checkpoint-timeout", "10m",
            Duration.ofSeconds(1), "A checkpoint not complete by then is abandoned (and counts as failed).");
    public static final Option<Duration> JOB_CHECKPOINT_MIN_PAUSE = Option.duration("job.checkpoint-min-pause", "0s",
            Duration.ZERO, "Least time between the end of one checkpoint and the start of the next: raise it when"
                    + " checkpoints take most of the interval and processing starves.");
    public static final Option<Integer> JOB_CHECKPOINT_TOLERABLE_FAILURES = Option.integer(
            "job.checkpoint-tolerable-failures", 3, 0, 1000, "Consecutive failed checkpoints tolerated before the job"
                    + " fails over (0: the first failure restarts the job).");

    public enum RocksDbProfile { DEFAULT, SPINNING_DISK_OPTIMIZED, SPINNING_DISK_OPTIMIZED_HIGH_MEM, FLASH_SSD_OPTIMIZED }

    public static final Option<RocksDbProfile> JOB_ROCKSDB_PROFILE = Option.choice("job.rocksdb.profile",
            RocksDbProfile.DEFAULT, RocksDbProfile.class, "RocksDB predefined options (Flink's"
                    + " state.backend.rocksdb.predefined-options); flash_ssd_optimized on local SSDs.");
    public static final Option<String> JOB_ROCKSDB_LOCAL_DIR = Option.string("job.rocksdb.local-dir", "",
            "Where RocksDB keeps its working files (Flink's state.backend.rocksdb.localdir; empty: the task manager's"
                    + " io.tmp.dirs). Every checkpoint's synchronous part flushes the memtables into files here while"
                    + " the stage waits: a local SSD, not a network or busy disk (docs/operations.md, latency).");
    public static final Option<Boolean> JOB_ROCKSDB_MANAGED_MEMORY = Option.bool("job.rocksdb.managed-memory", true,
            "RocksDB block cache and write buffers within Flink's managed memory"
                    + " (taskmanager.memory.managed.fraction of the TaskManager); off: RocksDB sizes them itself.");
    public static final Option<Boolean> JOB_ROCKSDB_NATIVE_METRICS = Option.bool("job.rocksdb.native-metrics", true,
            "Report RocksDB's estimate-num-keys and estimate-live-data-size per state (customers, item rows, …):"
                    + " the state-size metrics of the dashboard. Cheap (property reads every metrics interval).");

    // ingest
    public static final Option<Integer> INGEST_MAX_RECORD_BYTES = Option.integer("ingest.max-record-bytes", 65536,
            256, 16 * 1024 * 1024, "Larger input records go to dead-letter as oversized.");
    public static final Option<Duration> INGEST_MAX_FUTURE_SKEW = Option.durationOrOff("ingest.max-future-skew", "1h",
            "Events stamped further ahead of the wall clock go to dead-letter (off: no limit).");
    public static final Option<Duration> INGEST_MAX_EVENT_AGE = Option.durationOrOff("ingest.max-event-age", "30d",
            "Events older than this go to dead-letter (off: no limit, for replays of historical data).");
    public static final Option<Duration> INGEST_OUT_OF_ORDERNESS = Option.duration("ingest.watermark-out-of-orderness",
            "5s", Duration.ZERO, "How late an event may arrive behind the newest one before event-time logic treats it as late.");
    public static final Option<Duration> INGEST_IDLENESS = Option.duration("ingest.watermark-idleness", "1m",
            Duration.ofMillis(100), "A source split without records for this long stops holding back the watermark.");

    // customer stage
    public static final Option<Integer> CUSTOMER_WINDOW_SIZE = Option.integer("customer.window-size", 30, 1, 1000,
            "Distinct recent items kept per customer; the oldest leaves when a new one arrives.");
    public static final Option<WeightCombine> CUSTOMER_WEIGHT_COMBINE = Option.choice("customer.weight-combine",
            WeightCombine.MAX, WeightCombine.class,
            "How events on the same item combine: max (strongest signal; negative weights subtract) or sum (capped).");
    public static final Option<Double> CUSTOMER_WEIGHT_CAP = Option.number("customer.weight-cap", 10, 0.001, 1e6,
            "Upper bound of a customer's weight for one item.");
    public static final Option<Double> WEIGHT_VIEW = weight("view", 1);
    public static final Option<Double> WEIGHT_CLICK = weight("click", 1.5);
    public static final Option<Double> WEIGHT_ADD_TO_CART = weight("add_to_cart", 3);
    public static final Option<Double> WEIGHT_REMOVE_FROM_CART = weight("remove_from_cart", -2);
    public static final Option<Double> WEIGHT_WISHLIST = weight("wishlist", 2);
    public static final Option<Double> WEIGHT_SEARCH = weight("search", 0);
    public static final Option<Double> WEIGHT_PURCHASE = weight("purchase", 5);
    public static final Option<Integer> CUSTOMER_MAX_BASKET_LINES = Option.integer("customer.max-basket-lines", 50, 1,
            1000, "Basket lines kept per customer; beyond it the oldest line is dropped.");
    public static final Option<Integer> CUSTOMER_MAX_PURCHASED = Option.integer("customer.max-purchased-items", 50, 0,
            1000, "Recently bought items remembered per customer (excluded from suggestions).");
    public static final Option<Integer> CUSTOMER_DEDUP_IDS = Option.integer("customer.dedup-event-ids", 32, 0, 1024,
            "Recent event ids remembered per customer; a repeat of one is dropped as a duplicate.");
    public static final Option<Duration> CUSTOMER_STATE_TTL = Option.duration("customer.state-ttl", "30d",
            Duration.ofSeconds(1), "A customer not seen for this long (processing time) is forgotten.");
    public static final Option<Duration> CUSTOMER_ANONYMOUS_TTL = Option.duration("customer.anonymous-ttl", "1d",
            Duration.ofSeconds(1), "An anonymous session (no customer known for its key) not seen for this long"
                    + " (processing time) is forgotten: its state in the customer stage and the identity resolver, its"
                    + " list (a tombstone on suggestions) and its experiment attribution. What it added to the item-item"
                    + " sums stays, as with customer.state-ttl. Without it every anonymous session would be kept as long"
                    + " as a customer; at most customer.state-ttl (a longer value acts as customer.state-ttl).");

    /** How long an idle anonymous session is kept: {@link #CUSTOMER_ANONYMOUS_TTL}, at most {@link #CUSTOMER_STATE_TTL}. */
    public static Duration anonymousTtl(NextbestConfig c) {
        Duration anonymous = c.get(CUSTOMER_ANONYMOUS_TTL);
        Duration all = c.get(CUSTOMER_STATE_TTL);
        return anonymous.compareTo(all) < 0 ? anonymous : all;
    }
    public static final Option<Double> TIER_MID = Option.number("customer.value-tier.mid", 100, 0, 1e12,
            "Monetary value (net order value) from which a customer is in the mid tier; any value above 0 is low.");
    public static final Option<Double> TIER_HIGH = Option.number("customer.value-tier.high", 1000, 0, 1e12,
            "Monetary value from which a customer is in the high tier.");
    public static final Option<Integer> LIFECYCLE_ACTIVE = Option.integer("customer.lifecycle.active-orders", 2, 1,
            1_000_000, "Orders from which a customer is 'active' (1 order: 'new'; none: 'prospect').");
    public static final Option<Integer> LIFECYCLE_LOYAL = Option.integer("customer.lifecycle.loyal-orders", 5, 1,
            1_000_000, "Orders from which a customer is 'loyal'.");

    // identity
    public static final Option<Integer> IDENTITY_SESSION_HISTORY = Option.integer("identity.session-history", 50, 0,
            1000, "Recent anonymous interactions (with an item) remembered per session; when an 'identify' event names"
                    + " the session's customer, these are replayed into the customer's state and the session's own state"
                    + " is dropped. 0: nothing is merged; the session's later events still go to the customer.");

    // trending
    public static final Option<Duration> TRENDING_HALF_LIFE = Option.duration("trending.half-life", "1h",
            Duration.ofSeconds(1), "Half-life of the decayed interaction counts behind trending items (event time).");
    public static final Option<Integer> TRENDING_BOARD_SIZE = Option.integer("trending.board-size", 1000, 10,
            1_000_000, "Items the trending leader board tracks; the list it publishes is cut from these.");
    public static final Option<Integer> TRENDING_TOP_N = Option.integer("trending.top-n", 100, 1, 10_000,
            "Items in each published trending list.");
    public static final Option<Duration> TRENDING_PUBLISH_INTERVAL = Option.duration("trending.publish-interval",
            "1s", Duration.ZERO, "How often a changed trending list is broadcast to the customer stage's"
                    + " replicas; also how long the trending combiners (chained to decoding) sum each item's weight"
                    + " before sending it to the trending counters (and before every checkpoint barrier). 0: every"
                    + " change at once (replays and tests; in a job each event then sends a record to the board).");
    public static final Option<Integer> TRENDING_PER_FEATURE_SIZE = Option.integer("trending.per-feature-size", 20, 1,
            1000, "Items in the trending list of each category level and brand (content candidates for items nobody"
                    + " has co-viewed yet); the board keeps exactly these per feature and publishes a feature's list"
                    + " when it changed, at most once per trending.publish-interval.");
    public static final Option<Duration> TRENDING_FEATURE_PUBLISH_INTERVAL = Option.duration(
            "trending.feature-publish-interval", "10s", Duration.ZERO, "At most this often the changed per-feature"
                    + " trending lists are broadcast to every customer-stage instance (each publication sends every changed"
                    + " feature's list, so this bounds that traffic); checked on the trending.publish-interval timer.");
    public static final Option<Integer> TRENDING_MAX_FEATURES = Option.integer("trending.max-features", 100_000, 0,
            10_000_000, "Most features (category levels and brands) with a trending list; beyond it a new feature gets"
                    + " none (metric featureBoardsRefused). A feature's board takes about 35 bytes of heap per item"
                    + " besides the item ids, and is written into every checkpoint. 0: no per-feature trending.");

    // similarity (item stage)
    public static final Option<Integer> SIMILARITY_WINDOW_SIZE = Option.integer("similarity.window-size", 10, 1, 1000,
            "The customer's most recent distinct items (the newest of customer.window-size) that count for item–item"
                    + " similarity. The cap on very active customers: a weight change costs at most 2·(n−1) pair updates.");
    public static final Option<Duration> SIMILARITY_HALF_LIFE = Option.durationOrOff("similarity.half-life", "7d",
            "Half-life of interaction weights in the similarity (event time, forward decay; off: no decay). Keep it"
                    + " long against window turnover; weights are exact only within about 400 half-lives of similarity.landmark.");
    public static final Option<java.time.Instant> SIMILARITY_LANDMARK = Option.instant("similarity.landmark",
            "2026-01-01T00:00:00Z", "Landmark of the forward decay: a weight counts as r·2^((t − landmark)/half-life)."
                    + " Event times further than 400 half-lives from it are clamped; move it (with fresh state) before then.");
    public static final Option<Integer> SIMILARITY_MAX_CANDIDATES = Option.integer("similarity.max-candidates", 50, 0,
            100_000, "Neighbour candidates kept per item (the cap on ubiquitous items); when full, the pair with the"
                    + " smallest dot product goes. 0: unlimited (exact, unbounded).");
    public static final Option<Integer> SIMILARITY_NEIGHBOURS = Option.integer("similarity.neighbours", 20, 1, 10_000,
            "Top neighbours (by cosine) of an item: in its item-neighbours list and as candidates per anchor of a list."
                    + " With ranking.others-only the lists hold similarity.window-size more, so that leaving out a"
                    + " customer's own evidence still leaves this many.");
    public static final Option<Duration> SIMILARITY_PUBLISH_INTERVAL = Option.duration("similarity.publish-interval",
            "1s", Duration.ZERO, "An item whose co-occurrences or norm changed publishes its neighbour list"
                    + " (item-neighbours, read back into every ranker's index) at most this often, the newest list"
                    + " winning; also before every checkpoint barrier. With similarity.flush-interval, the bound on how"
                    + " stale the index a list is ranked from can be. 0: at every change.");
    public static final Option<Duration> SIMILARITY_FLUSH_INTERVAL = Option.duration("similarity.flush-interval",
            "200ms", Duration.ZERO, "Pair updates are summed per item pair for this long before they go to the item"
                    + " stage (also flushed before every checkpoint barrier); 0 sends each event's updates at once.");

    // ranking
    public static final Option<Integer> RANKING_LIST_SIZE = Option.integer("ranking.list-size", 10, 1, 100,
            "Items per suggestions list.");
    public static final Option<Boolean> RANKING_EXCLUDE_BASKET = Option.bool("ranking.exclude-basket", true,
            "Leave out items the customer has in the basket.");
    public static final Option<Boolean> RANKING_EXCLUDE_PURCHASED = Option.bool("ranking.exclude-purchased", true,
            "Leave out items the customer has recently bought.");
    public static final Option<Integer> RANKING_ANCHORS = Option.integer("ranking.anchors", 5, 0, 100,
            "Items of the customer's window asked for neighbours on each request: the strongest by weight × recency."
                    + " 0: trending only.");
    public static final Option<Boolean> RANKING_OTHERS_ONLY = Option.bool("ranking.others-only", false,
            "true: neighbours count other customers' evidence only (the asking customer's own products are left out"
                    + " of the cosine), for discovery placements. false: plain cosine; the customer's own recent items also"
                    + " come back as each other's neighbours, which favours re-visits ('continue shopping').");
    public static final Option<Duration> RANKING_ANCHOR_HALF_LIFE = Option.duration("ranking.anchor-half-life", "1h",
            Duration.ofSeconds(1), "Recency half-life (event time) when choosing and weighting anchors: an item seen"
                    + " one half-life before the request counts half.");
    public static final Option<Integer> RANKING_REASONS_PER_ITEM = Option.integer("ranking.reasons-per-item", 1, 1, 16,
            "Collaborative reasons ('viewed together with X') listed per item, strongest first.");
    public static final Option<Duration> RANKING_REPLICA_WAIT = Option.duration("ranking.replica-wait", "60s",
            Duration.ZERO, "After a start (first start, restore, rescale) the customer stage holds events back until its"
                    + " replicas have re-read catalog and item-neighbours up to where those topics ended at the start,"
                    + " so that lists and content profiles come from the replicas the job had; at most this long"
                    + " (metric replica.caughtUp). 0: do not wait.");
    public static final Option<Double> RANKING_MIN_REASON_SHARE = Option.number("ranking.min-reason-share", 0.05, 0, 1,
            "A signal (collaborative, content, trending) is listed among an item's reasons when it gave at least this"
                    + " share of the item's score; the strongest always is. Rule boosts are always listed. 0: every signal"
                    + " that gave anything.");
    public static final Option<String> RANKING_DEFAULT_PLACEMENT = Option.nonEmpty("ranking.default-placement",
            "default", "Placement of a list when the triggering event names none.");

    public static final Option<Double> RANKING_WEIGHT_COLLABORATIVE = Option.number("ranking.weight.collaborative", 1,
            0, 1000, "Weight of the collaborative signal in the hybrid score (its Σ a·cos, scaled so the list's best is 1).");
    public static final Option<Double> RANKING_WEIGHT_CONTENT = Option.number("ranking.weight.content", 0.5, 0, 1000,
            "Weight of the content signal in the hybrid score (cosine of the customer's content profile and the item's"
                    + " features, 0..1).");
    public static final Option<Double> RANKING_WEIGHT_TRENDING = Option.number("ranking.weight.trending", 0.1, 0, 1000,
            "Weight of the trending signal in the hybrid score (the item's decayed popularity relative to the most"
                    + " trending item, 0..1).");
    public static final Option<Double> RANKING_WEIGHT_CLICK_THROUGH = Option.number("ranking.weight.click-through", 0, 0,
            1000, "Weight of the click-through signal: an item's clicks per impression on the list's placement, smoothed"
                    + " (clicks / (impressions + ranking.click-through-prior)) and relative to the best candidate's, 0..1."
                    + " It re-orders candidates of the other signals. 0: off.");
    public static final Option<Integer> RANKING_CLICK_THROUGH_PRIOR = Option.integer("ranking.click-through-prior", 100,
            0, 1_000_000, "Impressions the click-through rate is shrunk with towards 0: an item shown a few times does not"
                    + " rank on a lucky click.");
    public static final Option<Double> RANKING_CATEGORY_OVERFLOW = Option.number("ranking.category-overflow", 0.8, 0,
            1, "How soft ranking.max-per-category is: a candidate past its category's limit takes the next slot as soon"
                    + " as its score times this beats the best candidate within the limit. 0: only when those ran out"
                    + " (a hard limit); 1: no limit.");
    public static final Option<Integer> RANKING_MAX_PER_CATEGORY = Option.integer("ranking.max-per-category", 5, 0,
            100, "Diversity: at most this many items of one category (full path) per list while other categories'"
                    + " candidates last; then the capped-out ones follow, best first, rather than leave the list short."
                    + " 0: no limit.");

    // catalog
    public static final Option<Boolean> CATALOG_REQUIRE_ENTRY = Option.bool("catalog.require-entry", false,
            "true: only items with a catalog record are suggested. false: items the catalog has never named may be"
                    + " suggested too (deleted and out-of-stock items never are).");

    // content
    public static final Option<Boolean> CONTENT_ENABLED = Option.bool("content.enabled", true,
            "Content-based ranking: customer profiles over item features (category levels, brand, price band, tags),"
                    + " content scores and content candidates. false: no profiles, no content scores or content candidates (the catalog replica still serves eligibility and facts).");
    public static final Option<Duration> CONTENT_HALF_LIFE = Option.duration("content.half-life", "3d",
            Duration.ofMinutes(1), "Half-life of a customer's content profile (event time).");
    public static final Option<Integer> CONTENT_PROFILE_SIZE = Option.integer("content.profile-size", 24, 1, 256,
            "Features kept per content profile; when full, the weakest goes.");
    public static final Option<Integer> CONTENT_CANDIDATE_FEATURES = Option.integer("content.candidate-features", 3, 0,
            32, "The profile's strongest category and brand features whose trending items become candidates (items"
                    + " nobody has co-viewed yet can be suggested this way); 0: content only re-scores other candidates.");

    // exploration
    public static final Option<Double> EXPLORATION_SHARE = Option.number("exploration.share", 0.1, 0, 1,
            "Share of each list's slots given to items few shoppers have been shown (marked 'explore'), rounded to"
                    + " the nearest slot (half up), at least one in a list of two or more when above 0; 0: no exploration."
                    + " The picks are pseudo-random, the same for a customer all day (UTC).");
    public static final Option<Integer> EXPLORATION_MAX_IMPRESSIONS = Option.integer("exploration.max-impressions", 100,
            1, 1_000_000_000, "Impressions (feedback of type impression, each counted) after which an item is no longer"
                    + " explored. Lowering it warms items at their next impression; raising it does not cool warm ones.");

    // experiments: attribution and the experiment-metrics topic (docs/experiments.md)
    public static final Option<Duration> EXPERIMENTS_ATTRIBUTION_WINDOW = Option.duration(
            "experiments.attribution-window", "30m", Duration.ofSeconds(1),
            "Feedback without a suggestionSequence, add-to-carts and orders are attributed to the subject's last list"
                    + " made at most this long before them (event time) that showed the item.");
    public static final Option<Duration> EXPERIMENTS_METRICS_WINDOW = Option.duration(
            "experiments.metrics-window", "1h", Duration.ofSeconds(1),
            "Event-time window of the experiment-metrics records: each arm's counts are kept and published per window.");
    public static final Option<Duration> EXPERIMENTS_METRICS_FLUSH = Option.duration(
            "experiments.metrics-flush", "10s", Duration.ofMillis(10),
            "How often (processing time) the windows that changed are published to experiment-metrics.");
    public static final Option<Integer> EXPERIMENTS_RECENT_LISTS = Option.integer("experiments.recent-lists", 16, 1,
            1000, "Lists of experiments remembered per customer for attribution (the newest; older ones attribute nothing).");

    // next best action (docs/decisioning.md)
    public enum PropensitySegment { LIFECYCLE, TIER, NONE }

    /** How discretionary actions are chosen. */
    public enum ActionStrategy {
        /** P drawn from the Beta posterior: explores in proportion to the chance of being best. */
        THOMPSON("thompson"),
        /** P the posterior's upper quantile ({@code actions.ucb-quantile}): optimism under uncertainty. */
        UCB("ucb"),
        /** P the posterior mean: no exploration beyond the prior. */
        GREEDY("greedy"),
        /** The eligible discretionary action of the highest priority, always (a baseline). */
        FIXED_PRIORITY("fixed_priority"),
        /** An eligible discretionary action at random, always (a baseline). */
        RANDOM("random"),
        /** No discretionary action at all: the control group of an experiment on the decisioning. */
        NONE("none");

        public static final java.util.Map<String, ActionStrategy> BY_WIRE =
                io.nextbest.schemas.messages.Wire.index(values(), ActionStrategy::wire);
        private final String wire;

        ActionStrategy(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public static final Option<ActionStrategy> ACTIONS_STRATEGY = Option.choice(
            "actions.strategy", ActionStrategy.THOMPSON, ActionStrategy.class,
            "How a discretionary action is chosen: thompson (P drawn from each action's Beta posterior: new actions get"
                    + " tried), ucb (P the posterior's actions.ucb-quantile), greedy (P the posterior mean), fixed-priority"
                    + " or random (baselines that always act), none (no discretionary action; an experiment's control)."
                    + " An arm of an experiment on placement actions.placement may set it.");
    public static final Option<Double> ACTIONS_PRIOR_SUCCESSES = Option.number("actions.prior.successes", 1, 0.001, 1e6,
            "Pseudo-successes of the Beta prior of every propensity (with actions.prior.failures: prior mean 0.1).");
    public static final Option<Double> ACTIONS_PRIOR_FAILURES = Option.number("actions.prior.failures", 9, 0.001, 1e6,
            "Pseudo-failures of the Beta prior of every propensity.");
    public static final Option<Double> ACTIONS_UCB_QUANTILE = Option.number("actions.ucb-quantile", 0.95, 0.5, 0.9999,
            "The posterior quantile the ucb strategy takes as P.");
    public static final Option<Double> ACTIONS_CONTACT_COST = Option.number("actions.contact-cost", 0.1, 0, 1e9,
            "The cost C of one contact, for actions whose cost names no contact cost (in the currency of their value).");
    public static final Option<Duration> ACTIONS_RESPONSE_WINDOW = Option.duration("actions.response-window", "7d",
            Duration.ofMinutes(1), "A discretionary action succeeded when the customer accepts it (feedback"
                    + " action_accepted) or orders within this time after the decision; else it failed.");
    public static final Option<Integer> ACTIONS_MAX_PER_CUSTOMER = Option.integer("actions.max-per-customer", 32, 1,
            1000, "Open proposals, remembered action times, tracks and decisions awaiting a response kept per"
                    + " customer (each; the oldest go first).");
    public static final Option<Boolean> ACTIONS_DECIDE_ON_VIEWS = Option.bool("actions.decide-on-views", false,
            "Also decide on views and clicks (not only on basket changes, orders, customer events, proposals and timers).");
    public static final Option<String> ACTIONS_PLACEMENT = Option.nonEmpty("actions.placement", "next-best-action",
            "The placement name an experiment on the decisioning covers (its arms may set actions.strategy; a control"
                    + " arm of strategy none gets no discretionary actions).");
    public static final Option<PropensitySegment> ACTIONS_PROPENSITY_SEGMENT = Option.choice(
            "actions.propensity-segment", PropensitySegment.LIFECYCLE, PropensitySegment.class,
            "Propensities are learned per action and this segment of the customer: lifecycle (prospect, new, active,"
                    + " loyal), tier (value tier) or none (one per action).");
    public static final Option<Duration> ACTIONS_PUBLISH_INTERVAL = Option.duration("actions.publish-interval", "5s",
            Duration.ZERO, "The propensity learner publishes an action's changed counts to the customer stage at most"
                    + " this often (0: on every change).");

    public static final Option<Duration> FEEDBACK_DISMISS_FOR = Option.durationOrOff("feedback.dismiss-for", "7d",
            "A suggested item the customer dismissed (feedback of type dismiss) is not suggested to that customer again"
                    + " for this long (event time). off: dismissals change nothing.");
    public static final Option<Duration> FEEDBACK_CLICK_THROUGH_PUBLISH_INTERVAL = Option.duration(
            "feedback.click-through-publish-interval", "10s", Duration.ofMillis(10),
            "How often, at most, an item's impressions and clicks per placement reach the rankers (click-through signal).");
    public static final Option<Integer> FEEDBACK_MAX_DISMISSED = Option.integer("feedback.max-dismissed", 50, 1, 10_000,
            "Dismissed items remembered per customer; a further dismissal forgets the oldest.");

    // abandoned-basket triggers and contact rules
    public static final Option<Boolean> TRIGGER_ENABLED = Option.bool("trigger.enabled", true,
            "Fire abandoned-basket triggers (basket-triggers, trigger-decisions). Off: baskets are still kept for ranking.");
    public static final Option<Duration> TRIGGER_IDLE_TIME = Option.duration("trigger.idle-time", "30m",
            Duration.ofMillis(1), "A known customer's basket left unchanged this long (event time) with items in it and"
                    + " no order since fires a trigger, which the contact rules then send, defer or suppress.");
    public static final Option<Boolean> TRIGGER_WALL_CLOCK = Option.bool("trigger.wall-clock-fallback", true,
            "Also fire when trigger.idle-time has passed on the wall clock since the basket change was processed, so"
                    + " that triggers go out when traffic (and with it event time) stops; it decides only if the watermark"
                    + " has not moved since (else it waits another idle time). The decision is made as of the event time"
                    + " due, so it is the same whichever timer fires. Off: event time only (replays that must not depend"
                    + " on how fast they run).");
    public static final Option<List<io.nextbest.schemas.messages.ContactChannel>> TRIGGER_CHANNELS = Option.parsed(
            "trigger.channels", "email,push,sms", "Channels a trigger may use, in order of preference: the first one the"
                    + " customer consented to is chosen (consent events on 'customers'). None: suppressed (no_consent).",
            Settings::channels);
    public static final Option<Double> TRIGGER_HOLDOUT_SHARE = Option.number("trigger.holdout-share", 0, 0, 0.5,
            "Share of customers held out of abandoned-basket reminders, to measure their uplift: a trigger the contact"
                    + " rules would send to a customer of the holdout group (a sticky hash of the customer id) is recorded"
                    + " in trigger-decisions as held_out (reason holdout) and not sent. 0: no holdout.");
    public static final Option<Double> TRIGGER_MIN_BASKET_VALUE = Option.number("trigger.min-basket-value", 10, 0, 1e12,
            "Baskets worth less (sum of quantity × last seen unit price; lines without a price count 0) are suppressed"
                    + " (below_min_value). 0: no minimum.");
    public static final Option<String> TRIGGER_CURRENCY = Option.parsed("trigger.currency", "EUR",
            "ISO 4217 currency of basket values (interactions carry prices, not currencies).", s -> {
                if (!s.matches("[A-Z]{3}")) {
                    throw new IllegalArgumentException("expected an ISO 4217 code like EUR");
                }
                return s;
            });
    public static final Option<Integer> TRIGGER_CAP_COUNT = Option.integer("trigger.cap.count", 1, 0, 1000,
            "At most this many abandoned-basket triggers per customer within trigger.cap.window (cap_per_type); 0: none.");
    public static final Option<Duration> TRIGGER_CAP_WINDOW = Option.duration("trigger.cap.window", "24h",
            Duration.ofMinutes(1), "The window of trigger.cap.count, trailing from the decision's event time.");
    public static final Option<Integer> CONTACT_CAP_COUNT = Option.integer("contact.cap.count", 3, 0, 1000,
            "At most this many contacts of any kind per customer within contact.cap.window (cap_total); 0: none.");
    public static final Option<Duration> CONTACT_CAP_WINDOW = Option.duration("contact.cap.window", "7d",
            Duration.ofMinutes(1), "The window of contact.cap.count, trailing from the decision's event time.");
    public static final Option<int[]> CONTACT_QUIET_HOURS = Option.parsed("contact.quiet-hours", "21:00-08:00",
            "Local time of day (customer's time zone) in which no one is contacted, from-to (to exclusive; may wrap"
                    + " midnight); a trigger due then is deferred to the end (quiet_hours) and checked again there; a basket change or order in the meantime replaces or cancels it. off: none.",
            Settings::quietHours);
    public static final Option<String> CONTACT_DEFAULT_TIME_ZONE = Option.parsed("contact.default-time-zone", "UTC",
            "Time zone of customers whose events named none (customers.timeZone), for quiet hours.", s -> {
                try {
                    return java.time.ZoneId.of(s).getId();
                } catch (java.time.DateTimeException e) {
                    throw new IllegalArgumentException("expected an IANA time zone like Europe/Berlin");
                }
            });
    public static final Option<Integer> TRIGGER_DISCOUNT_ONLY_ORDERS = Option.integer(
            "trigger.suppress.discount-only-orders", 3, 0, 1_000_000, "Suppress triggers (discount_only) for customers"
                    + " with at least this many orders, every one of them with a discounted line (unitPrice below"
                    + " listPrice): they wait for a sale, a reminder at full price only costs contact budget. 0: off.");
    public static final Option<Integer> TRIGGER_SUGGESTIONS = Option.integer("trigger.suggestions", 4, 0, 100,
            "Complementary items (neighbours of the basket items, ranked like a list) carried by a trigger.");
    public static final Option<Integer> TRIGGER_RECURRING_MEMORY = Option.integer("trigger.recurring-memory", 32, 0,
            1000, "Items of earlier abandoned baskets remembered per customer (as 64-bit hashes), to mark basket lines"
                    + " that recur (lines[].recurring).");
    public static final Option<String> TRIGGER_TRANSACTIONAL_ID_PREFIX = Option.nonEmpty(
            "trigger.transactional-id-prefix", "nextbest-triggers", "Kafka transactional.id prefix of the exactly-once"
                    + " basket-triggers sink; unique per job on a Kafka cluster, unchanged across restarts and upgrades.");
    /** How the exactly-once sink names its Kafka transactions (Flink's {@code TransactionNamingStrategy}). */
    public enum TransactionNaming { POOLING, INCREMENTING }

    public static final Option<TransactionNaming> TRIGGER_TRANSACTION_NAMING = Option.choice(
            "trigger.transaction-naming", TransactionNaming.POOLING, TransactionNaming.class, "How the exactly-once"
                    + " basket-triggers sink names its transactions: pooling (reuses a few transactional producers and"
                    + " ids instead of creating a producer per checkpoint; needs the broker's ListTransactions, Kafka"
                    + " 3.0+, and DESCRIBE on the transactional ids where ACLs are on) or incrementing (a new id per"
                    + " checkpoint). Either way the connector calls initTransactions for each checkpoint's transaction,"
                    + " on the writer's own thread.");

    // --- the serving service (bin/nextbest serve); the job ignores these
    public static final Option<Integer> SERVING_PORT = Option.integer("serving.port", 8090, 0, 65_535,
            "HTTP port of the serving service (API, health, metrics); 0: any free port.");
    public static final Option<String> SERVING_ADVERTISED_HOST = Option.nonEmpty("serving.advertised-host", "localhost",
            "Host name other replicas of the service reach this one at (with serving.port): reads of a customer whose"
                    + " list another replica holds are forwarded there.");
    public static final Option<String> SERVING_APPLICATION_ID = Option.nonEmpty("serving.application-id",
            "nextbest-serving", "Kafka Streams application id: the replicas of one service share it and split the"
                    + " customers' lists among them.");
    public static final Option<String> SERVING_STATE_DIR = Option.string("serving.state-dir", "",
            "Directory of the service's local stores (rebuilt from the topics when empty); empty: a temporary directory.");
    public static final Option<String> SERVING_API_KEYS = Option.string("serving.api-keys", "",
            "Comma-separated API keys accepted by the write endpoints (header X-Api-Key); empty: writes are refused."
                    + " Never logged or shown.");
    public static final Option<Integer> SERVING_MAX_BODY_BYTES = Option.integer("serving.max-body-bytes", 65_536, 256,
            16 * 1024 * 1024, "Largest request body accepted; a larger one gets 413.");
    public static final Option<String> SERVING_CORS_ORIGIN = Option.string("serving.cors-origin", "",
            "The shop's origin (e.g. https://shop.example.com) allowed to call the API from a browser (CORS);"
                    + " '*': any origin; empty: no CORS headers.");
    public static final Option<Integer> SERVING_RATE_LIMIT = Option.integer("serving.rate-limit", 200, 0, 1_000_000,
            "Write requests per second allowed per API key; beyond it 429. 0: no limit.");
    public static final Option<Boolean> SERVING_PUBLIC_READS = Option.bool("serving.public-reads", true,
            "Reads (GET /v1/…: suggestions, similar items, the catalog, trigger decisions) answer without an API key;"
                    + " false: they need one of serving.api-keys, as writes do, and count against its serving.rate-limit.");
    public static final Option<Boolean> SERVING_STOREFRONT = Option.bool("serving.storefront", false,
            "Serve the demo storefront page at / (plain HTML and JS calling this API; bin/nextbest demo switches it"
                    + " on). Off in a deployment, where the shop's own pages call the API.");
    public static final Option<Integer> SERVING_ROCKSDB_MEMORY_MB = Option.integer("serving.rocksdb-memory-mb", 256, 0,
            1_048_576, "Off-heap memory (MB) all of a replica's RocksDB stores share: one block cache with the memtables"
                    + " charged to it (a quarter at most), whatever the number of partitions the replica holds. Reads of"
                    + " lists not in the cache go to the local disk. 0: Kafka Streams' defaults (a 50 MB cache and three"
                    + " 16 MB memtables per store instance, growing with the partitions held).");
    public static final Option<Integer> SERVING_READY_MAX_LAG = Option.integer("serving.ready-max-lag", 0, 0,
            Integer.MAX_VALUE, "GET /health answers 200 once every local store is at most this many records behind the"
                    + " end its topic had when the replica took the partition on (503 before); a partition caught up"
                    + " once stays so while it is local (live lag: nextbest_serving_store_lag_records).");

    public static final List<Option<?>> ALL = List.of(
            KAFKA_BOOTSTRAP, KAFKA_TOPIC_PREFIX, KAFKA_GROUP_ID, KAFKA_STARTING_OFFSETS, KAFKA_SUGGESTIONS_LINGER,
            JOB_NAME, JOB_PARALLELISM, JOB_MAX_PARALLELISM, JOB_CHECKPOINT_INTERVAL, JOB_CHECKPOINT_DIR,
            JOB_STATE_BACKEND, JOB_TIMER_SERVICE, JOB_INCREMENTAL_CHECKPOINTS, JOB_CHANGELOG_ENABLED,
            JOB_CHANGELOG_MATERIALIZE_INTERVAL, JOB_CHANGELOG_DIR, JOB_BUFFER_TIMEOUT, JOB_SIDE_BUFFER_TIMEOUT,
            JOB_PARALLELISM_INGEST, JOB_PARALLELISM_CUSTOMER, JOB_PARALLELISM_ITEM,
            JOB_PARALLELISM_SINKS, JOB_SLOT_SHARING, JOB_CHECKPOINT_TIMEOUT, JOB_CHECKPOINT_MIN_PAUSE,
            JOB_CHECKPOINT_TOLERABLE_FAILURES, JOB_ROCKSDB_PROFILE, JOB_ROCKSDB_LOCAL_DIR, JOB_ROCKSDB_MANAGED_MEMORY, JOB_ROCKSDB_NATIVE_METRICS,
            INGEST_MAX_RECORD_BYTES, INGEST_MAX_FUTURE_SKEW, INGEST_MAX_EVENT_AGE, INGEST_OUT_OF_ORDERNESS,
            INGEST_IDLENESS,
            CUSTOMER_WINDOW_SIZE, CUSTOMER_WEIGHT_COMBINE, CUSTOMER_WEIGHT_CAP,
            WEIGHT_VIEW, WEIGHT_CLICK, WEIGHT_ADD_TO_CART, WEIGHT_REMOVE_FROM_CART, WEIGHT_WISHLIST, WEIGHT_SEARCH,
            WEIGHT_PURCHASE, CUSTOMER_MAX_BASKET_LINES, CUSTOMER_MAX_PURCHASED, CUSTOMER_DEDUP_IDS,
            CUSTOMER_STATE_TTL, CUSTOMER_ANONYMOUS_TTL, TIER_MID, TIER_HIGH, LIFECYCLE_ACTIVE, LIFECYCLE_LOYAL,
            IDENTITY_SESSION_HISTORY,
            TRENDING_HALF_LIFE, TRENDING_BOARD_SIZE, TRENDING_TOP_N, TRENDING_PUBLISH_INTERVAL,
            TRENDING_PER_FEATURE_SIZE, TRENDING_MAX_FEATURES, TRENDING_FEATURE_PUBLISH_INTERVAL,
            SIMILARITY_WINDOW_SIZE, SIMILARITY_HALF_LIFE, SIMILARITY_LANDMARK, SIMILARITY_MAX_CANDIDATES,
            SIMILARITY_NEIGHBOURS, SIMILARITY_PUBLISH_INTERVAL, SIMILARITY_FLUSH_INTERVAL,
            RANKING_LIST_SIZE, RANKING_EXCLUDE_BASKET, RANKING_EXCLUDE_PURCHASED, RANKING_DEFAULT_PLACEMENT,
            RANKING_ANCHORS, RANKING_OTHERS_ONLY, RANKING_ANCHOR_HALF_LIFE, RANKING_REASONS_PER_ITEM, RANKING_MIN_REASON_SHARE,
            RANKING_REPLICA_WAIT,
            RANKING_WEIGHT_COLLABORATIVE, RANKING_WEIGHT_CONTENT, RANKING_WEIGHT_TRENDING, RANKING_MAX_PER_CATEGORY,
            RANKING_CATEGORY_OVERFLOW, RANKING_WEIGHT_CLICK_THROUGH, RANKING_CLICK_THROUGH_PRIOR,
            CATALOG_REQUIRE_ENTRY,
            CONTENT_ENABLED, CONTENT_HALF_LIFE, CONTENT_PROFILE_SIZE, CONTENT_CANDIDATE_FEATURES,
            EXPLORATION_SHARE, EXPLORATION_MAX_IMPRESSIONS,
            EXPERIMENTS_ATTRIBUTION_WINDOW, EXPERIMENTS_METRICS_WINDOW, EXPERIMENTS_METRICS_FLUSH, EXPERIMENTS_RECENT_LISTS,
            FEEDBACK_DISMISS_FOR, FEEDBACK_MAX_DISMISSED, FEEDBACK_CLICK_THROUGH_PUBLISH_INTERVAL,
            ACTIONS_STRATEGY, ACTIONS_PRIOR_SUCCESSES, ACTIONS_PRIOR_FAILURES, ACTIONS_UCB_QUANTILE, ACTIONS_CONTACT_COST,
            ACTIONS_RESPONSE_WINDOW, ACTIONS_MAX_PER_CUSTOMER, ACTIONS_DECIDE_ON_VIEWS, ACTIONS_PLACEMENT,
            ACTIONS_PROPENSITY_SEGMENT, ACTIONS_PUBLISH_INTERVAL,
            TRIGGER_ENABLED, TRIGGER_IDLE_TIME, TRIGGER_WALL_CLOCK, TRIGGER_CHANNELS, TRIGGER_HOLDOUT_SHARE, TRIGGER_MIN_BASKET_VALUE,
            TRIGGER_CURRENCY, TRIGGER_CAP_COUNT, TRIGGER_CAP_WINDOW, TRIGGER_DISCOUNT_ONLY_ORDERS, TRIGGER_SUGGESTIONS,
            TRIGGER_RECURRING_MEMORY, TRIGGER_TRANSACTIONAL_ID_PREFIX, TRIGGER_TRANSACTION_NAMING,
            CONTACT_CAP_COUNT, CONTACT_CAP_WINDOW, CONTACT_QUIET_HOURS, CONTACT_DEFAULT_TIME_ZONE,
            SERVING_PORT, SERVING_ADVERTISED_HOST, SERVING_APPLICATION_ID, SERVING_STATE_DIR, SERVING_API_KEYS,
            SERVING_MAX_BODY_BYTES, SERVING_CORS_ORIGIN, SERVING_RATE_LIMIT, SERVING_READY_MAX_LAG,
            SERVING_PUBLIC_READS, SERVING_STOREFRONT, SERVING_ROCKSDB_MEMORY_MB);

    /** "email,push" → the channels, in that order, no repeats. */
    static List<io.nextbest.schemas.messages.ContactChannel> channels(String s) {
        List<io.nextbest.schemas.messages.ContactChannel> out = new java.util.ArrayList<>();
        for (String part : s.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            io.nextbest.schemas.messages.ContactChannel c = io.nextbest.schemas.messages.ContactChannel.BY_WIRE.get(name);
            if (c == null) {
                throw new IllegalArgumentException("unknown channel '" + name + "', expected email, sms, push or web");
            }
            if (out.contains(c)) {
                throw new IllegalArgumentException("channel '" + name + "' named twice");
            }
            out.add(c);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("expected at least one channel");
        }
        return List.copyOf(out);
    }

    /** "21:00-08:00" → {from, to} in minutes of the day; "off" → null. */
    static int[] quietHours(String s) {
        if (s.equalsIgnoreCase("off") || s.equalsIgnoreCase("false")) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})$").matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected from-to like 21:00-08:00, or off");
        }
        int from = minutes(m.group(1), m.group(2));
        int to = minutes(m.group(3), m.group(4));
        if (from == to) {
            throw new IllegalArgumentException("from and to are equal; use off for no quiet hours");
        }
        return new int[] {from, to};
    }

    private static int minutes(String h, String m) {
        int hours = Integer.parseInt(h);
        int mins = Integer.parseInt(m);
        if (hours > 23 || mins > 59) {
            throw new IllegalArgumentException("no such time of day: " + h + ":" + m);
        }
        return hours * 60 + mins;
    }

    private static Option<Double> weight(String event, double def) {
        return Option.number("customer.weights." + event, def, -1e6, 1e6,
                "Interaction weight of a '" + event + "' event (negative: weakens the item).");
    }
}
