package ai.videorl.cluster.train;

import ai.videorl.common.synth.VisibleObject;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

/**
 * The perception stage's label space: every object name of the training videos, sorted, tag i
 * being the i-th; a frame's label for tag i is 1 when an object of that name is on screen at the
 * frame's timestamp.
 *
 * @param names the tags, in head order
 */
public record FrameTags(List<String> names) implements Serializable {

    /**
     * Decoded timestamps of frames on the 0.5 s grid may come out a rounding error below it; an
     * object appearing at 1.0 s is on the frame decoded at 0.9999999 s.
     */
    private static final double TIMESTAMP_SLACK = 1e-6;

    public FrameTags {
        names = List.copyOf(names);
    }

    /** The distinct object names of {@code videos}' {@value SftReferences#OBJECTS} column. */
    public static FrameTags of(Dataset<Row> videos) {
        return new FrameTags(videos.select(explode(col(SftReferences.OBJECTS)).as("object")).select(col("object.name"))
                .distinct().as(Encoders.STRING()).collectAsList().stream().sorted().toList());
    }

    public int size() {
        return names.size();
    }

    /**
     * [F · T] labels of a video's frames, frame-major, from its row's objects.
     *
     * @throws IllegalArgumentException naming the object when its name is not a tag
     */
    public float[] labels(Row video, double[] timestamps) {
        float[] labels = new float[timestamps.length * names.size()];
        for (Row object : video.<Row>getList(video.fieldIndex(SftReferences.OBJECTS))) {
            // Numbers, not doubles: a hand-written file may say "appear": 1.
            VisibleObject visible = new VisibleObject(object.getAs("name"), object.<Number>getAs("appear").doubleValue(),
                    object.<Number>getAs("disappear").doubleValue());
            int tag = names.indexOf(visible.name());
            if (tag < 0) {
                throw new IllegalArgumentException("object '" + visible.name() + "' is not one of the " + names.size() + " frame tags");
            }
            for (int frame = 0; frame < timestamps.length; frame++) {
                if (visible.visibleAt(timestamps[frame] + TIMESTAMP_SLACK)) {
                    labels[frame * names.size() + tag] = 1f;
                }
            }
        }
        return labels;
    }
}
