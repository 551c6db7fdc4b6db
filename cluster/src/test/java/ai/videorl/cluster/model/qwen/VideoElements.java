package ai.videorl.cluster.model.qwen;

import com.fasterxml.jackson.databind.JsonNode;

/** A qwen-vl-utils video element's settings ({"fps": 2.0, "max_frames": 8, …}) as the fixtures write them. */
final class VideoElements {

    private VideoElements() {
    }

    static QwenVideoOptions options(JsonNode json) {
        QwenVideoOptions options = QwenVideoOptions.defaults();
        if (json.has("fps")) {
            options = options.withFps(json.path("fps").asDouble());
        }
        if (json.has("nframes")) {
            options = options.withNframes(json.path("nframes").asInt());
        }
        if (json.has("min_frames")) {
            options = options.withMinFrames(json.path("min_frames").asInt());
        }
        if (json.has("max_frames")) {
            options = options.withMaxFrames(json.path("max_frames").asInt());
        }
        if (json.has("min_pixels")) {
            options = options.withMinPixels(json.path("min_pixels").asInt());
        }
        if (json.has("max_pixels")) {
            options = options.withMaxPixels(json.path("max_pixels").asInt());
        }
        return options;
    }
}
