package ai.videorl.jobs;

import ai.videorl.cluster.train.RunStopped;
import ai.videorl.common.error.ErrorType;
import ai.videorl.common.error.VideoRlException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** {@code bin/videorl <command>}: the command-line entry point; each command is its own class. */
@Command(name = "videorl",
        mixinStandardHelpOptions = true,
        versionProvider = VideoRl.Version.class,
        description = "GRPO training of video-reasoning models, orchestrated on Apache Spark.")
public final class VideoRl implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Exit status for bad input or configuration, as for bad command-line usage. */
    static final int USER_ERROR_EXIT = 2;

    /** The commands, in the order help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    public static void main(String[] args) {
        System.exit(commandLine(args.length == 0 ? null : args[0]).execute(args));
    }

    /** Every command, with its error handling: user errors are one clear line, not a stack trace. */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line for a run of {@code command}: picocli models every option of every command
     * it holds by reflection, a third of a second for all of them, which a run of {@code score}
     * on a small file would mostly spend there; so a run that names a command gets only that one
     * (an unknown name or none gets them all, for help and for picocli's suggestions).
     */
    static CommandLine commandLine(String command) {
        CommandLine root = new CommandLine(new VideoRl());
        if (COMMANDS.containsKey(command)) {
            root.addSubcommand(COMMANDS.get(command).get());
        } else {
            COMMANDS.values().forEach(each -> root.addSubcommand(each.get()));
        }
        return root.setExecutionExceptionHandler((error, commandLine, parseResult) -> {
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

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("demo", DemoCommand::new);
        commands.put("synth", SynthCommand::new);
        commands.put("prepare", PrepareCommand::new);
        commands.put("sft", SftCommand::new);
        commands.put("train", TrainCommand::new);
        commands.put("eval", EvalCommand::new);
        commands.put("report", ReportCommand::new);
        commands.put("score", ScoreCommand::new);
        commands.put("generate", GenerateCommand::new);
        commands.put("export", ExportCommand::new);
        return commands;
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
