package io.rushcoupon.harness.redis;

import java.util.List;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import io.rushcoupon.common.redis.RedisClusterClient;
import io.rushcoupon.harness.servers.Endpoints;

/**
 * A short-lived Redis client on one database, or on a Redis Cluster, for checks and setup from
 * outside the services.
 */
public final class RedisConnection implements AutoCloseable {

    private final RedissonClient client;

    public RedisConnection(Endpoints endpoints) {
        this(endpoints.redisCluster() ? cluster(endpoints.redisClusterNodes())
                : single(endpoints.redisHost(), endpoints.redisPort(), endpoints.redisDatabase()));
    }

    public RedisConnection(String host, int port, int database) {
        this(single(host, port, database));
    }

    /** A Redis Cluster found through {@code nodes} ({@code host:port}). */
    public RedisConnection(List<String> nodes) {
        this(cluster(nodes));
    }

    private RedisConnection(Config config) {
        this.client = Redisson.create(config);
    }

    private static Config single(String host, int port, int database) {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://" + host + ":" + port).setDatabase(database);
        return config;
    }

    private static Config cluster(List<String> nodes) {
        Config config = new Config();
        config.useClusterServers().addNodeAddress(nodes.stream().map(node -> "redis://" + node).toArray(String[]::new));
        RedisClusterClient.configure(config);
        return config;
    }

    public RedissonClient client() {
        return client;
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
