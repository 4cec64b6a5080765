package io.rushcoupon.harness.redis;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import io.rushcoupon.harness.servers.Endpoints;

/** A short-lived Redis client on one database, for checks and setup from outside the services. */
public final class RedisConnection implements AutoCloseable {

    private final RedissonClient client;

    public RedisConnection(Endpoints endpoints) {
        this(endpoints.redisHost(), endpoints.redisPort(), endpoints.redisDatabase());
    }

    public RedisConnection(String host, int port, int database) {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://" + host + ":" + port).setDatabase(database);
        this.client = Redisson.create(config);
    }

    public RedissonClient client() {
        return client;
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
