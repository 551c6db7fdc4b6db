package ai.videorl.common.advantage;

import ai.videorl.common.recipe.Segment;
import ai.videorl.common.text.Span;

import java.util.Map;

/** Spreads a rollout's per-segment advantages over its response tokens. */
public final class TokenAdvantages {

    private TokenAdvantages() {
    }

    /**
     * @param advantages the rollout's advantage for each segment
     * @param tokenSpans each segment's tokens; together they must cover {@code [0, length)} without overlap
     * @param length the number of response tokens
     * @return one advantage per token
     * @throws IllegalArgumentException when the spans leave a token out, overlap, or lack an advantage
     */
    public static double[] expand(Map<Segment, Double> advantages, Map<Segment, Span> tokenSpans, int length) {
        double[] perToken = new double[length];
        boolean[] covered = new boolean[length];
        for (Map.Entry<Segment, Span> entry : tokenSpans.entrySet()) {
            Double advantage = advantages.get(entry.getKey());
            if (advantage == null) {
                throw new IllegalArgumentException("no advantage for segment " + entry.getKey());
            }
            Span span = entry.getValue();
            if (span.end() > length) {
                throw new IllegalArgumentException("segment " + entry.getKey() + " " + span + " exceeds " + length + " tokens");
            }
            for (int t = span.start(); t < span.end(); t++) {
                if (covered[t]) {
                    throw new IllegalArgumentException("token " + t + " lies in two segments");
                }
                covered[t] = true;
                perToken[t] = advantage;
            }
        }
        for (int t = 0; t < length; t++) {
            if (!covered[t]) {
                throw new IllegalArgumentException("token " + t + " lies in no segment of " + tokenSpans);
            }
        }
        return perToken;
    }
}
