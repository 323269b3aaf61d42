package io.nextbest.loadtest.eval;

import static io.nextbest.loadtest.eval.Events.broken;
import static io.nextbest.loadtest.eval.Events.interaction;
import static io.nextbest.loadtest.eval.Events.order;
import static io.nextbest.loadtest.eval.Events.returned;
import static io.nextbest.loadtest.eval.Events.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import org.junit.jupiter.api.Test;

/** The engine's basket and purchase rules, as the baselines get them. */
class ExclusionTest {

    @Test
    void basketFollowsCartEventsAndOrdersWithQuantities() {
        Exclusion x = Exclusion.engineDefaults();
        x.learn(view("c", "A", 1));
        assertThat(x.excluded("c")).isEmpty();
        x.learn(interaction("c", "A", "add_to_cart", 2, 2));
        x.learn(interaction("c", "B", "add_to_cart", 3));
        assertThat(x.excluded("c")).containsExactly("A", "B");
        assertThat(x.excluded("someone else")).isEmpty();
        x.learn(interaction("c", "A", "remove_from_cart", 4, 1)); // one of two left
        assertThat(x.excluded("c")).containsExactly("A", "B");
        x.learn(interaction("c", "A", "remove_from_cart", 5)); //    no quantity: the whole line
        assertThat(x.excluded("c")).containsExactly("B");
        x.learn(order("c", "B", 6)); //                             leaves the basket, stays excluded as bought
        x.learn(order("c", "C", 7));
        assertThat(x.excluded("c")).containsExactly("B", "C");
        x.learn(returned("c", "C", 8)); //                          a return changes neither
        x.learn(broken(9));
        assertThat(x.excluded("c")).containsExactly("B", "C");
    }

    @Test
    void configuredLikeTheRun() {
        Exclusion onlyBasket = Exclusion.like(NextbestConfig.builder().set("ranking.exclude-purchased", "false").build());
        assertThat(onlyBasket.description()).isEqualTo("basket (50 lines)");
        onlyBasket.learn(interaction("c", "A", "add_to_cart", 1));
        onlyBasket.learn(order("c", "B", 2));
        assertThat(onlyBasket.excluded("c")).containsExactly("A");

        Exclusion small = Exclusion.like(NextbestConfig.builder().set("customer.max-purchased-items", "2").build());
        small.learn(order("c", "A", 1));
        small.learn(order("c", "B", 2));
        small.learn(order("c", "C", 3));
        assertThat(small.excluded("c")).containsExactly("B", "C");

        Exclusion none = Exclusion.none();
        none.learn(interaction("c", "A", "add_to_cart", 1));
        assertThat(none.excluded("c")).isEmpty();
        assertThat(none.description()).isEqualTo("none");
    }
}
