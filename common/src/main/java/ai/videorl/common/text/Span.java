package ai.videorl.common.text;

/** A half-open range {@code [start, end)} of character offsets into a completion, or of token indices. */
public record Span(int start, int end) {

    public static final Span EMPTY = new Span(0, 0);

    public Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("not a span: [" + start + ", " + end + ")");
        }
    }

    public int length() {
        return end - start;
    }

    public boolean isEmpty() {
        return start == end;
    }

    public String of(CharSequence text) {
        return text.subSequence(start, end).toString();
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
