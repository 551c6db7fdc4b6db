package ai.videorl.common.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects a {@link VocabularyTokenizer}'s pieces: the specials, the given tags, every printable
 * ASCII character with tab, line feed and carriage return, then every word of the corpus (an ASCII letter run, with the space before it
 * when it has one: " red" and "red" are different pieces) seen at least {@code minimumCount}
 * times, most frequent first (ties alphabetical), so the same corpus always gives the same ids.
 */
final class VocabularyBuilder {

    private VocabularyBuilder() {
    }

    static VocabularyTokenizer build(Iterable<String> texts, List<String> tags, int minimumCount) {
        if (minimumCount < 1) {
            throw new IllegalArgumentException("the minimum count must be at least 1, got " + minimumCount);
        }
        Set<String> pieces = new LinkedHashSet<>(VocabularyTokenizer.SPECIALS);
        pieces.addAll(tags);
        for (char c = ' '; c <= '~'; c++) {
            pieces.add(String.valueOf(c));
        }
        pieces.addAll(List.of("\t", "\n", "\r"));
        Map<String, Integer> counts = new HashMap<>();
        for (String text : texts) {
            countWords(text, counts);
        }
        List<Map.Entry<String, Integer>> frequent = new ArrayList<>();
        counts.forEach((word, count) -> {
            if (count >= minimumCount && word.length() > 1) {
                frequent.add(Map.entry(word, count));
            }
        });
        frequent.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        frequent.forEach(entry -> pieces.add(entry.getKey()));
        return new VocabularyTokenizer(new ArrayList<>(pieces));
    }

    /** Counts ASCII letter runs, each with the single space before it when there is one. */
    private static void countWords(String text, Map<String, Integer> counts) {
        int i = 0;
        while (i < text.length()) {
            if (!isLetter(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && isLetter(text.charAt(i))) {
                i++;
            }
            boolean spaced = start > 0 && text.charAt(start - 1) == ' ';
            counts.merge(text.substring(spaced ? start - 1 : start, i), 1, Integer::sum);
        }
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\'';
    }
}
