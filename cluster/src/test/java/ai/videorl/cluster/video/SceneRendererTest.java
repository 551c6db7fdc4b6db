package ai.videorl.cluster.video;

import ai.videorl.common.synth.Scene;
import ai.videorl.common.synth.SceneGenerator;
import ai.videorl.common.synth.SceneShape;
import ai.videorl.common.synth.ShapeColour;
import ai.videorl.common.synth.ShapeKind;
import ai.videorl.common.synth.VideoFormat;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SceneRendererTest {

    private static int count(int[] pixels, int rgb) {
        int count = 0;
        for (int pixel : pixels) {
            if (pixel == rgb) {
                count++;
            }
        }
        return count;
    }

    @Test
    void shapesHaveTheirAreaAtTheirPlace() {
        Scene scene = new Scene(VideoFormat.DEFAULT, Scene.DEFAULT_BACKGROUND, List.of(
                new SceneShape(ShapeKind.SQUARE, ShapeColour.RED, 20, 0, 2, 30, 30, 0, 0),
                new SceneShape(ShapeKind.CIRCLE, ShapeColour.GREEN, 20, 0, 2, 70, 30, 0, 0),
                new SceneShape(ShapeKind.TRIANGLE, ShapeColour.BLUE, 20, 1, 3, 100, 70, 0, 0)));
        int[] atStart = SceneRenderer.render(scene, 0);
        assertEquals(400, count(atStart, ShapeColour.RED.rgb()), "a 20 px square");
        assertEquals(Math.PI * 100, count(atStart, ShapeColour.GREEN.rgb()), 12, "a circle of radius 10");
        assertEquals(0, count(atStart, ShapeColour.BLUE.rgb()), "the triangle is not there yet");
        int[] later = SceneRenderer.render(scene, 2.5);
        assertEquals(200, count(later, ShapeColour.BLUE.rgb()), 12, "half of its 20 px box");
        assertEquals(128 * 96 - count(later, ShapeColour.BLUE.rgb()), count(later, Scene.DEFAULT_BACKGROUND));
        assertEquals(ShapeColour.RED.rgb(), atStart[30 * 128 + 30]);
        assertEquals(ShapeColour.RED.rgb(), atStart[20 * 128 + 20], "top-left pixel of the square");
        assertEquals(Scene.DEFAULT_BACKGROUND, atStart[19 * 128 + 20], "just above it");
    }

    @Test
    void renderingAgreesWithTheScenePixelByPixel() {
        SceneGenerator generator = new SceneGenerator(4, VideoFormat.DEFAULT);
        for (int index = 0; index < 5; index++) {
            Scene scene = generator.generate(index).scene();
            for (int frame = 0; frame < scene.format().frameCount(); frame += 3) {
                int[] pixels = SceneRenderer.renderFrame(scene, frame);
                double time = scene.format().frameTime(frame);
                for (int y = 0; y < 96; y++) {
                    for (int x = 0; x < 128; x++) {
                        assertEquals(SceneRenderer.colourAt(scene, time, x, y), pixels[y * 128 + x]);
                    }
                }
            }
        }
    }

    @Test
    void aShapeLeavingTheFrameIsClipped() {
        Scene scene = new Scene(VideoFormat.DEFAULT, 0, List.of(
                new SceneShape(ShapeKind.SQUARE, ShapeColour.WHITE, 20, 0, 4, 2, 2, 0, 0)));
        assertEquals(12 * 12, count(SceneRenderer.render(scene, 0), ShapeColour.WHITE.rgb()));
        assertThrows(IllegalArgumentException.class, () -> SceneRenderer.render(scene, 0, new int[10]));
        assertEquals(0, SceneRenderer.colourAt(scene, 5, 0, 0), "gone after it disappears");
    }
}
