package ai.videorl.common.optim;

import ai.videorl.common.error.VideoRlException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdamWTest {

    @Test
    void firstStepMovesByTheLearningRateTowardMinusTheGradientSign() {
        // Step 1: m̂ = g, v̂ = g², so the update is lr · g / (|g| + ε) after decay θ·(1 − lr·λ).
        AdamW optimizer = new AdamW(new AdamWConfig(0.1, 0.9, 0.999, 1e-8, 0.5), 3);
        float[] parameters = {1, -2, 0.5f};
        optimizer.step(parameters, new float[] {4, -0.25f, 0});
        assertArrayEquals(new float[] {(float) (1 * 0.95 - 0.1), (float) (-2 * 0.95 + 0.1), (float) (0.5 * 0.95)}, parameters, 1e-6f);
        assertEquals(1, optimizer.steps());
    }

    @Test
    void secondStepUsesBiasCorrectedMoments() {
        AdamW optimizer = new AdamW(new AdamWConfig(0.01, 0.9, 0.999, 1e-8, 0), 1);
        float[] parameters = {0};
        optimizer.step(parameters, new float[] {1});
        optimizer.step(parameters, new float[] {3});
        double m = 0.9 * 0.1 + 0.1 * 3;
        double v = 0.999 * 0.001 + 0.001 * 9;
        double update = (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
        assertEquals((float) (-0.01 - 0.01 * update), parameters[0], 1e-7f);
    }

    @Test
    void resumingFromTheStateGivesTheSameParameters() {
        AdamWConfig config = AdamWConfig.withLearningRate(0.05);
        float[] straight = {1, 2};
        AdamW uninterrupted = new AdamW(config, 2);
        float[] resumed = {1, 2};
        AdamW first = new AdamW(config, 2);
        float[][] gradients = {{0.5f, -1}, {0.2f, 0.3f}, {-0.7f, 0.1f}};
        for (float[] gradient : gradients) {
            uninterrupted.step(straight, gradient);
        }
        first.step(resumed, gradients[0]);
        AdamW second = new AdamW(config, first.state());
        second.step(resumed, gradients[1]);
        second.step(resumed, gradients[2]);
        assertArrayEquals(straight, resumed);
    }

    @Test
    void refusesMismatchedSizesAndBadSettings() {
        // A rate of 0 is a control run: the step leaves the parameters as they are, weight decay included.
        float[] kept = {0.5f, -2f};
        new AdamW(AdamWConfig.withLearningRate(0), 2).step(kept, new float[] {1f, -3f});
        assertArrayEquals(new float[] {0.5f, -2f}, kept);
        AdamW optimizer = new AdamW(AdamWConfig.withLearningRate(0.1), 2);
        assertThrows(IllegalArgumentException.class, () -> optimizer.step(new float[2], new float[3]));
        assertThrows(VideoRlException.class, () -> AdamWConfig.withLearningRate(-1e-3));
        assertThrows(VideoRlException.class, () -> AdamWConfig.withLearningRate(Double.NaN));
        assertThrows(VideoRlException.class, () -> new AdamWConfig(0.1, 1, 0.999, 1e-8, 0));
    }
}
