package ai.videorl.cluster.model.hf;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** The names nearest a missing one by edit distance, for error messages (a typo or a renamed prefix). */
final class CloseNames {

    private CloseNames() {
    }

    static List<String> nearest(String wanted, Collection<String> names, int count) {
        record Scored(String name, int distance) {
        }
        return names.stream()
                .map(name -> new Scored(name, distance(wanted, name)))
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
                .limit(count)
                .map(Scored::name)
                .toList();
    }

    /** Levenshtein distance, two rows at a time. */
    static int distance(String first, String second) {
        int[] previous = new int[second.length() + 1];
        int[] current = new int[second.length() + 1];
        for (int j = 0; j <= second.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= first.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= second.length(); j++) {
                int substitution = previous[j - 1] + (first.charAt(i - 1) == second.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[second.length()];
    }
}
