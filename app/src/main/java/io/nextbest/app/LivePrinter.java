package io.nextbest.app;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CustomerUpdate;
import io.nextbest.schemas.messages.DeadLetter;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.ActionOutcome;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.NextBestAction;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.TriggerDecision;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints what the job writes — suggestions, basket triggers and held ones (contact-rule decisions),
 * next-best actions taken, customer updates, dead letters — one line each.
 */
final class LivePrinter implements Runnable {
    private final NextbestConfig config;
    private final PrintStream out;
    private final int everyNthSuggestion;
    private final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong suggestions = new AtomicLong();
    final AtomicLong triggers = new AtomicLong();
    final AtomicLong updates = new AtomicLong();
    final AtomicLong deadLetters = new AtomicLong();
    /** Next-best-action decisions read, and those that took a catalog action (not the basket trigger). */
    final AtomicLong decisions = new AtomicLong();
    final AtomicLong actions = new AtomicLong();
    /** Decisions by outcome, "nothing" by its reason (e.g. {@code nothing:below_cost}), for the summary. */
    final java.util.concurrent.ConcurrentSkipListMap<String, AtomicLong> outcomes = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** Called with every list read (the demo's shoppers answer them); on the printer's thread. */
    volatile java.util.function.Consumer<Suggestions> onList = s -> {};

    LivePrinter(NextbestConfig config, PrintStream out, int everyNthSuggestion) {
        this.config = config;
        this.out = out;
        this.everyNthSuggestion = Math.max(1, everyNthSuggestion);
    }

    void stop() {
        running.set(false);
    }

    @Override
    public void run() {
        Properties p = config.kafkaProperties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(Settings.KAFKA_BOOTSTRAP));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "nextbest-demo-printer-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        String suggestionsTopic = config.topic(Topics.SUGGESTIONS.name());
        String updatesTopic = config.topic(Topics.CUSTOMER_UPDATES.name());
        String deadTopic = config.topic(Topics.DEAD_LETTER.name());
        String triggersTopic = config.topic(Topics.BASKET_TRIGGERS.name());
        String decisionsTopic = config.topic(Topics.TRIGGER_DECISIONS.name());
        String actionsTopic = config.topic(Topics.NEXT_BEST_ACTIONS.name());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // basket-triggers is transactional
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(suggestionsTopic, updatesTopic, deadTopic, triggersTopic, decisionsTopic,
                    actionsTopic));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        if (r.value() == null) {
                            continue; // an erasure's tombstone (suggestions, trigger-decisions): nothing to print
                        }
                        if (r.topic().equals(suggestionsTopic)) {
                            Suggestions s = Topics.SUGGESTIONS.codec().decode(r.value());
                            onList.accept(s);
                            if (suggestions.incrementAndGet() % everyNthSuggestion == 0) {
                                out.println(format(s));
                            }
                        } else if (r.topic().equals(triggersTopic)) {
                            triggers.incrementAndGet();
                            out.println(format(Topics.BASKET_TRIGGERS.codec().decode(r.value())));
                        } else if (r.topic().equals(decisionsTopic)) {
                            TriggerDecision d = Topics.TRIGGER_DECISIONS.codec().decode(r.value());
                            if (d.outcome() != DecisionOutcome.SENT) { // sent ones print as triggers
                                out.println(format(d));
                            }
                        } else if (r.topic().equals(actionsTopic)) {
                            NextBestAction d = Topics.NEXT_BEST_ACTIONS.codec().decode(r.value());
                            decisions.incrementAndGet();
                            outcomes.computeIfAbsent(d.outcome().wire() + (d.nothingReason() == null ? ""
                                    : ":" + d.nothingReason().wire()), k -> new AtomicLong()).incrementAndGet();
                            // taken catalog actions print; basket triggers print as triggers, "nothing" is counted
                            if (d.outcome() != ActionOutcome.NOTHING && d.triggerId() == null) {
                                actions.incrementAndGet();
                                out.println(format(d));
                            }
                        } else if (r.topic().equals(updatesTopic)) {
                            updates.incrementAndGet();
                            out.println(format(Topics.CUSTOMER_UPDATES.codec().decode(r.value())));
                        } else {
                            deadLetters.incrementAndGet();
                            out.println(format(Topics.DEAD_LETTER.codec().decode(r.value())));
                        }
                    } catch (InvalidMessageException e) {
                        out.println("[unreadable] " + r.topic() + ": " + e.getMessage());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String format(Suggestions s) {
        String items = s.items().stream().limit(5)
                .map(i -> String.format(Locale.ROOT, "%s (%.1f)", i.itemId(), i.score()))
                .collect(Collectors.joining(", "));
        String why = s.items().isEmpty() ? "" : "  — " + s.items().get(0).reasons().get(0).text();
        String arm = s.experimentId() == null ? "" : " [" + s.variant() + "]";
        return String.format("[suggestions]  %-10s #%-3d after %-22s → %s%s%s",
                s.subjectKey(), s.sequence(), s.triggerEventId(), items.isEmpty() ? "(nothing trending yet)" : items,
                why, arm);
    }

    static String format(BasketTrigger t) {
        String lines = t.lines().stream().map(l -> l.quantity() + "×" + l.itemId() + (l.recurring() ? "(again)" : ""))
                .collect(Collectors.joining(", "));
        String also = t.suggestions().stream().map(SuggestedItem::itemId).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "[trigger]      %-10s %s via %s: basket %.2f %s [%s]%s",
                t.customerId(), t.triggerId(), t.channel().wire(), t.basketValue(), t.currency(), lines,
                also.isEmpty() ? "" : " + try " + also);
    }

    /** The decisions by outcome, e.g. {@code act 12, nothing:below_cost 40, nothing:contact_rules 7}. */
    String outcomeSummary() {
        return outcomes.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().get())
                .collect(Collectors.joining(", "));
    }

    static String format(NextBestAction d) {
        String how = d.candidates().stream().filter(c -> c.actionId().equals(d.actionId())).findFirst()
                .map(c -> c.expectedNetValue() == null ? "mandatory"
                        : String.format(Locale.ROOT, "P·V−C %.2f", c.expectedNetValue()))
                .orElse("");
        String arm = d.experimentId() == null ? "" : " [" + d.variant() + "]";
        return String.format(Locale.ROOT, "[action]       %-10s %s %s%s (%s, %s)%s", d.customerId(), d.outcome().wire(),
                d.actionId(), d.channel() == null ? "" : " via " + d.channel().wire(), d.kind().wire(), how, arm);
    }

    static String format(TriggerDecision d) {
        return String.format(Locale.ROOT, "[contact rule] %-10s %s %s: %s%s", d.customerId(), d.triggerId(),
                d.outcome().wire(), d.reason().wire(),
                d.deferredUntil() == null ? "" : " until " + d.deferredUntil());
    }

    static String format(CustomerUpdate u) {
        return String.format(Locale.ROOT, "[customer]     %-10s %s → %s, value tier %s → %s (%d orders, %.2f)",
                u.customerId(), u.previousLifecycleStage().wire(), u.lifecycleStage().wire(),
                u.previousValueTier().wire(), u.valueTier().wire(), u.rfm().purchaseCount(), u.rfm().monetary());
    }

    static String format(DeadLetter d) {
        return String.format("[dead-letter]  %s/%d@%d %s: %s",
                d.sourceTopic(), d.partition(), d.offset(), d.reason().wire(), d.detail());
    }
}
