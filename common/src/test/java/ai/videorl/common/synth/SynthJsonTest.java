package ai.videorl.common.synth;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSceneLineGivesBackTheScene() throws Exception {
        SceneGenerator generator = new SceneGenerator(5, new VideoFormat(160, 120, 10, 6.5));
        for (int index = 0; index < 50; index++) {
            SynthVideo video = generator.generate(index);
            String line = JSON.writeValueAsString(SynthJson.scene(video));
            assertEquals(video.scene(), SynthJson.readScene(JSON.readTree(line)), line);
        }
    }

    @Test
    void aSceneLineSpellsOutTheGroundTruth() throws Exception {
        Scene scene = new Scene(VideoFormat.DEFAULT, Scene.DEFAULT_BACKGROUND, List.of(
                new SceneShape(ShapeKind.CIRCLE, ShapeColour.RED, 20, 0.5, 3.0, 40, 30, 5, -3)));
        String line = JSON.writeValueAsString(SynthJson.scene(new SynthVideo(7, scene, new QuestionPlan(
                List.of(ShapeColour.RED, ShapeColour.BLUE, ShapeColour.GREEN, ShapeColour.WHITE),
                ShapeKind.CIRCLE, ShapeColour.RED, ShapeKind.CIRCLE, ShapeColour.RED, ShapeKind.CIRCLE))));
        assertEquals("{\"index\":7,\"video\":\"videos/000007.mp4\",\"width\":128,\"height\":96,\"fps\":8,"
                + "\"duration\":4.0,\"frames\":32,\"background\":[20,20,20],\"shapes\":[{\"kind\":\"circle\","
                + "\"colour\":\"red\",\"rgb\":[230,30,30],\"size\":20,\"appear\":0.5,\"disappear\":3.0,"
                + "\"x\":40.0,\"y\":30.0,\"vx\":5.0,\"vy\":-3.0}]}", line);
    }

    @Test
    void aBadSceneLineNamesTheField() throws Exception {
        VideoRlException error = assertThrows(VideoRlException.class, () -> SynthJson.readScene(JSON.readTree(
                "{\"width\":128,\"height\":96,\"fps\":8,\"duration\":4.0,\"background\":[0,0,0],"
                        + "\"shapes\":[{\"kind\":\"hexagon\"}]}")));
        assertTrue(error.getMessage().contains("unknown shape kind 'hexagon'"), error.getMessage());
    }

    @Test
    void aReferencesLineHasTheIdThenOneFieldPerRecipeThenTheCaptionAndTheObjects() throws Exception {
        References references = new References("000001-mc", Map.of("video-r2", "<think>x</think><answer>A</answer>"),
                "The red square is visible from 0.0 s to 1.5 s.", List.of(new VisibleObject("red square", 0.0, 1.5)));
        assertEquals("{\"id\":\"000001-mc\",\"video-r2\":\"<think>x</think><answer>A</answer>\","
                        + "\"caption\":\"The red square is visible from 0.0 s to 1.5 s.\","
                        + "\"objects\":[{\"name\":\"red square\",\"appear\":0.0,\"disappear\":1.5}]}",
                JSON.writeValueAsString(SynthJson.references(references)));
    }
}
