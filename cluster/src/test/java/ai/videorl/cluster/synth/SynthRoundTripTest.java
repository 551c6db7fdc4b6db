package ai.videorl.cluster.synth;

import ai.videorl.cluster.video.FrameSampler;
import ai.videorl.cluster.video.FrameSamplingConfig;
import ai.videorl.cluster.video.SampledFrames;
import ai.videorl.common.synth.Scene;
import ai.videorl.common.synth.SynthJson;
import ai.videorl.common.synth.VideoFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Synthesize, decode with the sampler training uses, and hold every sampled frame to the scene's
 * ground truth: the right time, and the right colour wherever the scene is one colour around a
 * pixel (edges blur under H.264's 4:2:0 chroma).
 */
class SynthRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** H.264 is lossy: a decoded channel may differ this much (of 255) from what was drawn. */
    private static final int TOLERANCE = 40;

    @TempDir
    Path directory;

    @Test
    void sampledFramesShowTheSceneAtTheirTimestamps() throws Exception {
        VideoFormat format = VideoFormat.DEFAULT;
        SynthWriter.write(new SynthOptions(directory.toString(), 4, 5, format, 2));
        List<String> scenes = Files.readAllLines(directory.resolve(SynthWriter.SCENES));
        FrameSampler sampler = new FrameSampler(new FrameSamplingConfig(2.0, 1, 32, format.width(), format.height(), false));
        int checked = 0;
        int shapePixels = 0;
        for (int video = 0; video < scenes.size(); video++) {
            Scene scene = SynthJson.readScene(JSON.readTree(scenes.get(video)));
            Path file = directory.resolve(String.format("videos/%06d.mp4", video));
            SampledFrames frames = sampler.sample(file, file.toString());
            assertEquals(8, frames.count(), "4 s at 2 fps");
            for (int frame = 0; frame < frames.count(); frame++) {
                double time = frames.timestamps()[frame];
                assertEquals(frame * 0.5, time, 1.0 / format.fps(), "timestamp of frame " + frame);
                int[] counts = assertFrameMatches(scene, frames, frame, time);
                checked += counts[0];
                shapePixels += counts[1];
            }
        }
        assertTrue(checked > 10_000, "checked " + checked + " pixels");
        assertTrue(shapePixels > 1_000, "checked " + shapePixels + " pixels inside shapes");
    }

    /** Compares every pixel whose 5x5 neighbourhood is one colour in the scene; returns {checked, inside shapes}. */
    private static int[] assertFrameMatches(Scene scene, SampledFrames frames, int frame, double time) {
        int checked = 0;
        int inShapes = 0;
        int wrong = 0;
        for (int y = 2; y < frames.height() - 2; y++) {
            for (int x = 2; x < frames.width() - 2; x++) {
                int expected = scene.colourAt(x + 0.5, y + 0.5, time);
                if (!uniformAround(scene, x, y, time, expected)) {
                    continue;
                }
                checked++;
                inShapes += expected == scene.background() ? 0 : 1;
                wrong += matches(expected, frames, frame, y, x) ? 0 : 1;
            }
        }
        assertTrue(wrong <= checked / 100, wrong + " of " + checked + " pixels differ at " + time + " s");
        return new int[] {checked, inShapes};
    }

    private static boolean uniformAround(Scene scene, int x, int y, double time, int colour) {
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                if (scene.colourAt(x + dx + 0.5, y + dy + 0.5, time) != colour) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(int rgb, SampledFrames frames, int frame, int row, int column) {
        int[] expected = {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
        for (int channel = 0; channel < 3; channel++) {
            if (Math.abs(Math.round(frames.value(frame, channel, row, column) * 255) - expected[channel]) > TOLERANCE) {
                return false;
            }
        }
        return true;
    }
}
