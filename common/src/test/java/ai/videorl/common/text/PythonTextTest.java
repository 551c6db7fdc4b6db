package ai.videorl.common.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The values below are what CPython 3.11 gives for the same calls. */
class PythonTextTest {

    @Test
    void whitespaceIsStrIsspace() {
        for (char c : "\t\n\u000b\f\r\u001c\u001f \u0085\u00a0\u1680\u2000\u2007\u200a\u2028\u2029\u202f\u205f\u3000".toCharArray()) {
            assertTrue(PythonText.isSpace(c), Integer.toHexString(c));
        }
        for (char c : "\u200b\ufeffa_\u180e".toCharArray()) {
            assertFalse(PythonText.isSpace(c), Integer.toHexString(c));
        }
        assertEquals("B", PythonText.strip("\u00a0B\u0085"), "Java's strip() keeps both");
        assertEquals(List.of("a", "b", "c"), PythonText.split(" a\u3000b\u202fc "));
        assertEquals(List.of(), PythonText.split(" \u00a0 "));
    }

    @Test
    void linesBreakWhereSplitlinesBreaks() {
        assertEquals(List.of("a", "b", "c", "", "d"), PythonText.splitLines("a\r\nb\u2028c\n\u0085d"));
        assertEquals(List.of("a"), PythonText.splitLines("a\n"), "no empty last line");
        assertEquals(List.of(), PythonText.splitLines(""));
    }

    @Test
    void numbersAreWhatFloatAndIntAccept() {
        assertEquals(1000.0, PythonText.parseFloat(" 1_000 "));
        assertEquals(1000.0, PythonText.parseFloat("1e3"));
        assertEquals(0.5, PythonText.parseFloat(".5"));
        assertEquals(5.0, PythonText.parseFloat("5."));
        assertEquals(-35.0, PythonText.parseFloat("-\u0663\u0665"), "digits of any script");
        for (String bad : new String[] {"", "1_", "_1", "1__0", "1f", "1d", "0x10", "1,5", "nan", "inf", "1e400", "1 2", "--1"}) {
            assertNull(PythonText.parseFloat(bad), bad);
        }
        assertEquals(12L, PythonText.parseInt(" +12 "));
        assertEquals(-5L, PythonText.parseInt("-0_5"));
        assertNull(PythonText.parseInt("3.5"));
        assertNull(PythonText.parseInt("1".repeat(30)), "beyond a long");
    }
}
