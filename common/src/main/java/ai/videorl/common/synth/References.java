package ai.videorl.common.synth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reference responses for one sample, one per recipe, for the supervised warm start.
 *
 * @param id the sample's id
 * @param responses recipe name to the response in that recipe's template, in recipe registry order
 * @param caption a dense description of the sample's video (every shape and when it is visible),
 *                the target of SFT's caption stage
 * @param objects the video's shapes and when each is visible, the targets of SFT's perception stage
 */
public record References(String id, Map<String, String> responses, String caption, List<VisibleObject> objects) {

    public References {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(caption, "caption");
        objects = List.copyOf(objects);
        responses = Collections.unmodifiableMap(new LinkedHashMap<>(responses));
    }

    /** The response for {@code recipe}; fails naming the recipes there are. */
    public String of(String recipe) {
        String response = responses.get(recipe);
        if (response == null) {
            throw new IllegalArgumentException("no reference for recipe '" + recipe + "'; have " + responses.keySet());
        }
        return response;
    }
}
