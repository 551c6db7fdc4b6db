package ai.videorl.common.synth;

import ai.videorl.common.Fixtures;
import ai.videorl.common.data.ProblemType;
import ai.videorl.common.data.Sample;
import ai.videorl.common.recipe.Recipe;
import ai.videorl.common.recipe.Recipes;
import ai.videorl.common.recipe.VideoAutoR1;
import ai.videorl.common.recipe.VideoP2R;
import ai.videorl.common.recipe.VideoR2;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceResponsesTest {

    private record Generated(Sample sample, References references) {
    }

    private static List<Generated> generated(long seed, int videos) {
        SceneGenerator generator = new SceneGenerator(seed, VideoFormat.DEFAULT);
        List<Generated> all = new ArrayList<>();
        for (int index = 0; index < videos; index++) {
            SynthVideo video = generator.generate(index);
            for (Question question : QuestionGenerator.questions(video)) {
                all.add(new Generated(question.sample(), ReferenceResponses.of(video, question)));
            }
        }
        return all;
    }

    @Test
    void everyReferenceScoresFullMarksWithItsRecipe() {
        Recipe<?> p2r = Recipes.create(VideoP2R.NAME);
        Recipe<?> autoR1 = Recipes.create(VideoAutoR1.NAME);
        Recipe<?> r2 = Recipes.create(VideoR2.NAME);
        for (Generated item : generated(9, 200)) {
            Sample sample = item.sample();
            References references = item.references();
            assertEquals(List.copyOf(Recipes.names()), List.copyOf(references.responses().keySet()));

            Map<String, Double> scores = Fixtures.score(p2r, sample, references.of(VideoP2R.NAME));
            String why = sample.id() + " " + scores + "\n" + references.of(VideoP2R.NAME);
            assertEquals(1.0, scores.get(VideoP2R.FORMAT_PERCEPTION), why);
            assertEquals(1.0, scores.get(VideoP2R.FORMAT_REASONING), why);
            assertEquals(1.0, scores.get(VideoP2R.ACCURACY_REASONING), why);

            scores = Fixtures.score(autoR1, sample, references.of(VideoAutoR1.NAME));
            why = sample.id() + " " + scores + "\n" + references.of(VideoAutoR1.NAME);
            double full = sample.problemType() == ProblemType.GROUNDED_QA ? 2.0 : 1.0;
            boolean direct = ReferenceResponses.DIRECT.contains(sample.problemType());
            assertEquals(1.0, scores.get(VideoAutoR1.FORMAT), why);
            assertEquals(full, scores.get(VideoAutoR1.ACCURACY_FINAL), why);
            assertEquals(direct ? full : 0.0, scores.get(VideoAutoR1.ACCURACY_FIRST), why);
            assertEquals(direct ? 0.0 : 1.0, scores.get(VideoAutoR1.FALLBACK), why);

            scores = Fixtures.score(r2, sample, references.of(VideoR2.NAME));
            why = sample.id() + " " + scores + "\n" + references.of(VideoR2.NAME);
            assertEquals(1.0, scores.get(VideoR2.FORMAT), why);
            assertEquals(1.0, scores.get(VideoR2.ACCURACY), why);
        }
    }

    @Test
    void observationsStateTheFactsAndVideoR2CitesEveryClaim() {
        for (Generated item : generated(10, 200)) {
            String response = item.references().of(VideoP2R.NAME);
            String observation = response.substring(response.indexOf("<observation>"), response.indexOf("</observation>"))
                    .toLowerCase(Locale.ROOT);
            assertTrue(observation.startsWith("<observation>" + ReferenceResponses.PERCEPTION_OPENING.toLowerCase(Locale.ROOT)),
                    observation);
            for (String fact : item.sample().facts()) {
                assertTrue(observation.contains(fact), item.sample().id() + ": '" + fact + "' in " + observation);
            }
            String think = item.references().of(VideoR2.NAME);
            item.sample().temporalGrounding().forEach((time, claim) ->
                    assertTrue(think.contains("At " + time + " " + claim + "."), item.sample().id() + ": " + think));
        }
    }

    @Test
    void responsesAreShortAndUseASmallVocabulary() {
        Set<String> words = new TreeSet<>();
        for (Generated item : generated(11, 400)) {
            for (String response : item.references().responses().values()) {
                String text = response.replaceAll("<[^>]*>|\\\\boxed\\{|}", " ");
                String[] tokens = text.trim().split("\\s+");
                assertTrue(tokens.length >= 7 && tokens.length <= 64, tokens.length + " words: " + response);
                for (String token : tokens) {
                    String word = token.replaceAll("[^A-Za-z']", "").toLowerCase(Locale.ROOT);
                    if (!word.isEmpty()) {
                        words.add(word);
                    }
                }
            }
        }
        assertTrue(words.size() <= 60, words.size() + " distinct words: " + words);
    }

    @Test
    void videoAutoR1AnswersYesNoAtOnceAndFallsBackOtherwise() {
        SynthVideo video = new SceneGenerator(12, VideoFormat.DEFAULT).generate(0);
        for (Question question : QuestionGenerator.questions(video)) {
            String response = ReferenceResponses.of(video, question).of(VideoAutoR1.NAME);
            boolean fallsBack = response.startsWith("\\boxed{" + VideoAutoR1.FALLBACK_PHRASE + "}<think>");
            assertEquals(question.kind() != QuestionKind.EXISTS, fallsBack, response);
        }
    }

    @Test
    void videoAutoR1ThinksByRestatingTheQuestionThenNamingWhatAnswersItAsTheCaptionDoes() {
        SceneGenerator generator = new SceneGenerator(14, VideoFormat.DEFAULT);
        for (int index = 0; index < 60; index++) {
            SynthVideo video = generator.generate(index);
            String caption = ReferenceResponses.caption(video);
            for (Question question : QuestionGenerator.questions(video)) {
                String response = ReferenceResponses.of(video, question).of(VideoAutoR1.NAME);
                assertTrue(response.contains("}<think>So "), response);
                String conclusion = " " + response.substring(response.indexOf("<think>") + "<think>".length(), response.indexOf("</think>"));
                switch (question.kind()) {
                    case WHEN -> assertQuotes(caption, conclusion, QuestionGenerator.whenShape(video));
                    case GROUNDED -> {
                        SceneShape shape = QuestionGenerator.groundedShape(video);
                        assertTrue(conclusion.startsWith(" So " + shape.kind().word() + ": "), conclusion);
                        assertQuotes(caption, conclusion, shape);
                    }
                    case EXISTS -> {
                        SceneShape match = QuestionGenerator.matchOf(video);
                        String asked = video.plan().askedColour().word() + " " + video.plan().askedKind().word();
                        assertTrue(question.sample().problem().contains(" " + asked + " "), question.sample().problem());
                        if (match == null) {
                            assertEquals(" So " + asked + " none: no.", conclusion);
                        } else {
                            assertQuotes(caption, conclusion, match);
                            assertTrue(conclusion.endsWith(": yes."), conclusion);
                        }
                    }
                    case COUNT -> {
                        ShapeKind kind = video.plan().countKind();
                        List<SceneShape> counted = video.scene().shapesOf(kind);
                        assertTrue(question.sample().problem().contains(" " + kind.plural() + " "), question.sample().problem());
                        assertTrue(conclusion.startsWith(" So " + kind.plural() + ": " + (counted.isEmpty() ? "none." : "1 ")), conclusion);
                        for (int i = 0; i < counted.size(); i++) {
                            assertTrue(conclusion.contains((i + 1) + " " + counted.get(i).name()), conclusion);
                        }
                        assertTrue(conclusion.endsWith(". " + counted.size() + " " + (counted.size() == 1 ? kind.word() : kind.plural())
                                + " appeared."), conclusion);
                    }
                    case FIRST_COLOUR -> assertEquals(" So " + video.scene().byAppearance().get(0).colour().word()
                            + " appears first, option " + question.sample().solution().answerText() + ".", conclusion);
                }
            }
        }
    }

    /** The conclusion names {@code shape} as the caption's entry for it does: its name, then its interval. */
    private static void assertQuotes(String caption, String conclusion, SceneShape shape) {
        String entry = String.format(Locale.ROOT, " %s %.1f-%.1f", shape.name(), shape.appear(), shape.disappear());
        assertTrue(caption.contains(entry), caption + " lacks" + entry);
        assertTrue(conclusion.contains(entry), conclusion + " lacks" + entry);
    }

    @Test
    void theCaptionNamesEveryShapeInOrderOfAppearanceWithItsInterval() {
        SceneGenerator generator = new SceneGenerator(5, VideoFormat.DEFAULT);
        for (int index = 0; index < 50; index++) {
            SynthVideo video = generator.generate(index);
            List<SceneShape> shapes = video.scene().byAppearance();
            String caption = ReferenceResponses.caption(video);
            assertTrue(caption.startsWith(ReferenceResponses.CAPTION_OPENING) && caption.endsWith("."), caption);
            String[] entries = caption.substring(ReferenceResponses.CAPTION_OPENING.length(), caption.length() - 1).split(", ");
            assertEquals(shapes.size(), entries.length, caption);
            for (int i = 0; i < shapes.size(); i++) {
                SceneShape shape = shapes.get(i);
                assertEquals(String.format(Locale.ROOT, "%s %.1f-%.1f", shape.name(), shape.appear(), shape.disappear()),
                        entries[i], caption);
            }
            for (Question question : QuestionGenerator.questions(video)) {
                assertEquals(caption, ReferenceResponses.of(video, question).caption(), "every question of a video shares its caption");
            }
        }
    }

    @Test
    void theObjectsAreEveryShapeWithWhenItIsVisible() {
        SceneGenerator generator = new SceneGenerator(6, VideoFormat.DEFAULT);
        for (int index = 0; index < 20; index++) {
            SynthVideo video = generator.generate(index);
            for (Question question : QuestionGenerator.questions(video)) {
                List<VisibleObject> objects = ReferenceResponses.of(video, question).objects();
                assertEquals(video.scene().shapes().size(), objects.size());
                for (SceneShape shape : video.scene().shapes()) {
                    assertTrue(objects.contains(new VisibleObject(shape.name(), shape.appear(), shape.disappear())), shape.name());
                }
            }
        }
    }
}
