package ai.videorl.jobs;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/videorl <command>}: the command-line entry point; each command is its own class. */
@Command(name = "videorl",
        mixinStandardHelpOptions = true,
        versionProvider = VideoRl.Version.class,
        description = "GRPO training of video-reasoning models, orchestrated on Apache Spark.",
        subcommands = {ScoreCommand.class})
public final class VideoRl implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new VideoRl()).execute(args));
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
