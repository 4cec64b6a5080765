package io.rushcoupon.system;

import java.nio.file.Path;

import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.testsupport.RealServers;
import io.rushcoupon.testsupport.TestTokens;

/**
 * The harness's {@link Stack} pointed at the real servers of {@link RealServers}: a schema of this
 * module's own (recreated empty), this module's Redis database (flushed), the test token secret,
 * logs under {@code target/system-logs}. Each test adds what it needs (more gateways, nginx, its
 * own Redis, proxies, settings) before {@link Stack.Builder#start()}.
 */
public final class SystemStack {

    private SystemStack() {
    }

    /**
     * @param name {@code ""} for this module's schema itself; otherwise a suffix that keeps a
     *             test's schema and logs apart from the others' (e.g. {@code fault})
     */
    public static Stack.Builder builder(String name) {
        RealServers servers = RealServers.get();
        String schema = name.isEmpty() ? servers.schema() : servers.schema() + "_" + name;
        Path logs = name.isEmpty() ? Path.of("target", "system-logs") : Path.of("target", "system-logs", name);
        return Stack.builder().logs(logs).secret(TestTokens.SECRET)
                .postgres(servers.jdbcUrl(), servers.jdbcUser(), servers.jdbcPassword(), schema)
                .redis(servers.redisHost(), servers.redisPort(), servers.redisDatabase())
                .fresh(true);
    }
}
