package ai.videorl.cluster.data;

import ai.videorl.common.data.ProblemType;
import ai.videorl.common.data.Sample;
import ai.videorl.common.data.SampleJson;
import ai.videorl.common.data.Solution;
import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

import static ai.videorl.cluster.data.Columns.DIFFICULTY;
import static ai.videorl.cluster.data.Columns.FACTS;
import static ai.videorl.cluster.data.Columns.ID;
import static ai.videorl.cluster.data.Columns.LINE;
import static ai.videorl.cluster.data.Columns.OPTIONS;
import static ai.videorl.cluster.data.Columns.PROBLEM;
import static ai.videorl.cluster.data.Columns.PROBLEM_TYPE;
import static ai.videorl.cluster.data.Columns.SOLUTION;
import static ai.videorl.cluster.data.Columns.TEMPORAL_GROUNDING;
import static ai.videorl.cluster.data.Columns.VIDEO;

/**
 * A {@link Sample} as a Spark row, plus the manifest line it came from. Plain columns, queryable
 * with Spark SQL; the solution is kept as its canonical JSON because its shape varies by type.
 */
public final class SampleRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One timestamped claim; a list of them keeps the written order, which a Parquet map would not. */
    private static final StructType CLAIM = new StructType(new StructField[] {
        DataTypes.createStructField("time", DataTypes.StringType, false),
        DataTypes.createStructField("claim", DataTypes.StringType, false),
    });

    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(ID, DataTypes.StringType, false),
        DataTypes.createStructField(VIDEO, DataTypes.StringType, false),
        DataTypes.createStructField(PROBLEM, DataTypes.StringType, false),
        DataTypes.createStructField(PROBLEM_TYPE, DataTypes.StringType, false),
        DataTypes.createStructField(OPTIONS, DataTypes.createArrayType(DataTypes.StringType, false), false),
        DataTypes.createStructField(SOLUTION, DataTypes.StringType, false),
        DataTypes.createStructField(TEMPORAL_GROUNDING, DataTypes.createArrayType(CLAIM, false), false),
        DataTypes.createStructField(FACTS, DataTypes.createArrayType(DataTypes.StringType, false), false),
        DataTypes.createStructField(DIFFICULTY, DataTypes.DoubleType, true),
        DataTypes.createStructField(LINE, DataTypes.LongType, false),
    });

    private SampleRows() {
    }

    /** Lists become arrays: Spark's row encoder takes Java arrays or Scala sequences, not java.util.List. */
    public static Row toRow(Sample sample, long line) {
        return RowFactory.create(sample.id(), sample.video(), sample.problem(), sample.problemType().canonicalName(),
                sample.options().toArray(String[]::new), SampleJson.write(sample).get("solution").toString(),
                sample.temporalGrounding().entrySet().stream()
                        .map(claim -> RowFactory.create(claim.getKey(), claim.getValue())).toArray(Row[]::new),
                sample.facts().toArray(String[]::new),
                sample.difficulty().isPresent() ? sample.difficulty().getAsDouble() : null, line);
    }

    /** The sample of a row that has this class's columns (others are ignored). */
    public static Sample fromRow(Row row) {
        ProblemType type = ProblemType.parse(row.getAs(PROBLEM_TYPE));
        Solution solution;
        try {
            solution = Solution.fromJson(JSON.readTree(row.<String>getAs(SOLUTION)), type);
        } catch (JsonProcessingException e) {
            throw new VideoRlException(ErrorCode.INTERNAL,
                    "row '" + row.getAs(ID) + "' holds a solution that is not JSON: " + row.getAs(SOLUTION), e);
        }
        Double difficulty = row.getAs(DIFFICULTY);
        Map<String, String> claims = new LinkedHashMap<>();
        for (Row claim : row.<Row>getList(row.fieldIndex(TEMPORAL_GROUNDING))) {
            claims.put(claim.getString(0), claim.getString(1));
        }
        return new Sample(row.getAs(ID), row.getAs(VIDEO), row.getAs(PROBLEM), type, row.getList(row.fieldIndex(OPTIONS)),
                solution, claims, row.getList(row.fieldIndex(FACTS)),
                difficulty == null ? OptionalDouble.empty() : OptionalDouble.of(difficulty));
    }
}
