package ai.videorl.common.synth;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON lines of a synthetic benchmark besides the manifest: {@code scenes.jsonl} (one video's
 * ground truth per line) and {@code references.jsonl} (one sample's reference responses per line).
 *
 * <p>A scene line: {@code {"index": 0, "video": "videos/000000.mp4", "width": 128, "height": 96,
 * "fps": 8, "duration": 4.0, "frames": 32, "background": [20, 20, 20], "shapes": [{"kind":
 * "circle", "colour": "red", "rgb": [230, 30, 30], "size": 20, "appear": 0.5, "disappear": 3.0,
 * "x": 40.0, "y": 30.0, "vx": 5.0, "vy": -3.0}, …]}}: x, y is the centre at {@code appear},
 * vx, vy pixels per second, geometry as {@link SceneShape} defines it.
 */
public final class SynthJson {

    /** The {@code references.jsonl} field holding the video's caption. */
    public static final String CAPTION = "caption";
    public static final String OBJECTS = "objects";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SynthJson() {
    }

    /** A {@code scenes.jsonl} line. */
    public static ObjectNode scene(SynthVideo video) {
        Scene scene = video.scene();
        VideoFormat format = scene.format();
        ObjectNode json = NODES.objectNode();
        json.put("index", video.index());
        json.put("video", video.videoPath());
        json.put("width", format.width());
        json.put("height", format.height());
        json.put("fps", format.fps());
        json.put("duration", format.durationSeconds());
        json.put("frames", format.frameCount());
        json.set("background", rgb(scene.background()));
        ArrayNode shapes = json.putArray("shapes");
        for (SceneShape shape : scene.shapes()) {
            ObjectNode node = shapes.addObject();
            node.put("kind", shape.kind().word());
            node.put("colour", shape.colour().word());
            node.set("rgb", rgb(shape.colour().rgb()));
            node.put("size", shape.size());
            node.put("appear", shape.appear());
            node.put("disappear", shape.disappear());
            node.put("x", shape.x());
            node.put("y", shape.y());
            node.put("vx", shape.velocityX());
            node.put("vy", shape.velocityY());
        }
        return json;
    }

    /** The scene of a {@code scenes.jsonl} line; errors name the field. */
    public static Scene readScene(JsonNode json) {
        VideoFormat format = new VideoFormat(integer(json, "width"), integer(json, "height"), integer(json, "fps"),
                number(json, "duration"));
        JsonNode shapesNode = json.get("shapes");
        if (shapesNode == null || !shapesNode.isArray()) {
            throw VideoRlException.invalidField("shapes", "missing or not a list");
        }
        List<SceneShape> shapes = new ArrayList<>();
        for (JsonNode node : shapesNode) {
            shapes.add(new SceneShape(ShapeKind.of(text(node, "kind")), ShapeColour.of(text(node, "colour")),
                    integer(node, "size"), number(node, "appear"), number(node, "disappear"),
                    number(node, "x"), number(node, "y"), number(node, "vx"), number(node, "vy")));
        }
        JsonNode background = json.get("background");
        if (background == null || !background.isArray() || background.size() != 3) {
            throw VideoRlException.invalidField("background", "expected [r, g, b]");
        }
        return new Scene(format, background.get(0).asInt() << 16 | background.get(1).asInt() << 8
                | background.get(2).asInt(), shapes);
    }

    /**
     * A {@code references.jsonl} line: {@code {"id": …, RECIPE: response, …, "caption": …,
     * "objects": [{"name": …, "appear": …, "disappear": …}, …]}}.
     */
    public static ObjectNode references(References references) {
        ObjectNode json = NODES.objectNode();
        json.put("id", references.id());
        references.responses().forEach(json::put);
        json.put(CAPTION, references.caption());
        ArrayNode objects = json.putArray(OBJECTS);
        for (VisibleObject object : references.objects()) {
            objects.addObject().put("name", object.name()).put("appear", object.appear()).put("disappear", object.disappear());
        }
        return json;
    }

    private static ArrayNode rgb(int packed) {
        return NODES.arrayNode().add(packed >> 16 & 0xFF).add(packed >> 8 & 0xFF).add(packed & 0xFF);
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual()) {
            throw VideoRlException.invalidField(field, "missing or not a string");
        }
        return node.asText();
    }

    private static int integer(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || !node.isIntegralNumber()) {
            throw VideoRlException.invalidField(field, "missing or not an integer");
        }
        return node.asInt();
    }

    private static double number(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || !node.isNumber()) {
            throw VideoRlException.invalidField(field, "missing or not a number");
        }
        return node.asDouble();
    }
}
