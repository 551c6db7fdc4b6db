package ai.videorl.common.metric;

import ai.videorl.common.text.PythonText;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Numeric answers. VideoP2R's exact match reads commas as thousands separators ("1,234" is 1234;
 * "1,5" is no number); Video-R2's metrics read a number as its reference does: every comma
 * dropped, then Python's {@code float()} ("1,5" is 15). An answer that is not a number as a whole
 * ("5 apples") scores 0.
 */
public final class NumericAnswer {

    /** Video-R2's regression: the constant in {@code (|p − t| + ε) / (|t| + ε)}. */
    private static final double REGRESSION_EPSILON = 1e-9;

    private NumericAnswer() {
    }

    /**
     * VideoP2R's numerical metric, exact match: the same number ("3" = "3.0", "3,000" = "3000");
     * when either side is not a number, the trimmed strings must be equal.
     */
    public static double exact(String predicted, String truth) {
        BigDecimal p = parse(predicted);
        BigDecimal t = parse(truth);
        if (p == null || t == null) {
            return predicted.strip().equals(truth.strip()) ? 1 : 0;
        }
        return p.compareTo(t) == 0 ? 1 : 0;
    }

    /**
     * Video-R2's numerical metric: 0 when exactly one side is written with a decimal point or a
     * comma; otherwise equal after rounding both to 2 decimals (half-even on the binary double,
     * which is what the reference's Python {@code round(x, 2)} does).
     */
    public static double roundedTo2(String predicted, String truth) {
        if (hasPointOrComma(predicted) != hasPointOrComma(truth)) {
            return 0;
        }
        double p = referenceNumber(predicted);
        double t = referenceNumber(truth);
        if (Double.isNaN(p) || Double.isNaN(t)) {
            return 0;
        }
        return round2(p).compareTo(round2(t)) == 0 ? 1 : 0;
    }

    /**
     * Regression, as Video-R2 (and Video-R1) score it: {@code 1 − (|p − t| + 1e-9) / (|t| + 1e-9)}
     * clipped to [0, 1]. The constant makes an exact answer score just under 1 and a true 0 score
     * 0 whatever the prediction.
     */
    public static double relativeAccuracy(String predicted, String truth) {
        double p = referenceNumber(predicted);
        double t = referenceNumber(truth);
        if (Double.isNaN(p) || Double.isNaN(t)) {
            return 0;
        }
        double relative = (Math.abs(p - t) + REGRESSION_EPSILON) / (Math.abs(t) + REGRESSION_EPSILON);
        return Math.max(0, Math.min(1, 1 - relative));
    }

    /** The number Video-R2's reference reads: every comma dropped, then Python's {@code float()}; NaN for none. */
    private static double referenceNumber(String text) {
        Double value = PythonText.parseFloat(text.replace(",", ""));
        return value == null ? Double.NaN : value;
    }

    /** The whole string as a decimal number (commas dropped), or null. */
    public static BigDecimal parse(String text) {
        String s = text.strip();
        // BigDecimal's own length limit is far above any answer; this bound keeps parsing cheap.
        if (s.isEmpty() || s.length() > 100) {
            return null;
        }
        if (s.indexOf(',') >= 0 && !hasThousandsGroups(s)) {
            return null;
        }
        StringBuilder digits = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ',') {
                digits.append(c);
            }
        }
        try {
            BigDecimal value = new BigDecimal(digits.toString());
            return Math.abs(value.scale()) > 1000 ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Commas only between thousands: "1,234,567.5" yes; "1,5", "12,34" and ",123" no. */
    private static boolean hasThousandsGroups(String s) {
        int start = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
        int end = s.indexOf('.') < 0 ? s.length() : s.indexOf('.');
        if (s.indexOf(',', end) >= 0) {
            return false;
        }
        String[] groups = s.substring(start, end).split(",", -1);
        if (groups[0].isEmpty() || groups[0].length() > 3) {
            return false;
        }
        for (int i = 1; i < groups.length; i++) {
            if (groups[i].length() != 3) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasPointOrComma(String s) {
        return s.indexOf('.') >= 0 || s.indexOf(',') >= 0;
    }

    private static BigDecimal round2(double value) {
        return new BigDecimal(value).setScale(2, RoundingMode.HALF_EVEN);
    }
}
