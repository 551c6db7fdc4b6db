package ai.videorl.common.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The visual ground truth of one synthetic video: a plain background and shapes drawn in list
 * order (later on top; generated scenes never overlap, so the order only matters for hand-made
 * ones). Colours are unique within a scene, so "the red shape" names one shape.
 *
 * @param format size, frame rate and duration
 * @param background packed {@code 0xRRGGBB} of the plain background
 * @param shapes the shapes, ordered by appearance time
 */
public record Scene(VideoFormat format, int background, List<SceneShape> shapes) {

    /** A dark grey that every shape colour stands out from. */
    public static final int DEFAULT_BACKGROUND = 0x141414;

    public Scene {
        Objects.requireNonNull(format, "format");
        shapes = List.copyOf(shapes);
        Set<ShapeColour> colours = new HashSet<>();
        for (SceneShape shape : shapes) {
            if (!colours.add(shape.colour())) {
                throw new IllegalArgumentException("two shapes are " + shape.colour().word() + ": colours must be unique in a scene");
            }
            if (shape.disappear() > format.durationSeconds()) {
                throw new IllegalArgumentException("the " + shape.name() + " disappears at " + shape.disappear()
                        + " s, after the video ends at " + format.durationSeconds() + " s");
            }
        }
    }

    /** The shape of {@code colour}, if any. */
    public Optional<SceneShape> shapeOf(ShapeColour colour) {
        return shapes.stream().filter(shape -> shape.colour() == colour).findFirst();
    }

    /** The shapes of {@code kind}, in list order. */
    public List<SceneShape> shapesOf(ShapeKind kind) {
        return shapes.stream().filter(shape -> shape.kind() == kind).toList();
    }

    /** The shapes ordered by appearance time (ties in list order). */
    public List<SceneShape> byAppearance() {
        List<SceneShape> sorted = new ArrayList<>(shapes);
        sorted.sort(Comparator.comparingDouble(SceneShape::appear));
        return List.copyOf(sorted);
    }

    /** Packed {@code 0xRRGGBB} of the point {@code (px, py)} at {@code time}: the topmost covering shape, else the background. */
    public int colourAt(double px, double py, double time) {
        for (int i = shapes.size() - 1; i >= 0; i--) {
            if (shapes.get(i).covers(px, py, time)) {
                return shapes.get(i).colour().rgb();
            }
        }
        return background;
    }
}
