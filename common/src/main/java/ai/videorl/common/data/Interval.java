package ai.videorl.common.data;

/** A closed time interval in seconds, {@code start <= end}. */
public record Interval(double start, double end) {

    public Interval {
        if (!Double.isFinite(start) || !Double.isFinite(end) || start < 0 || end < start) {
            throw new IllegalArgumentException("not an interval: [" + start + ", " + end + "]");
        }
    }

    /** The interval between two points in either order. */
    public static Interval between(double a, double b) {
        return new Interval(Math.min(a, b), Math.max(a, b));
    }

    public double length() {
        return end - start;
    }

    /** Temporal intersection over union; 0 when the union has no length. */
    public double iou(Interval other) {
        double intersection = Math.max(0, Math.min(end, other.end) - Math.max(start, other.start));
        double union = Math.max(end, other.end) - Math.min(start, other.start);
        return union > 0 ? intersection / union : 0;
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + "]";
    }
}
