package io.nextbest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.testing.Events;
import io.nextbest.job.testing.JobHandle;
import io.nextbest.job.testing.JobKit;
import io.nextbest.job.testing.TopicReader;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.SchemaValidation;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.ActionCandidate;
import io.nextbest.schemas.messages.ActionKind;
import io.nextbest.schemas.messages.ActionOutcome;
import io.nextbest.schemas.messages.ActionPropensity;
import io.nextbest.schemas.messages.ActionProposal;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.DeadLetter;
import io.nextbest.schemas.messages.DecisionCause;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import io.nextbest.schemas.messages.NextBestAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Next best action end to end, through Kafka and the job (MiniCluster, parallelism 2, RocksDB, checkpoints): an
 * action catalog on {@code actions} (a bad action goes to dead-letter), consents that ask for decisions, acceptances
 * on {@code feedback} that the propensity learner counts and publishes on {@code action-propensities}, those counts
 * back in the customer stage's replicas (the next decision's candidate shows them), and a proposal on {@code
 * action-proposals} that makes its mandatory action the decision. Every record read from {@code next-best-actions}
 * (read_committed) and {@code action-propensities} is valid against its schema.
 */
class NextBestActionIT {
    private static final int CUSTOMERS = 20;
    private static final int ACCEPTING = 5;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final JobKit KIT = JobKit.withSlots(2);

