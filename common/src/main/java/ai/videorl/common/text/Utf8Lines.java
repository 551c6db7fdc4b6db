package ai.videorl.common.text;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The lines of a UTF-8 stream, each decoded on its own: a line that is not valid UTF-8 comes back
 * with an error naming the first bad byte, and the lines after it read as usual (a
 * {@code BufferedReader} over a strict decoder throws at the first bad byte, losing the rest; a
 * lenient one silently turns it into U+FFFD). Lines end at {@code \n}, {@code \r\n} or {@code \r},
 * as {@code BufferedReader.readLine} ends them. Not thread-safe.
 */
public final class Utf8Lines implements Closeable {

    /**
     * One line.
     *
     * @param number 1-based
     * @param text the decoded line; when it is not valid UTF-8, a lenient decoding (bad bytes as U+FFFD)
     * @param error null, or what is wrong with the line's bytes
     */
    public record Line(long number, String text, String error) {
        public boolean valid() {
            return error == null;
        }
    }

    /** A decoded byte sequence: its text, and null or what made it invalid. */
    public record Decoded(String text, String error) {
    }

    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private final CharsetDecoder strict = strictDecoder();
    private int chunkStart;
    private int chunkEnd;
    private byte[] line = new byte[256];
    private long number;
    private boolean skipLineFeed;

    public Utf8Lines(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /** The next line, or null at the end of the stream. */
    public Line next() throws IOException {
        int length = 0;
        boolean any = false;
        while (true) {
            if (chunkStart == chunkEnd && !fill()) {
                return any ? line(length) : null;
            }
            if (skipLineFeed) {
                skipLineFeed = false;
                if (chunk[chunkStart] == '\n') {
                    chunkStart++;
                    continue;
                }
            }
            int end = chunkStart;
            while (end < chunkEnd && chunk[end] != '\n' && chunk[end] != '\r') {
                end++;
            }
            length = append(length, end - chunkStart);
            any = true;
            if (end < chunkEnd) {
                skipLineFeed = chunk[end] == '\r';
                chunkStart = end + 1;
                return line(length);
            }
            chunkStart = end;
        }
    }

    private boolean fill() throws IOException {
        int read = in.read(chunk);
        while (read == 0) {
            read = in.read(chunk);
        }
        if (read < 0) {
            return false;
        }
        chunkStart = 0;
        chunkEnd = read;
        return true;
    }

    private int append(int length, int count) {
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
        }
        System.arraycopy(chunk, chunkStart, line, length, count);
        return length + count;
    }

    private Line line(int length) {
        Decoded decoded = decode(strict, line, length);
        return new Line(++number, decoded.text(), decoded.error());
    }

    /** {@code bytes[0, length)} as strict UTF-8; an invalid sequence names its first bad byte (1-based) and decodes leniently. */
    public static Decoded decode(byte[] bytes, int length) {
        return decode(strictDecoder(), bytes, length);
    }

    private static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static Decoded decode(CharsetDecoder decoder, byte[] bytes, int length) {
        if (isAscii(bytes, length)) {
            return new Decoded(new String(bytes, 0, length, StandardCharsets.ISO_8859_1), null);
        }
        ByteBuffer input = ByteBuffer.wrap(bytes, 0, length);
        CharBuffer output = CharBuffer.allocate(length);
        decoder.reset();
        CoderResult result = decoder.decode(input, output, true);
        if (!result.isError()) {
            result = decoder.flush(output);
        }
        if (result.isError()) {
            return new Decoded(new String(bytes, 0, length, StandardCharsets.UTF_8),
                    "not valid UTF-8 (byte " + (input.position() + 1) + " of the line)");
        }
        return new Decoded(output.flip().toString(), null);
    }

    private static boolean isAscii(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
