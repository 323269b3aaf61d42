package io.nextbest.loadtest.eval;

import io.nextbest.loadtest.InputEvent;
import java.util.List;

/** A recommender evaluated side by side with the engine (the baselines). */
public interface Recommender {

    String name();

    /** The top {@code k} items for this customer now, best first. */
    List<String> recommend(String customerKey, int k);

    /** Learns from an event (after it was scored). */
    void learn(InputEvent event);
}
