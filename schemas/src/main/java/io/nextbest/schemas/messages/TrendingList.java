package io.nextbest.schemas.messages;

import java.time.Instant;
import java.util.List;

/**
 * A trending list on the compacted {@code trending} topic: the job's global trending board ({@code list} =
 * {@value #GLOBAL}) or the board of one content feature ({@code list} = e.g. {@code category:shoes/running},
 * {@code brand:acme}), as the customer stage ranks from it. What a shop shows a visitor it knows nothing about.
 *
 * @param items best first; {@code weight} is the item's decayed interaction weight as of {@code asOf}
 * @param asOf event time of the newest interaction counted
 * @param version increases with every publication of the board (per list)
 * @param updatedAt wall-clock time the list was published
 */
public record TrendingList(String list, List<Entry> items, Instant asOf, long version, Instant updatedAt) {
    /** The key of the global list. */
    public static final String GLOBAL = "global";

    /** One trending item. */
    public record Entry(String itemId, int rank, double weight) {}
}
