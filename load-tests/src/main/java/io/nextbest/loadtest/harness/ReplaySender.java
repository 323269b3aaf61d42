package io.nextbest.loadtest.harness;

import io.nextbest.generator.InputEvent;
import io.nextbest.loadtest.KafkaClients;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends replayed records to the job's input topics, in list order, paced by a rate and/or an event
 * time speed-up, with a progress line every 5 seconds. Catalog records go out with the event they
 * precede and do not count against the rate.
 */
public final class ReplaySender {
    private final String bootstrapServers;
    private final Function<String, String> topicName;
    private final double rate;
    private final double speed;
    private final PrintStream progress;

    /**
     * @param topicName the full topic name of a registry name ({@code EmbeddedJob::topic})
     * @param rate events per second; 0 for no limit
     * @param speed event time runs this many times faster than the wall clock; 0 for no such pacing.
     *     Both limits apply when both are set.
     */
    public ReplaySender(String bootstrapServers, Function<String, String> topicName, double rate, double speed,
            PrintStream progress) {
        this.bootstrapServers = bootstrapServers;
        this.topicName = topicName;
        this.rate = rate;
        this.speed = speed;
        this.progress = progress;
    }

    /**
     * Called before each record is sent; may send records of its own and wait (e.g. for the job to
     * catch up). Time spent in it moves the rate schedule on, so that the replay does not burst after.
     */
    public interface Gate {
        void before(InputEvent next, Out out) throws InterruptedException;
    }

    /** What a {@link Gate} may do with the producer. */
    public interface Out {
        /** Sends a record now, ahead of the one the gate was asked about. */
        void send(InputEvent e);

        /** Waits until everything sent so far is on the broker. */
        void flush();
    }

    /**
     * Sends {@code records} and flushes them.
     *
     * @param status appended to each progress line (e.g. "12 of 40 lists back")
     * @return seconds it took
     */
    public double send(List<InputEvent> records, Supplier<String> status) throws InterruptedException {
        return send(records, status, null);
    }

    /** {@link #send(List, Supplier)} with a {@link Gate} before each record (null: none). */
    public double send(List<InputEvent> records, Supplier<String> status, Gate gate) throws InterruptedException {
        Properties p = KafkaClients.producer(bootstrapServers, 2);
        long start = System.nanoTime();
        long lastReport = start;
        long firstEventMs = records.isEmpty() ? 0 : records.get(0).eventTimeMs();
        long sent = 0; // events, not catalog records: the rate is in events
        long paused = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            Out out = new Out() {
                @Override
                public void send(InputEvent e) {
                    producer.send(record(e));
                }

                @Override
                public void flush() {
                    producer.flush();
                }
            };
            for (int i = 0; i < records.size(); i++) {
                InputEvent e = records.get(i);
                if (gate != null) {
                    long before = System.nanoTime();
                    gate.before(e, out);
                    paused += System.nanoTime() - before;
                }
                long due = start + paused;
                if (rate > 0) {
                    due = Math.max(due, start + paused + (long) (sent * 1e9 / rate));
                }
                if (speed > 0) {
                    due = Math.max(due, start + paused + (long) ((e.eventTimeMs() - firstEventMs) * 1e6 / speed));
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                producer.send(record(e));
                if (!isCatalog(e)) {
                    sent++;
                }
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                    progress.printf("  sent %,d of %,d records; %s%n", i, records.size(), status.get());
                    lastReport = System.nanoTime();
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private ProducerRecord<byte[], byte[]> record(InputEvent e) {
        byte[] key = e.key() == null ? null : e.key().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topicName.apply(e.topic()), key, e.value());
    }

    public static boolean isCatalog(InputEvent e) {
        return e.action().equals(InputEvent.CATALOG);
    }
}
