package io.rushcoupon.harness.servers;

/** Where the stack's PostgreSQL and Redis are, and how each came to be there. */
public record Endpoints(
        String jdbcUrl, String jdbcUser, String jdbcPassword, String postgresOrigin,
        String redisHost, int redisPort, int redisDatabase, String redisOrigin) {
}
