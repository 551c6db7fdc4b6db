package ai.videorl.jobs;

import ai.videorl.cluster.report.RunReport;
import ai.videorl.cluster.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code report}: one HTML page about a run. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "One self-contained HTML page about a train run or a demo directory: PNG charts of reward (and each term),",
            "accuracy, response length, KL, entropy, clip fractions, zero-variance groups and stage timings per iteration,",
            "the evaluation table and the best and worst rollouts of the last iteration."})
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "a train run directory or a demo directory")
    private String run;

    @Option(names = "--eval", paramLabel = "FILE", description = "an eval report (JSON) to tabulate too (repeatable)")
    private List<String> evaluations = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "the page (default: DIR/report.html; charts go to report/ beside it)")
    private String out;

    @Override
    public Integer call() throws IOException {
        SparkSession spark = SparkSessions.forJob("report");
        RunReport.Written written = RunReport.write(spark, run, evaluations, out);
        System.out.printf("report: %d charts, %d sample rollouts%npage: %s%n", written.charts(), written.samples(), written.page());
        return 0;
    }
}
