package ai.videorl.common.metric;

import opennlp.tools.stemmer.PorterStemmer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ROUGE-1, ROUGE-2 and ROUGE-L F1 with stemming, tokenised the way Google's rouge-score package
 * does: lower-case, every character outside {@code [a-z0-9]} becomes a space, and tokens longer
 * than 3 characters are Porter-stemmed. The free-form reward is the mean of the three.
 */
public final class Rouge {

    /** OpenNLP's stemmer keeps a buffer per instance: one per thread. */
    private static final ThreadLocal<PorterStemmer> STEMMER = ThreadLocal.withInitial(PorterStemmer::new);
    private static final int SHORTEST_STEMMED = 4;

    private Rouge() {
    }

    /** Mean of ROUGE-1, ROUGE-2 and ROUGE-L F1. */
    public static double meanF1(String predicted, String truth) {
        List<String> candidate = tokens(predicted);
        List<String> reference = tokens(truth);
        return (nGramF1(candidate, reference, 1) + nGramF1(candidate, reference, 2) + lcsF1(candidate, reference)) / 3;
    }

    static double nGramF1(List<String> candidate, List<String> reference, int n) {
        Map<List<String>, Integer> referenceCounts = nGrams(reference, n);
        Map<List<String>, Integer> candidateCounts = nGrams(candidate, n);
        int overlap = 0;
        for (Map.Entry<List<String>, Integer> entry : candidateCounts.entrySet()) {
            overlap += Math.min(entry.getValue(), referenceCounts.getOrDefault(entry.getKey(), 0));
        }
        return f1(overlap, Math.max(0, candidate.size() - n + 1), Math.max(0, reference.size() - n + 1));
    }

    static double lcsF1(List<String> candidate, List<String> reference) {
        return f1(longestCommonSubsequence(candidate, reference), candidate.size(), reference.size());
    }

    private static double f1(int overlap, int candidateTotal, int referenceTotal) {
        if (overlap == 0 || candidateTotal == 0 || referenceTotal == 0) {
            return 0;
        }
        double precision = (double) overlap / candidateTotal;
        double recall = (double) overlap / referenceTotal;
        return 2 * precision * recall / (precision + recall);
    }

    private static Map<List<String>, Integer> nGrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
        }
        return counts;
    }

    private static int longestCommonSubsequence(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String x : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = x.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }

    static List<String> tokens(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        PorterStemmer stemmer = STEMMER.get();
        int i = 0;
        while (i < lower.length()) {
            if (!isTokenChar(lower.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < lower.length() && isTokenChar(lower.charAt(i))) {
                i++;
            }
            String token = lower.substring(start, i);
            tokens.add(token.length() >= SHORTEST_STEMMED ? stemmer.stem(token) : token);
        }
        return tokens;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
