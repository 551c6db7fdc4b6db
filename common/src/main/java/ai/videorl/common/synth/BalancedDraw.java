package ai.videorl.common.synth;

import java.util.Random;

/**
 * Draws that are uniform per video and exactly balanced over every block of {@value #BLOCK}
 * consecutive videos: within a block each of k values (k dividing 12: 2, 3, 4, 6) comes up
 * 12/k times, in an order shuffled from (seed, attribute, block). This is how answer letters,
 * counts, yes/no and answer colours come out balanced by construction instead of by luck, while
 * a video's draw still depends only on (seed, its index).
 */
final class BalancedDraw {

    static final int BLOCK = 12;

    private final long seed;
    private final long attribute;
    private final int values;

    BalancedDraw(long seed, long attribute, int values) {
        if (values <= 0 || BLOCK % values != 0) {
            throw new IllegalArgumentException(values + " values do not divide a block of " + BLOCK);
        }
        this.seed = seed;
        this.attribute = attribute;
        this.values = values;
    }

    /** The value in [0, values) for video {@code index}. */
    int valueFor(int index) {
        Random random = Seeds.random(seed, attribute, index / BLOCK);
        int[] slots = new int[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            slots[i] = i % values;
        }
        // Fisher-Yates, spelled out so the order never depends on a library's shuffle.
        for (int i = BLOCK - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = slots[i];
            slots[i] = slots[j];
            slots[j] = swap;
        }
        return slots[index % BLOCK];
    }
}
