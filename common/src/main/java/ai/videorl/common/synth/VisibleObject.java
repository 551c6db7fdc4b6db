package ai.videorl.common.synth;

import java.util.Objects;

/**
 * A named object of a video and when it is on screen: the per-frame ground truth that SFT's
 * perception stage trains the frame encoder on (a frame at time t shows it when
 * {@code appear <= t < disappear}, as {@link SceneShape#visibleAt} has it).
 *
 * @param name how the text names it ("red circle")
 * @param appear when it comes on screen, in seconds
 * @param disappear when it leaves, in seconds
 */
public record VisibleObject(String name, double appear, double disappear) {

    public VisibleObject {
        Objects.requireNonNull(name, "name");
        if (!(appear >= 0 && disappear > appear)) {
            throw new IllegalArgumentException("'" + name + "' must appear at a time >= 0 before it disappears, got ["
                    + appear + ", " + disappear + ")");
        }
    }

    /** True when it is on screen at {@code time}: {@code appear <= time < disappear}. */
    public boolean visibleAt(double time) {
        return time >= appear && time < disappear;
    }

    public static VisibleObject of(SceneShape shape) {
        return new VisibleObject(shape.name(), shape.appear(), shape.disappear());
    }
}
