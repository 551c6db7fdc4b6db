package ai.videorl.cluster.model.qwen;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frame choice against qwen-vl-utils' smart_nframes and torch.linspace (fixtures/frame_choice.json). */
class FrameChoiceTest {


    @Test
    void choosesTheReferenceFramesForEveryCase() {
        int chosen = 0;
        int refused = 0;
        for (JsonNode testCase : QwenFixtures.json("frame_choice.json").path("cases")) {
            int total = testCase.path("total_frames").asInt();
            double fps = testCase.path("video_fps").asDouble();
            QwenVideoOptions options = VideoElements.options(testCase.path("options"));
            String name = total + " frames at " + fps + " fps, " + testCase.path("options");
            if (testCase.has("error")) {
                VideoRlException error = assertThrows(VideoRlException.class, () -> FrameChoice.choose(total, fps, options), name);
                assertTrue(error.getMessage().contains("[2, " + total + "]"), error.getMessage());
                refused++;
            } else {
                FrameChoice choice = FrameChoice.choose(total, fps, options);
                assertArrayEquals(QwenFixtures.ints(testCase.path("indices")), choice.indices(), name);
                assertEquals(testCase.path("sample_fps").asDouble(), choice.sampleFps(), 0.0, name);
                chosen++;
            }
        }
        assertEquals(154, chosen + refused);
        assertTrue(refused > 0 && chosen > 100, chosen + " chosen, " + refused + " refused");
    }

    @Test
    void linspaceMatchesTorchFloat32WhereDoubleWouldNot() {
        // 768 of 54,321 frames: the 754th lies at 53328.50065... exactly, which rounds to 53329,
        // but torch computes it in float32 as 53328.5 and rounds half to even: 53328.
        int[] indices = FrameChoice.linspaceRounded(54320, 768);
        assertEquals(53328, indices[753]);
        assertEquals(0, indices[0]);
        assertEquals(54320, indices[767]);
    }

    @Test
    void secondsPerGridIsTheTemporalPatchOverTheSampleRate() {
        FrameChoice choice = FrameChoice.choose(24, 8.0, QwenVideoOptions.defaults());
        assertEquals(6, choice.count());
        assertEquals(2.0, choice.sampleFps(), 0.0);
        assertEquals(1.0, choice.secondsPerGrid(2), 0.0);
    }

    @Test
    void fpsAndNframesAreExclusive() {
        assertThrows(VideoRlException.class, () -> QwenVideoOptions.defaults().withFps(2).withNframes(4));
        assertThrows(VideoRlException.class, () -> QwenVideoOptions.defaults().withMaxPixels(0));
    }
}
