package io.rushcoupon.harness.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * What a stack started, to stop newest first. Closing goes on past a failure, so that one stuck
 * part does not leave the others running; the first failure is thrown afterwards, with the later
 * ones suppressed in it.
 */
final class StopList {

    private final ConcurrentLinkedDeque<AutoCloseable> started = new ConcurrentLinkedDeque<>();

    <T extends AutoCloseable> T push(T part) {
        started.push(part);
        return part;
    }

    void remove(AutoCloseable part) {
        started.remove(part);
    }

    /** Everything still to stop, newest first. */
    List<AutoCloseable> parts() {
        return new ArrayList<>(started);
    }

    void closeAll() throws InterruptedException {
        Exception first = null;
        boolean interruptedOnTheWay = false;
        AutoCloseable part;
        while ((part = started.poll()) != null) {
            try {
                part.close();
            } catch (Exception e) {
                interruptedOnTheWay |= e instanceof InterruptedException;
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        if (interruptedOnTheWay) {
            Thread.currentThread().interrupt();
        }
        if (first instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (first != null) {
            throw new IllegalStateException("could not stop every part of the stack", first);
        }
    }
}
