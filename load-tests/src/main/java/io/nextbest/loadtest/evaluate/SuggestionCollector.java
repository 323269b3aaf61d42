package io.nextbest.loadtest.evaluate;

import io.nextbest.loadtest.KafkaClients;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Reads the engine's suggestions and keeps each list's item ids by its triggering event id. */
final class SuggestionCollector implements AutoCloseable {
    private final Map<String, List<String>> byTrigger = new ConcurrentHashMap<>();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    SuggestionCollector(String bootstrapServers, String topic) {
        Properties p = KafkaClients.consumer(bootstrapServers, "evaluator", "earliest");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
        thread = new Thread(() -> {
            try (consumer) {
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        if (r.value() == null) {
                            continue; // an erasure's tombstone
                        }
                        try {
                            Suggestions s = Topics.SUGGESTIONS.codec().decode(r.value());
                            byTrigger.put(s.triggerEventId(), s.items().stream().map(SuggestedItem::itemId).toList());
                        } catch (InvalidMessageException e) {
                            unreadable.incrementAndGet();
                        }
                    }
                }
            }
        }, "suggestion-collector");
        thread.setDaemon(true);
        thread.start();
    }

    int size() {
        return byTrigger.size();
    }

    long unreadable() {
        return unreadable.get();
    }

    /** The list a triggering event produced, or null. */
    List<String> list(String triggerEventId) {
        return byTrigger.get(triggerEventId);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5000);
    }
}
