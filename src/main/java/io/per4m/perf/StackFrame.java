package io.per4m.perf;

/**
 * One frame of a perf call chain: {@code 7fbfc084f7b0 take_gil+0x10 (/usr/lib/libpython3.11.so.1.0)}.
 *
 * @param address instruction address as printed (hex, no 0x)
 * @param symbol  symbol with offset stripped ({@code take_gil}), or {@code [unknown]}
 * @param dso     shared object path without parentheses, or empty
 */
public record StackFrame(String address, String symbol, String dso) {
}
