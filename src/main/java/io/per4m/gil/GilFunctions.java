package io.per4m.gil;

/** CPython's GIL functions as they appear in call chains. */
public final class GilFunctions {
    private static final String TAKE_GIL = "take_gil";
    private static final String DROP_GIL = "drop_gil";

    private GilFunctions() {
    }

    /**
     * {@code take_gil} or {@code drop_gil}, also as a compiler's local copy ({@code take_gil.lto_priv.0},
     * {@code take_gil.constprop.0}): a thread blocked in one of them is blocked by the GIL, waiting for it or handing
     * it over.
     */
    public static boolean isGilFunction(String symbol) {
        return is(symbol, TAKE_GIL) || is(symbol, DROP_GIL);
    }

    private static boolean is(String symbol, String function) {
        return symbol.startsWith(function)
                && (symbol.length() == function.length() || symbol.charAt(function.length()) == '.');
    }
}
