package ai.videorl.cluster.model.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bicubic antialiased resize against torch 2.13's interpolate on random float32 planes
 * (fixtures/resize): bit for bit, shrinking and enlarging, spans of 2 to 13 taps.
 */
class BicubicAntialiasTest {

    @Test
    void equalsTorchBitForBit() {
        JsonNode cases = QwenFixtures.json("resize/cases.json");
        int[] shape = QwenFixtures.ints(cases.path("input_shape"));
        float[] input = QwenFixtures.floats(QwenFixtures.ROOT.resolve("resize/input.f32.gz"));
        int planes = shape[0] * shape[1];
        for (JsonNode testCase : cases.path("cases")) {
            int height = testCase.path("height").asInt();
            int width = testCase.path("width").asInt();
            float[] expected = QwenFixtures.floats(QwenFixtures.ROOT.resolve("resize").resolve(testCase.path("file").asText()));
            float[] actual = BicubicAntialias.resize(input, planes, shape[2], shape[3], height, width);
            assertEquals(0.0, QwenFixtures.maxAbsDifference(expected, actual), height + "x" + width);
            assertArrayEquals(expected, actual, height + "x" + width);
        }
    }

    @Test
    void theSameSizeIsACopy() {
        float[] input = {1, 2, 3, 4};
        float[] output = BicubicAntialias.resize(input, 1, 2, 2, 2, 2);
        assertArrayEquals(input, output);
        output[0] = 9;
        assertEquals(1, input[0]);
    }

    @Test
    void bytesAreClampedAndRoundedHalfToEven() {
        // Enlarging a sharp edge overshoots past 0 and 255: torchvision clamps before rounding.
        byte[] edge = {0, 0, (byte) 255, (byte) 255};
        byte[] resized = BicubicAntialias.resizeBytes(edge, 1, 1, 4, 1, 9);
        for (byte value : resized) {
            assertEquals(value & 0xFF, Math.max(0, Math.min(255, value & 0xFF)));
        }
        assertEquals(0, resized[0]);
        assertEquals(255, resized[8] & 0xFF);
    }
}
