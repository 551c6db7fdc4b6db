package ai.videorl.cluster.train;

import ai.videorl.cluster.data.Columns;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PolicyBatchesTest {

    private static final StructType SCHEMA = new StructType().add(Columns.ID, DataTypes.StringType);

    private static List<Row> rows(String... ids) {
        return Arrays.stream(ids).<Row>map(id -> new GenericRowWithSchema(new Object[] {id}, SCHEMA)).toList();
    }

    @Test
    void groupsOfEqualSizeShareTheirFramesAndAnythingElseDoesNot() {
        assertEquals(3, PolicyBatches.sharedRun(rows("a", "a", "a", "b", "b", "b"), Columns.ID), "two groups of three rollouts");
        assertEquals(1, PolicyBatches.sharedRun(rows("a", "b", "c"), Columns.ID), "one row per prompt");
        assertEquals(1, PolicyBatches.sharedRun(rows("a", "a", "a", "b", "b"), Columns.ID), "a group that lost a rollout");
        assertEquals(2, PolicyBatches.sharedRun(rows("a", "a"), Columns.ID));
    }

    @Test
    void questionsAboutOneVideoShareItsFramesWhenKeyedByVideo() {
        StructType schema = SCHEMA.add(Columns.VIDEO, DataTypes.StringType);
        List<Row> rows = List.of(new GenericRowWithSchema(new Object[] {"v1-count", "v1.mp4"}, schema),
                new GenericRowWithSchema(new Object[] {"v1-mc", "v1.mp4"}, schema),
                new GenericRowWithSchema(new Object[] {"v2-count", "v2.mp4"}, schema),
                new GenericRowWithSchema(new Object[] {"v2-mc", "v2.mp4"}, schema));
        assertEquals(2, PolicyBatches.sharedRun(rows, Columns.VIDEO), "two videos, two questions each");
        assertEquals(1, PolicyBatches.sharedRun(rows, Columns.ID), "every prompt differs");
    }
}
