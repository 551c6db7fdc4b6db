package ai.videorl.cluster.synth;

import ai.videorl.cluster.store.DirectoryUpload;
import ai.videorl.cluster.store.LocalDirectories;
import ai.videorl.cluster.store.TextFiles;
import ai.videorl.cluster.video.Mp4Writer;
import ai.videorl.cluster.video.SceneRenderer;
import ai.videorl.common.data.SampleJson;
import ai.videorl.common.synth.Question;
import ai.videorl.common.synth.QuestionGenerator;
import ai.videorl.common.synth.ReferenceResponses;
import ai.videorl.common.synth.Scene;
import ai.videorl.common.synth.SceneGenerator;
import ai.videorl.common.synth.SynthJson;
import ai.videorl.common.synth.SynthVideo;
import ai.videorl.common.synth.VideoFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a synthetic video QA benchmark directory:
 *
 * <pre>
 * videos/000000.mp4 …   H.264 MP4, one per video
 * manifest.jsonl        one sample per line (five per video), video paths relative to the directory
 * references.jsonl      {"id": …, "videop2r": …, "videoauto-r1": …, "video-r2": …} per sample, same order
 * scenes.jsonl          each video's ground truth, enough to recompute any pixel
 * </pre>
 *
 * <p>The text files are written in video order by the calling thread (generating a scene and its
 * questions takes microseconds); rendering and encoding, the real work, runs on a bounded pool,
 * at most a few videos queued per thread. Every file is a function of (seed, format, video
 * count): the text byte for byte, the MP4s too for the same libx264 build ({@link Mp4Writer}).
 * Files already in the directory are replaced, others left alone.
 *
 * <p>A Hadoop URI ({@code s3a://}, {@code hdfs://}) is written to a local temporary directory
 * first and copied up file by file at the end.
 */
public final class SynthWriter {

    public static final String MANIFEST = "manifest.jsonl";
    public static final String REFERENCES = "references.jsonl";
    public static final String SCENES = "scenes.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUEUED_PER_THREAD = 4;

    private SynthWriter() {
    }

    public static SynthSummary write(SynthOptions options) throws IOException {
        long started = System.nanoTime();
        boolean local = TextFiles.isLocal(options.out());
        Path directory = local ? TextFiles.localPath(options.out()) : Files.createTempDirectory("videorl-synth-");
        try {
            Map<String, Integer> samplesByType = new LinkedHashMap<>();
            long videoBytes = writeDirectory(directory, options, samplesByType);
            if (!local) {
                DirectoryUpload.copy(directory, options.out(), new Configuration());
            }
            return new SynthSummary(options.out(), options.videos(), samplesByType, videoBytes,
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            if (!local) {
                LocalDirectories.deleteTree(directory);
            }
        }
    }

    /** Writes everything under {@code directory}; returns the MP4 bytes written. */
    private static long writeDirectory(Path directory, SynthOptions options, Map<String, Integer> samplesByType)
            throws IOException {
        Files.createDirectories(directory.resolve(SynthVideo.VIDEO_DIRECTORY));
        SceneGenerator generator = new SceneGenerator(options.seed(), options.format());
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), daemonThreads());
        Semaphore queued = new Semaphore(options.threads() * QUEUED_PER_THREAD);
        AtomicLong videoBytes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Writer manifest = Files.newBufferedWriter(directory.resolve(MANIFEST), StandardCharsets.UTF_8);
             Writer references = Files.newBufferedWriter(directory.resolve(REFERENCES), StandardCharsets.UTF_8);
             Writer scenes = Files.newBufferedWriter(directory.resolve(SCENES), StandardCharsets.UTF_8)) {
            for (int index = 0; index < options.videos() && failure.get() == null; index++) {
                SynthVideo video = generator.generate(index);
                line(scenes, SynthJson.scene(video));
                for (Question question : QuestionGenerator.questions(video)) {
                    line(manifest, SampleJson.write(question.sample()));
                    line(references, SynthJson.references(ReferenceResponses.of(video, question)));
                    samplesByType.merge(question.sample().problemType().canonicalName(), 1, Integer::sum);
                }
                queued.acquire();
                pool.execute(() -> {
                    try {
                        if (failure.get() == null) {
                            videoBytes.addAndGet(encode(video, directory));
                        }
                    } catch (Throwable e) {
                        // Errors too (a missing native library is a LinkageError): a video must never go missing silently.
                        failure.compareAndSet(null, new IOException("cannot write " + video.videoPath() + ": " + e, e));
                    } finally {
                        queued.release();
                    }
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("the encoding pool did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing " + directory);
        } finally {
            // On failure, stop queued videos and let running ones end before anyone deletes the directory.
            pool.shutdownNow();
            awaitQuietly(pool);
        }
        Throwable failed = failure.get();
        if (failed instanceof IOException io) {
            throw io;
        }
        return videoBytes.get();
    }

    /** Renders and encodes one video; returns its size in bytes. */
    static long encode(SynthVideo video, Path directory) throws IOException {
        Path file = directory.resolve(video.videoPath());
        Scene scene = video.scene();
        VideoFormat format = scene.format();
        int[] pixels = new int[format.width() * format.height()];
        try (Mp4Writer writer = Mp4Writer.open(file, format.width(), format.height(), format.fps())) {
            for (int frame = 0; frame < format.frameCount(); frame++) {
                SceneRenderer.render(scene, format.frameTime(frame), pixels);
                writer.write(pixels);
            }
        }
        return Files.size(file);
    }

    private static void line(Writer writer, JsonNode json) throws IOException {
        writer.write(JSON.writeValueAsString(json));
        writer.write('\n');
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "videorl-synth-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
