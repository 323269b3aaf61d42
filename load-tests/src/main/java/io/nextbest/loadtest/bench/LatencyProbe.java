package io.nextbest.loadtest.bench;

import io.nextbest.loadtest.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import io.nextbest.loadtest.report.LatencyStats;
import io.nextbest.loadtest.report.Throughput;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Measures, for each sent event, the time until the output it triggered is readable on the output
 * topic (matched by {@code triggerEventId}). Two latencies per event:
 * <ul>
 *   <li><b>from append</b>: from the broker's append time of the input record (the input topics use
 *       {@code LogAppendTime}) to the moment the probe's consumer reads the output;
 *   <li><b>from schedule</b>: from the time the open-loop schedule said the event was due — this one
 *       is corrected for coordinated omission: a stalled producer or broker adds its delay.
 * </ul>
 * Also counts events in and outputs out per second, for throughput over time.
 */
final class LatencyProbe implements AutoCloseable {
    private static final long MAX_MICROS = Duration.ofMinutes(10).toNanos() / 1000;
    private static final int MAX_SECONDS = 4 * 3600;
    private static final FieldScan TRIGGER = FieldScan.of("triggerEventId");

    /** One event in flight; completed by the send callback and the output read, in either order. */
    private static final class Pending {
        final long scheduledMicros;
        long appendMicros;
        long readMicros;

        Pending(long scheduledMicros) {
            this.scheduledMicros = scheduledMicros;
        }
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    // completed on the reader thread or on the producer's callback thread: two writers
    private final LatencyStats fromAppend = LatencyStats.concurrentWriters();
    private final LatencyStats fromSchedule = LatencyStats.concurrentWriters();
    private final Throughput throughput = new Throughput(Duration.ofSeconds(MAX_SECONDS));
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong unmatchedOutputs = new AtomicLong();
    private final AtomicLong outputs = new AtomicLong();
    private final AtomicLong outputBytes = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread reader;

    LatencyProbe(String bootstrapServers, String outputTopic) {
        Properties p = KafkaClients.consumer(bootstrapServers, "latency-probe", "latest");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(outputTopic));
        // make sure the subscription is assigned before anything is sent
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        reader = new Thread(() -> read(consumer), "latency-probe");
        reader.setDaemon(true);
        reader.start();
    }

    /** Before sending: an event that will trigger an output. */
    void expect(String eventId, long scheduledMicros) {
        pending.put(eventId, new Pending(scheduledMicros));
    }

    /** Every record sent (with or without an expected output), for throughput in. */
    void sent() {
        sent.incrementAndGet();
        throughput.recordIn();
    }

    /** The broker acknowledged an expected event; {@code appendMillis} is its LogAppendTime. */
    void appended(String eventId, long appendMillis) {
        Pending p = pending.get(eventId);
        if (p == null) {
            return;
        }
        synchronized (p) {
            p.appendMicros = appendMillis * 1000;
            if (p.readMicros != 0) {
                complete(eventId, p);
            }
        }
    }

    private void read(KafkaConsumer<byte[], byte[]> consumer) {
        try (consumer) {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    if (r.value() == null) {
                        continue; // a tombstone: an erased customer's or an expired session's list leaving, no list
                    }
                    long now = Micros.now();
                    throughput.recordOut();
                    outputs.incrementAndGet();
                    outputBytes.addAndGet(r.serializedValueSize());
                    String id = TRIGGER.find(r.value());
                    Pending p = id == null ? null : pending.get(id);
                    if (p == null) {
                        unmatchedOutputs.incrementAndGet();
                        continue;
                    }
                    synchronized (p) {
                        if (p.readMicros == 0) {
                            p.readMicros = now;
                            if (p.appendMicros != 0) {
                                complete(id, p);
                            }
                        }
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void complete(String id, Pending p) {
        pending.remove(id);
        matched.incrementAndGet();
        fromAppend.record(clamp(p.readMicros - p.appendMicros));
        fromSchedule.record(clamp(p.readMicros - p.scheduledMicros));
    }

    /** Latencies recorded since the last call (from append, from schedule): interval histograms. */
    Histogram[] interval() {
        return new Histogram[] {fromAppend.takeInterval(), fromSchedule.takeInterval()};
    }

    long sentCount() {
        return sent.get();
    }

    long matchedCount() {
        return matched.get();
    }

    /** Expected outputs not seen yet: the backlog behind the job. */
    long outstanding() {
        return pending.size();
    }

    /** Mean size of an output record's value, as written (before compression), over everything read. */
    double bytesPerOutput() {
        long n = outputs.get();
        return n == 0 ? 0 : (double) outputBytes.get() / n;
    }

    long unmatchedOutputs() {
        return unmatchedOutputs.get();
    }

    /** Events in and outputs out per second since the probe started. */
    Throughput throughput() {
        return throughput;
    }

    private static long clamp(long micros) {
        return Math.max(0, Math.min(MAX_MICROS, micros));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        reader.join(5000);
    }
}
