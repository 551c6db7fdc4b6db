package ai.videorl.jobs;

import java.nio.file.Path;

/** Where the commands that read remote checkpoints and videos keep their local copies. */
final class CacheDirectory {

    private CacheDirectory() {
    }

    /** {@code --cache} when given, else {@code ~/.cache/videorl}. */
    static Path orDefault(Path given) {
        return given != null ? given : Path.of(System.getProperty("user.home"), ".cache", "videorl");
    }
}
