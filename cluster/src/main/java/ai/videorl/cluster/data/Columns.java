package ai.videorl.cluster.data;

/** Column names of the project's Spark tables, in one place. */
public final class Columns {

    // A sample, as in a manifest.
    public static final String ID = "id";
    public static final String VIDEO = "video";
    public static final String PROBLEM = "problem";
    public static final String PROBLEM_TYPE = "problem_type";
    public static final String OPTIONS = "options";
    /** The solution as its canonical JSON ({@code SampleJson}), so every shape survives Parquet. */
    public static final String SOLUTION = "solution";
    public static final String TEMPORAL_GROUNDING = "temporal_grounding";
    public static final String FACTS = "facts";
    public static final String DIFFICULTY = "difficulty";

    // Where a row came from, and what went wrong with it.
    public static final String LINE = "line";
    public static final String REASON = "reason";

    // What probing the video found.
    public static final String DURATION_SECONDS = "duration_s";
    public static final String FRAME_RATE = "frame_rate";
    public static final String FRAME_COUNT = "frame_count";
    public static final String WIDTH = "width";
    public static final String HEIGHT = "height";
    public static final String CODEC = "codec";
    /** Relative decode + generation cost of the prompt, for balancing partitions. */
    public static final String WEIGHT = "weight";
    /** {@code grpo} or {@code sft} when a dataset is split by difficulty. */
    public static final String SPLIT = "split";

    private Columns() {
    }
}
