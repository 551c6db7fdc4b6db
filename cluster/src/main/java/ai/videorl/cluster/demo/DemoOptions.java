package ai.videorl.cluster.demo;

import ai.videorl.cluster.model.PolicyArchitecture;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.recipe.Recipes;

import java.util.List;
import java.util.Objects;

/**
 * What {@code demo} runs.
 *
 * @param out the run directory
 * @param model the policy's architecture: the tiny policy, or a Qwen2.5-VL-architecture one fully fine-tuned from scratch
 * @param recipe the GRPO recipe
 * @param iterations GRPO iterations
 * @param seed seeds the benchmark, the policy and every rollout
 * @param trainVideos synthetic training videos (five questions each)
 * @param heldOutVideos synthetic held-out videos, for the evaluations before and after GRPO
 * @param perceptionSteps SFT steps that train the frame encoder on each frame's objects, first
 * @param captionSteps SFT steps on the training videos' captions, after the perception steps
 * @param sftSteps SFT steps on the recipe's reference responses, after the caption steps
 * @param overrides {@code key=value} settings for both stages, applied after the demo's own
 */
public record DemoOptions(String out, PolicyArchitecture model, String recipe, int iterations, long seed, int trainVideos, int heldOutVideos,
                          int perceptionSteps, int captionSteps, int sftSteps, List<String> overrides) {

    public DemoOptions {
        overrides = List.copyOf(overrides);
        Objects.requireNonNull(model, "model");
        if (model != PolicyArchitecture.TINY && perceptionSteps > 0) {
            throw VideoRlException.invalidConfiguration("--perception-steps trains the tiny policy's frame encoder; " + model
                    + " has no such stage (give 0)");
        }
        if (!Recipes.names().contains(recipe)) {
            throw VideoRlException.invalidConfiguration("unknown recipe '" + recipe + "'; choose one of " + Recipes.names());
        }
        if (iterations < 1 || trainVideos < 1 || heldOutVideos < 1 || perceptionSteps < 0 || captionSteps < 0
                || sftSteps < 0) {
            throw VideoRlException.invalidConfiguration("--iterations, --train-videos and --held-out-videos must be positive and"
                    + " --perception-steps, --caption-steps and --sft-steps at least 0");
        }
    }
}
