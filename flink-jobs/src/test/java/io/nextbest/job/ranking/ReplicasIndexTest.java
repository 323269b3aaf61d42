package io.nextbest.job.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The rankers' replica of the neighbour index: cosines from the newest dot products and norms. */
class ReplicasIndexTest {

    @Test
    void aCosineUsesTheAnchorsDotProductAndEachSidesNewestNorm() {
        Replicas index = new Replicas();
        index.putNeighbours("i", 4, new String[] {"a", "b"}, new double[] {1.5, 3.0}, 10);
        // a and b have not published yet: no norm, so no cosine
        assertThat(index.top("i", 10, 0, 1.0).items).isEmpty();
        assertThat(index.indexSize()).isEqualTo(1);
        index.putNeighbours("a", 3, new String[] {"i"}, new double[] {1.5}, 11);
        index.putNeighbours("b", 9, new String[] {"i"}, new double[] {3.0}, 12);
        AnchorNeighbours top = index.top("i", 10, 0, 0.5);
        // b: 3/√(4·9) = 0.5; a: 1.5/√(4·3) = 0.4330127018922193
        assertThat(top.anchor).isEqualTo("i");
        assertThat(top.anchorWeight).isEqualTo(0.5);
        assertThat(top.ids()).containsExactly("b", "a");
        assertThat(top.similarities[0]).isCloseTo(0.5, within(1e-15));
        assertThat(top.similarities[1]).isCloseTo(0.4330127018922193, within(1e-15));

        // b's norm grows through customers that never saw i: i does not publish again, the cosine follows
        index.putNeighbours("b", 36, new String[] {"i"}, new double[] {3.0}, 20);
        top = index.top("i", 10, 0, 1.0);
        assertThat(top.ids()).containsExactly("a", "b"); // b: 3/√(4·36) = 0.25
        assertThat(top.similarities[1]).isCloseTo(0.25, within(1e-15));
        assertThat(index.indexSize()).isEqualTo(3);
        assertThat(index.neighbourSlots()).isEqualTo(4);
    }

    @Test
    void theBestKByCosineWithTiesByIdAndNeighboursWithoutANormLeftOut() {
        Replicas index = new Replicas();
        // dots of i with others; ‖i‖² = 4; e never published a norm
        index.putNeighbours("i", 4, new String[] {"c2", "b", "a2", "d", "e", "f"},
                new double[] {2.0, 3.0, 1.0, 4.0, 6.0, 2.0}, 1);
        double[][] norms = {{1.0}, {4.0}, {0.25}, {16.0}, {6.0}};
        String[] ids = {"c2", "b", "a2", "d", "f"};
        for (int k = 0; k < ids.length; k++) {
            index.putNeighbours(ids[k], norms[k][0], new String[0], new double[0], 1);
        }
        // c2: 2/√(4·1) = 1; a2: 1/√(4·0.25) = 1 (tie: a2 before c2); b: 3/√16 = 0.75; d: 4/√64 = 0.5;
        // f: 2/√24 = 0.4082482904638631
        AnchorNeighbours top = index.top("i", 10, 0, 0.625);
        assertThat(top.ids()).containsExactly("a2", "c2", "b", "d", "f");
        double[] expected = {1.0, 1.0, 0.75, 0.5, 0.4082482904638631};
        for (int k = 0; k < expected.length; k++) {
            assertThat(top.similarities[k]).as(top.items[k].id()).isCloseTo(expected[k], within(1e-12));
        }
        assertThat(index.top("i", 2, 0, 1.0).ids()).containsExactly("a2", "c2");
    }

    @Test
    void anItemWithoutEvidenceLeftHasNoNeighboursAndIsNoNeighbour() {
        Replicas index = new Replicas();
        index.putNeighbours("i", 1, new String[] {"a", "b"}, new double[] {0.5, 1.0}, 1);
        index.putNeighbours("a", 1, new String[0], new double[0], 1);
        index.putNeighbours("b", 4, new String[0], new double[0], 1);
        assertThat(index.top("i", 10, 0, 1.0).ids()).containsExactly("a", "b"); // 0.5/√1 = 1/√4: a tie, by id
        index.putNeighbours("a", 0, new String[0], new double[0], 2); // a's last customer left
        assertThat(index.top("i", 10, 0, 1.0).ids()).containsExactly("b");
        index.putNeighbours("i", 0, new String[0], new double[0], 3);
        assertThat(index.top("i", 10, 0, 1.0).items).isEmpty();
        assertThat(index.top("never-seen", 10, 0, 1.0).items).isEmpty();
        assertThat(index.neighbourSlots()).isZero();
    }

    @Test
    void theAskingCustomersOwnEvidenceIsLeftOutExactly() {
        Replicas index = new Replicas();
        // dot(i,a) = 6 of which the customer's own 2·1; dot(i,b) = 2, all the customer's own
        index.putNeighbours("i", 13, new String[] {"a", "b"}, new double[] {6, 2}, 1);
        index.putNeighbours("a", 10, new String[] {"i"}, new double[] {6}, 1);
        index.putNeighbours("b", 4, new String[] {"i"}, new double[] {2}, 1);
        long own = index.markOwn(new String[] {"i", "a", "b"}, new double[] {2, 1, 1});
        AnchorNeighbours top = index.top("i", 10, own, 1.0);
        // (6 − 2·1) / √((13 − 4)·(10 − 1)) = 4/9; b has no other evidence
        assertThat(top.ids()).containsExactly("a");
        assertThat(top.similarities[0]).isCloseTo(4.0 / 9, within(1e-15));
        // plain: a 6/√130, b 2/√52; the mark of another list does not apply
        AnchorNeighbours plain = index.top("i", 1, 0, 1.0);
        assertThat(plain.ids()).containsExactly("a");
        assertThat(plain.similarities[0]).isCloseTo(6 / Math.sqrt(130), within(1e-15));
        long other = index.markOwn(new String[] {"x"}, new double[] {1});
        assertThat(index.top("i", 10, other, 1.0).ids()).containsExactly("a", "b");
        // an anchor that only the customer has: nothing from others
        index.putNeighbours("lonely", 4, new String[] {"a"}, new double[] {2}, 1);
        long mine = index.markOwn(new String[] {"lonely", "a"}, new double[] {2, 1});
        assertThat(index.top("lonely", 10, mine, 1.0).items).isEmpty();
    }
}
