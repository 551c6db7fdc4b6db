package ai.videorl.cluster.train;

import ai.videorl.cluster.data.Columns;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameTagsTest {

    private static final StructType OBJECT = new StructType().add("appear", DataTypes.DoubleType).add("disappear", DataTypes.DoubleType)
            .add("name", DataTypes.StringType);
    private static final StructType VIDEO = new StructType().add(Columns.ID, DataTypes.StringType)
            .add(SftReferences.OBJECTS, DataTypes.createArrayType(OBJECT));

    private static Row video(Object[]... objects) {
        List<Row> rows = java.util.Arrays.stream(objects).<Row>map(values -> new GenericRowWithSchema(values, OBJECT)).toList();
        return new GenericRowWithSchema(new Object[] {"000001-mc", scala.jdk.javaapi.CollectionConverters.asScala(rows).toSeq()}, VIDEO);
    }

    @Test
    void aFrameShowsAnObjectFromItsAppearanceUntilJustBeforeItLeaves() {
        FrameTags tags = new FrameTags(List.of("blue square", "red circle", "white triangle"));
        Row video = video(new Object[] {0.5, 1.5, "red circle"}, new Object[] {1.0, 2.0, "white triangle"});
        // Frames at 0, 0.5, 1.0 (decoded a rounding error early) and 1.5 s.
        float[] labels = tags.labels(video, new double[] {0.0, 0.5, 0.9999999, 1.5});
        assertArrayEquals(new float[] {
                0, 0, 0,
                0, 1, 0,
                0, 1, 1,
                0, 0, 1}, labels);
    }

    @Test
    void anObjectThatIsNotATagFailsNamingIt() {
        FrameTags tags = new FrameTags(List.of("red circle"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> tags.labels(video(new Object[] {0.0, 1.0, "green star"}), new double[] {0.0}));
        assertTrue(error.getMessage().contains("'green star'"), error.getMessage());
    }
}
