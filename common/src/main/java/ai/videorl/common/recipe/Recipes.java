package ai.videorl.common.recipe;

import ai.videorl.common.data.GroundedText;
import ai.videorl.common.reward.RewardServices;
import ai.videorl.common.util.Registry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The registry of recipes by name. Unknown names fail with the list of valid ones. */
public final class Recipes {

    private static final Registry<Function<RewardServices, Recipe<?>>> REGISTRY = Registry.of("recipe",
            Map.entry(VideoP2R.NAME, VideoP2R::new),
            Map.entry(VideoAutoR1.NAME, services -> new VideoAutoR1()),
            Map.entry(VideoR2.NAME, VideoR2::new));

    /** The template markers of all recipes, which a policy's vocabulary keeps as single pieces. */
    public static final List<String> TEMPLATE_PIECES = List.of(
            Tags.open(Tags.OBSERVATION), Tags.close(Tags.OBSERVATION), Tags.THINK_OPEN, Tags.THINK_CLOSE,
            Tags.ANSWER_OPEN, Tags.ANSWER_CLOSE, Boxes.KEYWORD, GroundedText.SEPARATOR);

    private Recipes() {
    }

    /** Recipe names, in registration order. */
    public static Set<String> names() {
        return REGISTRY.names();
    }

    /** The recipe with only the terms that need no service. */
    public static Recipe<?> create(String name) {
        return create(name, RewardServices.NONE);
    }

    /** The recipe with the terms its configured services allow (a judge, an embedder). */
    public static Recipe<?> create(String name, RewardServices services) {
        return REGISTRY.get(name).apply(services);
    }
}
