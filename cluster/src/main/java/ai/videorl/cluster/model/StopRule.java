package ai.videorl.cluster.model;

import ai.videorl.common.text.VocabularyTokenizer;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * When a response is complete, besides the end token and the length limit: asked after every
 * token a row draws, with what the row has drawn so far (an early exit judges its first answer's
 * confidence from the log-probabilities).
 */
@FunctionalInterface
public interface StopRule extends Serializable {

    /** Never stops early. */
    StopRule NONE = (response, logProbs) -> false;

    /**
     * @param response the tokens generated so far, the newest last
     * @param logProbs each of those tokens' log-probability, as {@link Policy.Generation} reports it
     */
    boolean shouldStop(int[] response, double[] logProbs);

    /** Stops right after any of these tokens (e.g. {@code <think>} for an answer-first decode). */
    static StopRule afterTokens(Set<Integer> tokens) {
        Set<Integer> stops = Set.copyOf(tokens);
        return (response, logProbs) -> response.length > 0 && stops.contains(response[response.length - 1]);
    }

    /** Stops once the decoded text ends with any of these strings. */
    static StopRule afterStrings(VocabularyTokenizer tokenizer, List<String> strings) {
        List<String> stops = List.copyOf(strings);
        int longest = stops.stream().mapToInt(String::length).max().orElse(0);
        return (response, logProbs) -> {
            // Only the last pieces can complete a stop string: decode a bounded tail.
            int from = Math.max(0, response.length - longest);
            String tail = tokenizer.decode(java.util.Arrays.copyOfRange(response, from, response.length));
            return stops.stream().anyMatch(tail::endsWith);
        };
    }
}
