package io.rushcoupon.harness.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports nobody listens on: for a server to start on, or to stand for one that is down. */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port free right now; nothing holds it, so use it soon. */
    public static int free() {
        return closed();
    }

    /** A port nobody listens on, for a client that should find its server down. */
    public static int closed() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
