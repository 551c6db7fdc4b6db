package ai.videorl.common.recipe;

import ai.videorl.common.data.GroundedText;
import ai.videorl.common.error.VideoRlException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The registry of recipes by name. Unknown names fail with the list of valid ones. */
public final class Recipes {

    private static final Map<String, Supplier<Recipe<?>>> REGISTRY = build(
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
        return REGISTRY.keySet();
    }

    public static Recipe<?> create(String name) {
        Supplier<Recipe<?>> factory = REGISTRY.get(name);
        if (factory == null) {
            throw VideoRlException.invalidConfiguration("unknown recipe '" + name + "'; expected one of " + names());
        }
        return factory.get();
    }

    @SafeVarargs
    static Map<String, Supplier<Recipe<?>>> build(Map.Entry<String, Supplier<Recipe<?>>>... entries) {
        Map<String, Supplier<Recipe<?>>> registry = new LinkedHashMap<>();
        for (Map.Entry<String, Supplier<Recipe<?>>> entry : entries) {
            if (registry.putIfAbsent(entry.getKey(), entry.getValue()) != null) {
                throw new IllegalStateException("recipe '" + entry.getKey() + "' is registered twice");
            }
        }
        return java.util.Collections.unmodifiableMap(registry);
    }
}
