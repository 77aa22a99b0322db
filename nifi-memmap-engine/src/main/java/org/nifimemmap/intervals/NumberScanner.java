package org.nifimemmap.intervals;

/**
 * Finds the extent of a decimal number in text ({@code [+-]digits[.digits][e[+-]digits]}, also
 * {@code .5} and {@code 5.}), so the text parsers can tell a sign from a range dash and report columns.
 */
final class NumberScanner {
    private NumberScanner() {
    }

    /** End index (exclusive) of the number starting at {@code from}, or {@code from} when there is none. */
    static int scan(CharSequence s, int from, int limit) {
        int i = from;
        if (i < limit && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < limit && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < limit && s.charAt(i) == '.') {
            i++;
            while (i < limit && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return from;
        }
        if (i < limit && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < limit && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            int expDigits = 0;
            while (j < limit && isDigit(s.charAt(j))) {
                j++;
                expDigits++;
            }
            if (expDigits > 0) {
                i = j;
            }
        }
        return i;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
