package io.nextbest.job.similarity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The rankers' replica of the neighbour index: cosines from the newest dot products and norms. */
class NeighbourIndexTest {

    @Test
    void aCosineUsesTheAnchorsDotProductAndEachSidesNewestNorm() {
        NeighbourIndex index = new NeighbourIndex();
        index.put("i", 4, new String[] {"a", "b"}, new double[] {1.5, 3.0}, 10);
        // a and b have not published yet: no norm, so no cosine
        assertThat(index.top("i", 10, null, null, 1.0).items).isEmpty();
        assertThat(index.size()).isEqualTo(1);
        index.put("a", 3, new String[] {"i"}, new double[] {1.5}, 11);
        index.put("b", 9, new String[] {"i"}, new double[] {3.0}, 12);
        AnchorNeighbours top = index.top("i", 10, null, null, 0.5);
        // b: 3/√(4·9) = 0.5; a: 1.5/√(4·3) = 0.4330127018922193
        assertThat(top.anchor).isEqualTo("i");
        assertThat(top.anchorWeight).isEqualTo(0.5);
        assertThat(top.items).containsExactly("b", "a");
        assertThat(top.similarities[0]).isCloseTo(0.5, within(1e-15));
        assertThat(top.similarities[1]).isCloseTo(0.4330127018922193, within(1e-15));

        // b's norm grows through customers that never saw i: i does not publish again, the cosine follows
        index.put("b", 36, new String[] {"i"}, new double[] {3.0}, 20);
        top = index.top("i", 10, null, null, 1.0);
        assertThat(top.items).containsExactly("a", "b"); // b: 3/√(4·36) = 0.25
        assertThat(top.similarities[1]).isCloseTo(0.25, within(1e-15));
        assertThat(index.asOf("b")).isEqualTo(20);
        assertThat(index.size()).isEqualTo(3);
        assertThat(index.neighbourSlots()).isEqualTo(4);
    }

    @Test
    void anItemWithoutEvidenceLeftHasNoNeighboursAndIsNoNeighbour() {
        NeighbourIndex index = new NeighbourIndex();
        index.put("i", 1, new String[] {"a", "b"}, new double[] {0.5, 1.0}, 1);
        index.put("a", 1, new String[0], new double[0], 1);
        index.put("b", 4, new String[0], new double[0], 1);
        assertThat(index.top("i", 10, null, null, 1.0).items).containsExactly("b", "a");
        index.put("a", 0, new String[0], new double[0], 2); // a's last customer left
        assertThat(index.top("i", 10, null, null, 1.0).items).containsExactly("b");
        index.put("i", 0, new String[0], new double[0], 3);
        assertThat(index.top("i", 10, null, null, 1.0).items).isEmpty();
        assertThat(index.top("never-seen", 10, null, null, 1.0).items).isEmpty();
        assertThat(index.neighbourSlots()).isZero();
    }

    @Test
    void theAskingCustomersOwnEvidenceIsLeftOutExactly() {
        NeighbourIndex index = new NeighbourIndex();
        // dot(i,a) = 6 of which the customer's own 2·1; dot(i,b) = 2, all the customer's own
        index.put("i", 13, new String[] {"a", "b"}, new double[] {6, 2}, 1);
        index.put("a", 10, new String[] {"i"}, new double[] {6}, 1);
        index.put("b", 4, new String[] {"i"}, new double[] {2}, 1);
        AnchorNeighbours top = index.top("i", 10, new String[] {"i", "a", "b"}, new double[] {2, 1, 1}, 1.0);
        // (6 − 2·1) / √((13 − 4)·(10 − 1)) = 4/9; b has no other evidence
        assertThat(top.items).containsExactly("a");
        assertThat(top.similarities[0]).isCloseTo(4.0 / 9, within(1e-15));
        // plain: a 6/√130, b 2/√52
        AnchorNeighbours plain = index.top("i", 1, null, null, 1.0);
        assertThat(plain.items).containsExactly("a");
        assertThat(plain.similarities[0]).isCloseTo(6 / Math.sqrt(130), within(1e-15));
    }
}
