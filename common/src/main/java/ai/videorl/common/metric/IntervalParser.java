package ai.videorl.common.metric;

import ai.videorl.common.data.Interval;
import ai.videorl.common.text.PythonText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds time intervals written in free text, as VideoAuto-R1's IoU reward reads them:
 * {@code [a, b]}, {@code (a, b)} or a bare {@code a SEP b} with SEP one of
 * {@code , - – — to and} (case-insensitive, any whitespace around it; a word separator stands
 * apart from the numbers, so "3to5" is no interval). Numbers are non-negative decimals
 * ({@code 12} or {@code 12.5}, digits of any script, as Python's {@code \d}) that are not glued to
 * other digits or dots, so {@code 1.2.3} holds no number. A reversed pair is swapped.
 *
 * <p>Brackets need no special case: {@code [a, b]} is the bare form with a comma inside
 * brackets. A hand-written scan instead of a regular expression keeps the cost linear in the
 * text length for any input.
 */
public final class IntervalParser {

    private static final Set<String> SEPARATORS = Set.of(",", "-", "–", "—", "to", "and");
    private static final int LONGEST_SEPARATOR = 3;

    private IntervalParser() {
    }

    /** The first interval in {@code text}, or null when there is none. */
    public static Interval first(String text) {
        List<Interval> found = scan(text, 1);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Every interval in {@code text}, left to right, no number used twice. */
    public static List<Interval> all(String text) {
        return scan(text, Integer.MAX_VALUE);
    }

    private static List<Interval> scan(String text, int limit) {
        List<Interval> found = new ArrayList<>();
        int previousEnd = -1;
        double previousValue = 0;
        int i = 0;
        int n = text.length();
        while (i < n && found.size() < limit) {
            if (!isNumberChar(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isNumberChar(text.charAt(i))) {
                i++;
            }
            if (!isDecimal(text, start, i)) {
                previousEnd = -1;
                continue;
            }
            double value = Double.parseDouble(PythonText.asciiDigits(text.substring(start, i)));
            if (Double.isInfinite(value)) {
                previousEnd = -1;
                continue;
            }
            if (previousEnd >= 0 && isSeparator(text, previousEnd, start)) {
                found.add(Interval.between(previousValue, value));
                previousEnd = -1;
            } else {
                previousEnd = i;
                previousValue = value;
            }
        }
        return found;
    }

    private static boolean isNumberChar(char c) {
        return PythonText.isDigit(c) || c == '.';
    }

    /** True when text[start, end) is {@code digits} or {@code digits.digits}. */
    private static boolean isDecimal(String text, int start, int end) {
        int dot = -1;
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == '.') {
                if (dot >= 0) {
                    return false;
                }
                dot = i;
            }
        }
        return dot != start && dot != end - 1;
    }

    /** True when text[from, to), between two numbers, is a separator with only whitespace around it. */
    private static boolean isSeparator(String text, int from, int to) {
        int start = PythonText.skipSpace(text, from, to);
        int end = to;
        while (end > start && PythonText.isSpace(text.charAt(end - 1))) {
            end--;
        }
        if (end - start > LONGEST_SEPARATOR || !SEPARATORS.contains(text.substring(start, end).toLowerCase(Locale.ROOT))) {
            return false;
        }
        // "to" and "and" need a word boundary on each side (the reference's \bto\b): a space, since digits are word characters.
        boolean word = Character.isLetter(text.charAt(start));
        return !word || (start > from && end < to);
    }
}
