package ai.videorl.common.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's reading of text where the recipes' reference code relies on it: what {@code str.isspace},
 * {@code str.strip()}, {@code str.split()} and a regular expression's {@code \s} count as
 * whitespace, where {@code str.splitlines()} breaks lines, and {@code \d}'s digits. Java's {@code Character.isWhitespace} differs on the
 * no-break spaces (U+00A0, U+2007, U+202F) and U+0085, which Python treats as space; a model that
 * writes one must score as the reference scores it.
 */
public final class PythonText {

    /** A character class, for Java regular expressions, of exactly the characters {@link #isSpace} accepts. */
    public static final String SPACE_CLASS =
            "[\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";

    private PythonText() {
    }

    /** Python's {@code str.isspace} for one character. */
    public static boolean isSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', '\u001C', '\u001D', '\u001E', '\u001F', ' ', '\u0085', '\u00A0', '\u1680',
                 '\u2028', '\u2029', '\u202F', '\u205F', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }

    /** Python's {@code str.strip()}. */
    public static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** Python's {@code str.split()}: the runs of non-space characters. */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(text.substring(start, i));
            }
        }
        return words;
    }

    /** Python's {@code str.splitlines()}: the lines, split at every line boundary Python knows, without them. */
    public static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (isLineBoundary(c)) {
                lines.add(text.substring(start, i));
                i += c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < n) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static boolean isLineBoundary(char c) {
        return switch (c) {
            case '\n', '\r', '\u000B', '\f', '\u001C', '\u001D', '\u001E', '\u0085', '\u2028', '\u2029' -> true;
            default -> false;
        };
    }

    /** The index of the first non-space character in text[from, to), or {@code to}. */
    public static int skipSpace(String text, int from, int to) {
        while (from < to && isSpace(text.charAt(from))) {
            from++;
        }
        return from;
    }

    /** Whether {@code c} is a decimal digit of any script, as a regular expression's {@code \d} and {@code float()} read it. */
    public static boolean isDigit(char c) {
        return Character.getType(c) == Character.DECIMAL_DIGIT_NUMBER;
    }
}
