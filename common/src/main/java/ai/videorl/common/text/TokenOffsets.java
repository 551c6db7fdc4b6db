package ai.videorl.common.text;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each token of a completion starts and ends in its text, as tokenizers report offsets.
 * Maps character spans (from a recipe's parser) to token spans (for per-token advantages and
 * segment lengths): a token belongs to the span that holds its first character, so spans that
 * partition the text partition its tokens too.
 */
public final class TokenOffsets {

    private final int[] starts;
    private final int[] ends;
    private final int textLength;

    private TokenOffsets(int[] starts, int[] ends, int textLength) {
        this.starts = starts;
        this.ends = ends;
        this.textLength = textLength;
    }

    /**
     * @param starts each token's first character, non-decreasing
     * @param ends each token's end (exclusive), {@code >=} its start, within {@code textLength}
     * @throws IllegalArgumentException naming the first bad token
     */
    public static TokenOffsets of(int[] starts, int[] ends, int textLength) {
        if (starts.length != ends.length) {
            throw new IllegalArgumentException(starts.length + " token starts but " + ends.length + " ends");
        }
        for (int i = 0; i < starts.length; i++) {
            boolean ordered = i == 0 || starts[i] >= starts[i - 1];
            if (starts[i] < 0 || ends[i] < starts[i] || ends[i] > textLength || !ordered) {
                throw new IllegalArgumentException("token " + i + " has offsets [" + starts[i] + ", " + ends[i]
                        + ") that are out of order or outside the text of length " + textLength);
            }
        }
        return new TokenOffsets(starts.clone(), ends.clone(), textLength);
    }

    public int size() {
        return starts.length;
    }

    public int start(int token) {
        return starts[token];
    }

    public int end(int token) {
        return ends[token];
    }

    /**
     * The tokens whose first character lies in {@code characters}. The non-empty span that reaches
     * the end of the text also owns the tokens that start there (an end-of-sequence token at
     * offset n). To map a partition of the text, use {@link #tokenSpans}, which gives those tokens
     * to exactly one of its spans, an empty text's included.
     */
    public Span tokenSpan(Span characters) {
        return tokenSpan(characters, ownsTheEnd(characters));
    }

    /**
     * The token spans of character spans that partition the text (a recipe's segments), in the
     * same order. Tokens that start at the end of the text go to the non-empty span that reaches
     * it or, when the text is empty (the policy ended its response at once), to the first span:
     * so the token spans partition every token, an end-of-sequence token included.
     */
    public <K> Map<K, Span> tokenSpans(Map<K, Span> characters) {
        K endOwner = null;
        for (Map.Entry<K, Span> entry : characters.entrySet()) {
            if ((endOwner == null && textLength == 0) || ownsTheEnd(entry.getValue())) {
                endOwner = entry.getKey();
            }
        }
        Map<K, Span> tokens = new LinkedHashMap<>();
        for (Map.Entry<K, Span> entry : characters.entrySet()) {
            tokens.put(entry.getKey(), tokenSpan(entry.getValue(), entry.getKey().equals(endOwner)));
        }
        return tokens;
    }

    private boolean ownsTheEnd(Span characters) {
        return characters.end() >= textLength && !characters.isEmpty();
    }

    private Span tokenSpan(Span characters, boolean ownsTheEnd) {
        int end = ownsTheEnd ? starts.length : firstStartingAtOrAfter(characters.end());
        return new Span(Math.min(firstStartingAtOrAfter(characters.start()), end), end);
    }

    /** Number of tokens whose first character lies in {@code characters}. */
    public int count(Span characters) {
        return tokenSpan(characters).length();
    }

    private int firstStartingAtOrAfter(int offset) {
        int low = 0;
        int high = starts.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (starts[mid] < offset) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenOffsets that && textLength == that.textLength && Arrays.equals(starts, that.starts)
                && Arrays.equals(ends, that.ends);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(starts) + Arrays.hashCode(ends);
    }

    @Override
    public String toString() {
        return "TokenOffsets[" + starts.length + " tokens]";
    }
}
