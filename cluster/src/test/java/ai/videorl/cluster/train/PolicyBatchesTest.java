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
        assertEquals(3, PolicyBatches.sharedRun(rows("a", "a", "a", "b", "b", "b")), "two groups of three rollouts");
        assertEquals(1, PolicyBatches.sharedRun(rows("a", "b", "c")), "one row per prompt");
        assertEquals(1, PolicyBatches.sharedRun(rows("a", "a", "a", "b", "b")), "a group that lost a rollout");
        assertEquals(2, PolicyBatches.sharedRun(rows("a", "a")));
    }
}