    @Test
    void catalogDecisionsResponsesPropensitiesAndProposalsFlowThroughKafkaAndTheJob() throws Exception {
        try (JobHandle job = KIT.start(s -> s
                .set("ingest.max-event-age", "off")
                .set("ingest.watermark-idleness", "1s")
                .set("contact.quiet-hours", "off")
                .set("contact.cap.count", "0")
                .set("actions.strategy", "greedy")
                .set("actions.publish-interval", "100ms"));
                TopicReader decisions = job.reader("next-best-actions");
                TopicReader propensities = job.reader("action-propensities")) {
            Instant t0 = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES);
            Events ev = job.events().at(t0);
            job.send(action("tip", "discretionary", 1, "\"value\":{\"fixed\":30}"));
            job.send(action("callback", "mandatory", 900, "\"value\":{\"fixed\":35},\"requiresProposal\":true"));
            job.send(action("broken", "discretionary", 1, "\"value\":{\"fixed\":1,\"basketShare\":12}"));
            DeadLetter bad = job.awaitDeadLetters(1).get(0);
            assertThat(bad.reason()).isEqualTo(DeadLetterReason.INVALID_VALUE);
            assertThat(bad.detail()).isEqualTo("value.basketShare: must be a number 0..10, got 12");
            // the catalog reaches each customer-stage instance beside the events (a broadcast input): probe customers
            // consent until eight in a row were decided with both actions (both instances, all but surely), so that no
            // customer below is decided before the catalog is there (a decision needs a catalog)
            int inARow = 0;
            for (int p = 0; inARow < 8; p++) {
                assertThat(p).as("probes until the catalog is in force everywhere").isLessThan(200);
                int before = decisions.records().size();
                job.send(Events.of(Topics.CUSTOMERS, new CustomerEvent("probe-" + p, CustomerEventType.CONSENT, "P-" + p,
                        t0, null, ContactChannel.EMAIL, true, null), "probe-" + p));
                List<ConsumerRecord<byte[], byte[]>> seen = decisions.awaitCount(before + 1, Duration.ofSeconds(2));
                boolean both = seen.size() > before && decode(Topics.NEXT_BEST_ACTIONS, seen.get(seen.size() - 1).value())
                        .candidates().size() == 2;
                inARow = both ? inARow + 1 : 0;
            }
            int probes = decisions.drain(Duration.ofMillis(500)).size();

            // every customer consents: one decision each, acting on the tip (greedy: 0.1 × 30 − 0.1 = 2.9 > 0)
            for (int c = 1; c <= CUSTOMERS; c++) {
                job.send(Events.of(Topics.CUSTOMERS, new CustomerEvent("consent-" + c, CustomerEventType.CONSENT, "C-" + c,
                        t0.plusSeconds(c), null, ContactChannel.EMAIL, true, null), "consent-" + c));
            }
            Map<String, NextBestAction> first = new HashMap<>();
            for (NextBestAction d : decode(decisions.awaitCount(probes + CUSTOMERS, WAIT))) {
                if (d.customerId().startsWith("C-")) {
                    first.put(d.customerId(), d);
                }
            }
            assertThat(first).hasSize(CUSTOMERS);
            for (NextBestAction d : first.values()) {
                assertThat(d.cause()).isEqualTo(DecisionCause.EVENT);
                assertThat(d.outcome()).isEqualTo(ActionOutcome.ACT);
                assertThat(d.actionId()).isEqualTo("tip");
                assertThat(d.channel()).isEqualTo(ContactChannel.EMAIL);
                assertThat(d.candidates()).extracting(ActionCandidate::actionId).containsExactlyInAnyOrder("tip", "callback");
            }

            // five accept: the learner counts 20 trials and 5 successes among prospects, and publishes them
            for (int c = 1; c <= ACCEPTING; c++) {
                NextBestAction d = first.get("C-" + c);
                job.send(Events.of(Topics.FEEDBACK, new Feedback("accept-" + c, FeedbackType.ACTION_ACCEPTED, "C-" + c,
                        null, t0.plusSeconds(60 + c), null, null, null, null, null, d.decisionId()), "accept-" + c));
            }
            boolean learned = propensities.awaitAny(r -> {
                ActionPropensity p = decode(Topics.ACTION_PROPENSITIES, r.value());
                return p.trials() == probes + CUSTOMERS && p.successes() == ACCEPTING; // the probes took the tip too
            }, WAIT);
            assertThat(learned).as("action-propensities reached 5 of %d: %s", probes + CUSTOMERS,
                    propensities.records().size()).isTrue();
            for (ConsumerRecord<byte[], byte[]> r : propensities.records()) {
                assertThat(SchemaValidation.violations("action-propensities", new String(r.value(), StandardCharsets.UTF_8)))
                        .isEmpty();
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("tip/lifecycle:prospect");
            }

            // the counts come back to the customer stage: a new decision shows them (and greedy P = 6 / 30)
            NextBestAction later = null;
            for (int attempt = 0; attempt < 60 && later == null; attempt++) {
                job.send(ev.at(t0.plusSeconds(120 + attempt)).addToCart("C-" + (ACCEPTING + 1), "SKU-" + attempt));
                int before = decisions.records().size();
                List<NextBestAction> all = decode(decisions.awaitCount(before + 1, WAIT));
                NextBestAction d = all.get(all.size() - 1);
                ActionCandidate tip = d.candidates().stream().filter(c -> c.actionId().equals("tip")).findFirst().orElseThrow();
                // the learner publishes as it goes: an earlier total (20 trials, 0 successes) may come back first
                if (tip.trials() != null && tip.trials() >= CUSTOMERS && tip.successes() == ACCEPTING) {
                    later = d;
                }
                Thread.sleep(200);
            }
            assertThat(later).as("a decision that saw the learned counts").isNotNull();
            ActionCandidate tip = later.candidates().stream().filter(c -> c.actionId().equals("tip")).findFirst().orElseThrow();
            assertThat(tip.successes()).isEqualTo((long) ACCEPTING);
            assertThat(tip.propensityMean()).isEqualTo((1.0 + ACCEPTING) / (10.0 + tip.trials()));

            // a proposal from the service desk: the mandatory callback is the decision
            ActionProposal p = new ActionProposal("prop-1", "C-9", "callback", "service-desk", t0.plusSeconds(300),
                    t0.plusSeconds(3600), null, "late delivery");
            job.send(Events.of(Topics.ACTION_PROPOSALS, p, "prop-1"));
            NextBestAction proposed = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (proposed == null && System.nanoTime() < deadline) {
                for (NextBestAction d : decode(decisions.drain(Duration.ofMillis(200)))) {
                    if (d.cause() == DecisionCause.PROPOSAL) {
                        proposed = d;
                    }
                }
            }
            assertThat(proposed).as("the proposal's decision").isNotNull();
            assertThat(proposed.customerId()).isEqualTo("C-9");
            assertThat(proposed.eventId()).isEqualTo("prop-1");
            assertThat(proposed.outcome()).isEqualTo(ActionOutcome.ACT);
            assertThat(proposed.actionId()).isEqualTo("callback");
            assertThat(proposed.kind()).isEqualTo(ActionKind.MANDATORY);
            assertThat(proposed.runnerUp()).isEqualTo("tip");

            List<String> ids = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : decisions.records()) {
                String json = new String(r.value(), StandardCharsets.UTF_8);
                assertThat(SchemaValidation.violations("next-best-actions", json)).as(json).isEmpty();
                ids.add(decode(Topics.NEXT_BEST_ACTIONS, r.value()).decisionId());
            }
            assertThat(ids).doesNotHaveDuplicates();
        }
    }

    private static Events.Rec action(String id, String kind, int priority, String extra) throws Exception {
        String json = "{\"actionId\":\"" + id + "\",\"kind\":\"" + kind + "\",\"enabled\":true,\"channels\":[\"email\"],"
                + "\"priority\":" + priority + ",\"updatedAt\":\"2026-01-01T00:00:00Z\"," + extra + "}";
        return new Events.Rec(Topics.ACTIONS.name(), id, json.getBytes(StandardCharsets.UTF_8), null);
    }

    private static List<NextBestAction> decode(List<ConsumerRecord<byte[], byte[]>> records) {
        List<NextBestAction> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.add(decode(Topics.NEXT_BEST_ACTIONS, r.value()));
        }
        return out;
    }

    private static <T> T decode(io.nextbest.schemas.Topic<T> topic, byte[] value) {
        try {
            return topic.codec().decode(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
