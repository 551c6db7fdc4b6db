package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.videorl.common.optim.AdamW;
import ai.videorl.common.optim.AdamWConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The perception stage's loss on the frame-tag head: {@link VideoPolicy#perceptionGradient}. */
class PerceptionGradientTest {

    private static final int SIZE = 16;
    private static final int FRAMES = 4;
    /** Overlapping patches; tag 0: a red block is on the frame, tag 1: a green one. */
    private static final PolicyConfig CONFIG = new PolicyConfig(40, 32, 2, 4, SIZE, FRAMES, 64, 2, 2);

    /** Videos whose frames each show a red block, a green block, both or neither, somewhere. */
    private record Videos(float[] frames, float[] labels) {
        static Videos draw(Random random, int count) {
            float[] frames = new float[count * FRAMES * 3 * SIZE * SIZE];
            float[] labels = new float[count * FRAMES * 2];
            for (int frame = 0; frame < count * FRAMES; frame++) {
                for (int tag = 0; tag < 2; tag++) {
                    if (random.nextBoolean()) {
                        labels[frame * 2 + tag] = 1;
                        // Red on channel 0, green on channel 1; the two blocks may overlap.
                        int row = random.nextInt(SIZE - 5);
                        int column = random.nextInt(SIZE - 5);
                        for (int y = row; y < row + 5; y++) {
                            for (int x = column; x < column + 5; x++) {
                                frames[((frame * 3 + tag) * SIZE + y) * SIZE + x] = 1f;
                            }
                        }
                    }
                }
            }
            return new Videos(frames, labels);
        }

        Videos slice(int from, int to) {
            int frameValues = FRAMES * 3 * SIZE * SIZE;
            return new Videos(java.util.Arrays.copyOfRange(frames, from * frameValues, to * frameValues),
                    java.util.Arrays.copyOfRange(labels, from * FRAMES * 2, to * FRAMES * 2));
        }
    }

    @Test
    void shardsOfABatchAddUpToTheWholeBatchsGradient() {
        Videos videos = Videos.draw(new Random(1), 4);
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 2)) {
            VideoPolicy.Gradient whole = policy.perceptionGradient(videos.frames(), FRAMES, videos.labels(), 4);
            VideoPolicy.Gradient first = policy.perceptionGradient(videos.slice(0, 1).frames(), FRAMES, videos.slice(0, 1).labels(), 4);
            VideoPolicy.Gradient rest = policy.perceptionGradient(videos.slice(1, 4).frames(), FRAMES, videos.slice(1, 4).labels(), 4);
            assertEquals(whole.loss().loss(), first.loss().loss() + rest.loss().loss(), 1e-6);
            for (int i = 0; i < whole.values().length; i++) {
                assertEquals(whole.values()[i], first.values()[i] + rest.values()[i], 1e-6, "parameter value " + i);
            }
            assertEquals(4L * FRAMES * 2, whole.loss().tokens(), "labels counted");
        }
    }

    @Test
    void onlyTheFrameEncoderAndTheHeadGetGradients() {
        Videos videos = Videos.draw(new Random(3), 3);
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 4)) {
            float[] gradient = policy.perceptionGradient(videos.frames(), FRAMES, videos.labels(), 3).values();
            List<String> learning = List.of("frames.conv1.weight", "frames.conv1.bias", "frames.conv2.weight", "frames.conv2.bias",
                    PolicyParameters.FRAME_TAGS_WEIGHT, PolicyParameters.FRAME_TAGS_BIAS);
            int offset = 0;
            PolicyParameters parameters = policy.parameters();
            for (int t = 0; t < parameters.names().size(); t++) {
                String name = parameters.names().get(t);
                int length = Math.toIntExact(parameters.tensors().get(t).size());
                double squares = 0;
                for (int i = offset; i < offset + length; i++) {
                    squares += gradient[i] * gradient[i];
                }
                offset += length;
                if (learning.contains(name)) {
                    assertTrue(squares > 0, name + " gets no gradient");
                } else {
                    assertEquals(0, squares, name + " must not learn from the frame tags");
                }
            }
        }
    }

    @Test
    @Tag("learning")
    void trainingTheHeadTeachesTheEncoderToTellTheBlocksApart() {
        Random random = new Random(5);
        Videos training = Videos.draw(random, 16);
        Videos heldOut = Videos.draw(random, 8);
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 6)) {
            AdamW optimizer = new AdamW(new AdamWConfig(1e-2, 0.9, 0.999, 1e-8, 0.0), policy.weights().length);
            double before = policy.perceptionGradient(heldOut.frames(), FRAMES, heldOut.labels(), 8).loss().loss();
            float[] weights = policy.weights();
            for (int step = 0; step < 60; step++) {
                optimizer.step(weights, policy.perceptionGradient(training.frames(), FRAMES, training.labels(), 16).values(), 1e-2);
                policy.loadWeights(weights);
            }
            double after = policy.perceptionGradient(heldOut.frames(), FRAMES, heldOut.labels(), 8).loss().loss();
            // Chance (predicting 1/2 everywhere) is ln 2 = 0.69.
            System.out.printf("PerceptionGradientTest: held-out frame-tag loss %.4f -> %.4f%n", before, after);
            assertTrue(before > 0.5, "an untrained head is near chance: " + before);
            assertTrue(after < 0.25, "held-out frame-tag loss after 60 steps: " + after + " (before: " + before + ")");
        }
    }

    @Test
    void aPolicyWithoutAHeadRefusesThePerceptionStage() {
        Videos videos = Videos.draw(new Random(7), 1);
        try (VideoPolicy policy = VideoPolicy.create(CONFIG.withFrameTags(0), Device.cpu(), 8)) {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> policy.perceptionGradient(videos.frames(), FRAMES, videos.labels(), 1));
            assertTrue(error.getMessage().contains("no frame-tag head"), error.getMessage());
        }
    }
}
