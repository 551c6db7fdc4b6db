package ai.videorl.common.reward;

/** The values that earlier terms gave one rollout, read by name. */
@FunctionalInterface
public interface TermRow {

    /** @throws IllegalArgumentException when no earlier term has this name */
    double get(String term);
}
