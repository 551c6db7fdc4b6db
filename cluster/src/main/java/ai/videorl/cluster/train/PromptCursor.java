package ai.videorl.cluster.train;

import ai.videorl.common.data.RolloutSeeds;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The order prompts are drawn in: epoch after epoch over every prompt id, each epoch shuffled by
 * (run seed, epoch) alone. The position (prompts drawn so far) is the whole state, so a checkpoint
 * stores one number and a resumed run draws exactly what the uninterrupted one would have.
 */
public final class PromptCursor {

    private final List<String> ids;
    private final long seed;
    private long position;
    private long shuffledEpoch = -1;
    private List<String> order = List.of();

    /** @param ids every prompt id, in a fixed order (sorted) */
    public PromptCursor(List<String> ids, long seed, long position) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no prompts to draw from");
        }
        this.ids = List.copyOf(ids);
        this.seed = seed;
        this.position = position;
    }

    /** The next {@code count} prompt ids (one id appears twice only when {@code count} exceeds an epoch). */
    public List<String> next(int count) {
        List<String> drawn = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long epoch = position / ids.size();
            if (epoch != shuffledEpoch) {
                List<String> shuffled = new ArrayList<>(ids);
                Collections.shuffle(shuffled, new Random(RolloutSeeds.of(seed, epoch, "prompt-order", 0)));
                order = shuffled;
                shuffledEpoch = epoch;
            }
            drawn.add(order.get((int) (position % ids.size())));
            position++;
        }
        return drawn;
    }

    public long position() {
        return position;
    }

    public int size() {
        return ids.size();
    }
}
