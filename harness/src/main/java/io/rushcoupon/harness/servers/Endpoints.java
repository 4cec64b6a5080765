package io.rushcoupon.harness.servers;

import java.util.List;

/**
 * Where the stack's PostgreSQL and Redis are, and how each came to be there.
 *
 * @param redisClusterNodes {@code host:port} of a Redis Cluster's nodes; empty for one server at
 *                          {@code redisHost:redisPort}, database {@code redisDatabase}
 */
public record Endpoints(
        String jdbcUrl, String jdbcUser, String jdbcPassword, String postgresOrigin,
        String redisHost, int redisPort, int redisDatabase, String redisOrigin, List<String> redisClusterNodes) {

    public Endpoints {
        redisClusterNodes = List.copyOf(redisClusterNodes);
        if (!redisClusterNodes.isEmpty() && redisDatabase != 0) {
            throw new IllegalArgumentException("a Redis Cluster has database 0 only");
        }
    }

    /** One Redis server. */
    public Endpoints(String jdbcUrl, String jdbcUser, String jdbcPassword, String postgresOrigin,
            String redisHost, int redisPort, int redisDatabase, String redisOrigin) {
        this(jdbcUrl, jdbcUser, jdbcPassword, postgresOrigin, redisHost, redisPort, redisDatabase, redisOrigin,
                List.of());
    }

    public boolean redisCluster() {
        return !redisClusterNodes.isEmpty();
    }
}
