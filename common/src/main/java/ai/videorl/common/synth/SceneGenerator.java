package ai.videorl.common.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Draws synthetic scenes and the questions' subjects, deterministically from (seed, video index).
 *
 * <p>A scene holds 2-4 shapes of distinct colours on a dark background. Each appears and
 * disappears on the 0.5 s grid and stays from 1 s to half the video, starting anywhere it fits
 * (so no fixed guess of "when" does well: the best constant interval's mean IoU is about 0.44 at
 * the default 4 s). Each moves at a constant whole-pixel velocity that keeps it inside the frame;
 * no two shapes ever touch (their bounding boxes stay 2 px apart in every frame), so every shape
 * is fully visible while on screen. Exactly one shape appears first. Sizes are 16-28 px and
 * speeds at most 24 px/s at the default 96 px height, scaled with the shorter side.
 *
 * <p>Answers must need the frames, so the plan is drawn first and the scene built to fit it:
 * the correct option letter, the count (0-3), yes or no, the first shape's colour and the
 * grounded shape's colour are each exactly balanced over every 12 consecutive videos
 * ({@link BalancedDraw}); the kinds and colours a question names carry no hint of its answer.
 */
public final class SceneGenerator {

    private static final long LAYOUT = 1;
    private static final long LETTER = 2;
    private static final long COUNT = 3;
    private static final long EXISTS = 4;
    private static final long FIRST_COLOUR = 5;
    private static final long GROUNDED_COLOUR = 6;

    static final int MIN_SHAPES = 2;
    static final int MAX_SHAPES = 4;
    /** Counts asked about run 0..MAX_COUNT. */
    static final int MAX_COUNT = 3;
    /** Pixels kept free between any two shapes' bounding boxes. */
    static final int GAP = 2;
    /** Pixels kept free between a shape and the frame's edge. */
    static final int MARGIN = 1;
    private static final int REFERENCE_SIDE = 96;
    private static final int SMALLEST_SIZE = 16;
    private static final int LARGEST_SIZE = 28;
    private static final int FASTEST_SPEED = 24;
    private static final int TRIES_PER_SHAPE = 50;
    private static final int LAYOUT_ATTEMPTS = 1000;

    private static final List<ShapeKind> KINDS = ShapeKind.all();
    private static final List<ShapeColour> COLOURS = ShapeColour.all();

    private final long seed;
    private final VideoFormat format;
    private final BalancedDraw letters;
    private final BalancedDraw counts;
    private final BalancedDraw answers;
    private final BalancedDraw firstColours;
    private final BalancedDraw groundedColours;
    private final int smallest;
    private final int largest;
    private final int fastest;

    public SceneGenerator(long seed, VideoFormat format) {
        this.seed = seed;
        this.format = Objects.requireNonNull(format, "format");
        this.letters = new BalancedDraw(seed, LETTER, QuestionPlan.OPTION_COUNT);
        this.counts = new BalancedDraw(seed, COUNT, MAX_COUNT + 1);
        this.answers = new BalancedDraw(seed, EXISTS, 2);
        this.firstColours = new BalancedDraw(seed, FIRST_COLOUR, COLOURS.size());
        this.groundedColours = new BalancedDraw(seed, GROUNDED_COLOUR, COLOURS.size());
        int side = Math.min(format.width(), format.height());
        this.smallest = even((double) side * SMALLEST_SIZE / REFERENCE_SIDE);
        this.largest = even((double) side * LARGEST_SIZE / REFERENCE_SIDE);
        this.fastest = side * FASTEST_SPEED / REFERENCE_SIDE;
    }

    public long seed() {
        return seed;
    }

    public VideoFormat format() {
        return format;
    }

