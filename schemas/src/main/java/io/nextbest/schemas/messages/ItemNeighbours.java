package io.nextbest.schemas.messages;

import java.time.Instant;
import java.util.List;

/**
 * An item's most similar items by cosine over the customers' recent interactions, on the compacted
 * {@code item-neighbours} topic: the "viewed together" list of a product page, and the index every
 * ranking instance reads. {@code squaredNorm} and each neighbour's {@code dot} are what the cosine is
 * made of, so that a reader can recompute it with a neighbour's newer norm (its own record) or leave
 * one customer's evidence out. An item left without evidence has an empty list and a norm of 0.
 *
 * @param asOf event time of the newest interaction behind the list
 * @param updatedAt wall-clock time the list was published
 */
public record ItemNeighbours(String itemId, double squaredNorm, List<Neighbour> neighbours, Instant asOf,
        Instant updatedAt) {

    /** One neighbour, best first: the cosine when published, and the dot product it was made of. */
    public record Neighbour(String itemId, double similarity, double dot) {}
}
