package ai.videorl.cluster.video;

import ai.videorl.common.synth.Scene;
import ai.videorl.common.synth.SceneShape;
import ai.videorl.common.synth.VideoFormat;

import java.util.Arrays;

/**
 * Draws a synthetic {@link Scene} into packed {@code 0xRRGGBB} pixels, row-major. Hard edges, no
 * anti-aliasing: a pixel takes the colour of the topmost shape covering its centre
 * ({@link SceneShape#covers}), else the background; so {@link #colourAt} tells a test exactly
 * what the encoder was given at any pixel and time.
 */
public final class SceneRenderer {

    private SceneRenderer() {
    }

    /** Frame {@code index} of the scene's video (time {@code index / fps}). */
    public static int[] renderFrame(Scene scene, int index) {
        return render(scene, scene.format().frameTime(index));
    }

    /** The scene at {@code time} seconds, {@code width * height} pixels. */
    public static int[] render(Scene scene, double time) {
        VideoFormat format = scene.format();
        int[] pixels = new int[format.width() * format.height()];
        render(scene, time, pixels);
        return pixels;
    }

    /** Draws the scene at {@code time} into {@code pixels} ({@code width * height}, reused across frames). */
    public static void render(Scene scene, double time, int[] pixels) {
        int width = scene.format().width();
        int height = scene.format().height();
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("need " + width * height + " pixels, got " + pixels.length);
        }
        Arrays.fill(pixels, scene.background());
        for (SceneShape shape : scene.shapes()) {
            if (!shape.visibleAt(time)) {
                continue;
            }
            // Only the shape's bounding box can be covered; clip it to the frame.
            double half = shape.size() / 2.0;
            int left = Math.max(0, (int) Math.floor(shape.centreX(time) - half));
            int right = Math.min(width - 1, (int) Math.ceil(shape.centreX(time) + half));
            int top = Math.max(0, (int) Math.floor(shape.centreY(time) - half));
            int bottom = Math.min(height - 1, (int) Math.ceil(shape.centreY(time) + half));
            int rgb = shape.colour().rgb();
            for (int y = top; y <= bottom; y++) {
                for (int x = left; x <= right; x++) {
                    if (shape.covers(x + 0.5, y + 0.5, time)) {
                        pixels[y * width + x] = rgb;
                    }
                }
            }
        }
    }

    /** The colour {@link #render} gives pixel {@code (x, y)} at {@code time}. */
    public static int colourAt(Scene scene, double time, int x, int y) {
        return scene.colourAt(x + 0.5, y + 0.5, time);
    }
}
