package io.nextbest.loadtest.triggers;

import io.nextbest.generator.InputEvent;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consent for a replay of a data set that has none. Each known customer draws a number u in [0, 1)
 * from a hash of their id (the same every run, independent of the slice and of the other customers):
 * u &lt; opt-out share → consent to email, then a global opt-out; the next consent share → consent to
 * email; the rest → nothing (their triggers are suppressed as no_consent). The events are stamped
 * just before the customer's first event: consent 1 s before it (2 s for those who opt out, the
 * opt-out 1 s before it). Event ids are {@code <dataset>-consent-<customerId>} and
 * {@code <dataset>-opt-out-<customerId>} (a hash instead of the id when that would be too long).
 */
public final class ConsentPlan {
    public static final double DEFAULT_CONSENT_SHARE = 0.8;
    public static final double DEFAULT_OPT_OUT_SHARE = 0.05;
    private static final int MAX_ID = 128;

    /** What a customer was given. */
    public enum Grant {
        /** consent to email */
        CONSENT,
        /** consent to email, then a global opt-out */
        OPTED_OUT,
        /** no customer event */
        NONE
    }

    private final Map<String, Grant> grants;
    private final List<InputEvent> events;
    private final double optOutShare;

    private ConsentPlan(Map<String, Grant> grants, List<InputEvent> events, double optOutShare) {
        this.grants = grants;
        this.events = events;
        this.optOutShare = optOutShare;
    }

    /**
     * The plan for the known customers of {@code replayed}.
     *
     * @param consentShare share of customers with consent (and no opt-out), 0..1
     * @param optOutShare share of customers with consent and then an opt-out; cut to 1 − consentShare
     *     when the two add up to more than 1 (see {@link #optOutShare()})
     */
    public static ConsentPlan of(String dataset, List<BasketEvent> replayed, double consentShare, double optOutShare) {
        if (!(consentShare >= 0 && consentShare <= 1) || !(optOutShare >= 0 && optOutShare <= 1)) {
            throw new IllegalArgumentException("consent and opt-out shares must lie in 0..1, got " + consentShare
                    + " and " + optOutShare);
        }
        double optOut = Math.min(optOutShare, 1 - consentShare);
        Map<String, Long> first = new LinkedHashMap<>();
        for (BasketEvent e : replayed) {
            if (e.customerId() != null) {
                first.merge(e.customerId(), e.timeMs(), Math::min);
            }
        }
        Map<String, Grant> grants = new LinkedHashMap<>();
        List<InputEvent> events = new ArrayList<>();
        for (Map.Entry<String, Long> c : first.entrySet()) {
            String id = c.getKey();
            long t = c.getValue();
            double u = unit(id);
            Grant g = u < optOut ? Grant.OPTED_OUT : u < optOut + consentShare ? Grant.CONSENT : Grant.NONE;
            grants.put(id, g);
            if (g == Grant.CONSENT) {
                events.add(event(dataset, id, CustomerEventType.CONSENT, t - 1000));
            } else if (g == Grant.OPTED_OUT) {
                events.add(event(dataset, id, CustomerEventType.CONSENT, t - 2000));
                events.add(event(dataset, id, CustomerEventType.OPT_OUT, t - 1000));
            }
        }
        events.sort(java.util.Comparator.comparingLong(InputEvent::eventTimeMs)); // stable
        return new ConsentPlan(Collections.unmodifiableMap(grants), List.copyOf(events), optOut);
    }

    /** The {@code customers} records, in event-time order. */
    public List<InputEvent> events() {
        return events;
    }

    /** What each known customer was given, in order of their first event. */
    public Map<String, Grant> grants() {
        return grants;
    }

    public long count(Grant g) {
        return grants.values().stream().filter(x -> x == g).count();
    }

    /** The opt-out share applied (the one asked for, or less; see {@link #of}). */
    public double optOutShare() {
        return optOutShare;
    }

    private static InputEvent event(String dataset, String customerId, CustomerEventType type, long timeMs) {
        boolean consent = type == CustomerEventType.CONSENT;
        String eventId = eventId(dataset, consent ? "consent" : "opt-out", customerId);
        CustomerEvent e = new CustomerEvent(eventId, type, customerId, Instant.ofEpochMilli(timeMs), null,
                consent ? ContactChannel.EMAIL : null, consent ? Boolean.TRUE : null, null);
        return new InputEvent(Topics.CUSTOMERS.name(), customerId, Topics.CUSTOMERS.codec().encode(e), eventId,
                customerId, null, type.wire(), timeMs);
    }

    static String eventId(String dataset, String kind, String customerId) {
        String id = dataset + "-" + kind + "-" + customerId;
        if (id.codePointCount(0, id.length()) <= MAX_ID) {
            return id;
        }
        return dataset + "-" + kind + "-" + String.format("%016x", hash(customerId));
    }

    /** A uniform number in [0, 1) from a customer id; the same on every run and machine. */
    static double unit(String customerId) {
        return (hash("consent\u0000" + customerId) >>> 11) * 0x1.0p-53;
    }

    /** FNV-1a over the UTF-8 bytes, then the SplitMix64 finalizer (FNV alone mixes the high bits poorly). */
    private static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
