package io.nextbest.loadtest.bench;

import io.nextbest.loadtest.EventSource;
import io.nextbest.loadtest.InputEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends events at a fixed offered rate on an open-loop schedule: event i is due at
 * start + i/rate whether or not the system kept up, and its latency is measured from that due time,
 * so queueing anywhere shows up as latency (no coordinated omission).
 */
final class OpenLoopDriver implements AutoCloseable {
    private static final int REMEMBERED_IDS = 200_000;

    private final KafkaProducer<byte[], byte[]> producer;
    private final Function<String, String> topicName;
    /** Recently expected event ids: a repeated record must not be expected twice. */
    private final Map<String, Boolean> recent = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    };

    OpenLoopDriver(String bootstrapServers, Function<String, String> topicName) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(p);
        this.topicName = topicName;
    }

    /** What one step of sending achieved. */
    record Sent(long events, double seconds) {
        double rate() {
            return events / seconds;
        }
    }

    /**
     * Sends from {@code source} at {@code rate} for {@code length}; expected outputs are
     * registered with the probe (when {@code job} says the event triggers one).
     */
    Sent run(EventSource source, double rate, Duration length, JobUnderTest job, LatencyProbe probe)
            throws InterruptedException {
        return run(source, rate, length, job, probe, () -> {});
    }

    /**
     * As {@link #run(EventSource, double, Duration, JobUnderTest, LatencyProbe)}, calling
     * {@code everySecond} once per second of the schedule (for interval measurements). One schedule
     * covers the whole length: a late event does not shift the ones after it.
     */
    Sent run(EventSource source, double rate, Duration length, JobUnderTest job, LatencyProbe probe,
            Runnable everySecond) throws InterruptedException {
        long startNanos = System.nanoTime();
        long nextTick = startNanos + 1_000_000_000L;
        long startMicros = Micros.now();
        long endNanos = startNanos + length.toNanos();
        double nanosPerEvent = 1e9 / rate;
        long i = 0;
        long lastSendNanos = startNanos;
        while (source.hasNext()) {
            long dueNanos = startNanos + (long) (i * nanosPerEvent);
            if (dueNanos >= endNanos) {
                break;
            }
            long wait = dueNanos - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (dueNanos >= nextTick) {
                everySecond.run();
                nextTick += 1_000_000_000L;
            }
            InputEvent e = source.next();
            long scheduledMicros = startMicros + (dueNanos - startNanos) / 1000;
            String id = e.eventId();
            boolean expect = job.expectsOutput(e) && recent.putIfAbsent(id, Boolean.TRUE) == null;
            if (expect) {
                probe.expect(id, scheduledMicros);
            }
            probe.sent();
            byte[] key = e.key() == null ? null : e.key().getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(topicName.apply(e.topic()), key, e.value()), (meta, error) -> {
                if (expect && error == null) {
                    probe.appended(id, meta.timestamp());
                }
            });
            i++;
            lastSendNanos = System.nanoTime();
        }
        long wait = endNanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        if (nextTick <= endNanos) {
            everySecond.run();
        }
        // behind schedule, the last event went out late: the achieved rate counts that time
        return new Sent(i, Math.max(length.toNanos(), lastSendNanos - startNanos) / 1e9);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
