package ai.videorl.common.grounding;

import ai.videorl.common.text.PythonText;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads timestamped claims. From reasoning text, deterministically (the default; an LLM extractor
 * may replace it): every time reference — {@code MM:SS}, {@code HH:MM:SS}, optionally with
 * decimals, a range {@code A-B} / {@code A – B} / {@code A to B}, or a phrase such as "at 12 s" /
 * "at 12.5 seconds" — with the sentence around it, the time references removed; seconds rounded
 * to whole numbers (half to even, as the reference rounds), reversed ranges swapped, open-ended ranges ("00:05-" with no end) dropped. A
 * hand-written scan keeps the cost linear in the text. From a claims map (the ground truth, or
 * what an LLM extractor listed), exactly as Video-R2's reference sanitises one ({@link #fromMap}).
 */
public final class ClaimParser {

    /** The reference's range separator: "-", "–", "—" or "to" (any case, even inside a word), whitespace around. */
    private static final Pattern RANGE_SEPARATOR = Pattern.compile(
            PythonText.SPACE_CLASS + "*(?:-|–|—|to)" + PythonText.SPACE_CLASS + "*", Pattern.CASE_INSENSITIVE);
    /** Far beyond any video; keeps a time's seconds exact in a long. */
    private static final double MAX_SECONDS = 1e15;

    private ClaimParser() {
    }

    /** The claims of a reasoning text, in the order they appear. */
    public static List<TimestampClaim> fromText(String text) {
        List<TimestampClaim> claims = new ArrayList<>();
        int sentenceStart = 0;
        int i = 0;
        while (i <= text.length()) {
            if (i == text.length() || isSentenceEnd(text, i)) {
                claimsOfSentence(text, sentenceStart, i, claims);
                sentenceStart = i + 1;
            }
            i++;
        }
        return claims;
    }

    /**
     * The claims of a map from time keys to sentences, as Video-R2's reference sanitises one: a
     * key is a time or a range of two (split at "-", "–", "—" or "to"); a time is
     * {@code [H:]M:S} with fractional seconds, or plain seconds, outer "+", "." and "," ignored,
     * rounded half to even; a range without an end ("00:05-end") is dropped, a reversed one
     * swapped; keys that come to the same time keep the first one's place and the last one's
     * sentence; claims with a blank sentence are dropped; the rest are ordered by their midpoint,
     * stably. Keys that are not times (or are negative) are skipped.
     */
    public static List<TimestampClaim> fromMap(Map<String, String> claims) {
        Map<List<Long>, String> sanitised = new LinkedHashMap<>();
        claims.forEach((key, sentence) -> {
            long[] span = keyInterval(key);
            if (span != null) {
                sanitised.put(List.of(Math.min(span[0], span[1]), Math.max(span[0], span[1])), sentence);
            }
        });
        List<TimestampClaim> parsed = new ArrayList<>();
        sanitised.forEach((span, sentence) -> {
            String text = sentence == null ? "" : PythonText.strip(sentence);
            if (!text.isEmpty()) {
                parsed.add(new TimestampClaim(span.get(0), span.get(1), text));
            }
        });
        parsed.sort(TimestampClaim.BY_MIDPOINT);
        return parsed;
    }

    /** A key's [start, end] in whole seconds, or null when it is no time, an open range or negative. */
    private static long[] keyInterval(String key) {
        String[] parts = RANGE_SEPARATOR.split(PythonText.strip(key), -1);
        if (parts.length > 2) {
            return null;
        }
        Long start = looseSeconds(parts[0]);
        Long end = parts.length == 2 ? looseSeconds(parts[1]) : start;
        if (start == null || end == null || start < 0 || end < 0) {
            return null;
        }
        return new long[] {start, end};
    }

