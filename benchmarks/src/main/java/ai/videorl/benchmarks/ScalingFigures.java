package ai.videorl.benchmarks;

import ai.videorl.common.metrics.MetricKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The scaling table of bin/bench-cluster, read from the {@code metrics.jsonl} of {@code train}
 * runs that did the same work on different numbers of executors: rollouts per second of the
 * generation stage ({@code batch/rollouts} over {@code timing_s/gen}) after the warm-up
 * iterations (the first decode the videos and start libtorch), the mean iteration time, and the
 * scaling efficiency against the first run (speed-up over the executor ratio).
 * Arguments: {@code WARMUP EXECUTORS=RUN_DIR...}.
 */
public final class ScalingFigures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScalingFigures() {
    }

    /** One run's totals over its measured iterations. */
    record Run(String label, int executors, int iterations, double rollouts, double generationSeconds, double stepSeconds) {
        double rolloutsPerSecond() {
            return rollouts / generationSeconds;
        }
    }

    public static void main(String[] args) throws IOException {
        int warmup = Integer.parseInt(args[0]);
        System.out.printf(Locale.ROOT, "%-28s %10s %12s %12s %12s %11s%n",
                "run", "iterations", "rollouts/it", "rollouts/s", "step s", "efficiency");
        Run first = null;
        for (int i = 1; i < args.length; i++) {
            String[] labelled = args[i].split("=", 2);
            Run run = read(labelled[0], Path.of(labelled[1]), warmup);
            first = first == null ? run : first;
            double efficiency = run.rolloutsPerSecond() / first.rolloutsPerSecond() / ((double) run.executors() / first.executors());
            System.out.printf(Locale.ROOT, "%-28s %10d %12.0f %12.1f %12.2f %10.0f%%%n", run.label(), run.iterations(),
                    run.rollouts() / run.iterations(), run.rolloutsPerSecond(), run.stepSeconds() / run.iterations(), 100 * efficiency);
        }
    }

    /** {@code label} is "N executors" or "N executors, anything else": the count is its first word. */
    static Run read(String label, Path run, int warmup) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        if (lines.size() <= warmup) {
            throw new IllegalArgumentException(run + " has " + lines.size() + " iterations, not more than the " + warmup + " of warm-up");
        }
        double rollouts = 0;
        double generation = 0;
        double step = 0;
        for (String line : lines.subList(warmup, lines.size())) {
            JsonNode metrics = JSON.readTree(line);
            rollouts += metrics.get("batch/rollouts").asDouble();
            generation += metrics.get(MetricKeys.timing(MetricKeys.Stage.GENERATE)).asDouble();
            step += metrics.get(MetricKeys.timing(MetricKeys.Stage.STEP)).asDouble();
        }
        int executors = Integer.parseInt(label.split(" ", 2)[0]);
        return new Run(label, executors, lines.size() - warmup, rollouts, generation, step);
    }
}
