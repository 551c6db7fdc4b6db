package ai.videorl.cluster.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Line charts of metric series per iteration, drawn by XChart as PNG. */
final class Charts {

    static final int WIDTH = 640;
    static final int HEIGHT = 320;

    /** One chart: a title, its y axis and the metrics it plots (label to metric name). */
    record Spec(String file, String title, String yAxis, Map<String, String> lines) {
    }

    /** A drawn chart and the lines it had data for. */
    record Drawn(Spec spec, byte[] png, List<String> plotted) {
    }

    private Charts() {
    }

    /** Draws {@code spec} from {@code metrics}, or returns null when no line of it has any point. */
    static Drawn draw(Spec spec, MetricSeries metrics) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(spec.title()).xAxisTitle("iteration")
                .yAxisTitle(spec.yAxis()).build();
        chart.getStyler().setMarkerSize(0);
        List<String> plotted = new ArrayList<>();
        for (Map.Entry<String, String> line : spec.lines().entrySet()) {
            MetricSeries.Series series = metrics.get(line.getValue());
            if (series.values().isEmpty()) {
                continue;
            }
            XYSeries drawn = chart.addSeries(line.getKey(), series.iterations(), series.values());
            drawn.setMarker(SeriesMarkers.NONE);
            plotted.add(line.getValue());
        }
        if (plotted.isEmpty()) {
            return null;
        }
        return new Drawn(spec, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG), plotted);
    }
}
