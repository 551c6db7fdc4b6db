package ai.videorl.common.synth;

import java.util.Random;

/**
 * Independent random streams from (seed, stream, index): every video draws from its own stream,
 * so videos can be generated in any order, in parallel, and come out the same.
 * {@link Random}'s algorithm is fixed by its specification, so streams are the same on every JVM.
 */
final class Seeds {

    private Seeds() {
    }

    /** A generator for {@code (seed, stream, index)}. */
    static Random random(long seed, long stream, long index) {
        return new Random(mix(mix(mix(seed) ^ stream) ^ index));
    }

    /** SplitMix64's finaliser: nearby inputs give unrelated outputs. */
    static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
