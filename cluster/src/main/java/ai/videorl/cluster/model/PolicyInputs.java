package ai.videorl.cluster.model;

/**
 * A batch of prompts with their videos, in the form one architecture's policy reads (built by its
 * {@link PolicyProcessor}); a policy refuses another architecture's inputs.
 */
public interface PolicyInputs {

    /** Prompts in the batch. */
    int batch();

    /**
     * Each prompt {@code n} times in a row, sharing its video: a batch holding the n rollouts of
     * each group, to decode with one seed per rollout.
     */
    PolicyInputs repeatEach(int n);
}
