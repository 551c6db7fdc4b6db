package ai.videorl.cluster.report;

import ai.videorl.common.error.VideoRlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricSeriesTest {

    @TempDir
    Path directory;

    @Test
    void aLineThatCannotBeReadIsSkippedAndNamedAndTheRestDraws() throws Exception {
        Path metrics = Files.write(directory.resolve("metrics.jsonl"), List.of(
                "{\"iteration\": 1, \"critic/score/mean\": 0.5}",
                "{\"iteration\": 2, \"critic/score/me",
                "[1, 2]",
                "{\"iteration\": 3, \"critic/score/mean\": 0.7}"));
        MetricSeries series = MetricSeries.read(metrics.toString());
        assertEquals(List.of(1.0, 3.0), series.get("critic/score/mean").iterations());
        assertEquals(List.of(0.5, 0.7), series.get("critic/score/mean").values());
        assertEquals(2, series.skipped().size(), series.skipped().toString());
        assertTrue(series.skipped().get(0).startsWith(metrics + ":2: not JSON"), series.skipped().get(0));
        assertTrue(series.skipped().get(1).startsWith(metrics + ":3: not an object"), series.skipped().get(1));
    }

    @Test
    void aDirectoryOrAMissingFileIsNamed() throws Exception {
        VideoRlException directoryError = assertThrows(VideoRlException.class, () -> MetricSeries.read(directory.toString()));
        assertEquals(directory + " is a directory, not a file", directoryError.getMessage());
        VideoRlException missing = assertThrows(VideoRlException.class,
                () -> MetricSeries.read(directory.resolve("none.jsonl").toString()));
        assertTrue(missing.getMessage().contains("none.jsonl does not exist"), missing.getMessage());
    }
}
