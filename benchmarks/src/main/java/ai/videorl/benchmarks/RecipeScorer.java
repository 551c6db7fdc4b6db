package ai.videorl.benchmarks;

import ai.videorl.common.data.Sample;
import ai.videorl.common.recipe.ParsedCompletion;
import ai.videorl.common.recipe.Recipe;
import ai.videorl.common.recipe.Recipes;
import ai.videorl.common.reward.RewardInput;
import ai.videorl.common.reward.RewardScorer;
import ai.videorl.common.reward.RewardTable;
import ai.videorl.common.text.WordPunctTokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * A recipe bound to its scorer, typed by the recipe's parse so that inputs and terms line up
 * without raw types or casts. Scoring is what {@code JsonlScorer} does per batch: parse each
 * completion, wrap it in a fresh {@link RewardInput} (tokens computed on demand) and run the
 * recipe's terms over the batch.
 *
 * @param <P> the recipe's parsed-completion type
 */
final class RecipeScorer<P extends ParsedCompletion> {

    private final Recipe<P> recipe;
    private final RewardScorer<P> scorer;

    private RecipeScorer(Recipe<P> recipe) {
        this.recipe = recipe;
        this.scorer = new RewardScorer<>(recipe.terms());
    }

    static RecipeScorer<?> forName(String name) {
        return of(Recipes.create(name));
    }

    static <P extends ParsedCompletion> RecipeScorer<P> of(Recipe<P> recipe) {
        return new RecipeScorer<>(recipe);
    }

    /** Parses and scores completions[from, from + count) against their samples as one batch. */
    RewardTable score(Sample[] samples, String[] completions, int from, int count) {
        List<RewardInput<P>> batch = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            String completion = completions[i];
            batch.add(new RewardInput<>(samples[i], completion, recipe.parse(completion), null,
                    WordPunctTokenizer.INSTANCE));
        }
        return scorer.score(batch);
    }

    /** Parses and scores one completion. */
    RewardTable scoreOne(Sample sample, String completion) {
        return scorer.score(List.of(new RewardInput<>(sample, completion, recipe.parse(completion), null,
                WordPunctTokenizer.INSTANCE)));
    }
}
