package ai.videorl.cluster.model.hf;

/**
 * Exact conversions between float32 and the two 16-bit float formats of checkpoints, written by
 * hand because {@code Float.float16ToFloat} arrived only in Java 20 and bfloat16 has no JDK
 * support at all.
 *
 * <p>Widening is exact for every value. Narrowing rounds to nearest, ties to even, as torch's
 * {@code .half()} and {@code .bfloat16()} do, overflowing to infinity. NaN stays NaN, keeping its
 * sign and top payload bits and made quiet, both ways: what x86's float16 conversion
 * instructions, and so torch's vectorized CPU kernels, do. Torch has no single answer for NaN bits
 * (its scalar path widens every float16 NaN to 0x7FFFFFFF and narrows to 0x7E00; bfloat16 NaN
 * narrows to 0xFFFF in its vectorized kernels, 0x7FC0 in its scalar path, 0x7FFF on CUDA), so
 * tests compare NaN as NaN and every other value bit for bit.
 */
public final class HalfFloats {

    private HalfFloats() {
    }

    /** The float32 value of a float16 bit pattern, exactly. */
    public static float float16ToFloat(short half) {
        return Float.intBitsToFloat(float16ToFloatBits(half));
    }

    /** The float32 bit pattern of a float16 bit pattern, exactly (for filling int buffers without float round trips). */
    public static int float16ToFloatBits(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            // Infinity, or a NaN made quiet with its payload kept (as vcvtph2ps and torch on CPU do).
            return mantissa == 0 ? sign | 0x7F800000 : sign | 0x7FC00000 | (mantissa << 13);
        }
        if (exponent != 0) {
            // Normal: rebias the exponent from 15 to 127, widen the mantissa from 10 to 23 bits.
            return sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
        }
        if (mantissa == 0) {
            return sign;
        }
        // Subnormal (mantissa × 2^-24): a normal float32; both factors are exact, so is the product.
        return sign | Float.floatToRawIntBits(mantissa * 0x1p-24f);
    }

    /** The float16 bit pattern nearest {@code value} (ties to even). */
    public static short floatToFloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int magnitude = bits & 0x7FFFFFFF;
        if (magnitude >= 0x7F800000) {
            if (magnitude == 0x7F800000) {
                return (short) (sign | 0x7C00);
            }
            return (short) (sign | 0x7E00 | ((magnitude >>> 13) & 0x3FF));
        }
        if (magnitude >= 0x477FF000) {
            // 65520 and above: halfway between the largest half (65504) and 65536 or beyond, which
            // rounds (to even) to infinity.
            return (short) (sign | 0x7C00);
        }
        if (magnitude >= 0x38800000) {
            // Normal half (at least 2^-14): rebias the exponent from 127 to 15 and round away the 13
            // low mantissa bits; a carry out of the mantissa correctly bumps the exponent.
            int rebiased = magnitude - ((127 - 15) << 23);
            int rounded = rebiased + 0x0FFF + ((rebiased >>> 13) & 1);
            return (short) (sign | (rounded >>> 13));
        }
        if (magnitude < 0x33000000) {
            // Below 2^-25, half the smallest subnormal: rounds to a signed zero.
            return (short) sign;
        }
        // Subnormal half: the value in units of 2^-24, rounded to nearest even. A 1024 result is
        // the smallest normal half, whose bit pattern follows on naturally.
        int exponent = magnitude >>> 23;
        int significand = (magnitude & 0x7FFFFF) | 0x800000;
        int shift = 126 - exponent;
        int units = significand >>> shift;
        int remainder = significand & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (remainder > halfway || (remainder == halfway && (units & 1) != 0)) {
            units++;
        }
        return (short) (sign | units);
    }

    /** The float32 value of a bfloat16 bit pattern, exactly: bfloat16 is the top half of a float32. */
    public static float bfloat16ToFloat(short brain) {
        return Float.intBitsToFloat(brain << 16);
    }

    /** The bfloat16 bit pattern nearest {@code value} (ties to even). */
    public static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        // Round the low 16 bits away; a carry ripples into the exponent (up to infinity) as it should.
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}
