package ai.videorl.cluster.model.qwen;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Both smart_resize versions against their Python originals (fixtures/smart_resize.json). */
class SmartResizeTest {

    private interface Resize {
        SmartResize.Size apply(int height, int width, int factor, double minPixels, double maxPixels);
    }

    @Test
    void matchesQwenVlUtilsAndTransformers() {
        int checked = 0;
        for (JsonNode testCase : QwenFixtures.json("smart_resize.json").path("cases")) {
            int height = testCase.path("height").asInt();
            int width = testCase.path("width").asInt();
            double min = testCase.path("min_pixels").asDouble();
            double max = testCase.path("max_pixels").asDouble();
            check(testCase.path("qwen_vl_utils"), SmartResize::qwenVlUtils, height, width, min, max, "qwen-vl-utils");
            check(testCase.path("transformers"), SmartResize::transformers, height, width, min, max, "transformers");
            checked++;
        }
        assertEquals(90, checked);
    }

    private static void check(JsonNode expected, Resize resize, int height, int width, double min, double max, String which) {
        String name = which + " " + height + "x" + width + " in [" + (long) min + ", " + (long) max + "]";
        if (expected.isTextual()) {
            assertThrows(VideoRlException.class, () -> resize.apply(height, width, 28, min, max), name);
        } else {
            SmartResize.Size size = resize.apply(height, width, 28, min, max);
            assertEquals(expected.get(0).asInt(), size.height(), name);
            assertEquals(expected.get(1).asInt(), size.width(), name);
        }
    }
}
