package io.nextbest.job.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.DeadLetter;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A running job of the {@link JobKit}: send typed events, read the lists and dead letters back. Closing cancels
 * the job and closes the readers.
 */
public final class JobHandle implements AutoCloseable {
    /** How long the awaits wait before they fail. */
    public static final Duration WAIT = Duration.ofSeconds(90);

    private final EmbeddedKafkaCluster kafka;
    private final NextbestConfig config;
    private final JobClient client;
    private final Events events = new Events(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private TopicReader suggestions;
    private TopicReader deadLetters;
    private final List<TopicReader> readers = new ArrayList<>();

    JobHandle(EmbeddedKafkaCluster kafka, NextbestConfig config, JobClient client) {
        this.kafka = kafka;
        this.config = config;
        this.client = client;
    }

    public NextbestConfig config() {
        return config;
    }

    public JobClient client() {
        return client;
    }

    /** The event maker of this job (times from the job's start, truncated to the second). */
    public Events events() {
        return events;
    }

    /** The full name of a registry topic (with the job's prefix). */
    public String topic(String registryName) {
        return config.topic(registryName);
    }

    /** Sends a record to its topic; returns its event id (null for catalog records and rules). */
    public String send(Events.Rec r) throws Exception {
        kafka.send(topic(r.topic()), null, r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8), r.value());
        return r.eventId();
    }

    /** Sends every record, in order; returns their event ids. */
    public List<String> sendAll(List<Events.Rec> records) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Events.Rec r : records) {
            ids.add(send(r));
        }
        return ids;
    }

    /** The list the event made. */
    public Suggestions awaitList(String triggerEventId) {
        return awaitLists(List.of(triggerEventId)).get(0);
    }

    /** The lists these events made, in the order of the ids. */
    public List<Suggestions> awaitLists(List<String> triggerEventIds) {
        TopicReader r = suggestions();
        for (String t : triggerEventIds) {
            assertThat(r.awaitAny(rec -> rec.value() != null && t.equals(list(rec).triggerEventId()), WAIT))
                    .as("a list for %s", t).isTrue();
        }
        List<Suggestions> out = new ArrayList<>();
        for (String t : triggerEventIds) {
            for (ConsumerRecord<byte[], byte[]> rec : r.records()) {
                if (rec.value() == null) {
                    continue; // an erasure's tombstone
                }
                Suggestions s = list(rec);
                if (t.equals(s.triggerEventId())) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }

    /** Sends searches for {@code customer} until a list satisfies {@code done} (or {@link #WAIT}); returns it. */
    public Suggestions probeUntil(String customer, Predicate<Suggestions> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Suggestions last = null;
        while (System.nanoTime() < deadline) {
            last = awaitList(send(events.search(customer)));
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no list as expected within " + WAIT + "; the last: " + last);
    }

    /** At least {@code count} dead letters (waits up to {@link #WAIT}). */
    public List<DeadLetter> awaitDeadLetters(int count) {
        if (deadLetters == null) {
            deadLetters = kafka.reader(topic("dead-letter"));
        }
        List<DeadLetter> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : deadLetters.awaitCount(count, WAIT)) {
            try {
                out.add(Topics.DEAD_LETTER.codec().decode(r.value()));
            } catch (InvalidMessageException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /** The reader of {@code suggestions} (opened at the first use, from the earliest offset). */
    public TopicReader suggestions() {
        if (suggestions == null) {
            suggestions = kafka.reader(topic("suggestions"));
        }
        return suggestions;
    }

    /** A reader of one of the job's topics (registry name), from the earliest offset; closed with the handle. */
    public TopicReader reader(String registryName) {
        TopicReader r = kafka.reader(topic(registryName));
        readers.add(r);
        return r;
    }

    public static List<String> itemIds(Suggestions s) {
        return s.items().stream().map(SuggestedItem::itemId).toList();
    }

    /** A list as read from {@code suggestions}; a tombstone (null value) as {@link Suggestions#erasure} of its key. */
    public static Suggestions list(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return Suggestions.erasure(new String(r.key(), StandardCharsets.UTF_8));
        }
        try {
            return Topics.SUGGESTIONS.codec().decode(r.value());
        } catch (InvalidMessageException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            client.cancel().get();
        } finally {
            if (suggestions != null) {
                suggestions.close();
            }
            if (deadLetters != null) {
                deadLetters.close();
            }
            for (TopicReader r : readers) {
                r.close();
            }
        }
    }
}