    /** Video {@code index}: the same for the same (seed, format, index), whatever else was generated. */
    public SynthVideo generate(int index) {
        Random random = Seeds.random(seed, LAYOUT, index);
        int count = counts.valueFor(index);
        ShapeColour firstColour = COLOURS.get(firstColours.valueFor(index));
        ShapeColour groundedColour = COLOURS.get(groundedColours.valueFor(index));

        // Kinds: `count` shapes of the counted kind, exactly one of the grounded kind, the rest of a third kind.
        ShapeKind countKind = pick(random, KINDS);
        ShapeKind groundedKind = count == 1 ? pick(random, KINDS) : pick(random, without(KINDS, countKind));
        List<ShapeKind> kinds = new ArrayList<>(Collections.nCopies(count, countKind));
        if (groundedKind != countKind) {
            kinds.add(groundedKind);
        }
        int shapeCount = Math.max(kinds.size(), MIN_SHAPES + random.nextInt(MAX_SHAPES - MIN_SHAPES + 1));
        List<ShapeKind> fillers = without(without(KINDS, countKind), groundedKind);
        while (kinds.size() < shapeCount) {
            kinds.add(pick(random, fillers));
        }
        shuffle(kinds, random);
        int grounded = kinds.indexOf(groundedKind);

        // Colours: the grounded shape's and the first shape's are the balanced draws (the same shape when equal).
        ShapeColour[] colours = new ShapeColour[shapeCount];
        colours[grounded] = groundedColour;
        int first = grounded;
        if (firstColour != groundedColour) {
            first = (grounded + 1 + random.nextInt(shapeCount - 1)) % shapeCount;
            colours[first] = firstColour;
        }
        List<ShapeColour> free = new ArrayList<>(without(without(COLOURS, firstColour), groundedColour));
        shuffle(free, random);
        for (int i = 0, next = 0; i < shapeCount; i++) {
            if (colours[i] == null) {
                colours[i] = free.get(next++);
            }
        }

        // Times on the 0.5 s grid: each shape stays 1 s to half the video, starting anywhere it fits;
        // drawn until one interval starts strictly first, which goes to the first shape.
        int steps = format.halfSecondSteps();
        int longest = Math.max(2, steps / 2);
        int[] appear = new int[shapeCount];
        int[] disappear = new int[shapeCount];
        do {
            for (int i = 0; i < shapeCount; i++) {
                int length = 2 + random.nextInt(longest - 1);
                appear[i] = random.nextInt(steps - length + 1);
                disappear[i] = appear[i] + length;
            }
        } while (earliest(appear) < 0);
        int earliest = earliest(appear);
        swap(appear, earliest, first);
        swap(disappear, earliest, first);

        List<SceneShape> shapes = layout(random, kinds, colours, appear, disappear);
        shapes.sort(Comparator.comparingDouble(SceneShape::appear));
        Scene scene = new Scene(format, Scene.DEFAULT_BACKGROUND, shapes);
        return new SynthVideo(index, scene, plan(random, index, scene, firstColour, countKind, groundedKind));
    }

    private QuestionPlan plan(Random random, int index, Scene scene, ShapeColour firstColour, ShapeKind countKind,
                              ShapeKind groundedKind) {
        // Options: the other shapes' colours first, then absent ones; the answer at the balanced letter.
        List<ShapeColour> present = new ArrayList<>();
        List<ShapeColour> absent = new ArrayList<>(COLOURS);
        for (SceneShape shape : scene.shapes()) {
            absent.remove(shape.colour());
            if (shape.colour() != firstColour) {
                present.add(shape.colour());
            }
        }
        shuffle(present, random);
        shuffle(absent, random);
        List<ShapeColour> distractors = new ArrayList<>(present);
        distractors.addAll(absent);
        distractors = new ArrayList<>(distractors.subList(0, QuestionPlan.OPTION_COUNT - 1));
        shuffle(distractors, random);
        distractors.add(letters.valueFor(index), firstColour);

        // Yes: a shape of the scene. No: half the time a scene colour on another kind (so colour and kind
        // must be bound), half the time a colour that is not in the scene.
        SceneShape asked = pick(random, scene.shapes());
        ShapeColour askedColour = asked.colour();
        ShapeKind askedKind = asked.kind();
        if (answers.valueFor(index) == 0) {
            if (random.nextBoolean()) {
                askedKind = pick(random, without(KINDS, asked.kind()));
            } else {
                askedColour = pick(random, absent);
                askedKind = pick(random, KINDS);
            }
        }
        ShapeColour whenColour = pick(random, scene.shapes()).colour();
        return new QuestionPlan(distractors, countKind, askedColour, askedKind, whenColour, groundedKind);
    }

