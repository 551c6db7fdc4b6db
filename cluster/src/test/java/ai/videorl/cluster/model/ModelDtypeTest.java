package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.videorl.common.error.VideoRlException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelDtypeTest {

    @Test
    void namesParseAndUnknownOnesAreListed() {
        assertEquals(ModelDtype.BFLOAT16, ModelDtype.parse("BFloat16"));
        VideoRlException error = assertThrows(VideoRlException.class, () -> ModelDtype.parse("fp8"));
        assertTrue(error.getMessage().contains("[float32, float16, bfloat16]"), error.getMessage());
    }

    @Test
    void unsupportedPairsNameTheDeviceAndTheType() {
        assertDoesNotThrow(() -> ModelDtype.FLOAT32.requireSupportedOn(Device.cpu()));
        assertDoesNotThrow(() -> ModelDtype.FLOAT32.requireSupportedOn(Device.gpu(0)));
        VideoRlException cpu = assertThrows(VideoRlException.class, () -> ModelDtype.FLOAT16.requireSupportedOn(Device.cpu()));
        assertTrue(cpu.getMessage().startsWith("model dtype float16 on cpu()"), cpu.getMessage());
        VideoRlException bf16 = assertThrows(VideoRlException.class, () -> ModelDtype.BFLOAT16.requireSupportedOn(Device.gpu(0)));
        assertTrue(bf16.getMessage().contains("bfloat16 on gpu(0)") && bf16.getMessage().contains("abort"), bf16.getMessage());
    }
}
