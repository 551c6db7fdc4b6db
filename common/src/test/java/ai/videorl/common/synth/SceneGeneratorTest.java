package ai.videorl.common.synth;

import ai.videorl.common.error.VideoRlException;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SceneGeneratorTest {

    @Test
    void aVideoDependsOnlyOnSeedAndIndex() {
        SceneGenerator generator = new SceneGenerator(11, VideoFormat.DEFAULT);
        SynthVideo alone = new SceneGenerator(11, VideoFormat.DEFAULT).generate(37);
        for (int i = 0; i < 37; i++) {
            generator.generate(i);
        }
        assertEquals(alone, generator.generate(37), "the same whatever was generated before");
        assertNotEquals(alone, new SceneGenerator(12, VideoFormat.DEFAULT).generate(37), "another seed, another scene");
        assertNotEquals(alone.scene(), generator.generate(38).scene());
    }

    @Test
    void scenesKeepTheirPromisesInEveryFormat() {
        for (VideoFormat format : List.of(VideoFormat.DEFAULT, new VideoFormat(48, 48, 2, 2.0),
                new VideoFormat(320, 240, 30, 10.0), new VideoFormat(64, 128, 8, 5.5))) {
            SceneGenerator generator = new SceneGenerator(3, format);
            for (int index = 0; index < 200; index++) {
                checkScene(generator.generate(index), format);
            }
        }
    }

    private static void checkScene(SynthVideo video, VideoFormat format) {
        List<SceneShape> shapes = video.scene().shapes();
        String where = format + " video " + video.index() + ": ";
        assertTrue(shapes.size() >= 2 && shapes.size() <= 4, where + "2-4 shapes");
        Set<ShapeColour> colours = new HashSet<>();
        double longest = Math.max(1.0, Math.floor(format.durationSeconds()) / 2);
        for (SceneShape shape : shapes) {
            assertTrue(colours.add(shape.colour()), where + "unique colours");
            assertEquals(0, shape.appear() * 2 % 1, where + "appear on the 0.5 s grid");
            assertEquals(0, shape.disappear() * 2 % 1, where + "disappear on the 0.5 s grid");
            double visible = shape.disappear() - shape.appear();
            assertTrue(visible >= 1.0 && visible <= longest + 0.5, where + "visible " + visible + " s");
            assertTrue(shape.disappear() <= format.durationSeconds(), where + "within the video");
            int side = Math.min(format.width(), format.height());
            assertTrue(shape.size() >= side / 6 - 1 && shape.size() <= side * 0.3 + 1, where + "size " + shape.size());
        }
        List<SceneShape> ordered = video.scene().byAppearance();
        assertTrue(ordered.get(0).appear() < ordered.get(1).appear(), where + "one shape appears first");
        for (int frame = 0; frame < format.frameCount(); frame++) {
            double time = format.frameTime(frame);
            for (SceneShape shape : shapes) {
                if (!shape.visibleAt(time)) {
                    continue;
                }
                double half = shape.size() / 2.0;
                assertTrue(shape.centreX(time) - half >= 0 && shape.centreX(time) + half <= format.width()
                        && shape.centreY(time) - half >= 0 && shape.centreY(time) + half <= format.height(),
                        where + "the " + shape.name() + " stays inside the frame at " + time + " s");
                for (SceneShape other : shapes) {
                    if (other != shape && other.visibleAt(time)) {
                        double reach = (shape.size() + other.size()) / 2.0;
                        assertFalse(Math.abs(shape.centreX(time) - other.centreX(time)) < reach
                                && Math.abs(shape.centreY(time) - other.centreY(time)) < reach,
                                where + "the " + shape.name() + " and the " + other.name() + " overlap at " + time + " s");
                    }
                }
            }
        }
    }

    @Test
    void everyChangeHappensOnAFrameThatA2FpsSamplerSees() {
        SynthVideo video = new SceneGenerator(5, VideoFormat.DEFAULT).generate(0);
        for (SceneShape shape : video.scene().shapes()) {
            assertTrue(shape.visibleAt(shape.appear()), "visible from the appearing instant");
            assertFalse(shape.visibleAt(shape.disappear()), "gone at the disappearing instant");
            assertFalse(shape.visibleAt(shape.appear() - 0.5), "not visible half a second before");
            assertTrue(shape.visibleAt(shape.disappear() - 0.5), "still visible half a second before it goes");
        }
    }

    @Test
    void shapesCoverTheirOwnCentreAndNotFarAway() {
        for (ShapeKind kind : ShapeKind.all()) {
            SceneShape shape = new SceneShape(kind, ShapeColour.RED, 20, 1.0, 3.0, 40, 30, 20, -10);
            assertTrue(shape.covers(60.5, 20.5, 2.0), kind + " covers its centre after moving 1 s");
            assertFalse(shape.covers(40.5, 30.5, 2.0), kind + " has moved away from its start");
            assertFalse(shape.covers(60.5, 20.5, 3.0), kind + " is gone at 3 s");
            assertFalse(shape.covers(60.5 + 10.5, 20.5, 2.0), kind + " ends 10 px right of its centre");
        }
        SceneShape triangle = new SceneShape(ShapeKind.TRIANGLE, ShapeColour.RED, 20, 0, 1, 40, 30, 0, 0);
        assertTrue(triangle.covers(48.5, 39.5, 0), "the base is 20 px wide");
        assertFalse(triangle.covers(48.5, 21.5, 0), "the apex is narrow");
    }

    @Test
    void badFormatsAreClearErrors() {
        assertThrows(VideoRlException.class, () -> new VideoFormat(127, 96, 8, 4));
        assertThrows(VideoRlException.class, () -> new VideoFormat(128, 96, 7, 4));
        assertThrows(VideoRlException.class, () -> new VideoFormat(128, 96, 8, 4.2));
        VideoRlException error = assertThrows(VideoRlException.class, () -> new VideoFormat(128, 40, 8, 4));
        assertTrue(error.getMessage().contains("height must be even and between 48 and 4096, got 40"), error.getMessage());
    }
}
