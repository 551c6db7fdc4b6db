package ai.videorl.common.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Python's reading of text where the recipes' reference code relies on it: what {@code str.isspace},
 * {@code str.strip()}, {@code str.split()} and a regular expression's {@code \s} count as
 * whitespace, where {@code str.splitlines()} breaks lines, {@code \d}'s digits, and the numbers
 * {@code float()} and {@code int()} read. Java's {@code Character.isWhitespace} differs on the
 * no-break spaces (U+00A0, U+2007, U+202F) and U+0085, which Python treats as space; a model that
 * writes one must score as the reference scores it.
 */
public final class PythonText {

    /** A character class, for Java regular expressions, of exactly the characters {@link #isSpace} accepts. */
    public static final String SPACE_CLASS =
            "[\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";

    /** Longer "numbers" are not answers; the bound keeps parsing cheap. */
    private static final int LONGEST_NUMBER = 100;
    /** Digits (and a sign) a long always holds. */
    private static final int LONGEST_LONG = 18;
    private static final String DIGITS = "\\d(?:_?\\d)*";
    private static final Pattern INTEGER = Pattern.compile("[+-]?" + DIGITS);
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:" + DIGITS + "(?:\\.(?:" + DIGITS + ")?)?|\\." + DIGITS + ")(?:[eE][+-]?" + DIGITS + ")?");

    private PythonText() {
    }

    /** Python's {@code str.isspace} for one character. */
    public static boolean isSpace(char c) {
        if (c < 0x80) {
            return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\u001C' && c <= '\u001F');
        }
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

    /** Python's {@code str.strip(chars)}: {@code text} without the characters of {@code chars} at either end. */
    public static String strip(String text, String chars) {
        int start = 0;
        int end = text.length();
        while (start < end && chars.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && chars.indexOf(text.charAt(end - 1)) >= 0) {
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

    /** {@code text} with every digit of any script written as its ASCII digit. */
    public static String asciiDigits(String text) {
        StringBuilder ascii = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            ascii.append(isDigit(c) ? (char) ('0' + Character.digit(c, 10)) : c);
        }
        return ascii.toString();
    }

    /**
     * Python's {@code float(text)}: outer whitespace, a sign, digits (of any script) with single
     * underscores between them, a point, an exponent; null for anything else, and for infinities
     * and nan, which no answer means (Python's {@code min(1, nan)} is 1: a reward would pay for one).
     */
    public static Double parseFloat(String text) {
        String ascii = asciiDigits(strip(text));
        if (ascii.length() > LONGEST_NUMBER || !FLOAT.matcher(ascii).matches()) {
            return null;
        }
        double value = Double.parseDouble(ascii.replace("_", ""));
        return Double.isFinite(value) ? value : null;
    }

    /** Python's {@code int(text)}: outer whitespace, a sign, digits with single underscores between; null beyond a long. */
    public static Long parseInt(String text) {
        String ascii = asciiDigits(strip(text));
        if (ascii.length() > LONGEST_LONG || !INTEGER.matcher(ascii).matches()) {
            return null;
        }
        return Long.parseLong(ascii.replace("_", ""));
    }
}
