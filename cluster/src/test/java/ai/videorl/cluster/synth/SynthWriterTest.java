package ai.videorl.cluster.synth;

import ai.videorl.cluster.store.DirectoryUpload;
import ai.videorl.cluster.video.SceneRenderer;
import ai.videorl.common.data.Sample;
import ai.videorl.common.data.SampleJson;
import ai.videorl.common.synth.Scene;
import ai.videorl.common.synth.SceneShape;
import ai.videorl.common.synth.SynthJson;
import ai.videorl.common.synth.VideoFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** H.264 is lossy: a decoded channel may differ this much from what was drawn. */
    private static final int TOLERANCE = 40;

    @TempDir
    static Path shared;

    private static Path benchmark;
    private static SynthSummary summary;

    @BeforeAll
    static void writeABenchmark() throws IOException {
        benchmark = shared.resolve("bench");
        summary = SynthWriter.write(new SynthOptions(benchmark.toString(), 3, 1, VideoFormat.DEFAULT, 2));
    }

    private static List<String> lines(Path directory, String name) throws IOException {
        return Files.readAllLines(directory.resolve(name));
    }

    @Test
    void writesVideosManifestReferencesAndScenes() throws IOException {
        for (String video : List.of("000000", "000001", "000002")) {
            assertTrue(Files.size(benchmark.resolve("videos/" + video + ".mp4")) > 500, video);
        }
        List<String> manifest = lines(benchmark, SynthWriter.MANIFEST);
        List<String> references = lines(benchmark, SynthWriter.REFERENCES);
        assertEquals(15, manifest.size());
        assertEquals(15, references.size());
        assertEquals(3, lines(benchmark, SynthWriter.SCENES).size());
        for (int i = 0; i < manifest.size(); i++) {
            Sample sample = SampleJson.read(JSON.readTree(manifest.get(i)));
            assertTrue(Files.exists(benchmark.resolve(sample.video())), sample.video() + " is relative to the directory");
            JsonNode reference = JSON.readTree(references.get(i));
            assertEquals(sample.id(), reference.get("id").asText(), "references follow the manifest's order");
            assertEquals(List.of("id", "videop2r", "videoauto-r1", "video-r2", "caption", "objects"), fieldNames(reference));
        }
        assertEquals(3, summary.videos());
        assertEquals(Map.of("multiple_choice", 3, "numerical", 3, "exact_match", 3, "temporal_grounding", 3,
                "grounded_qa", 3), summary.samplesByType());
        assertTrue(summary.format().startsWith("3 videos, 15 samples (multiple_choice 3, numerical 3"), summary.format());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aVideoDecodesToItsScene() throws IOException {
        Scene scene = SynthJson.readScene(JSON.readTree(lines(benchmark, SynthWriter.SCENES).get(1)));
        VideoFormat format = scene.format();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(benchmark.resolve("videos/000001.mp4").toFile())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            grabber.start();
            assertTrue(grabber.getVideoCodecName().contains("h264"), grabber.getVideoCodecName());
            assertEquals(128, grabber.getImageWidth());
            assertEquals(96, grabber.getImageHeight());
            assertEquals(32, grabber.getLengthInVideoFrames());
            assertEquals(4_000_000, grabber.getLengthInTime(), "4 s");
            int frames = 0;
            int shapesChecked = 0;
            int gapsChecked = 0;
            for (Frame frame = grabber.grabImage(); frame != null; frame = grabber.grabImage(), frames++) {
                double time = format.frameTime(frames);
                assertEquals(Math.round(time * 1e6), frame.timestamp, "frame " + frames);
                ByteBuffer pixels = (ByteBuffer) frame.image[0];
                for (SceneShape shape : scene.shapes()) {
                    // Where the shape's centre is (or would be): its colour while visible, else what the scene has there.
                    int x = (int) Math.floor(shape.centreX(time));
                    int y = (int) Math.floor(shape.centreY(time));
                    boolean nearby = time >= shape.appear() - 0.5 && time < shape.disappear() + 0.5;
                    if (shape.visibleAt(time)) {
                        assertColour(shape.colour().rgb(), pixels, frame.imageStride, x, y,
                                "the " + shape.name() + "'s centre at " + time + " s");
                        shapesChecked++;
                    } else if (nearby && x >= 0 && x < 128 && y >= 0 && y < 96) {
                        assertColour(SceneRenderer.colourAt(scene, time, x, y), pixels, frame.imageStride, x, y,
                                "no " + shape.name() + " at " + time + " s");
                        gapsChecked++;
                    }
                }
                int[] dark = darkestCorner(scene, time);
                assertColour(scene.background(), pixels, frame.imageStride, dark[0], dark[1], "background at " + time + " s");
                assertTrue((pixels.get(dark[1] * frame.imageStride + dark[0] * 3) & 0xFF) < 50, "the background is dark");
            }
            assertEquals(32, frames);
            assertTrue(shapesChecked >= 16 && gapsChecked >= 4, shapesChecked + " visible and " + gapsChecked + " absent checks");
        }
    }

    /** A pixel no shape is near at {@code time}: the background there is flat, so the codec keeps it. */
    private static int[] darkestCorner(Scene scene, double time) {
        for (int[] corner : List.of(new int[] {2, 2}, new int[] {125, 2}, new int[] {2, 93}, new int[] {125, 93})) {
            boolean clear = true;
            for (int dy = -4; dy <= 4; dy++) {
                for (int dx = -4; dx <= 4; dx++) {
                    int x = Math.max(0, Math.min(127, corner[0] + dx));
                    int y = Math.max(0, Math.min(95, corner[1] + dy));
                    clear &= SceneRenderer.colourAt(scene, time, x, y) == scene.background();
                }
            }
            if (clear) {
                return corner;
            }
        }
        throw new AssertionError("every corner has a shape at " + time + " s");
    }

    private static void assertColour(int expected, ByteBuffer pixels, int stride, int x, int y, String what) {
        int at = y * stride + x * 3;
        int[] actual = {pixels.get(at) & 0xFF, pixels.get(at + 1) & 0xFF, pixels.get(at + 2) & 0xFF};
        int[] wanted = {expected >> 16 & 0xFF, expected >> 8 & 0xFF, expected & 0xFF};
        for (int channel = 0; channel < 3; channel++) {
            assertTrue(Math.abs(actual[channel] - wanted[channel]) <= TOLERANCE, what + " at (" + x + ", " + y
                    + "): expected " + List.of(wanted[0], wanted[1], wanted[2]) + ", decoded "
                    + List.of(actual[0], actual[1], actual[2]));
        }
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws IOException {
        Path again = shared.resolve("again");
        SynthWriter.write(new SynthOptions(again.toString(), 3, 1, VideoFormat.DEFAULT, 1));
        for (Path file : files(benchmark)) {
            assertArrayEquals(Files.readAllBytes(benchmark.resolve(file)), Files.readAllBytes(again.resolve(file)),
                    file + " is the same with 1 thread as with 2");
        }
        Path other = shared.resolve("other");
        SynthWriter.write(new SynthOptions(other.toString(), 3, 2, VideoFormat.DEFAULT, 2));
        assertTrue(!lines(other, SynthWriter.MANIFEST).equals(lines(benchmark, SynthWriter.MANIFEST)), "another seed");
    }

    @Test
    void aFinishedDirectoryCopiesToAHadoopLocation() throws IOException {
        Path target = shared.resolve("uploaded");
        int copied = DirectoryUpload.copy(benchmark, target.toUri().toString(), new Configuration());
        List<Path> files = files(benchmark);
        assertEquals(files.size(), copied);
        for (Path file : files) {
            assertArrayEquals(Files.readAllBytes(benchmark.resolve(file)), Files.readAllBytes(target.resolve(file)), file.toString());
        }
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).map(directory::relativize).sorted().toList();
        }
    }
}
