package ai.videorl.common.recipe;

import ai.videorl.common.data.GroundedText;
import ai.videorl.common.util.Registry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The registry of recipes by name. Unknown names fail with the list of valid ones. */
public final class Recipes {

    private static final Registry<Supplier<Recipe<?>>> REGISTRY = Registry.of("recipe",
            Map.entry(VideoP2R.NAME, VideoP2R::new),
            Map.entry(VideoAutoR1.NAME, VideoAutoR1::new),
            Map.entry(VideoR2.NAME, VideoR2::new));

    /** The template markers of all recipes, which a policy's vocabulary keeps as single pieces. */
    public static final List<String> TEMPLATE_PIECES = List.of(
            Tags.open(Tags.OBSERVATION), Tags.close(Tags.OBSERVATION), Tags.open(Tags.THINK), Tags.close(Tags.THINK),
            Tags.open(Tags.ANSWER), Tags.close(Tags.ANSWER), Boxes.KEYWORD, GroundedText.SEPARATOR);

    private Recipes() {
    }

    /** Recipe names, in registration order. */
    public static Set<String> names() {
        return REGISTRY.names();
    }

    public static Recipe<?> create(String name) {
        return REGISTRY.get(name).get();
    }
}
