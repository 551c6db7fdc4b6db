package ai.videorl.jobs;

import ai.videorl.cluster.train.RunStopped;
import ai.videorl.common.error.ErrorType;
import ai.videorl.common.error.VideoRlException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;

/** {@code bin/videorl <command>}: the command-line entry point; each command is its own class. */
@Command(name = "videorl",
        mixinStandardHelpOptions = true,
        versionProvider = VideoRl.Version.class,
        description = "GRPO training of video-reasoning models, orchestrated on Apache Spark.",
        subcommands = {DemoCommand.class, SynthCommand.class, PrepareCommand.class, SftCommand.class, TrainCommand.class,
            EvalCommand.class, ReportCommand.class, ScoreCommand.class})
public final class VideoRl implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Exit status for bad input or configuration, as for bad command-line usage. */
    static final int USER_ERROR_EXIT = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: user errors are one clear line, not a stack trace. */
    static CommandLine commandLine() {
        return new CommandLine(new VideoRl()).setExecutionExceptionHandler((error, commandLine, parseResult) -> {
            if (error instanceof VideoRlException known && known.code().type() == ErrorType.USER_ERROR) {
                commandLine.getErr().println("videorl " + commandLine.getCommandName() + ": " + known.getMessage());
                return USER_ERROR_EXIT;
            }
            if (error instanceof RunStopped) {
                return RunStopped.EXIT_STATUS; // the run said why, before the shutdown went on
            }
            if (error instanceof IOException io) {
                commandLine.getErr().println("videorl " + commandLine.getCommandName() + ": I/O error: " + io);
                return 1;
            }
            throw error;
        });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** The version recorded in the jar manifest at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = VideoRl.class.getPackage().getImplementationVersion();
            return new String[] {"videorl " + (version == null ? "(development build)" : version)};
        }
    }
}
