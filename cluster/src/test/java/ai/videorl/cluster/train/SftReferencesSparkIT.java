package ai.videorl.cluster.train;

import ai.videorl.cluster.LocalSpark;
import ai.videorl.cluster.data.Columns;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SftReferencesSparkIT {

    @TempDir
    Path directory;

    @Test
    void aReferenceLineThatIsNotUtf8IsLeftOutAndTheOthersLoad() throws Exception {
        Path references = directory.resolve("references.jsonl");
        try (OutputStream out = Files.newOutputStream(references)) {
            out.write("{\"id\": \"a\", \"response\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.UTF_8));
            // The same line in Latin-1: read as UTF-8 it would silently become "caf\uFFFD".
            out.write("{\"id\": \"b\", \"response\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write("{\"id\": \"c\", \"response\": \"ok\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        List<Row> rows = SftReferences.load(LocalSpark.session(), references.toString(), "videoauto-r1")
                .orderBy(Columns.ID).collectAsList();
        assertEquals(List.of("a", "c"), rows.stream().map(row -> row.<String>getAs(Columns.ID)).toList());
        assertEquals("caf\u00e9", rows.get(0).getAs(SftReferences.RESPONSE));
    }
}
