package io.rushcoupon.harness.process;

import java.util.HashMap;
import java.util.Map;

import io.rushcoupon.harness.servers.Endpoints;

/** The environment variables that point a RushCoupon service at its servers and token secret. */
public final class ServiceEnvironment {

    private ServiceEnvironment() {
    }

    public static Map<String, String> of(Endpoints endpoints, String kafkaBootstrapServers, String jwtSecret) {
        Map<String, String> environment = new HashMap<>();
        environment.put("SPRING_DATASOURCE_URL", endpoints.jdbcUrl());
        environment.put("SPRING_DATASOURCE_USERNAME", endpoints.jdbcUser());
        environment.put("SPRING_DATASOURCE_PASSWORD", endpoints.jdbcPassword());
        if (endpoints.redisCluster()) {
            // the Redisson starter chooses cluster mode from the nodes; a host or database would not apply
            environment.put("SPRING_DATA_REDIS_CLUSTER_NODES", String.join(",", endpoints.redisClusterNodes()));
        } else {
            environment.put("SPRING_DATA_REDIS_HOST", endpoints.redisHost());
            environment.put("SPRING_DATA_REDIS_PORT", Integer.toString(endpoints.redisPort()));
            environment.put("SPRING_DATA_REDIS_DATABASE", Integer.toString(endpoints.redisDatabase()));
        }
        environment.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);
        environment.put("RUSHCOUPON_JWT_SECRET", jwtSecret);
        // a service run on this machine for tests or a demo answers on loopback only
        environment.put("SERVER_ADDRESS", "127.0.0.1");
        return environment;
    }
}
