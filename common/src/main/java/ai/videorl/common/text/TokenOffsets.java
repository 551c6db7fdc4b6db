package ai.videorl.common.text;

import java.util.Arrays;

/**
 * Where each token of a completion starts and ends in its text, as tokenizers report offsets.
 * Maps character spans (from a recipe's parser) to token spans (for per-token advantages and
 * segment lengths): a token belongs to the span that holds its first character, so spans that
 * partition the text partition its tokens too.
 */
public final class TokenOffsets {

    private final int[] starts;
    private final int[] ends;

    private TokenOffsets(int[] starts, int[] ends) {
        this.starts = starts;
        this.ends = ends;
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
        return new TokenOffsets(starts.clone(), ends.clone());
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

    /** The tokens whose first character lies in {@code characters}. */
    public Span tokenSpan(Span characters) {
        return new Span(firstStartingAtOrAfter(characters.start()), firstStartingAtOrAfter(characters.end()));
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
        return other instanceof TokenOffsets that && Arrays.equals(starts, that.starts) && Arrays.equals(ends, that.ends);
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
