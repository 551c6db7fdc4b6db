package ai.videorl.cluster.data;

import ai.videorl.common.data.JsonLines;
import ai.videorl.common.data.Sample;
import ai.videorl.common.data.SampleJson;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.text.Utf8Lines;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

/**
 * Reads a JSONL manifest (any Hadoop filesystem) into a Dataset of samples, parsed on the
 * executors. Relative video paths resolve against the manifest's directory. A line that is not a
 * valid sample — not UTF-8, bad JSON, a bad field, no video, an id seen on an earlier line —
 * becomes a rejection naming the line and the field; the other lines go through.
 */
public final class ManifestReader {

    private static final Pattern URI_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:/");

    /**
     * A manifest's usable samples ({@link SampleRows#SCHEMA}) and its rejected lines
     * ({@link Rejections#SCHEMA}), computed from {@code parsed}, which stays cached until {@link #release}.
     */
    public record Manifest(Dataset<Row> samples, Dataset<Row> rejected, JavaPairRDD<Boolean, Row> parsed) {
        public void release() {
            parsed.unpersist(false);
        }
    }

    private ManifestReader() {
    }

    /** A manifest whose videos may be anywhere the job can read. */
    public static Manifest read(SparkSession spark, String location) {
        return read(spark, location, false);
    }

    /**
     * @param confine when true, a video outside the manifest's directory tree (after {@code ..} is
     *        resolved, on the same filesystem) is a rejection: what a shared service wants
     */
    public static Manifest read(SparkSession spark, String location, boolean confine) {
        Path manifest = qualified(spark, location);
        String directory = manifest.getParent().toString();
        JavaPairRDD<Boolean, Row> parsed = Utf8TextFile.lines(spark, manifest.toString())
                .mapToPair(line -> parse(line._1(), line._2(), directory, confine))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> samples = spark.createDataFrame(parsed.filter(Tuple2::_1).values(), SampleRows.SCHEMA);
        Dataset<Row> invalid = spark.createDataFrame(parsed.filter(line -> !line._1()).values(), Rejections.SCHEMA);

        // Rollout groups are keyed by id: a repeated id keeps its first line only.
        Dataset<Row> firstLines = samples.groupBy(Columns.ID).agg(min(Columns.LINE).as("first_line"));
        Dataset<Row> withFirst = samples.join(firstLines, Columns.ID).select(samples.col("*"), col("first_line"));
        Dataset<Row> duplicates = withFirst.filter(col(Columns.LINE).notEqual(col("first_line")))
                .select(col(Columns.LINE), col(Columns.ID), col(Columns.VIDEO),
                        concat(lit("duplicate id (first seen at line "), col("first_line").cast("string"), lit(")"))
                                .as(Columns.REASON));
        Column[] sampleColumns = Arrays.stream(SampleRows.SCHEMA.fieldNames()).map(withFirst::col).toArray(Column[]::new);
        Dataset<Row> unique = withFirst.filter(col(Columns.LINE).equalTo(col("first_line"))).select(sampleColumns);
        return new Manifest(unique, invalid.unionByName(duplicates), parsed);
    }

    private static Path qualified(SparkSession spark, String location) {
        Path path = new Path(location);
        try {
            FileSystem fileSystem = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fileSystem.getFileStatus(path).isFile()) {
                throw VideoRlException.invalidConfiguration("manifest is not a file: " + location);
            }
            return fileSystem.makeQualified(path);
        } catch (java.io.FileNotFoundException e) {
            throw VideoRlException.invalidConfiguration("manifest not found: " + location);
        } catch (IOException e) {
            throw VideoRlException.invalidConfiguration("cannot read the manifest " + location + ": " + e);
        }
    }

    /** One line: (true, sample row) or (false, rejection row). */
    static Tuple2<Boolean, Row> parse(Utf8Lines.Decoded text, long line, String directory, boolean confine) {
        String id = null;
        String video = null;
        try {
            JsonNode json = JsonLines.parse(text.text());
            id = json.path(Columns.ID).isValueNode() ? json.path(Columns.ID).asText() : null;
            video = json.path(Columns.VIDEO).isTextual() ? json.path(Columns.VIDEO).asText() : null;
            if (text.error() != null) {
                return new Tuple2<>(false, Rejections.of(line, id, video, text.error()));
            }
            Sample sample = SampleJson.read(json);
            if (sample.video().isBlank()) {
                throw VideoRlException.invalidField(Columns.VIDEO, "missing");
            }
            String resolved = resolve(directory, sample.video());
            if (confine && !isInside(directory, resolved)) {
                throw VideoRlException.invalidField(Columns.VIDEO, resolved + " lies outside the manifest's directory "
                        + directory + " (prepare --confine)");
            }
            return new Tuple2<>(true, SampleRows.toRow(sample.withVideo(resolved), line));
        } catch (VideoRlException e) {
            return new Tuple2<>(false, Rejections.of(line, id, video, text.error() != null ? text.error() : e.getMessage()));
        }
    }

    /** Whether {@code location}, normalised, lies in {@code directory}'s tree on the same filesystem. */
    static boolean isInside(String directory, String location) {
        URI base = new Path(directory).toUri();
        URI video = new Path(location).toUri().normalize();
        String root = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
        return Objects.equals(base.getScheme(), video.getScheme())
                && Objects.equals(base.getAuthority(), video.getAuthority())
                && video.getPath() != null && video.getPath().startsWith(root);
    }

    /**
     * {@code video} as written if it is a URI ({@code scheme:/…}); otherwise a path on the
     * manifest's filesystem, relative to its directory unless it starts with "/". Only a
     * {@code scheme:/} prefix makes a URI, so a file named "12:30.mp4" is a file.
     */
    static String resolve(String directory, String video) {
        if (URI_PREFIX.matcher(video).lookingAt()) {
            return video;
        }
        URI base = new Path(directory).toUri();
        String path = video.startsWith("/") ? video : base.getPath() + (base.getPath().endsWith("/") ? "" : "/") + video;
        try {
            return new Path(base.getScheme(), base.getAuthority(), path).toString();
        } catch (IllegalArgumentException e) {
            throw VideoRlException.invalidField(Columns.VIDEO, "not a valid path: " + e.getMessage());
        }
    }
}
