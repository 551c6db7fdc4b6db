package ai.videorl.cluster.report;

import ai.videorl.cluster.store.TextFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's {@code metrics.jsonl} as one series per metric name: each iteration's value, in file
 * order. A metric an iteration lacks is simply missing from that iteration's point.
 */
public final class MetricSeries {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One series: its iterations and values, equally long. */
    public record Series(List<Double> iterations, List<Double> values) {
    }

    private final Map<String, Series> series;
    private final List<String> skipped;

    private MetricSeries(Map<String, Series> series, List<String> skipped) {
        this.series = series;
        this.skipped = List.copyOf(skipped);
    }

    /**
     * Reads {@code location} (any Hadoop URI). A line that is not a JSON object with an iteration
     * (a write cut short, a hand edit) is skipped and listed in {@link #skipped}: the other lines
     * still draw.
     */
    public static MetricSeries read(String location) throws IOException {
        Map<String, Series> series = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        try (BufferedReader reader = TextFiles.reader(location)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode point;
                try {
                    point = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    skipped.add(location + ":" + number + ": not JSON: " + e.getOriginalMessage());
                    continue;
                }
                if (point == null || !point.isObject() || !point.path("iteration").isNumber()) {
                    skipped.add(location + ":" + number + ": not an object with an \"iteration\"");
                    continue;
                }
                double iteration = point.get("iteration").asDouble();
                point.fields().forEachRemaining(field -> {
                    if (!field.getKey().equals("iteration") && field.getValue().isNumber()) {
                        Series values = series.computeIfAbsent(field.getKey(), key -> new Series(new ArrayList<>(), new ArrayList<>()));
                        values.iterations().add(iteration);
                        values.values().add(field.getValue().asDouble());
                    }
                });
            }
        }
        return new MetricSeries(series, skipped);
    }

    /** The lines that could not be read, each as {@code FILE:LINE: why}. */
    public List<String> skipped() {
        return skipped;
    }

    public Set<String> names() {
        return series.keySet();
    }

    /** The series of {@code name}, or an empty one. */
    public Series get(String name) {
        return series.getOrDefault(name, new Series(List.of(), List.of()));
    }

    public int iterations() {
        return series.values().stream().mapToInt(values -> values.iterations().size()).max().orElse(0);
    }
}
