package ai.videorl.common.data;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RolloutSeedsTest {

    @Test
    void theSameRolloutAlwaysGetsTheSameSeed() {
        assertEquals(RolloutSeeds.of(42, 3, "000017-mc", 5), RolloutSeeds.of(42, 3, "000017-mc", 5));
        // Pinned: the seed of a rollout must not change between releases, or resumed runs would diverge.
        assertEquals(-1558584657510685294L, RolloutSeeds.of(1, 0, "a", 0));
    }

    @Test
    void everyComponentChangesTheSeed() {
        long base = RolloutSeeds.of(42, 3, "000017-mc", 5);
        assertNotEquals(base, RolloutSeeds.of(43, 3, "000017-mc", 5));
        assertNotEquals(base, RolloutSeeds.of(42, 4, "000017-mc", 5));
        assertNotEquals(base, RolloutSeeds.of(42, 3, "000017-mk", 5));
        assertNotEquals(base, RolloutSeeds.of(42, 3, "000017-mc", 6));
    }

    @Test
    void aGridOfRolloutsHasNoCollisions() {
        Set<Long> seeds = new HashSet<>();
        for (int iteration = 0; iteration < 20; iteration++) {
            for (int prompt = 0; prompt < 200; prompt++) {
                for (int sample = 0; sample < 16; sample++) {
                    seeds.add(RolloutSeeds.of(7, iteration, String.format("%06d-mc", prompt), sample));
                }
            }
        }
        assertEquals(20 * 200 * 16, seeds.size());
    }
}
