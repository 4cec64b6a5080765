package io.rushcoupon.localstack.chaos;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The terminal of {@code ./rushcoupon chaos}: results on standard output, one progress line on
 * standard error that each new progress overwrites and each result line clears first.
 */
final class Progress {

    private final PrintStream terminal = System.out;
    private boolean shown;

    synchronized void accept(String what) {
        String line = "  … " + what;
        System.err.print("\r" + line + " ".repeat(Math.max(0, 78 - line.length())));
        System.err.flush();
        shown = true;
    }

    private synchronized void clear() {
        if (shown) {
            System.err.print("\r" + " ".repeat(80) + "\r");
            System.err.flush();
            shown = false;
        }
    }

    /** Standard output that clears the progress line before it writes. */
    PrintStream out() {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                clear();
                terminal.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                clear();
                terminal.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                terminal.flush();
            }
        }, true);
    }
}
