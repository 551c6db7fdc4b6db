package ai.videorl.common.text;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class Utf8LinesTest {

    private static List<Utf8Lines.Line> lines(byte[] bytes) throws IOException {
        List<Utf8Lines.Line> lines = new ArrayList<>();
        try (Utf8Lines reader = new Utf8Lines(new ByteArrayInputStream(bytes))) {
            for (Utf8Lines.Line line = reader.next(); line != null; line = reader.next()) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void linesEndAsBufferedReaderEndsThem() throws IOException {
        // Ends of every kind, empty lines, multi-byte characters, a line longer than the read buffer, no final newline.
        String text = "a\nb\r\nc\rd\n\n\u00e9\u20ac\ud83d\ude00\n" + "x".repeat(200_000) + "\r\n\r\nlast";
        List<String> expected = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(
                text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)).lines().toList();
        List<Utf8Lines.Line> lines = lines(text.getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, lines.stream().map(Utf8Lines.Line::text).toList());
        assertEquals(expected.size(), lines.get(lines.size() - 1).number());
        assertEquals(List.of(), lines.stream().filter(line -> !line.valid()).toList());
        assertEquals(List.of(), lines(new byte[0]));
    }

    @Test
    void aLineThatIsNotUtf8NamesItsFirstBadByteAndTheNextLinesRead() throws IOException {
        byte[] bytes = {'o', 'k', '\n', 'a', (byte) 0xC3, '(', '\n', (byte) 0xE2, (byte) 0x82, '\n', 'b', (byte) 0xFF, '\n', 'z'};
        List<Utf8Lines.Line> lines = lines(bytes);
        assertEquals(5, lines.size());
        assertNull(lines.get(0).error());
        assertEquals("not valid UTF-8 (byte 2 of the line)", lines.get(1).error(), "a truncated two-byte sequence");
        assertEquals("a\ufffd(", lines.get(1).text(), "decoded leniently beside the error");
        assertEquals("not valid UTF-8 (byte 1 of the line)", lines.get(2).error(), "a sequence cut by the line's end");
        assertEquals("not valid UTF-8 (byte 2 of the line)", lines.get(3).error());
        assertEquals("z", lines.get(4).text());
        assertEquals(5, lines.get(4).number());
    }
}
