package ai.videorl.common.synth;

import ai.videorl.common.data.Interval;

import java.util.Objects;

/**
 * One shape of a synthetic scene: what it is, when it is on screen and how it moves. Enough to
 * recompute every pixel it covers at any time.
 *
 * <p>Geometry, in pixel coordinates (x right, y down, pixel {@code (i, j)} spans
 * {@code [i, i+1) x [j, j+1)} and is covered when its centre {@code (i + 0.5, j + 0.5)} is
 * strictly inside the shape): a circle of diameter {@code size}; an axis-aligned square of side
 * {@code size}; a triangle with its apex at the top middle and its base along the bottom of the
 * {@code size x size} box. All three are centred on {@link #centreX}/{@link #centreY}.
 *
 * @param kind circle, square or triangle
 * @param colour the fill colour
 * @param size diameter, side, or side of the triangle's bounding box, in pixels
 * @param appear the first instant it is visible, in seconds
 * @param disappear the first instant it is no longer visible, in seconds ({@code > appear}); the
 *        video's duration when it stays to the end
 * @param x the centre's x at {@code appear}
 * @param y the centre's y at {@code appear}
 * @param velocityX pixels per second along x, constant
 * @param velocityY pixels per second along y, constant
 */
public record SceneShape(ShapeKind kind, ShapeColour colour, int size, double appear, double disappear,
                         double x, double y, double velocityX, double velocityY) {

    public SceneShape {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(colour, "colour");
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        if (!(appear >= 0 && disappear > appear) || !Double.isFinite(disappear)) {
            throw new IllegalArgumentException("need 0 <= appear < disappear, got " + appear + " and " + disappear);
        }
        if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(velocityX) || !Double.isFinite(velocityY)) {
            throw new IllegalArgumentException("position and velocity must be finite");
        }
    }

    /** "red circle": how the text names this shape (colours are unique within a scene). */
    public String name() {
        return colour.word() + " " + kind.word();
    }

    /** True when the shape is on screen at {@code time}: {@code appear <= time < disappear}. */
    public boolean visibleAt(double time) {
        return time >= appear && time < disappear;
    }

    /** When it is on screen, as the temporal-grounding ground truth {@code [appear, disappear]}. */
    public Interval interval() {
        return new Interval(appear, disappear);
    }

    /** The centre's x at {@code time} (extrapolated outside the visible interval). */
    public double centreX(double time) {
        return x + velocityX * (time - appear);
    }

    /** The centre's y at {@code time} (extrapolated outside the visible interval). */
    public double centreY(double time) {
        return y + velocityY * (time - appear);
    }

    /** True when the point {@code (px, py)} is strictly inside the shape at {@code time} and the shape is visible. */
    public boolean covers(double px, double py, double time) {
        if (!visibleAt(time)) {
            return false;
        }
        double dx = px - centreX(time);
        double dy = py - centreY(time);
        double half = size / 2.0;
        return switch (kind) {
            case CIRCLE -> dx * dx + dy * dy < half * half;
            case SQUARE -> Math.abs(dx) < half && Math.abs(dy) < half;
            // Half-width grows from 0 at the apex (dy = -half) to half at the base (dy = +half).
            case TRIANGLE -> dy > -half && dy < half && Math.abs(dx) < (dy + half) / 2;
        };
    }
}
