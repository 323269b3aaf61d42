package io.nextbest.loadtest.bench;

import io.nextbest.loadtest.KafkaClients;
import io.nextbest.generator.EventSource;
import io.nextbest.generator.InputEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends events at a fixed offered rate on an open-loop schedule: event i is due at
 * start + i/rate whether or not the system kept up, and its latency is measured from that due time,
 * so queueing anywhere shows up as latency (no coordinated omission). Each part of the input has
 * its own thread and producer and sends rate/parts.
 */
final class OpenLoopDriver implements AutoCloseable {
    private static final int REMEMBERED_IDS = 200_000;

    private final List<Part> parts = new ArrayList<>();
    /** Sends the broker did not acknowledge (the probe waits for their outputs in vain), and the first reason. */
    private final java.util.concurrent.atomic.AtomicLong sendErrors = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicReference<String> firstSendError = new AtomicReference<>();
    /** Records sent so far, all parts (a generator that resumes after them skips as many). */
    private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
    private final Function<String, String> topicName;

    /** One part's source and producer, and the event ids it registered lately. */
    private static final class Part {
        final EventSource source;
        final KafkaProducer<byte[], byte[]> producer;
        /** A repeated record must not be expected twice. */
        final Map<String, Boolean> recent = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > REMEMBERED_IDS;
            }
        };

        Part(EventSource source, KafkaProducer<byte[], byte[]> producer) {
            this.source = source;
            this.producer = producer;
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger GENERATORS = new java.util.concurrent.atomic.AtomicInteger();

    OpenLoopDriver(String bootstrapServers, Function<String, String> topicName, List<EventSource> sources) {
        Properties p = KafkaClients.producer(bootstrapServers, 1);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        for (EventSource s : sources) {
            // named, so that CpuSplit can tell the generator's I/O threads from the job's
            p.put(ProducerConfig.CLIENT_ID_CONFIG, CpuSplit.GENERATOR_CLIENT_ID + "-" + GENERATORS.incrementAndGet());
            parts.add(new Part(s, new KafkaProducer<>(p)));
        }
        this.topicName = topicName;
    }

    /** What one run of sending achieved. */
    record Sent(long events, double seconds) {
        double rate() {
            return events / seconds;
        }
    }

    Sent run(double rate, Duration length, JobUnderTest job, LatencyProbe probe) throws InterruptedException {
        return run(rate, length, job, probe, () -> {});
    }

    /**
     * Sends at {@code rate} (split evenly over the parts) for {@code length}, registering expected
     * outputs with the probe, and calls {@code everySecond} once per second of the schedule. One
     * schedule covers the whole length: a late event does not shift the ones after it. Each event is
     * stamped with the millisecond it is due ({@link EventSource#pace}), whatever rate the run before
     * had, so the job's event time keeps pace with its clock at every rate.
     */
    Sent run(double rate, Duration length, JobUnderTest job, LatencyProbe probe, Runnable everySecond)
            throws InterruptedException {
        long startNanos = System.nanoTime();
        long startMicros = Micros.now();
        for (Part p : parts) {
            p.source.pace(startMicros / 1000, rate / parts.size());
        }
        List<Thread> threads = new ArrayList<>();
        long[] counts = new long[parts.size()];
        long[] lastSend = new long[parts.size()];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int k = 0; k < parts.size(); k++) {
            int part = k;
            Runnable tick = k == 0 ? everySecond : () -> {};
            Thread t = new Thread(() -> {
                try {
                    long[] r = send(parts.get(part), rate / parts.size(), startNanos, startMicros, length, job, probe, tick);
                    counts[part] = r[0];
                    lastSend[part] = r[1];
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "open-loop-" + k);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("sending failed", failure.get());
        }
        long events = 0;
        long last = startNanos;
        for (int k = 0; k < counts.length; k++) {
            events += counts[k];
            last = Math.max(last, lastSend[k]);
        }
        // behind schedule, the last event went out late: the achieved rate counts that time
        return new Sent(events, Math.max(length.toNanos(), last - startNanos) / 1e9);
    }

    /** One part's loop; returns {events sent, nano time of the last send}. */
    private long[] send(Part part, double rate, long startNanos, long startMicros, Duration length, JobUnderTest job,
            LatencyProbe probe, Runnable everySecond) throws InterruptedException {
        long endNanos = startNanos + length.toNanos();
        long nextTick = startNanos + 1_000_000_000L;
        double nanosPerEvent = 1e9 / rate;
        long i = 0;
        long lastSendNanos = startNanos;
        while (part.source.hasNext()) {
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
            InputEvent e = part.source.next();
            long scheduledMicros = startMicros + (dueNanos - startNanos) / 1000;
            String id = e.eventId();
            boolean expect = job.expectsOutput(e) && part.recent.putIfAbsent(id, Boolean.TRUE) == null;
            if (expect) {
                probe.expect(id, scheduledMicros);
            }
            probe.sent();
            sent.incrementAndGet();
            byte[] key = e.key() == null ? null : e.key().getBytes(StandardCharsets.UTF_8);
            part.producer.send(new ProducerRecord<>(topicName.apply(e.topic()), key, e.value()), (meta, error) -> {
                if (error != null) {
                    sendErrors.incrementAndGet();
                    firstSendError.compareAndSet(null, error.toString());
                } else if (expect) {
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
        return new long[] {i, lastSendNanos};
    }

    /** Records sent so far, over all parts and runs. */
    long sentTotal() {
        return sent.get();
    }

    /** Sends that failed so far (not acknowledged by the broker). */
    long sendErrors() {
        return sendErrors.get();
    }

    /** Why the first failed send failed; null if none did. */
    String firstSendError() {
        return firstSendError.get();
    }

    @Override
    public void close() {
        for (Part p : parts) {
            p.producer.close(Duration.ofSeconds(5));
        }
    }
}
