package ai.videorl.cluster.model.hf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conversions against independent arithmetic over every 16-bit pattern; the torch fixtures are checked in the reader and writer tests. */
class HalfFloatsTest {

    @Test
    void everyFloat16WidensToItsExactValue() {
        for (int pattern = 0; pattern < 0x10000; pattern++) {
            short half = (short) pattern;
            float widened = HalfFloats.float16ToFloat(half);
            int exponent = (pattern >>> 10) & 0x1F;
            int mantissa = pattern & 0x3FF;
            double sign = (pattern & 0x8000) != 0 ? -1 : 1;
            if (exponent == 0x1F && mantissa != 0) {
                assertTrue(Float.isNaN(widened), Integer.toHexString(pattern));
                continue;
            }
            double expected = exponent == 0x1F ? sign * Double.POSITIVE_INFINITY
                    : exponent == 0 ? sign * mantissa * Math.pow(2, -24)
                    : sign * (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(widened), Integer.toHexString(pattern));
        }
    }

    @Test
    void everyFloat16AndBfloat16SurvivesARoundTrip() {
        for (int pattern = 0; pattern < 0x10000; pattern++) {
            short bits = (short) pattern;
            boolean halfNaN = (pattern & 0x7C00) == 0x7C00 && (pattern & 0x3FF) != 0;
            boolean brainNaN = (pattern & 0x7F80) == 0x7F80 && (pattern & 0x7F) != 0;
            short half = HalfFloats.floatToFloat16(HalfFloats.float16ToFloat(bits));
            short brain = HalfFloats.floatToBfloat16(HalfFloats.bfloat16ToFloat(bits));
            // A NaN comes back quiet (signalling ones gain the quiet bit), with sign and payload.
            assertEquals(halfNaN ? (short) (bits | 0x200) : bits, half, Integer.toHexString(pattern));
            assertEquals(brainNaN ? (short) (bits | 0x40) : bits, brain, Integer.toHexString(pattern));
        }
    }

    @Test
    void narrowingRoundsMidpointsToEvenAndOthersToNearest() {
        // Between each pair of neighbouring finite halves: the midpoint goes to the even one, a
        // float32 step either side goes to the nearer one.
        for (int pattern = 0; pattern < 0x7BFF; pattern++) {
            float low = HalfFloats.float16ToFloat((short) pattern);
            float high = HalfFloats.float16ToFloat((short) (pattern + 1));
            float middle = (float) (((double) low + high) / 2);
            short even = (short) ((pattern & 1) == 0 ? pattern : pattern + 1);
            assertEquals(even, HalfFloats.floatToFloat16(middle), Integer.toHexString(pattern));
            assertEquals((short) pattern, HalfFloats.floatToFloat16(Math.nextDown(middle)), Integer.toHexString(pattern));
            assertEquals((short) (pattern + 1), HalfFloats.floatToFloat16(Math.nextUp(middle)), Integer.toHexString(pattern));
            assertEquals((short) (pattern | 0x8000), HalfFloats.floatToFloat16(-Math.nextDown(middle)), Integer.toHexString(pattern));
        }
    }

    @Test
    void overflowGoesToInfinityAndNaNStaysNaN() {
        assertEquals((short) 0x7BFF, HalfFloats.floatToFloat16(65519.99f));
        assertEquals((short) 0x7C00, HalfFloats.floatToFloat16(65520f));
        assertEquals((short) 0xFC00, HalfFloats.floatToFloat16(-1e30f));
        assertEquals((short) 0x7F80, HalfFloats.floatToBfloat16(Float.MAX_VALUE));
        assertEquals((short) 0x7F7F, HalfFloats.floatToBfloat16(Float.intBitsToFloat(0x7F7F7FFF)));
        for (int nan : new int[] {0x7FC00000, 0xFFC00000, 0x7F800001, 0xFF800001, 0x7FFFFFFF}) {
            assertTrue(Float.isNaN(HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(Float.intBitsToFloat(nan)))), Integer.toHexString(nan));
            assertTrue(Float.isNaN(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(Float.intBitsToFloat(nan)))), Integer.toHexString(nan));
        }
    }
}
