package ai.videorl.common.recipe;

import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.reward.RewardServices;
import ai.videorl.common.reward.RewardScorer;
import ai.videorl.common.util.Registry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecipesTest {

    @Test
    void registersTheThreeRecipesUnderTheirNames() {
        assertEquals(List.of("videop2r", "videoauto-r1", "video-r2"), List.copyOf(Recipes.names()));
        for (String name : Recipes.names()) {
            Recipe<?> recipe = Recipes.create(name);
            assertEquals(name, recipe.name());
            new RewardScorer<>(recipe.terms());
            assertTrue(recipe.instructions().length() > 50);
        }
    }

    @Test
    void unknownNamesListTheValidOnes() {
        VideoRlException error = assertThrows(VideoRlException.class, () -> Recipes.create("video-r1"));
        assertTrue(error.getMessage().contains("[videop2r, videoauto-r1, video-r2]"), error.getMessage());
    }

    @Test
    void aDuplicateRegistrationFails() {
        Function<RewardServices, Recipe<?>> factory = VideoR2::new;
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> Registry.of("recipe", Map.entry("x", factory), Map.entry("x", factory)));
        assertEquals("recipe 'x' is registered twice", error.getMessage());
    }
}
