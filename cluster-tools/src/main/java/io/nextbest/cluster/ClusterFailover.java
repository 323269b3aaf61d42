package io.nextbest.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.generator.CatalogFeed;
import io.nextbest.generator.InputEvent;
import io.nextbest.generator.SyntheticCatalog;
import io.nextbest.generator.Workload;
import io.nextbest.generator.Workloads;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka side of bin/cluster-failover: generated shoppers in, the job's outputs watched, then the
 * verdict and the report. Runs on the job jar's own classes (message records, codecs, kafka-clients,
 * Jackson), like StandaloneCheck.
 *
 * <pre>
 *   drive --bootstrap HOST:PORT --dir CONTROL_DIR --report REPORT_DIR --rest URL --job JOB_ID [options]
 * </pre>
 *
 * <p>The load: shoppers arrive at a steady rate, each a short deterministic script (seeded by
 * {@code --seed} and the shopper's number): a consent (most of them), views and clicks, one or two
 * items added to the cart with a price, then an order soon after (well within trigger.idle-time) or
 * nothing more (an abandoned basket). Event times are the planned send times (current wall-clock
 * time), so what the job must decide is known from the script alone: every shopper with consent who
 * abandoned gets exactly one sent trigger, every one without consent one no_consent suppression, a
 * buyer nothing. The script talks to bin/cluster-failover through files in CONTROL_DIR: it writes
 * {@code status.json} every second; {@code stop} (written by the script) ends the load: no new
 * shoppers, the started ones finish, then "ticker" events on every input partition for
 * {@code --tick-seconds} move event time past every due trigger (the job runs with
 * trigger.wall-clock-fallback off, so decisions depend on event time only). Then it waits for the
 * outputs to settle, reads basket-triggers (read_committed and read_uncommitted), trigger-decisions
 * and dead-letter from the beginning, takes the kills the script observed from {@code kills.jsonl}
 * and the cluster facts from {@code run.json}, checks everything and writes report.json and
 * report.md. Exit code 0 when every check passed.
 */
public final class ClusterFailover {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String INTERACTIONS = Topics.INTERACTIONS.name();
    private static final String TRANSACTIONS = Topics.TRANSACTIONS.name();
    private static final String CUSTOMERS = Topics.CUSTOMERS.name();
    private static final int ITEMS = 400;

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("drive")) {
            System.err.println("usage: ClusterFailover drive --bootstrap B --dir D --report R --rest URL --job ID [options]");
            System.exit(2);
        }
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option VALUE at " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        System.exit(new ClusterFailover(o).drive());
    }

    // --- options ---------------------------------------------------------------------------------
    private final String bootstrap;
    private final Path dir;
    private final Path reportDir;
    private final String rest;
    private final String jobId;
    private final double rate;
    private final long seed;
    private final double consentShare;
    private final double orderShare;
    private final long bucketMs;
    private final long maxGapMs;
    private final long maxRecoveryMs;
    private final int minTriggers;
    private final int expectedKills;
    private final long drainTimeoutMs;
    private final long finishBy;
    private final long quietMs;
    private final long tickMs;
    private final String runId;

    private ClusterFailover(Map<String, String> o) {
        bootstrap = required(o, "bootstrap");
        dir = Path.of(required(o, "dir"));
        reportDir = Path.of(required(o, "report"));
        rest = required(o, "rest");
        jobId = required(o, "job");
        rate = Double.parseDouble(o.getOrDefault("rate", "100"));
        seed = Long.parseLong(o.getOrDefault("seed", "7"));
        consentShare = Double.parseDouble(o.getOrDefault("consent-share", "0.75"));
        orderShare = Double.parseDouble(o.getOrDefault("order-share", "0.35"));
        bucketMs = 1000L * Long.parseLong(o.getOrDefault("bucket", "5"));
        maxGapMs = 1000L * Long.parseLong(o.getOrDefault("max-gap", "60"));
        maxRecoveryMs = 1000L * Long.parseLong(o.getOrDefault("max-recovery", "90"));
        minTriggers = Integer.parseInt(o.getOrDefault("min-triggers", "20"));
        expectedKills = Integer.parseInt(o.getOrDefault("kills", "3"));
        drainTimeoutMs = 1000L * Long.parseLong(o.getOrDefault("drain-timeout", "90"));
        finishBy = Long.parseLong(o.getOrDefault("finish-by", Long.toString(Long.MAX_VALUE)));
        quietMs = 1000L * Long.parseLong(o.getOrDefault("quiet", "6"));
        tickMs = 1000L * Long.parseLong(o.getOrDefault("tick-seconds", "12"));
        runId = o.getOrDefault("run-id", "cf" + Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36));
        shop = Workloads.load().get("demo").with(Map.of("items", Integer.toString(ITEMS), "seed", Long.toString(seed)));
        catalog = SyntheticCatalog.of(shop);
    }

    /** The shop of the synthetic generator's {@code demo} workload: its catalog is sent first, scripts pick from it. */
    private final Workload shop;
    private final SyntheticCatalog catalog;

    private static String required(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    // --- what was sent (written by the generator thread; read after it has ended) ----------------
    /** One generated shopper: what its script sent, as acknowledged by the broker. */
    private static final class Shopper {
        final String id;
        boolean consent;
        final Map<String, Double> basket = new LinkedHashMap<>(); // item -> unit price (quantity in qty)
        final Map<String, Integer> qty = new HashMap<>();
        boolean ordered;
        boolean failedSend; // some event of it was not acknowledged: left out of the expectation

        Shopper(String id) {
            this.id = id;
        }

        boolean abandoned() {
            return !basket.isEmpty() && !ordered;
        }
    }

    private final List<Shopper> shoppers = new ArrayList<>();
    /** Ranked events (interactions, orders) sent: event id -> event time (ms); each must get a list. */
    private final Map<String, Long> rankedEvents = new HashMap<>();
    private final AtomicLong eventsSent = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong shoppersStarted = new AtomicLong();
    private final TreeMap<Long, long[]> sentPerBucket = new TreeMap<>(); // bucket -> {events}
    private volatile boolean stopping;
    private volatile boolean started;
    private volatile boolean generatorDone;
    private volatile long loadStartMs;
    private volatile long loadStopMs;
    private volatile long lastEventTimeMs;

    // --- what came out (owned by the watcher thread) -------------------------------------------------
    private record ListSeen(long recordTs, long receivedAt, long eventTime, String triggerEventId) {}

    private record Seen(long recordTs, long receivedAt, JsonNode value) {}

    private final List<ListSeen> lists = new ArrayList<>();
    private final Set<String> eventsWithList = new HashSet<>();
    private final List<Seen> triggersSeen = new ArrayList<>();
    private final Map<String, Seen> decisionsSeen = new LinkedHashMap<>(); // decisionId -> first copy
    private long decisionCopies;
    private volatile long lastOutputAt;
    private volatile boolean drained;
    private volatile String watcherError;
    /** The brokers as the admin client saw them last ({@link #watchBrokers}); null until the first answer. */
    private volatile ObjectNode brokerView;

    private int drive() throws Exception {
        Files.createDirectories(reportDir);
        loadStartMs = System.currentTimeMillis();
        Thread generator = new Thread(this::generate, "generator");
        Thread watcher = new Thread(this::watch, "watcher");
        Thread brokers = new Thread(this::watchBrokers, "brokers");
        brokers.setDaemon(true);
        generator.start();
        watcher.start();
        brokers.start();
        Path stopFile = dir.resolve("stop");
        while (!Files.exists(stopFile) && generator.isAlive()) {
            Thread.sleep(200);
        }
        stopping = true;
        loadStopMs = System.currentTimeMillis();
        say("stop: no new shoppers; the started ones finish, then %d s of ticker events", tickMs / 1000);
        generator.join();
        generatorDone = true;
        say("load ended: %d events (%d shoppers), %d unacknowledged; waiting for the outputs to settle",
                eventsSent.get(), shoppersStarted.get(), sendFailures.get());
        watcher.join(drainTimeoutMs + 30_000);
        if (watcher.isAlive()) {
            watcher.interrupt();
            watcher.join(10_000);
        }
        if (watcherError != null) {
            say("the output watcher failed: %s", watcherError);
        }
        return analyse();
    }

    // --- the generator -----------------------------------------------------------------------------
    private record Planned(long at, long seq, String topic, Integer partition, byte[] key, byte[] value, Shopper shopper,
            Consumer<Shopper> onAck, String rankedId) {}

    private void generate() {
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        double spawnEveryMs = 1000.0 / (rate / meanEventsPerShopper());
        PriorityQueue<Planned> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        long[] seq = {0};
        long start;
        long tickUntil = Long.MAX_VALUE;
        long nextTick = Long.MAX_VALUE; // tickers only once the shoppers are done
        int tickN = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp)) {
            int partitions = producer.partitionsFor(INTERACTIONS).size();
            start = System.currentTimeMillis(); // the producer is connected: the load starts now
            try (CatalogFeed feed = new CatalogFeed(shop, start, 0)) {
                while (feed.hasNext()) {
                    InputEvent item = feed.next();
                    producer.send(new ProducerRecord<>(item.topic(), bytes(item.key()), item.value())).get();
                }
            }
            loadStartMs = start;
            started = true;
            for (int k = 0; ; ) {
                long now = System.currentTimeMillis();
                if (!stopping) {
                    for (; start + (long) (k * spawnEveryMs) <= now; k++) {
                        plan(k, start + (long) (k * spawnEveryMs), queue, seq);
                    }
                } else if (queue.isEmpty() && tickUntil == Long.MAX_VALUE) {
                    tickUntil = now + tickMs; // the shoppers are done: tickers move event time past every due trigger
                    nextTick = now;
                }
                if (now >= nextTick && now < tickUntil) {
                    planTicks(tickN++, now, partitions, queue, seq);
                    nextTick = now + 200;
                }
                while (!queue.isEmpty() && queue.peek().at <= now) {
                    send(producer, queue.poll());
                }
                if (stopping && queue.isEmpty() && now >= tickUntil) {
                    break;
                }
                long next = queue.isEmpty() ? now + 5 : Math.min(queue.peek().at, now + 5);
                Thread.sleep(Math.max(1, next - now));
            }
            producer.flush();
        } catch (Exception e) {
            say("generator failed: %s", e);
            sendFailures.incrementAndGet();
        }
    }

    private double meanEventsPerShopper() {
        // consent + views/clicks (2..5) + adds (1..2) + order or, half the time, one more view
        return consentShare + 3.5 + 1.5 + orderShare + (1 - orderShare) * 0.5;
    }

    /** Shopper k's whole script, starting at {@code t0}. */
    private void plan(int k, long t0, PriorityQueue<Planned> queue, long[] seq) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + k);
        Shopper s = new Shopper(runId + "-c" + k);
        synchronized (shoppers) {
            shoppers.add(s);
        }
        shoppersStarted.incrementAndGet();
        Channel channel = r.nextBoolean() ? Channel.WEB : Channel.APP;
        long t = t0;
        int e = 0;
        if (r.nextDouble() < consentShare) {
            CustomerEvent c = new CustomerEvent(s.id + "-e" + e++, CustomerEventType.CONSENT, s.id, Instant.ofEpochMilli(t),
                    null, ContactChannel.EMAIL, true, null);
            queue.add(new Planned(t, seq[0]++, CUSTOMERS, null, bytes(s.id), Topics.CUSTOMERS.codec().encode(c), s,
                    x -> x.consent = true, null));
            t += 200 + r.nextInt(300);
        }
        int views = 2 + r.nextInt(4);
        for (int i = 0; i < views; i++) {
            String item = item(r);
            t += 300 + r.nextInt(600);
            queue.add(interaction(s, s.id + "-e" + e++, r.nextDouble() < 0.8 ? InteractionType.VIEW : InteractionType.CLICK,
                    item, t, channel, null, null, seq, null));
        }
        int adds = 1 + r.nextInt(2);
        Set<String> chosen = new LinkedHashSet<>();
        while (chosen.size() < adds) {
            chosen.add(item(r));
        }
        List<OrderLine> lines = new ArrayList<>();
        for (String item : chosen) {
            t += 300 + r.nextInt(600);
            int q = 1 + r.nextInt(2);
            double price = price(item);
            lines.add(new OrderLine(item, q, price));
            queue.add(interaction(s, s.id + "-e" + e++, InteractionType.ADD_TO_CART, item, t, channel, q, price, seq,
                    x -> {
                        x.basket.put(item, price);
                        x.qty.put(item, q);
                    }));
        }
        if (r.nextDouble() < orderShare) {
            t += 500 + r.nextInt(1000); // well before trigger.idle-time (3 s) after the last basket change
            double total = lines.stream().mapToDouble(l -> l.quantity() * l.unitPrice()).sum();
            String id = s.id + "-e" + e;
            Transaction o = new Transaction(id, TransactionType.ORDER, s.id + "-o", s.id, Instant.ofEpochMilli(t),
                    List.copyOf(lines), Math.round(total * 100) / 100.0, "EUR", channel);
            queue.add(new Planned(t, seq[0]++, TRANSACTIONS, null, bytes(s.id), Topics.TRANSACTIONS.codec().encode(o), s,
                    x -> x.ordered = true, id));
        } else if (r.nextBoolean()) {
            t += 500 + r.nextInt(1000);
            queue.add(interaction(s, s.id + "-e" + e, InteractionType.VIEW, item(r), t, channel, null, null, seq, null));
        }
    }

    /**
     * Ticker events after the shoppers: a view, a consent and an order of a fresh customer on every
     * partition of the three inputs, so that the watermark of every input moves on and passes the due
     * time of the last abandoned basket. Tickers never put anything in a basket: no triggers of their own.
     */
    private void planTicks(int n, long t, int partitions, PriorityQueue<Planned> queue, long[] seq) {
        for (int p = 0; p < partitions; p++) {
            String c = runId + "-tick" + n + "-" + p;
            queue.add(new Planned(t, seq[0]++, INTERACTIONS, p, bytes(c), Topics.INTERACTIONS.codec().encode(new Interaction(
                    c + "-v", InteractionType.VIEW, c, null, item(new SplittableRandom(n)), null, Instant.ofEpochMilli(t), Channel.WEB,
                    null, null, null)), null, null, c + "-v"));
            queue.add(new Planned(t, seq[0]++, CUSTOMERS, p, bytes(c), Topics.CUSTOMERS.codec().encode(new CustomerEvent(
                    c + "-c", CustomerEventType.CONSENT, c, Instant.ofEpochMilli(t), null, ContactChannel.EMAIL, true, null)),
                    null, null, null));
            queue.add(new Planned(t, seq[0]++, TRANSACTIONS, p, bytes(c), Topics.TRANSACTIONS.codec().encode(new Transaction(
                    c + "-o", TransactionType.ORDER, c + "-o", c, Instant.ofEpochMilli(t), List.of(new OrderLine(catalog.itemId(0), 1,
                    price(catalog.itemId(0)))), price(catalog.itemId(0)), "EUR", Channel.WEB)), null, null, c + "-o"));
        }
    }

    private Planned interaction(Shopper s, String id, InteractionType type, String item, long t, Channel channel,
            Integer quantity, Double price, long[] seq, Consumer<Shopper> onAck) {
        Interaction i = new Interaction(id, type, s.id, null, item, null, Instant.ofEpochMilli(t), channel, null, quantity, price);
        return new Planned(t, seq[0]++, INTERACTIONS, null, bytes(s.id), Topics.INTERACTIONS.codec().encode(i), s, onAck, id);
    }

    /** The generator catalog's Zipf popularity, so that items share customers and have neighbours. */
    private String item(SplittableRandom r) {
        return catalog.itemId(catalog.sample(r));
    }

    private double price(String item) {
        return catalog.price(catalog.indexOf(item));
    }

    private void send(KafkaProducer<byte[], byte[]> producer, Planned p) {
        if (p.rankedId != null) {
            synchronized (rankedEvents) {
                rankedEvents.put(p.rankedId, p.at);
            }
        }
        lastEventTimeMs = Math.max(lastEventTimeMs, p.at);
        producer.send(new ProducerRecord<>(p.topic, p.partition, p.key, p.value), (md, ex) -> {
            if (ex != null) {
                sendFailures.incrementAndGet();
                if (p.shopper != null) {
                    synchronized (shoppers) {
                        p.shopper.failedSend = true;
                    }
                }
                return;
            }
            eventsSent.incrementAndGet();
            synchronized (sentPerBucket) {
                sentPerBucket.computeIfAbsent(bucket(System.currentTimeMillis()), b -> new long[1])[0]++;
            }
            if (p.onAck != null) {
                synchronized (shoppers) {
                    p.onAck.accept(p.shopper);
                }
            }
        });
    }

    // --- the watcher: suggestions, basket-triggers (read_committed), trigger-decisions ---------------
    private void watch() {
        Properties cp = consumerProps("read_committed");
        long lastStatus = 0;
        long lastProgress = System.currentTimeMillis();
        long drainStart = 0;
        long drainLimit = drainTimeoutMs;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp)) {
            List<TopicPartition> parts = partitions(consumer, Topics.SUGGESTIONS.name(), Topics.BASKET_TRIGGERS.name(),
                    Topics.TRIGGER_DECISIONS.name());
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (!Thread.currentThread().isInterrupted()) {
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    lastOutputAt = now;
                    if (r.value() == null) {
                        continue; // an erasure's tombstone (the failover's workload erases no one)
                    }
                    JsonNode v = JSON.readTree(r.value());
                    if (r.topic().equals(Topics.SUGGESTIONS.name())) {
                        String trigger = v.path("triggerEventId").asText();
                        lists.add(new ListSeen(r.timestamp(), now, Instant.parse(v.path("eventTime").asText()).toEpochMilli(), trigger));
                        eventsWithList.add(trigger);
                    } else if (r.topic().equals(Topics.BASKET_TRIGGERS.name())) {
                        triggersSeen.add(new Seen(r.timestamp(), now, v));
                    } else {
                        decisionCopies++;
                        decisionsSeen.putIfAbsent(v.path("decisionId").asText(), new Seen(r.timestamp(), now, v));
                    }
                }
                if (now - lastStatus >= 1000) {
                    writeStatus(now);
                    lastStatus = now;
                }
                if (now - lastProgress >= 10_000) {
                    lastProgress = now;
                    say("%s: %d events sent, %d lists, %d trigger decisions (%d sent), %d triggers committed",
                            generatorDone ? "draining" : stopping ? "winding down" : "load", eventsSent.get(), lists.size(),
                            decisionsSeen.size(), sentTriggerIds().size(), triggersSeen.size());
                }
                if (generatorDone) {
                    if (drainStart == 0) {
                        drainStart = now;
                        // leave time for the final reads and the report before the script's budget ends
                        drainLimit = Math.max(10_000, Math.min(drainTimeoutMs, finishBy - now - 20_000));
                    }
                    if (now - lastOutputAt >= quietMs && settled()) {
                        drained = true;
                        say("outputs settled %.1f s after the load ended", (now - drainStart) / 1000.0);
                        break;
                    }
                    if (now - drainStart > drainLimit) {
                        say("outputs did not settle within %d s", drainLimit / 1000);
                        break;
                    }
                }
            }
            writeStatus(System.currentTimeMillis());
        } catch (Exception e) {
            watcherError = e.toString();
        }
    }

    /**
     * Every second: the brokers alive, how many partitions (all topics, internal ones too) each leads, and how many
     * partitions are under-replicated (fewer in-sync replicas than replicas) or offline (no leader). The script reads
     * them from status.json: which broker to kill, and when the one it restarted is back in every ISR.
     */
    private void watchBrokers() {
        Properties p = new Properties();
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            while (!generatorDone) {
                try {
                    ObjectNode v = JSON.createObjectNode();
                    v.put("at", System.currentTimeMillis());
                    ArrayNode alive = v.putArray("alive");
                    admin.describeCluster().nodes().get(5, java.util.concurrent.TimeUnit.SECONDS).stream()
                            .map(org.apache.kafka.common.Node::id).sorted().forEach(alive::add);
                    Set<String> names = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                            .names().get(5, java.util.concurrent.TimeUnit.SECONDS);
                    Map<String, org.apache.kafka.clients.admin.TopicDescription> topics = admin.describeTopics(names)
                            .allTopicNames().get(5, java.util.concurrent.TimeUnit.SECONDS);
                    Map<Integer, Integer> leaders = new TreeMap<>();
                    int partitions = 0, underReplicated = 0, offline = 0;
                    for (org.apache.kafka.clients.admin.TopicDescription t : topics.values()) {
                        for (org.apache.kafka.common.TopicPartitionInfo tp : t.partitions()) {
                            partitions++;
                            if (tp.leader() == null || tp.leader().isEmpty()) {
                                offline++;
                            } else {
                                leaders.merge(tp.leader().id(), 1, Integer::sum);
                            }
                            underReplicated += tp.isr().size() < tp.replicas().size() ? 1 : 0;
                        }
                    }
                    ObjectNode led = v.putObject("leaders");
                    leaders.forEach((id, n) -> led.put(Integer.toString(id), n));
                    v.put("partitions", partitions);
                    v.put("underReplicated", underReplicated);
                    v.put("offline", offline);
                    brokerView = v;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // a broker down or an election under way: the last view stands, its "at" shows its age
                }
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every expected decision made and every sent trigger committed (as far as this watcher saw). */
    private boolean settled() {
        Set<String> decided = new HashSet<>();
        for (Seen d : decisionsSeen.values()) {
            decided.add(d.value.path("customerId").asText());
        }
        synchronized (shoppers) {
            for (Shopper s : shoppers) {
                if (!s.failedSend && s.abandoned() && !decided.contains(s.id)) {
                    return false;
                }
            }
        }
        Set<String> committed = new HashSet<>();
        for (Seen t : triggersSeen) {
            committed.add(t.value.path("triggerId").asText());
        }
        return committed.containsAll(sentTriggerIds());
    }

    private Set<String> sentTriggerIds() {
        Set<String> sent = new HashSet<>();
        for (Seen d : decisionsSeen.values()) {
            if (d.value.path("outcome").asText().equals("sent")) {
                sent.add(d.value.path("triggerId").asText());
            }
        }
        return sent;
    }

    private void writeStatus(long now) throws IOException {
        ObjectNode s = JSON.createObjectNode();
        s.put("at", now);
        s.put("phase", drained ? "drained" : generatorDone ? "draining" : stopping ? "winding-down" : started ? "load" : "starting");
        s.put("eventsSent", eventsSent.get());
        s.put("sendFailures", sendFailures.get());
        s.put("shoppers", shoppersStarted.get());
        s.put("lists", lists.size());
        s.put("lastListRecordTs", lists.isEmpty() ? 0 : lists.get(lists.size() - 1).recordTs);
        s.put("lastListEventTime", lists.isEmpty() ? 0 : lists.get(lists.size() - 1).eventTime);
        s.put("decisions", decisionsSeen.size());
        s.put("sentDecisions", sentTriggerIds().size());
        s.put("triggersCommitted", triggersSeen.size());
        s.put("lastTriggerReceivedAt", triggersSeen.isEmpty() ? 0 : triggersSeen.get(triggersSeen.size() - 1).receivedAt);
        ObjectNode b = brokerView;
        if (b != null) {
            s.set("brokers", b);
        }
        Path tmp = dir.resolve("status.json.tmp");
        Files.writeString(tmp, JSON.writeValueAsString(s));
        Files.move(tmp, dir.resolve("status.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // --- the verdict ---------------------------------------------------------------------------------
    private final ArrayNode checks = JSON.createArrayNode();
    private boolean allPassed = true;

    private void check(String name, boolean pass, String detail) {
        ObjectNode c = checks.addObject();
        c.put("check", name);
        c.put("pass", pass);
        c.put("detail", detail);
        allPassed &= pass;
        say("%s %s: %s", pass ? "PASS" : "FAIL", name, detail);
    }

    private int analyse() throws Exception {
        ObjectNode report = JSON.createObjectNode();
        JsonNode runInfo = readJson(dir.resolve("run.json"));
        List<JsonNode> kills = new ArrayList<>();
        if (Files.exists(dir.resolve("kills.jsonl"))) {
            for (String line : Files.readAllLines(dir.resolve("kills.jsonl"))) {
                if (!line.isBlank()) {
                    kills.add(JSON.readTree(line));
                }
            }
        }

        // final reads, from the beginning
        List<ConsumerRecord<byte[], byte[]>> committed = readAll(Topics.BASKET_TRIGGERS.name(), "read_committed");
        List<ConsumerRecord<byte[], byte[]>> uncommitted = readAll(Topics.BASKET_TRIGGERS.name(), "read_uncommitted");
        List<ConsumerRecord<byte[], byte[]>> decisions = readAll(Topics.TRIGGER_DECISIONS.name(), "read_uncommitted");
        List<ConsumerRecord<byte[], byte[]>> deadLetters = readAll(Topics.DEAD_LETTER.name(), "read_uncommitted");

        // decisions: de-duplicated on decisionId (at-least-once topic)
        Map<String, JsonNode> decisionById = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : decisions) {
            decisionById.putIfAbsent(JSON.readTree(r.value()).path("decisionId").asText(), JSON.readTree(r.value()));
        }
        Map<String, JsonNode> sentByTrigger = new LinkedHashMap<>();
        Map<String, List<JsonNode>> finalByCustomer = new HashMap<>();
        Map<String, Long> byOutcome = new TreeMap<>();
        for (JsonNode d : decisionById.values()) {
            String outcome = d.path("outcome").asText() + (d.hasNonNull("reason") ? "/" + d.path("reason").asText() : "");
            byOutcome.merge(outcome, 1L, Long::sum);
            if (d.path("outcome").asText().equals("sent")) {
                sentByTrigger.put(d.path("triggerId").asText(), d);
            }
            if (!d.path("outcome").asText().equals("deferred")) {
                finalByCustomer.computeIfAbsent(d.path("customerId").asText(), c -> new ArrayList<>()).add(d);
            }
        }

        // basket-triggers, read_committed: every record valid, no triggerId twice
        Map<String, BasketTrigger> triggers = new LinkedHashMap<>();
        Map<String, Long> triggerRecordTs = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        int invalid = 0;
        for (ConsumerRecord<byte[], byte[]> r : committed) {
            BasketTrigger t;
            try {
                t = Topics.BASKET_TRIGGERS.codec().decode(r.value());
            } catch (Exception e) {
                invalid++;
                continue;
            }
            if (triggers.putIfAbsent(t.triggerId(), t) != null) {
                duplicates.add(t.triggerId());
            } else {
                triggerRecordTs.put(t.triggerId(), r.timestamp());
            }
        }
        Set<String> uncommittedIds = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : uncommitted) {
            uncommittedIds.add(JSON.readTree(r.value()).path("triggerId").asText());
        }
        long abortedRecords = uncommitted.size() - committed.size();

        // the expectation, from what was sent
        int consentAbandoned = 0, noConsentAbandoned = 0, buyers = 0, excluded = 0;
        List<String> oracleProblems = new ArrayList<>();
        Set<String> expectedTriggerCustomers = new HashSet<>();
        synchronized (shoppers) {
            for (Shopper s : shoppers) {
                if (s.failedSend) {
                    excluded++;
                    continue;
                }
                List<JsonNode> fin = finalByCustomer.getOrDefault(s.id, List.of());
                if (s.abandoned() && s.consent) {
                    consentAbandoned++;
                    expectedTriggerCustomers.add(s.id);
                    if (fin.size() != 1 || !fin.get(0).path("outcome").asText().equals("sent")) {
                        oracleProblems.add(s.id + " (consent, abandoned " + s.basket.keySet() + "): expected one sent decision, got "
                                + outcomes(fin));
                    }
                } else if (s.abandoned()) {
                    noConsentAbandoned++;
                    if (fin.size() != 1 || !fin.get(0).path("reason").asText().equals("no_consent")) {
                        oracleProblems.add(s.id + " (no consent, abandoned): expected one no_consent suppression, got " + outcomes(fin));
                    }
                } else {
                    buyers += s.ordered ? 1 : 0;
                    if (!fin.isEmpty()) {
                        oracleProblems.add(s.id + (s.ordered ? " (ordered)" : " (empty basket)") + ": expected no decision, got "
                                + outcomes(fin));
                    }
                }
            }
        }
        // each trigger against the basket its customer left
        Map<String, Shopper> shopperById = new HashMap<>();
        synchronized (shoppers) {
            shoppers.forEach(s -> shopperById.put(s.id, s));
        }
        int basketMismatches = 0;
        for (BasketTrigger t : triggers.values()) {
            Shopper s = shopperById.get(t.customerId());
            Set<String> lineItems = new TreeSet<>();
            t.lines().forEach(l -> lineItems.add(l.itemId()));
            if (s == null || !expectedTriggerCustomers.contains(s.id)) {
                oracleProblems.add("trigger " + t.triggerId() + " for " + t.customerId() + ", who was not expected to get one");
            } else if (!lineItems.equals(new TreeSet<>(s.basket.keySet()))) {
                basketMismatches++;
                oracleProblems.add("trigger " + t.triggerId() + " lines " + lineItems + " != basket " + s.basket.keySet());
            }
        }

        Set<String> lost = new TreeSet<>(sentByTrigger.keySet());
        lost.removeAll(triggers.keySet());
        Set<String> unexplained = new TreeSet<>(triggers.keySet());
        unexplained.removeAll(sentByTrigger.keySet());

        // triggers by phase: before the first kill, between kills, after the last (by when written)
        long[] killAt = kills.stream().mapToLong(k -> k.path("killMs").asLong()).toArray();
        long[] perPhase = new long[killAt.length + 1];
        for (long ts : triggerRecordTs.values()) {
            int phase = 0;
            while (phase < killAt.length && ts >= killAt[phase]) {
                phase++;
            }
            perPhase[phase]++;
        }

        // kills: recovery and what the script saw at the JobManager
        ArrayNode killRows = JSON.createArrayNode();
        List<String> killProblems = new ArrayList<>();
        long maxListGap = 0;
        for (int i = 0; i < kills.size(); i++) {
            JsonNode k = kills.get(i);
            ObjectNode row = ((ObjectNode) k).deepCopy();
            boolean broker = k.path("kind").asText("taskmanager").equals("broker");
            row.put("kind", broker ? "broker" : "taskmanager");
            long kill = k.path("killMs").asLong();
            // a broker kill need not restart the job (the clients move to the new leaders); lists count from the kill then
            boolean restoredAfterKill = k.path("restoredId").asLong(-1) > 0;
            long restoreTs = broker && !restoredAfterKill ? kill : k.path("restoreTs").asLong();
            long untilNext = i + 1 < kills.size() ? kills.get(i + 1).path("killMs").asLong() : Long.MAX_VALUE;
            row.put("atSeconds", round1((kill - loadStartMs) / 1000.0));
            row.put("restoreAfterMs", restoredAfterKill || !broker ? restoreTs - kill : -1);
            row.put("runningAfterMs", restoredAfterKill || !broker ? k.path("allRunningMs").asLong() - kill : -1);
            row.put("checkpointAfterMs", broker ? -1 : k.path("firstCheckpointAfterRestoreMs").asLong() - kill);
            if (broker) {
                row.put("restartAfterMs", k.path("restartMs").asLong() - kill);
                row.put("listeningAfterMs", k.path("listeningMs").asLong() - kill);
                row.put("inSyncAfterMs", k.path("inSyncMs").asLong() - kill);
            }
            ListSeen lastBefore = null, firstAfterRestore = null, firstFresh = null;
            for (ListSeen l : lists) {
                if (l.recordTs < kill && (lastBefore == null || l.recordTs > lastBefore.recordTs)) {
                    lastBefore = l;
                }
                if (l.recordTs >= restoreTs && l.recordTs < untilNext && (firstAfterRestore == null || l.recordTs < firstAfterRestore.recordTs)) {
                    firstAfterRestore = l;
                }
                if (l.eventTime >= kill && l.recordTs >= restoreTs && l.recordTs < untilNext
                        && (firstFresh == null || l.recordTs < firstFresh.recordTs)) {
                    firstFresh = l;
                }
            }
            row.put("firstListAfterMs", firstAfterRestore == null ? -1 : firstAfterRestore.recordTs - kill);
            row.put("firstFreshListAfterMs", firstFresh == null ? -1 : firstFresh.recordTs - kill);
            long gap = lastBefore == null || firstAfterRestore == null ? -1 : firstAfterRestore.recordTs - lastBefore.recordTs;
            row.put("listGapMs", gap);
            maxListGap = Math.max(maxListGap, gap);
            row.put("triggersWrittenAfter", perPhase[i + 1]);
            killRows.add(row);

            String n = "kill " + (i + 1);
            long restored = k.path("restoredId").asLong(-1);
            long lastBeforeRestore = k.path("lastCompletedBeforeRestoreId").asLong(-1);
            long seenBefore = k.path("cpSeenBeforeKillId").asLong(-1);
            if (!broker && restoreTs < kill) {
                killProblems.add(n + ": no restore after the kill");
            }
            if ((!broker || restoredAfterKill) && (restored < 1 || restored != lastBeforeRestore || restored < seenBefore)) {
                killProblems.add(n + ": restored checkpoint " + restored + ", but the last completed before the restore was "
                        + lastBeforeRestore + " (seen completed before the kill: " + seenBefore + ")");
            }
            if ((!broker || restoredAfterKill) && k.path("allRunningMs").asLong() - kill > maxRecoveryMs) {
                killProblems.add(n + ": all tasks running only " + (k.path("allRunningMs").asLong() - kill) + " ms after the kill");
            }
            if (broker && (k.path("inSyncMs").asLong() < k.path("listeningMs").asLong()
                    || k.path("inSyncMs").asLong() - kill > maxRecoveryMs)) {
                killProblems.add(n + ": every partition in sync again only " + (k.path("inSyncMs").asLong() - kill)
                        + " ms after the kill");
            }
            if (firstFresh == null) {
                killProblems.add(n + ": no list for an event sent after the kill");
            } else if (firstFresh.recordTs - kill > maxGapMs) {
                killProblems.add(n + ": the first list for a new event came " + (firstFresh.recordTs - kill) + " ms after the kill");
            }
        }

        // suggestions: every ranked event got a list; lists in every bucket; gaps
        List<String> missingLists = new ArrayList<>();
        synchronized (rankedEvents) {
            for (String id : rankedEvents.keySet()) {
                if (!eventsWithList.contains(id)) {
                    missingLists.add(id);
                }
            }
        }
        TreeMap<Long, long[]> listBuckets = new TreeMap<>(); // bucket -> {lists written, lists for new events}
        for (ListSeen l : lists) {
            long[] b = listBuckets.computeIfAbsent(bucket(l.recordTs), x -> new long[2]);
            b[0]++;
        }
        long lastBucket = bucket(loadStopMs);
        for (long b = 0; b <= lastBucket; b++) {
            listBuckets.computeIfAbsent(b, x -> new long[2]);
        }
        long emptyBuckets = 0;
        for (Map.Entry<Long, long[]> e : listBuckets.headMap(lastBucket, false).entrySet()) {
            emptyBuckets += e.getKey() > 0 && e.getValue()[0] == 0 ? 1 : 0;
        }
        long maxGapDuringLoad = 0;
        long prev = -1;
        List<Long> sortedTs = lists.stream().map(ListSeen::recordTs).filter(ts -> ts <= loadStopMs).sorted().toList();
        for (long ts : sortedTs) {
            if (prev >= 0) {
                maxGapDuringLoad = Math.max(maxGapDuringLoad, ts - prev);
            }
            prev = ts;
        }
        long lastKill = killAt.length == 0 ? Long.MAX_VALUE : killAt[killAt.length - 1];
        long freshAfterLastKill = lists.stream().filter(l -> l.eventTime >= lastKill).count();

        // the job at the end
        JsonNode job = restGet("/jobs/" + jobId);
        JsonNode exceptions = restGet("/jobs/" + jobId + "/exceptions?maxExceptions=100");
        JsonNode checkpoints = restGet("/jobs/" + jobId + "/checkpoints");
        int failoversTotal = exceptions == null ? -1 : exceptions.path("exceptionHistory").path("entries").size();
        int failoversAtKills = 0;
        for (JsonNode k : kills) {
            failoversAtKills += k.path("failovers").asInt();
        }

        // --- checks
        long brokerKills = kills.stream().filter(k -> k.path("kind").asText().equals("broker")).count();
        check("kills", kills.size() >= expectedKills, kills.size() + " kills (kill -9) under load, " + expectedKills
                + " asked for: " + (kills.size() - brokerKills) + " of a TaskManager, " + brokerKills + " of a Kafka broker");
        List<JsonNode> restores = new ArrayList<>(); // the kills after which the job restored a checkpoint
        for (JsonNode k : killRows) {
            if (k.path("restoredId").asLong(-1) > 0 || !k.path("kind").asText().equals("broker")) {
                restores.add(k);
            }
        }
        check("recovered from the latest checkpoint each time", killProblems.stream().noneMatch(p -> p.contains("restor")),
                restores.stream().map(k -> "kill " + k.path("n").asText() + ": chk " + k.path("restoredId").asText()
                        + " (last completed before the restore: " + k.path("lastCompletedBeforeRestoreId").asText() + ")").toList()
                        + (brokerKills > 0 ? "; broker kills that restarted the job: " + restores.stream().filter(k -> k.path("kind")
                                .asText().equals("broker")).count() + " of " + brokerKills : "") + problems(killProblems, "restor"));
        check("recovery time", killProblems.stream().noneMatch(p -> p.contains("running only") || p.contains("in sync")),
                "all tasks RUNNING again after " + restores.stream().map(k -> k.path("runningAfterMs").asText()).toList() + " ms"
                        + (brokerKills > 0 ? ", every partition in sync again after " + killRows.findValuesAsText("inSyncAfterMs")
                                + " ms (broker kills)" : "") + " (bound " + maxRecoveryMs + " ms)" + problems(killProblems, "in sync"));
        check("job healthy at the end", job != null && job.path("state").asText().equals("RUNNING")
                        && failoversTotal == failoversAtKills,
                "state " + (job == null ? "unknown" : job.path("state").asText()) + ", " + failoversTotal
                        + " failovers in the exception history, " + failoversAtKills + " of them during the kills' recoveries");
        check("basket-triggers: no duplicates", duplicates.isEmpty() && invalid == 0,
                committed.size() + " committed records, " + triggers.size() + " distinct trigger ids, " + duplicates.size()
                        + " duplicates " + first(duplicates) + ", " + invalid + " invalid; " + abortedRecords
                        + " more records read_uncommitted (aborted transactions)");
        check("basket-triggers: no loss", lost.isEmpty() && unexplained.isEmpty(),
                sentByTrigger.size() + " sent decisions, " + lost.size() + " of them not on basket-triggers " + first(lost)
                        + ", " + unexplained.size() + " triggers without a sent decision " + first(unexplained));
        check("every abandoned basket decided once, as the contact rules say", oracleProblems.isEmpty(),
                consentAbandoned + " shoppers with consent abandoned a basket, " + noConsentAbandoned + " without consent, "
                        + buyers + " ordered; " + oracleProblems.size() + " problems " + first(oracleProblems)
                        + (excluded > 0 ? "; " + excluded + " shoppers left out (unacknowledged sends)" : ""));
        boolean eachPhase = true;
        for (long n : perPhase) {
            eachPhase &= n > 0;
        }
        check("triggers throughout the run", triggers.size() >= minTriggers && eachPhase,
                triggers.size() + " triggers (at least " + minTriggers + "); written before the first kill, between kills and after"
                        + " the last: " + java.util.Arrays.toString(perPhase));
        check("every event got a list", missingLists.isEmpty(),
                rankedEvents.size() + " interactions and orders, " + missingLists.size() + " without a list " + first(missingLists));
        check("suggestions keep flowing", maxGapDuringLoad <= maxGapMs && freshAfterLastKill > 0
                        && killProblems.stream().noneMatch(p -> p.contains("list")),
                "longest gap between lists " + maxGapDuringLoad + " ms (bound " + maxGapMs + " ms), " + emptyBuckets + " empty "
                        + bucketMs / 1000 + "-s buckets; first list for a new event after each kill: "
                        + killRows.findValuesAsText("firstFreshListAfterMs") + " ms; " + freshAfterLastKill
                        + " lists for events after the last kill" + problems(killProblems, "list"));
        check("no dead letters", deadLetters.isEmpty(), deadLetters.size() + " records on dead-letter");
        check("outputs settled", drained && watcherError == null && sendFailures.get() == 0,
                (drained ? "settled" : "did not settle") + (watcherError == null ? "" : ", watcher: " + watcherError) + ", "
                        + sendFailures.get() + " unacknowledged sends");

        // --- report
        report.put("verdict", allPassed ? "PASS" : "FAIL");
        report.set("checks", checks);
        report.set("run", runInfo == null ? JSON.createObjectNode() : runInfo);
        ObjectNode load = report.putObject("load");
        load.put("runId", runId);
        load.put("seed", seed);
        load.put("eventsPerSecond", rate);
        load.put("startMs", loadStartMs);
        load.put("stopMs", loadStopMs);
        load.put("seconds", round1((loadStopMs - loadStartMs) / 1000.0));
        load.put("eventsSent", eventsSent.get());
        load.put("shoppers", shoppersStarted.get());
        load.put("consentShare", consentShare);
        load.put("orderShare", orderShare);
        report.set("kills", killRows);
        ObjectNode tr = report.putObject("triggers");
        tr.put("expectedSent", consentAbandoned);
        tr.put("expectedNoConsent", noConsentAbandoned);
        tr.put("buyers", buyers);
        tr.put("decisions", decisionById.size());
        tr.put("decisionCopies", decisions.size());
        tr.put("sentDecisions", sentByTrigger.size());
        tr.put("committedRecords", committed.size());
        tr.put("distinctTriggers", triggers.size());
        tr.put("duplicates", duplicates.size());
        tr.put("lost", lost.size());
        tr.put("withoutSentDecision", unexplained.size());
        tr.put("uncommittedRecords", uncommitted.size());
        tr.put("abortedRecords", abortedRecords);
        tr.put("basketMismatches", basketMismatches);
        ArrayNode phases = tr.putArray("writtenPerPhase");
        for (long n : perPhase) {
            phases.add(n);
        }
        ObjectNode outcomes = tr.putObject("decisionsByOutcome");
        byOutcome.forEach(outcomes::put);
        ObjectNode su = report.putObject("suggestions");
        su.put("lists", lists.size());
        su.put("rankedEvents", rankedEvents.size());
        su.put("eventsWithoutList", missingLists.size());
        su.put("duplicateLists", lists.size() - eventsWithList.size());
        su.put("maxGapDuringLoadMs", maxGapDuringLoad);
        su.put("maxGapAtKillsMs", maxListGap);
        su.put("emptyBuckets", emptyBuckets);
        su.put("freshAfterLastKill", freshAfterLastKill);
        su.put("bucketSeconds", bucketMs / 1000);
        ArrayNode buckets = su.putArray("buckets");
        for (Map.Entry<Long, long[]> e : listBuckets.entrySet()) {
            ObjectNode b = buckets.addObject();
            b.put("fromSeconds", e.getKey() * bucketMs / 1000);
            b.put("lists", e.getValue()[0]);
            long[] sent;
            synchronized (sentPerBucket) {
                sent = sentPerBucket.get(e.getKey());
            }
            b.put("eventsSent", sent == null ? 0 : sent[0]);
            ArrayNode killed = b.putArray("kills");
            for (int i = 0; i < killAt.length; i++) {
                if (bucket(killAt[i]) == e.getKey()) {
                    killed.add(i + 1);
                }
            }
        }
        ObjectNode cluster = report.putObject("job");
        cluster.put("state", job == null ? "unknown" : job.path("state").asText());
        cluster.put("failovers", failoversTotal);
        cluster.put("deadLetters", deadLetters.size());
        if (checkpoints != null) {
            cluster.set("checkpointCounts", checkpoints.path("counts"));
            Map<String, Integer> failed = new TreeMap<>();
            for (JsonNode h : checkpoints.path("history")) {
                if (h.path("status").asText().equals("FAILED")) {
                    String why = h.path("failure_message").asText("unknown");
                    failed.merge(why.length() > 90 ? why.substring(0, 90) + "…" : why, 1, Integer::sum);
                }
            }
            ObjectNode f = cluster.putObject("failedCheckpoints");
            failed.forEach(f::put);
        }
        Files.writeString(reportDir.resolve("report.json"), JSON.writeValueAsString(report));
        Files.writeString(reportDir.resolve("report.md"), markdown(report));
        say("%s: report in %s", allPassed ? "PASS" : "FAIL", reportDir);
        return allPassed ? 0 : 1;
    }

    private String markdown(ObjectNode r) {
        StringBuilder m = new StringBuilder();
        JsonNode run = r.path("run");
        JsonNode load = r.path("load");
        m.append("# Cluster failover test: ").append(r.path("verdict").asText()).append("\n\n");
        m.append("`bin/cluster-failover` ").append(run.path("args").asText()).append(" — ").append(run.path("startedAt").asText())
                .append(", ").append(run.path("machine").asText()).append("\n\n");
        m.append("Kafka ").append(run.path("kafka").asText()).append(run.path("kafkaNodes").asInt(1) > 1
                        ? ": " + run.path("kafkaNodes").asText() + " KRaft nodes (broker + controller each, own JVMs), topics replicated "
                                + run.path("replication").asText() + " times, min.insync.replicas " + run.path("minInsyncReplicas").asText()
                        : " broker (own JVM)").append(", Flink ").append(run.path("flink").asText())
                .append(" standalone: JobManager + 2 TaskManagers (own JVMs, ").append(run.path("slotsPerTaskManager").asText())
                .append(" slots each); the shaded job jar submitted with `flink run`, parallelism ")
                .append(run.path("parallelism").asText()).append(", ").append(run.path("tasks").asText()).append(" tasks, checkpoints every ")
                .append(run.path("checkpointInterval").asText()).append(" (RocksDB, incremental, local dir), restart strategy ")
                .append(run.path("restartStrategy").asText()).append(", heartbeat ").append(run.path("heartbeat").asText())
                .append(". After each kill -9 of a TaskManager the script starts a new one at once (a supervisor's restart); the job ")
                .append("recovers on the surviving one or on both.")
                .append(run.path("kafkaNodes").asInt(1) > 1 ? " A killed broker (the one leading the most partitions) is started"
                        + " again on its own data after a pause; the job's clients move to the new leaders meanwhile." : "")
                .append(" Faults in turn: ").append(run.path("faults").asText("taskmanager")).append(".\n\n");
        m.append("Load: ").append(load.path("eventsSent").asText()).append(" events in ").append(load.path("seconds").asText())
                .append(" s (").append(load.path("eventsPerSecond").asText()).append("/s asked), ").append(load.path("shoppers").asText())
                .append(" shoppers (").append(pct(load.path("consentShare").asDouble())).append(" with consent, ")
                .append(pct(load.path("orderShare").asDouble())).append(" order, the rest abandon the basket); trigger.idle-time ")
                .append(run.path("idleTime").asText()).append(", quiet hours off, no caps, wall-clock fallback off (event time only).\n\n");

        m.append("## Checks\n\n| check | result | detail |\n|---|---|---|\n");
        for (JsonNode c : r.path("checks")) {
            m.append("| ").append(c.path("check").asText()).append(" | ").append(c.path("pass").asBoolean() ? "PASS" : "**FAIL**")
                    .append(" | ").append(c.path("detail").asText().replace("|", "\\|")).append(" |\n");
        }

        m.append("\n## Kills and recovery\n\nTimes in seconds after the kill. *restore*: the JobManager restored the checkpoint; ")
                .append("*running*: every task RUNNING again (latest task start); *checkpoint*: the first checkpoint after the restore ")
                .append("completed; *list*: the first list written after the restore; *fresh list*: the first list for an event sent ")
                .append("after the kill; *gap*: between the last list before the kill and the first after the restore (after the ")
                .append("kill for a broker kill without a job restart); *in sync*: a killed broker, started again, is back in the ")
                .append("in-sync replicas of every partition and none is offline.\n\n");
        m.append("| # | at (s) | killed | last completed before the kill (last ack) | restored | failovers | restore | running | checkpoint | list | fresh list | gap | in sync |\n");
        m.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode k : r.path("kills")) {
            boolean broker = k.path("kind").asText().equals("broker");
            m.append("| ").append(k.path("n").asText()).append(" | ").append(k.path("atSeconds").asText()).append(" | ")
                    .append(broker ? "broker " : "").append(k.path("victim").asText()).append(" (pid ").append(k.path("victimPid").asText())
                    .append(", ").append(broker ? "leader of " + k.path("partitionsLed").asText() + " of " + k.path("partitions").asText()
                            + " partitions, down " + sec(k.path("restartAfterMs")) + " s)"
                            : k.path("victimSlots").asText() + " of the job's " + k.path("jobSlots").asText() + " slots)")
                    .append(" | chk ")
                    .append(k.path("lastCompletedAtKillId").asText()).append(" (")
                    .append(k.path("lastCompletedAtKillMs").asLong() - k.path("killMs").asLong()).append(" ms)")
                    .append(" | ").append(k.path("restoredId").asLong(-1) > 0 ? "chk " + k.path("restoredId").asText() : "none")
                    .append(k.path("restoredId").asLong(-1) > 0 && k.path("restoredId").asLong() != k.path("lastCompletedAtKillId").asLong()
                            ? " (its last ack " + (k.path("restoredAckMs").asLong() - k.path("killMs").asLong()) + " ms after the kill)" : "")
                    .append(" | ").append(k.path("failovers").asText())
                    .append(" | ").append(sec(k.path("restoreAfterMs"))).append(" | ").append(sec(k.path("runningAfterMs")))
                    .append(" | ").append(sec(k.path("checkpointAfterMs"))).append(" | ").append(sec(k.path("firstListAfterMs")))
                    .append(" | ").append(sec(k.path("firstFreshListAfterMs"))).append(" | ").append(sec(k.path("listGapMs")))
                    .append(" | ").append(broker ? sec(k.path("inSyncAfterMs")) : "").append(" |\n");
        }
        m.append("\nA checkpoint counts as completed at its last acknowledgement (`latest_ack_timestamp` in the REST API); ")
                .append("the restored checkpoint must be the newest one completed before the restore.\n\nFailover causes: ");
        for (JsonNode k : r.path("kills")) {
            m.append("kill ").append(k.path("n").asText()).append(": ").append(k.path("exceptions").toString()).append("; ");
        }
        m.append("\n\n## basket-triggers and trigger-decisions\n\n");
        JsonNode t = r.path("triggers");
        m.append("| figure | value |\n|---|---|\n");
        t.fields().forEachRemaining(e -> {
            if (!e.getValue().isContainerNode()) {
                m.append("| ").append(e.getKey()).append(" | ").append(e.getValue().asText()).append(" |\n");
            }
        });
        m.append("| written before the first kill, between kills, after the last | ").append(t.path("writtenPerPhase")).append(" |\n");
        m.append("| decisions by outcome | ").append(t.path("decisionsByOutcome")).append(" |\n");

        JsonNode s = r.path("suggestions");
        m.append("\n## Suggestions per ").append(s.path("bucketSeconds").asText()).append(" s\n\n")
                .append(s.path("lists").asText()).append(" lists for ").append(s.path("rankedEvents").asText())
                .append(" interactions and orders (").append(s.path("duplicateLists").asText())
                .append(" repeated after restores: at-least-once), ").append(s.path("eventsWithoutList").asText())
                .append(" events without a list; longest gap during the load ").append(sec(s.path("maxGapDuringLoadMs"))).append(" s.\n\n");
        m.append("| from (s) | events sent | lists written | |\n|---|---|---|---|\n");
        for (JsonNode b : s.path("buckets")) {
            m.append("| ").append(b.path("fromSeconds").asText()).append(" | ").append(b.path("eventsSent").asText()).append(" | ")
                    .append(b.path("lists").asText()).append(" | ")
                    .append(b.path("kills").isEmpty() ? "" : "kill " + b.path("kills").toString().replaceAll("[\\[\\]]", ""))
                    .append(" |\n");
        }
        JsonNode j = r.path("job");
        m.append("\n## The job and the cluster\n\nAt the end: ").append(j.path("state").asText()).append(", ")
                .append(j.path("failovers").asText()).append(" failovers, checkpoints ").append(j.path("checkpointCounts").toString())
                .append(", ").append(j.path("deadLetters").asText()).append(" dead letters. Failed checkpoints in the history, by reason: ")
                .append(j.path("failedCheckpoints").toString())
                .append(" (the `failed` count also holds trigger attempts declined while not every task was running,")
                .append(" which never start and are not in the history)").append(".\n\nSetup (s): ").append(run.path("setup").toString())
                .append(". ERROR lines in the JobManager and TaskManager logs (at the end of the load), by logger: ")
                .append(run.path("errorLines").toString()).append("; of them ").append(run.path("fencedRecoveryCommits").asText())
                .append(" KafkaCommitter \"Unable to commit transaction … because its producer is already fenced\" on recovery")
                .append(" (see the no-loss check).\n\nLogs: ").append(run.path("logs").asText()).append("\n");
        return m.toString();
    }

    // --- helpers -------------------------------------------------------------------------------------
    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, String isolation) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps(isolation))) {
            List<TopicPartition> parts = partitions(c, topic);
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts); // read_committed: the last stable offset
            long deadline = System.currentTimeMillis() + 30_000;
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private Properties consumerProps(String isolation) {
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return cp;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c, String... topics) {
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
        }
        return parts;
    }

    private JsonNode restGet(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rest + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static JsonNode readJson(Path p) {
        try {
            return Files.exists(p) ? JSON.readTree(p.toFile()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private long bucket(long ts) {
        return Math.max(0, (ts - loadStartMs) / bucketMs);
    }

    private static String outcomes(List<JsonNode> decisions) {
        return decisions.isEmpty() ? "none" : decisions.stream()
                .map(d -> d.path("outcome").asText() + (d.hasNonNull("reason") ? "/" + d.path("reason").asText() : "")).toList().toString();
    }

    private static String first(Iterable<String> items) {
        List<String> l = new ArrayList<>();
        for (String s : items) {
            if (l.size() == 3) {
                l.add("…");
                break;
            }
            l.add(s);
        }
        return l.isEmpty() ? "" : l.toString();
    }

    private static String problems(List<String> all, String about) {
        List<String> l = all.stream().filter(p -> p.contains(about)).toList();
        return l.isEmpty() ? "" : "; " + String.join("; ", l);
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String sec(JsonNode ms) {
        return ms.asLong(-1) < 0 ? "—" : String.format(Locale.ROOT, "%.1f", ms.asLong() / 1000.0);
    }

    private static String pct(double share) {
        return Math.round(share * 100) + "%";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[driver %s] %s%n", Instant.now().toString().substring(11, 19), String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
