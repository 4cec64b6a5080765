package io.rushcoupon.harness.servers;

import org.testcontainers.DockerClientFactory;

/** Whether containers can be started here: asks the Docker engine, and nothing else. */
public final class Docker {

    private Docker() {
    }

    /** Whether a Docker engine answers; {@code RUSHCOUPON_TEST_CONTAINERS=false} says no without asking. */
    public static boolean available() {
        if ("false".equalsIgnoreCase(System.getenv("RUSHCOUPON_TEST_CONTAINERS"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
