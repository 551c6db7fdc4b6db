package ai.videorl.cluster.train;

import ai.videorl.cluster.data.Columns;
import ai.videorl.cluster.data.Utf8TextFile;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.synth.SynthJson;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Arrays;

import static org.apache.spark.sql.functions.col;

/**
 * SFT targets: a JSONL file of {@code {"id": …, "response": …}}, or of one response per recipe
 * keyed by the recipe's name (what {@code synth} writes to {@code references.jsonl}); the
 * recipe's own key wins over {@code response}.
 */
public final class SftReferences {

    public static final String RESPONSE = "response";
    /** The perception stage's column: each video's objects, {@code [{name, appear, disappear}]} as synth writes them. */
    public static final String OBJECTS = SynthJson.OBJECTS;

    private SftReferences() {
    }

    /** The file's JSON lines as a table; lines that are not UTF-8 are named in the log and left out. */
    private static Dataset<Row> json(SparkSession spark, String location) {
        return spark.read().option("mode", "FAILFAST").json(Utf8TextFile.validLines(spark, location, "data.references"));
    }

    /** Rows of ({@value Columns#ID}, {@value #RESPONSE}), one per sample that has a reference. */
    public static Dataset<Row> load(SparkSession spark, String location, String recipe) {
        if (location == null || location.isBlank()) {
            throw VideoRlException.invalidConfiguration("data.references must name the SFT targets (JSONL of id and response)");
        }
        Dataset<Row> lines = json(spark, location);
        String key = Arrays.asList(lines.columns()).contains(recipe) ? recipe : RESPONSE;
        if (!Arrays.asList(lines.columns()).contains(Columns.ID) || !Arrays.asList(lines.columns()).contains(key)) {
            throw VideoRlException.invalidInput(location + ": each line needs \"" + Columns.ID + "\" and \"" + RESPONSE
                    + "\" (or \"" + recipe + "\"); found the fields " + Arrays.toString(lines.columns()));
        }
        Dataset<Row> references = lines.select(col(Columns.ID), col("`" + key + "`").as(RESPONSE)).filter(col(RESPONSE).isNotNull());
        TrainingData.requireUniqueIds(references, "data.references: " + location);
        return references;
    }

    /**
     * Rows of ({@value Columns#ID}, {@value #RESPONSE}) holding each sample's video caption (the
     * {@code caption} field {@code synth} writes), for SFT's caption stage.
     */
    public static Dataset<Row> loadCaptions(SparkSession spark, String location) {
        Dataset<Row> lines = json(spark, location);
        if (!Arrays.asList(lines.columns()).contains(Columns.ID) || !Arrays.asList(lines.columns()).contains(SynthJson.CAPTION)) {
            throw VideoRlException.invalidInput(location + ": sft.caption_steps and sft.caption_replay need \"" + Columns.ID + "\" and \"" + SynthJson.CAPTION
                    + "\" on each line (what synth writes); found the fields " + Arrays.toString(lines.columns()));
        }
        return lines.select(col(Columns.ID), col(SynthJson.CAPTION).as(RESPONSE)).filter(col(RESPONSE).isNotNull());
    }

    /**
     * Rows of ({@value Columns#ID}, {@value #OBJECTS}): each sample's video objects and when they
     * are visible (the {@code objects} field {@code synth} writes), for SFT's perception stage.
     */
    public static Dataset<Row> loadObjects(SparkSession spark, String location) {
        Dataset<Row> lines = json(spark, location);
        if (!Arrays.asList(lines.columns()).contains(Columns.ID) || !Arrays.asList(lines.columns()).contains(OBJECTS)) {
            throw VideoRlException.invalidInput(location + ": sft.perception_steps needs \"" + Columns.ID + "\" and \"" + OBJECTS
                    + "\" on each line (what synth writes); found the fields " + Arrays.toString(lines.columns()));
        }
        return lines.select(col(Columns.ID), col(OBJECTS)).filter(col(OBJECTS).isNotNull());
    }
}
