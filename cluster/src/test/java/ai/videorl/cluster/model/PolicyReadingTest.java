package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.videorl.common.optim.AdamW;
import ai.videorl.common.optim.AdamWConfig;
import ai.videorl.common.text.VocabularyTokenizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy reads its question and looks up what its own response said about it, the two steps
 * of a synthetic reference's conclusion ("So blue square 0.0-2.0."): the prompt names one of six
 * shapes; the response first lists three shapes, each followed by a value (as a caption lists
 * shapes with their intervals), then a marker, then the asked shape again and its value. The
 * asked name appears in the prompt and in the list alike, so restating it needs to tell the
 * question from the response (segment embeddings), and its value is whatever followed the same
 * name in the list (a lookup that each position's previous-token embedding makes one attention
 * step). The list is given; the policy generates the last two tokens. Measured on this policy
 * (the share of held-out prompts with both tokens right): without segment and previous-token
 * embeddings or rotary positions, 0.00 after 300 steps; without the previous-token embedding,
 * 0.11 after 2,000 steps (restating 1.00); with all three, 0.13 after 300 steps, 0.20 after
 * 1,200 and 1.00 after 2,000: the lookup forms late and then all at once.
 */
@Tag("learning")
class PolicyReadingTest {

    private static final int NAMES = 6;
    private static final int FIRST_NAME = 10;
    private static final int VALUES = 10;
    private static final int FIRST_VALUE = 20;
    private static final int LISTED = 3;
    private static final int MARKER = 7;
    private static final PolicyConfig CONFIG = new PolicyConfig(32, 64, 4, 4, 8, 1, 32);

    /** Prompts, the listed part of each response, and the two tokens that should follow it. */
    private record Examples(int[][] prompts, int[][] listed, int[][] answers) {

        VideoPolicy.Inputs inputs(int[][] prompts) {
            return new VideoPolicy.Inputs(new float[prompts.length * 3 * 8 * 8], 1, prompts);
        }

        int[][] responses() {
            int[][] responses = new int[listed.length][];
            for (int b = 0; b < listed.length; b++) {
                responses[b] = Arrays.copyOf(listed[b], listed[b].length + 3);
                responses[b][listed[b].length] = answers[b][0];
                responses[b][listed[b].length + 1] = answers[b][1];
                responses[b][listed[b].length + 2] = VocabularyTokenizer.END;
            }
            return responses;
        }

        /** Each prompt followed by its listed part, as the early exit's second stage prompts. */
        int[][] promptsWithLists() {
            int[][] joined = new int[prompts.length][];
            for (int b = 0; b < prompts.length; b++) {
                joined[b] = Arrays.copyOf(prompts[b], prompts[b].length + listed[b].length);
                System.arraycopy(listed[b], 0, joined[b], prompts[b].length, listed[b].length);
            }
            return joined;
        }
    }

    private static Examples examples(Random random, int count) {
        int[][] prompts = new int[count][];
        int[][] listed = new int[count][];
        int[][] answers = new int[count][];
        for (int b = 0; b < count; b++) {
            int[] names = random.ints(0, NAMES).distinct().limit(LISTED).toArray();
            int asked = names[random.nextInt(LISTED)];
            prompts[b] = new int[] {VocabularyTokenizer.PAD, 4, FIRST_NAME + asked, 5, VocabularyTokenizer.BEGIN};
            listed[b] = new int[2 * LISTED + 1];
            int value = 0;
            for (int i = 0; i < LISTED; i++) {
                listed[b][2 * i] = FIRST_NAME + names[i];
                listed[b][2 * i + 1] = FIRST_VALUE + random.nextInt(VALUES);
                if (names[i] == asked) {
                    value = listed[b][2 * i + 1];
                }
            }
            listed[b][2 * LISTED] = MARKER;
            answers[b] = new int[] {FIRST_NAME + asked, value};
        }
        return new Examples(prompts, listed, answers);
    }

    @Test
    void restatesTheQuestionsNameAndCopiesTheValueItsResponseGaveIt() {
        Random random = new Random(2);
        Examples heldOut = examples(new Random(98), 200);
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 5)) {
            AdamW optimizer = new AdamW(AdamWConfig.withLearningRate(2e-3), policy.weights().length);
            for (int step = 0; step < 2000; step++) {
                Examples batch = examples(random, 32);
                SupervisedSteps.step(policy, optimizer, batch.inputs(batch.prompts()), batch.responses());
            }
            int[][] generated = policy.generateGreedy(heldOut.inputs(heldOut.promptsWithLists()), 2, true);
            int named = 0;
            int copied = 0;
            for (int b = 0; b < generated.length; b++) {
                named += generated[b].length > 0 && generated[b][0] == heldOut.answers()[b][0] ? 1 : 0;
                copied += Arrays.equals(generated[b], heldOut.answers()[b]) ? 1 : 0;
            }
            double restated = named / (double) generated.length;
            double looked = copied / (double) generated.length;
            System.out.printf("PolicyReadingTest: restated %.3f, name and value %.3f%n", restated, looked);
            assertTrue(restated >= 0.9, "restated the question's name on " + restated + " of held-out prompts (a listed name: 1/3)");
            assertTrue(looked >= 0.8, "name and value right on " + looked + " of held-out prompts (a listed value: 1/3)");
        }
    }
}
