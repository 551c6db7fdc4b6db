package ai.videorl.common.data;

import java.nio.charset.StandardCharsets;

/**
 * The seed of one rollout's random draws, from (run seed, iteration, prompt id, sample index)
 * alone — never from which executor, partition or attempt runs it — so a Spark task re-run after
 * an executor loss regenerates exactly the same rollouts. Mixed with SplitMix64's finaliser, so
 * neighbouring inputs give unrelated seeds.
 */
public final class RolloutSeeds {

    private RolloutSeeds() {
    }

    public static long of(long runSeed, long iteration, String promptId, int sampleIndex) {
        long hash = mix(runSeed);
        hash = mix(hash ^ iteration);
        for (byte b : promptId.getBytes(StandardCharsets.UTF_8)) {
            hash = mix(hash ^ (b & 0xFF));
        }
        return mix(hash ^ sampleIndex);
    }

    private static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
