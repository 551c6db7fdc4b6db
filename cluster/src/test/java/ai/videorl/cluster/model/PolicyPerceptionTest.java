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
 * The policy learns what only the pixels say, even when the answer comes long after the frames:
 * two coloured squares appear one after the other, and the response is 40 fixed tokens (the way
 * a template and reasoning precede an answer) and then the colour that appeared first. Without
 * the frame-attention bias this stayed at chance for 300 steps; with it the policy gets it right.
 */
@Tag("learning")
class PolicyPerceptionTest {

    private static final int FRAMES = 8;
    private static final int SIZE = 32;
    private static final int FILLER = 40;
    private static final int FIRST_COLOUR_TOKEN = 36;
    private static final float[][] COLOURS = {{1, 0.2f, 0.2f}, {0.2f, 1, 0.2f}, {0.2f, 0.35f, 1}, {1, 1, 0.2f}};
    private static final PolicyConfig CONFIG = new PolicyConfig(40, 64, 4, 4, SIZE, FRAMES, 64 + FILLER);

    private record Examples(VideoPolicy.Inputs inputs, int[][] responses, int[] firstColours) {
    }

    private static Examples examples(Random random, int count) {
        float[] frames = new float[count * FRAMES * 3 * SIZE * SIZE];
        Arrays.fill(frames, 20 / 255f);
        int[][] prompts = new int[count][];
        int[][] responses = new int[count][];
        int[] firstColours = new int[count];
        for (int b = 0; b < count; b++) {
            int first = random.nextInt(COLOURS.length);
            int second = (first + 1 + random.nextInt(COLOURS.length - 1)) % COLOURS.length;
            int appears = random.nextInt(4);
            paint(frames, b, first, appears, random);
            paint(frames, b, second, appears + 1 + random.nextInt(3), random);
            firstColours[b] = first;
            prompts[b] = new int[] {VocabularyTokenizer.PAD, 10, 11, VocabularyTokenizer.BEGIN};
            responses[b] = new int[FILLER + 2];
            for (int t = 0; t < FILLER; t++) {
                responses[b][t] = 4 + (t * 7) % 30;
            }
            responses[b][FILLER] = FIRST_COLOUR_TOKEN + first;
            responses[b][FILLER + 1] = VocabularyTokenizer.END;
        }
        return new Examples(new VideoPolicy.Inputs(frames, FRAMES, prompts), responses, firstColours);
    }

    /** A 4-6 pixel square of {@code colour}, somewhere, from frame {@code from} to the end. */
    private static void paint(float[] frames, int sample, int colour, int from, Random random) {
        int side = 4 + random.nextInt(3);
        int x = random.nextInt(SIZE - side);
        int y = random.nextInt(SIZE - side);
        for (int frame = from; frame < FRAMES; frame++) {
            for (int channel = 0; channel < 3; channel++) {
                for (int row = y; row < y + side; row++) {
                    int offset = (((sample * FRAMES + frame) * 3 + channel) * SIZE + row) * SIZE;
                    Arrays.fill(frames, offset + x, offset + x + side, COLOURS[colour][channel]);
                }
            }
        }
    }

    @Test
    void learnsTheColourThatAppearedFirstFortyTokensAfterTheFrames() {
        Random random = new Random(1);
        Examples heldOut = examples(new Random(99), 200);
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 3)) {
            AdamW optimizer = new AdamW(AdamWConfig.withLearningRate(2e-3), policy.weights().length);
            for (int step = 0; step < 300; step++) {
                Examples batch = examples(random, 32);
                SupervisedSteps.step(policy, optimizer, batch.inputs(), batch.responses());
            }
            int[][] answers = policy.generateGreedy(heldOut.inputs(), FILLER + 1, true);
            int right = 0;
            for (int b = 0; b < answers.length; b++) {
                right += answers[b].length > FILLER && answers[b][FILLER] == FIRST_COLOUR_TOKEN + heldOut.firstColours()[b] ? 1 : 0;
            }
            double accuracy = right / (double) answers.length;
            System.out.printf("PolicyPerceptionTest: held-out accuracy %.3f%n", accuracy);
            assertTrue(accuracy >= 0.9, "held-out accuracy " + accuracy + " (chance is 0.25)");
        }
    }
}
