package ai.videorl.cluster.data;

import ai.videorl.cluster.store.TextFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestReaderTest {

    @Test
    void videoPathsResolveAgainstTheManifestsDirectory() {
        assertEquals("file:/data/set/videos/a.mp4", ManifestReader.resolve("file:/data/set", "videos/a.mp4"));
        assertEquals("file:/data/set/12:30.mp4", ManifestReader.resolve("file:/data/set", "12:30.mp4"), "a colon is no scheme");
        assertEquals("file:/data/my set/clip:1.mp4", ManifestReader.resolve("file:/data/my set", "clip:1.mp4"));
        assertEquals("file:/elsewhere/a.mp4", ManifestReader.resolve("file:/data/set", "/elsewhere/a.mp4"));
        assertEquals("s3a://bucket/set/v/a.mp4", ManifestReader.resolve("s3a://bucket/set", "v/a.mp4"));
        assertEquals("s3a://bucket/a.mp4", ManifestReader.resolve("s3a://bucket/set", "/a.mp4"));
        assertEquals("hdfs://nn:8020/x.mp4", ManifestReader.resolve("file:/data/set", "hdfs://nn:8020/x.mp4"));
    }

    @Test
    void confinementKeepsVideosInTheManifestsTree() {
        String directory = "file:/data/set";
        assertTrue(ManifestReader.isInside(directory, ManifestReader.resolve(directory, "videos/a.mp4")));
        assertTrue(ManifestReader.isInside(directory, ManifestReader.resolve(directory, "videos/../b.mp4")));
        assertFalse(ManifestReader.isInside(directory, ManifestReader.resolve(directory, "../secret.mp4")));
        assertFalse(ManifestReader.isInside(directory, ManifestReader.resolve(directory, "videos/../../set2/a.mp4")));
        assertFalse(ManifestReader.isInside(directory, ManifestReader.resolve(directory, "/etc/passwd")));
        assertFalse(ManifestReader.isInside(directory, "file:/data/settings/a.mp4"), "a sibling sharing the prefix");
        assertFalse(ManifestReader.isInside(directory, "s3a://bucket/data/set/a.mp4"), "another filesystem");
        assertTrue(ManifestReader.isInside("s3a://bucket/set", ManifestReader.resolve("s3a://bucket/set", "v/a.mp4")));
        assertFalse(ManifestReader.isInside("s3a://bucket/set", "s3a://other/set/v/a.mp4"));
    }

    @Test
    void resolvedLocalPathsReadBackWithEveryCharacter() {
        String location = ManifestReader.resolve("file:/data/my set 100%", "12:30 {x}.mp4");
        assertEquals(true, TextFiles.isLocal(location));
        assertEquals(Path.of("/data/my set 100%/12:30 {x}.mp4"), TextFiles.localPath(location));
    }
}
