package io.nextbest.loadtest.triggers;

import io.nextbest.generator.InputEvent;
import io.nextbest.loadtest.harness.ReplaySender;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.TriggerDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Holds a fast replay back where the job's trigger decisions depend on the order it processes
 * events in, so that they depend on event time alone, as in a live run, and not on how far the
 * watermark lags behind a compressed replay.
 *
 * <p>The job arms a trigger at each basket change, disarms it at the customer's next basket change or
 * order whatever that event's time, and fires it when the watermark passes its due time. In a live
 * run the watermark is seconds behind; in a replay at hundreds of events per second it is minutes to
 * hours of event time behind (a watermark every 200 ms; an input split that stops getting records
 * holds it until it is idle), so a customer's next event, stamped well after the due time, often
 * arrives first and the trigger is lost. Before each record the gate makes sure that:
 *
 * <ol>
 *   <li><b>due triggers have fired</b>: before the next basket change or order of a customer whose
 *       basket version was abandoned (per {@link AbandonedBaskets}), the job's decision on it has
 *       arrived on trigger-decisions (after a deferral: its final decision, if the deferral ended before
 *       the event). If not, a heartbeat (a search by the sentinel's anonymous session, no item: no
 *       basket, no item signal) stamped 1 ms before the event is sent to move event time, and the gate
 *       waits;
 *   <li><b>cancellations are in before the due time</b>: before any record stamped past a basket
 *       version's due time (+ the out-of-orderness), the event that closed that version (a basket
 *       change or order within the idle time, or the change that ends a deferral) has been processed:
 *       its suggestions list has arrived;
 *   <li><b>a customer's events keep their order across topics</b>: before a customer's event on
 *       another topic than their previous one (an order after clicks, a click after an order), the
 *       previous event's list has arrived.
 * </ol>
 *
 * Waiting needs the other input splits to go idle quickly: the replay runs with a short
 * {@code ingest.watermark-idleness}. A wait that times out is counted and the replay goes on.
 *
 * <p>Since the customer stage decides a pending trigger as of its due time when an event stamped
 * after it arrives first (CustomerStage#decideOverdue), rule 1 no longer changes what the job
 * decides, only when; it stays for the deferrals it learns of from the decisions (a deferred trigger
 * dropped by this event needs the event in before the deferral ends, rule 2). Rules 2 and 3 guard
 * against what the job cannot know: a closing event on another topic still on its way.
 */
public final class SyncGate implements ReplaySender.Gate {
    private final long outOfOrdernessMs;
    private final Duration timeout;
    private final String heartbeatPrefix;
    private final Set<String> lists = ConcurrentHashMap.newKeySet();
    private final Map<String, Decided> decided = new ConcurrentHashMap<>();
    private final Map<String, List<AbandonedBaskets.Basket>> byNextEvent = new HashMap<>();
    private final PriorityQueue<Pending> closing = new PriorityQueue<>((a, b) -> Long.compare(a.from, b.from));
    private final Map<String, String[]> lastBySubject = new HashMap<>(); // subject → {topic, eventId or null}
    private long heartbeats;
    private long heartbeatsSent;
    private long decisionWaits;
    private long listWaits;
    private long timeouts;

    /** What the job said on a trigger so far. */
    private record Decided(boolean isFinal, long deferredUntil) {}

    /** A closing event that must be processed before any record stamped {@code from} or later. */
    private record Pending(long from, String eventId) {}

    /**
     * @param expectation the abandoned and the closed basket versions of the replay
     * @param outOfOrdernessMs {@code ingest.watermark-out-of-orderness}
     * @param timeout the longest wait for one acknowledgement
     */
    public SyncGate(String dataset, AbandonedBaskets.Result expectation, long outOfOrdernessMs, Duration timeout) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.timeout = timeout;
        this.heartbeatPrefix = dataset + "-heartbeat-";
        for (AbandonedBaskets.Basket b : expectation.abandoned()) {
            if (b.nextEventId() != null) {
                byNextEvent.computeIfAbsent(b.nextEventId(), k -> new ArrayList<>()).add(b);
            }
        }
        for (AbandonedBaskets.Closed c : expectation.closed()) {
            closing.add(new Pending(firstPast(c.dueAt()), c.eventId()));
        }
    }

    /** For the suggestions reader: a list arrived. */
    public void onList(Suggestions s) {
        lists.add(s.triggerEventId());
    }

    /** For the trigger-decisions reader: a decision arrived. */
    public void onDecision(TriggerDecision d) {
        boolean isFinal = d.outcome() != DecisionOutcome.DEFERRED;
        long until = d.deferredUntil() == null ? Long.MIN_VALUE : d.deferredUntil().toEpochMilli();
        decided.merge(d.triggerId(), new Decided(isFinal, until),
                (a, b) -> new Decided(a.isFinal() || b.isFinal(), Math.max(a.deferredUntil(), b.deferredUntil())));
    }

    /** The earliest event time whose record can move the watermark to {@code t} or beyond. */
    private long firstPast(long t) {
        return t + outOfOrdernessMs + 1;
    }

    @Override
    public void before(InputEvent next, ReplaySender.Out out) throws InterruptedException {
        if (next.eventId() == null || next.customerKey() == null) {
            return; // catalog records
        }
        long t = next.eventTimeMs();
        while (!closing.isEmpty() && closing.peek().from() <= t) {
            awaitList(closing.poll().eventId(), out);
        }
        String[] previous = lastBySubject.get(next.customerKey());
        if (previous != null && previous[1] != null && !previous[0].equals(next.topic())) {
            awaitList(previous[1], out);
        }
        boolean heartbeatSent = false;
        for (AbandonedBaskets.Basket b : byNextEvent.getOrDefault(next.eventId(), List.of())) {
            if (t < firstPast(b.dueAt()) + 1) {
                continue; // within the out-of-orderness: the watermark cannot pass the due time first
            }
            if (!settled(b.triggerId(), t)) {
                if (!heartbeatSent) {
                    out.send(heartbeat(t - 1));
                    heartbeatSent = true;
                    heartbeatsSent++;
                }
                out.flush();
                decisionWaits++;
                await(() -> settled(b.triggerId(), t) ? 1 : 0);
            }
            Decided d = decided.get(b.triggerId());
            if (d != null && !d.isFinal() && d.deferredUntil() != Long.MIN_VALUE) {
                // this event drops the deferred trigger (by design); it must be in before the deferral ends
                closing.add(new Pending(firstPast(d.deferredUntil()), next.eventId()));
            }
        }
        lastBySubject.put(next.customerKey(), new String[] {next.topic(), makesList(next) ? next.eventId() : null});
    }

    /** Whether the job has said what it will say on this trigger before an event at {@code t}. */
    private boolean settled(String triggerId, long t) {
        Decided d = decided.get(triggerId);
        if (d == null) {
            return false;
        }
        return d.isFinal() || t < firstPast(d.deferredUntil()) + 1; // deferred past t: the event drops it
    }

    private void awaitList(String eventId, ReplaySender.Out out) throws InterruptedException {
        if (lists.contains(eventId)) {
            return;
        }
        out.flush();
        listWaits++;
        await(() -> lists.contains(eventId) ? 1 : 0);
    }

    private void await(LongSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (done.getAsLong() == 0) {
            if (System.nanoTime() > deadline) {
                timeouts++;
                return;
            }
            Thread.sleep(2);
        }
    }

    /** Interactions and orders each make one suggestions list. */
    private static boolean makesList(InputEvent e) {
        return e.topic().equals(Topics.INTERACTIONS.name()) || e.action().equals("order");
    }

    /** A search without an item by the sentinel's anonymous session: moves event time, touches no basket. */
    public InputEvent heartbeat(long timeMs) {
        String eventId = heartbeatPrefix + (++heartbeats);
        Interaction search = new Interaction(eventId, InteractionType.SEARCH, null, TriggersRunner.SENTINEL_SESSION,
                null, "nextbest-heartbeat", Instant.ofEpochMilli(timeMs), Channel.WEB, null, null, null);
        return new InputEvent(Topics.INTERACTIONS.name(), TriggersRunner.SENTINEL_SESSION,
                Topics.INTERACTIONS.codec().encode(search), eventId, TriggersRunner.SENTINEL_SESSION, null, "search",
                timeMs);
    }

    /** Heartbeats the gate sent (not counting the runner's first one). */
    public long heartbeats() {
        return heartbeatsSent;
    }

    /** Waits for a trigger decision before a customer's next basket change or order. */
    public long decisionWaits() {
        return decisionWaits;
    }

    /** Waits for a suggestions list (a closing event, or a customer's event on the other topic). */
    public long listWaits() {
        return listWaits;
    }

    public long timeouts() {
        return timeouts;
    }

    /** Whether a list for this event id has arrived (for the warm-up probe). */
    public boolean hasList(String eventId) {
        return lists.contains(eventId);
    }
}