    /** The reference's loose reading of one time: {@code [H:]M:S[.f]} or plain seconds; null for none ("end" included). */
    private static Long looseSeconds(String token) {
        String t = PythonText.strip(PythonText.strip(token), "+.,").toLowerCase(Locale.ROOT);
        if (t.equals("end") || t.equals("eof")) {
            return null;
        }
        if (t.indexOf(':') >= 0) {
            String[] fields = t.split(":", -1);
            if (fields.length < 2 || fields.length > 3) {
                return null;
            }
            Long hours = fields.length == 3 ? PythonText.parseInt(fields[0]) : Long.valueOf(0);
            Long minutes = PythonText.parseInt(fields[fields.length - 2]);
            Double seconds = PythonText.parseFloat(fields[fields.length - 1]);
            if (hours == null || minutes == null || seconds == null) {
                return null;
            }
            double total = hours * 3600.0 + minutes * 60.0 + seconds;
            return Math.abs(total) > MAX_SECONDS ? null : (long) Math.rint(total);
        }
        Long whole = PythonText.parseInt(t);
        if (whole != null) {
            return whole;
        }
        Double seconds = PythonText.parseFloat(t);
        return seconds == null || Math.abs(seconds) > MAX_SECONDS ? null : (long) Math.rint(seconds);
    }

    private static void claimsOfSentence(String text, int from, int to, List<TimestampClaim> claims) {
        List<TimeReference> times = references(text, from, to);
        if (times.isEmpty()) {
            return;
        }
        StringBuilder sentence = new StringBuilder();
        int position = from;
        for (TimeReference time : times) {
            sentence.append(text, position, withoutPreposition(text, position, time.start())).append(' ');
            // A colon or comma right after a time ("00:03: the end") only set it off.
            position = time.end() < to && ",:".indexOf(text.charAt(time.end())) >= 0 ? time.end() + 1 : time.end();
        }
        sentence.append(text, position, to);
        String cleaned = tidy(sentence.toString());
        for (TimeReference time : times) {
            claims.add(new TimestampClaim(time.from(), time.to(), cleaned));
        }
    }

    /** A time or range found in text[start, end). */
    private record TimeReference(int start, int end, long from, long to) {
    }

    private static List<TimeReference> references(String text, int from, int to) {
        List<TimeReference> found = new ArrayList<>();
        int i = from;
        while (i < to) {
            Clock first = clockAt(text, i, to);
            if (first == null) {
                Clock phrase = secondsPhraseAt(text, i, to);
                if (phrase != null) {
                    found.add(new TimeReference(i, phrase.end(), phrase.seconds(), phrase.seconds()));
                    i = phrase.end();
                } else {
                    i++;
                }
                continue;
            }
            int separatorEnd = rangeSeparatorEnd(text, first.end(), to);
            if (separatorEnd > 0) {
                Clock second = clockAt(text, separatorEnd, to);
                if (second == null) {
                    i = separatorEnd; // "00:05-" with no end: an open range, dropped
                    continue;
                }
                found.add(new TimeReference(i, second.end(), Math.min(first.seconds(), second.seconds()),
                        Math.max(first.seconds(), second.seconds())));
                i = second.end();
            } else {
                found.add(new TimeReference(i, first.end(), first.seconds(), first.seconds()));
                i = first.end();
            }
        }
        return found;
    }

    /** A clock time and where it ends. */
    private record Clock(long seconds, int end) {
    }

    /** {@code [H]H:MM[:SS][.fraction]} starting exactly at {@code i}, not glued to a digit before it. */
    private static Clock clockAt(String text, int i, int to) {
        if (i > 0 && (Character.isDigit(text.charAt(i - 1)) || text.charAt(i - 1) == ':')) {
            return null;
        }
        long[] fields = new long[3];
        int count = 0;
        int j = i;
        while (count < 3) {
            int digits = 0;
            long value = 0;
            while (j < to && Character.isDigit(text.charAt(j)) && digits < 2) {
                value = value * 10 + (text.charAt(j) - '0');
                j++;
                digits++;
            }
            if (digits == 0 || (count > 0 && digits != 2) || (count > 0 && value >= 60)) {
                break;
            }
            fields[count++] = value;
            if (j < to && text.charAt(j) == ':' && j + 1 < to && Character.isDigit(text.charAt(j + 1))) {
                j++;
            } else {
                break;
            }
        }
        if (count < 2 || (j < to && Character.isDigit(text.charAt(j)))) {
            return null;
        }
        double seconds = count == 3 ? fields[0] * 3600 + fields[1] * 60 + fields[2] : fields[0] * 60 + fields[1];
        int end = j;
        if (end + 1 < to && text.charAt(end) == '.' && Character.isDigit(text.charAt(end + 1))) {
            int fractionStart = ++end;
            while (end < to && Character.isDigit(text.charAt(end))) {
                end++;
            }
            seconds += Double.parseDouble("0." + text.substring(fractionStart, Math.min(end, fractionStart + 9)));
        }
        return new Clock((long) Math.rint(seconds), end);
    }

