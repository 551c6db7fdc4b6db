package ai.videorl.jobs;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoRlTest {

    private static final List<String> COMMANDS = List.of("demo", "synth", "prepare", "sft", "train", "eval", "report", "score", "generate",
            "export");

    @Test
    void aRunThatNamesACommandModelsOnlyThatOne() {
        assertEquals(List.of("score"), List.copyOf(VideoRl.commandLine("score").getSubcommands().keySet()));
        assertEquals(List.of("eval"), List.copyOf(VideoRl.commandLine("eval").getSubcommands().keySet()));
    }

    @Test
    void helpAndUnknownNamesSeeEveryCommand() {
        assertEquals(COMMANDS, List.copyOf(VideoRl.commandLine("--help").getSubcommands().keySet()));
        assertEquals(COMMANDS, List.copyOf(VideoRl.commandLine((String) null).getSubcommands().keySet()));

        CommandLine commandLine = VideoRl.commandLine("scroe");
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(VideoRl.USER_ERROR_EXIT, commandLine.execute("scroe"));
        assertTrue(err.toString().contains("score"), "picocli suggests the command meant: " + err);
    }
}
