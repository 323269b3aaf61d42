package io.nextbest.loadtest.eval;

import io.nextbest.generator.InputEvent;
import java.util.List;
import java.util.Set;

/**
 * A recommender evaluated side by side with the engine (the baselines). The evaluator calls, for
 * every customer event in stream order: {@link #advance}, then {@link #recommend} when the event is
 * scored (once per list mode), then {@link #learn} after the shared {@link Popularity} learned it.
 */
public interface Recommender {

    String name();

    /**
     * The clock and session of the event about to be scored (called before {@link #recommend}, for
     * every customer event, scored or not): the recently-popular window slides to {@code nowMs}; the
     * session baseline decides whether that event continues the customer's session. Never the item.
     *
     * @param sessionKey the data set's session id of that event, null when the data has none
     */
    default void advance(long nowMs, String sessionKey) {}

    /**
     * The top {@code k} items for this customer now, best first, none of them in {@code exclude}; a
     * list shorter than k only when fewer items than that were ever seen.
     */
    List<String> recommend(String customerKey, int k, Set<String> exclude);

    /** Learns from a customer event (after it was scored): every kind, remove_from_cart included. */
    void learn(InputEvent event);
}
