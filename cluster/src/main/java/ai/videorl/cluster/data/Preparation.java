package ai.videorl.cluster.data;

import ai.videorl.cluster.store.TextFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * {@code prepare}: validates a manifest, probes every video on the executors, and writes
 * <ul>
 *   <li>{@code OUT/samples.parquet}: the usable samples with what their videos hold and their work weight;</li>
 *   <li>{@code OUT/quarantine.jsonl}: every rejected line with its reason, in line order;</li>
 *   <li>{@code OUT/summary.json}: counts;</li>
 *   <li>with a GRPO fraction, {@code OUT/grpo.parquet} (the hardest samples by difficulty, ties by
 *       id, so the split is deterministic) and {@code OUT/sft.parquet} (the rest).</li>
 * </ul>
 */
public final class Preparation {

    public static final String SAMPLES = "samples.parquet";
    public static final String QUARANTINE = "quarantine.jsonl";
    public static final String SUMMARY = "summary.json";
    public static final String GRPO = "grpo.parquet";
    public static final String SFT = "sft.parquet";

    static final String GRPO_SPLIT = "grpo";
    static final String SFT_SPLIT = "sft";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What {@code prepare} did.
     *
     * @param lines manifest lines read
     * @param samples usable samples written
     * @param quarantined lines rejected
     * @param grpo samples in the GRPO split (0 without a split)
     * @param sft samples in the SFT split (0 without a split)
     */
    public record Summary(long lines, long samples, long quarantined, long grpo, long sft) {
    }

    private Preparation() {
    }

    public static Summary run(SparkSession spark, PrepareOptions options) throws IOException {
        ManifestReader.Manifest manifest = ManifestReader.read(spark, options.manifest(), options.confine());
        VideoProbing.Probed probed = null;
        Dataset<Row> samples = null;
        try {
            probed = VideoProbing.probe(spark, manifest.samples(), options.sampling(), options.cache(), options.partitions());
            samples = probed.samples();
            Dataset<Row> rejected = manifest.rejected().unionByName(probed.rejected());
            if (options.grpoFraction().isPresent()) {
                rejected = rejected.unionByName(samples.filter(col(Columns.DIFFICULTY).isNull()).select(col(Columns.LINE),
                        col(Columns.ID), col(Columns.VIDEO), lit("field 'difficulty': missing, and the GRPO/SFT split needs "
                                + "one on every sample").as(Columns.REASON)));
                samples = withSplit(spark, samples.filter(col(Columns.DIFFICULTY).isNotNull()),
                        options.grpoFraction().getAsDouble());
            }
            samples = samples.orderBy(Columns.LINE).cache();
            return write(options, samples, rejected);
        } finally {
            if (samples != null) {
                samples.unpersist();
            }
            if (probed != null) {
                probed.release();
            }
            manifest.release();
        }
    }

    private static Summary write(PrepareOptions options, Dataset<Row> samples, Dataset<Row> rejected) throws IOException {
        String output = options.output();
        samples.write().mode(SaveMode.Overwrite).parquet(child(output, SAMPLES));
        long grpo = 0;
        long sft = 0;
        if (options.grpoFraction().isPresent()) {
            Dataset<Row> grpoRows = samples.filter(col(Columns.SPLIT).equalTo(GRPO_SPLIT));
            Dataset<Row> sftRows = samples.filter(col(Columns.SPLIT).equalTo(SFT_SPLIT));
            grpoRows.write().mode(SaveMode.Overwrite).parquet(child(output, GRPO));
            sftRows.write().mode(SaveMode.Overwrite).parquet(child(output, SFT));
            grpo = grpoRows.count();
            sft = sftRows.count();
        }
        Map<String, Integer> reasons = writeQuarantine(child(output, QUARANTINE), rejected.orderBy(Columns.LINE).toLocalIterator());
        long quarantined = reasons.values().stream().mapToLong(Integer::longValue).sum();
        long usable = samples.count();
        Summary summary = new Summary(usable + quarantined, usable, quarantined, grpo, sft);
        writeSummary(child(output, SUMMARY), options, summary, reasons);
        return summary;
    }

    /**
     * Adds {@value Columns#SPLIT}: the hardest {@code fraction} of the samples (at least one), by
     * difficulty then id, are GRPO's; the rest SFT's.
     */
    private static Dataset<Row> withSplit(SparkSession spark, Dataset<Row> rated, double fraction) {
        List<Row> ranked = new ArrayList<>(rated.select(Columns.ID, Columns.DIFFICULTY).collectAsList());
        ranked.sort(Comparator.comparingDouble((Row row) -> -row.getDouble(1)).thenComparing(row -> row.getString(0)));
        int count = ranked.isEmpty() ? 0 : Math.max(1, (int) Math.ceil(fraction * ranked.size()));
        List<String> hardest = ranked.subList(0, count).stream().map(row -> row.getString(0)).toList();
        Dataset<Row> grpoIds = spark.createDataset(hardest, Encoders.STRING()).toDF(Columns.ID)
                .withColumn("in_grpo", lit(true));
        return rated.join(broadcast(grpoIds), rated.col(Columns.ID).equalTo(grpoIds.col(Columns.ID)), "left")
                .withColumn(Columns.SPLIT, when(col("in_grpo").isNotNull(), lit(GRPO_SPLIT)).otherwise(lit(SFT_SPLIT)))
                .drop(grpoIds.col(Columns.ID)).drop("in_grpo");
    }

    /** Writes the rejections as JSON lines and counts them by kind of reason. */
    private static Map<String, Integer> writeQuarantine(String location, Iterator<Row> rows) throws IOException {
        Map<String, Integer> reasons = new LinkedHashMap<>();
        try (Writer out = TextFiles.writer(location)) {
            while (rows.hasNext()) {
                Row row = rows.next();
                ObjectNode line = JSON.createObjectNode();
                line.put(Columns.LINE, row.getLong(0));
                line.put(Columns.ID, row.getString(1));
                line.put(Columns.VIDEO, row.getString(2));
                line.put(Columns.REASON, row.getString(3));
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
                reasons.merge(reasonKind(row.getString(3)), 1, Integer::sum);
            }
        }
        return reasons;
    }

    private static void writeSummary(String location, PrepareOptions options, Summary summary, Map<String, Integer> reasons)
            throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("manifest", options.manifest());
        json.put("lines", summary.lines());
        json.put("samples", summary.samples());
        json.put("quarantined", summary.quarantined());
        reasons.forEach(json.putObject("quarantine_reasons")::put);
        if (options.grpoFraction().isPresent()) {
            json.put("grpo_fraction", options.grpoFraction().getAsDouble());
            json.put("grpo", summary.grpo());
            json.put("sft", summary.sft());
        }
        try (Writer out = TextFiles.writer(location)) {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
            out.write('\n');
        }
    }

    /** "field 'x'", "video corrupt", "duplicate id", … — the kind of a rejection, for counting. */
    static String reasonKind(String reason) {
        if (reason.startsWith("field '")) {
            return reason.substring(0, reason.indexOf('\'', 7) + 1);
        }
        for (String kind : List.of("missing", "corrupt", "truncated", "unsupported", "unreadable")) {
            if (reason.contains(": " + kind + ": ")) {
                return "video " + kind;
            }
        }
        int colon = reason.indexOf(':');
        int paren = reason.indexOf(" (");
        int end = colon < 0 ? paren : paren < 0 ? colon : Math.min(colon, paren);
        return end < 0 ? reason : reason.substring(0, end);
    }

    private static String child(String directory, String name) {
        return new Path(directory, name).toString();
    }
}
