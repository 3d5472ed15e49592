package io.per4m.trace;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MicrosTest {
    @Test
    void writesMicrosecondsWithThreeDecimals() {
        assertEquals("0.000", Micros.toString(0));
        assertEquals("0.001", Micros.toString(1));
        assertEquals("0.999", Micros.toString(999));
        assertEquals("1.000", Micros.toString(1000));
        assertEquals("1234.567", Micros.toString(1_234_567));
        assertEquals("3846350744446.123", Micros.toString(3_846_350_744_446_123L));
        assertEquals("9223372036854775.807", Micros.toString(Long.MAX_VALUE));
    }

    @Test
    void negativeValuesKeepTheirSignBelowOneMicrosecond() {
        assertEquals("-0.500", Micros.toString(-500));
        assertEquals("-1.500", Micros.toString(-1500));
        assertEquals("-9223372036854775.808", Micros.toString(Long.MIN_VALUE));
    }

    @Test
    void percentagesRoundToThreeDecimals() {
        assertEquals("12.346", Micros.percent(0.123456));
        assertEquals("100.000", Micros.percent(1.0));
        assertEquals("0.000", Micros.percent(0.0));
        assertEquals("0.000", Micros.percent(Double.NaN));
    }
}