    /**
     * Sizes, velocities and start points for the shapes, so that each stays inside the frame and no
     * two touch in any frame; retries a shape, then the whole layout, until one fits.
     */
    private List<SceneShape> layout(Random random, List<ShapeKind> kinds, ShapeColour[] colours,
                                    int[] appear, int[] disappear) {
        for (int attempt = 0; attempt < LAYOUT_ATTEMPTS; attempt++) {
            List<SceneShape> placed = new ArrayList<>();
            for (int i = 0; i < kinds.size() && placed.size() == i; i++) {
                for (int tries = 0; tries < TRIES_PER_SHAPE; tries++) {
                    SceneShape candidate = moving(random, kinds.get(i), colours[i], appear[i] / 2.0, disappear[i] / 2.0);
                    if (placed.stream().noneMatch(other -> touch(candidate, other))) {
                        placed.add(candidate);
                        break;
                    }
                }
            }
            if (placed.size() == kinds.size()) {
                return placed;
            }
        }
        throw new IllegalStateException("could not lay out " + kinds.size() + " shapes without overlap in " + format);
    }

    /** A shape of random size with a random constant velocity and a start that keeps it inside the frame. */
    private SceneShape moving(Random random, ShapeKind kind, ShapeColour colour, double appear, double disappear) {
        int size = smallest + 2 * random.nextInt((largest - smallest) / 2 + 1);
        double seconds = disappear - appear;
        int[] x = axis(random, format.width(), size, seconds);
        int[] y = axis(random, format.height(), size, seconds);
        return new SceneShape(kind, colour, size, appear, disappear, x[0], y[0], x[1], y[1]);
    }

    /** {start, velocity} along one axis of {@code length} pixels: whole pixels, whole pixels per second. */
    private int[] axis(Random random, int length, int size, double seconds) {
        int low = size / 2 + MARGIN;
        int high = length - size / 2 - MARGIN;
        int fastestHere = (int) Math.min(fastest, Math.floor((high - low) / seconds));
        int velocity = -fastestHere + random.nextInt(2 * fastestHere + 1);
        double travel = velocity * seconds;
        int from = (int) Math.ceil(low - Math.min(0, travel));
        int to = (int) Math.floor(high - Math.max(0, travel));
        return new int[] {from + random.nextInt(to - from + 1), velocity};
    }

    /** True when the two shapes' bounding boxes come within {@link #GAP} pixels in some frame showing both. */
    private boolean touch(SceneShape a, SceneShape b) {
        double reach = (a.size() + b.size()) / 2.0 + GAP;
        for (int frame = 0; frame < format.frameCount(); frame++) {
            double time = format.frameTime(frame);
            if (a.visibleAt(time) && b.visibleAt(time)
                    && Math.abs(a.centreX(time) - b.centreX(time)) < reach
                    && Math.abs(a.centreY(time) - b.centreY(time)) < reach) {
                return true;
            }
        }
        return false;
    }

    /** The index of the strictly smallest value, or -1 when the smallest is shared. */
    private static int earliest(int[] values) {
        int best = 0;
        boolean shared = false;
        for (int i = 1; i < values.length; i++) {
            if (values[i] < values[best]) {
                best = i;
                shared = false;
            } else if (values[i] == values[best]) {
                shared = true;
            }
        }
        return shared ? -1 : best;
    }

    private static void swap(int[] values, int i, int j) {
        int swap = values[i];
        values[i] = values[j];
        values[j] = swap;
    }

    private static int even(double value) {
        return 2 * (int) Math.round(value / 2);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static <T> List<T> without(List<T> values, T removed) {
        return values.stream().filter(value -> value != removed).toList();
    }

    /** Fisher-Yates with {@code random}, spelled out so the order never depends on a library's shuffle. */
    private static <T> void shuffle(List<T> values, Random random) {
        for (int i = values.size() - 1; i > 0; i--) {
            Collections.swap(values, i, random.nextInt(i + 1));
        }
    }
}