    /** "at 12 s", "at 12.5 seconds", "at 3 sec" starting exactly at {@code i}. */
    private static Clock secondsPhraseAt(String text, int i, int to) {
        if (!text.regionMatches(true, i, "at ", 0, 3) || (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)))) {
            return null;
        }
        int j = i + 3;
        int digitsStart = j;
        while (j < to && (Character.isDigit(text.charAt(j)) || (text.charAt(j) == '.' && j > digitsStart))) {
            j++;
        }
        if (j == digitsStart || text.charAt(j - 1) == '.' || j - digitsStart > 12) {
            return null;
        }
        double seconds = Double.parseDouble(text.substring(digitsStart, j));
        int unit = j < to && text.charAt(j) == ' ' ? j + 1 : j;
        for (String word : new String[] {"seconds", "second", "secs", "sec", "s"}) {
            int wordEnd = unit + word.length();
            if (text.regionMatches(true, unit, word, 0, word.length())
                    && (wordEnd >= to || !Character.isLetterOrDigit(text.charAt(wordEnd)))) {
                return new Clock((long) Math.rint(seconds), wordEnd);
            }
        }
        return null;
    }

    /** The end of a range separator ("-", "–", "—", "to") after a time ending at {@code i}, or -1. */
    private static int rangeSeparatorEnd(String text, int i, int to) {
        int j = i;
        while (j < to && text.charAt(j) == ' ') {
            j++;
        }
        if (j < to && "-–—".indexOf(text.charAt(j)) >= 0) {
            j++;
        } else if (text.regionMatches(true, j, "to ", 0, 3)) {
            j += 2;
        } else {
            return -1;
        }
        while (j < to && text.charAt(j) == ' ') {
            j++;
        }
        return j;
    }

    /** A sentence ends at '.', '!', '?', ';' or a line break — but not at a time's decimal point. */
    private static boolean isSentenceEnd(String text, int i) {
        char c = text.charAt(i);
        if (c == '\n' || c == '!' || c == '?' || c == ';') {
            return true;
        }
        return c == '.' && !(i > 0 && Character.isDigit(text.charAt(i - 1)) && i + 1 < text.length()
                && Character.isDigit(text.charAt(i + 1)));
    }

    private static final String[] PREPOSITIONS = {"at ", "from ", "between ", "around ", "until ", "by "};

    /** Where the text before a time ends once a preposition that only introduced the time ("at 00:03") is cut. */
    private static int withoutPreposition(String text, int from, int timeStart) {
        for (String word : PREPOSITIONS) {
            int start = timeStart - word.length();
            if (start >= from && text.regionMatches(true, start, word, 0, word.length())
                    && (start == from || !Character.isLetter(text.charAt(start - 1)))) {
                return start;
            }
        }
        return timeStart;
    }

    /** Collapses whitespace and strips the punctuation a removed time leaves at the edges. */
    private static String tidy(String sentence) {
        String collapsed = String.join(" ", PythonText.split(sentence));
        int start = 0;
        int end = collapsed.length();
        while (start < end && ",:;-–— ".indexOf(collapsed.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && ",:;-–— ".indexOf(collapsed.charAt(end - 1)) >= 0) {
            end--;
        }
        return collapsed.substring(start, end);
    }
}
