package io.rushcoupon.system;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.localstack.process.ServiceProcess;
import io.rushcoupon.localstack.rush.RushClient;
import io.rushcoupon.localstack.rush.RushClient.Answer;
import io.rushcoupon.localstack.rush.RushClient.Attempt;
import io.rushcoupon.testsupport.RealServers;

/**
 * What the system tests' stacks ({@link RushStack}, the fault and the nginx stack) do alike: start
 * from an empty schema, open coupons as an admin would publish them, and stop everything they
 * started, also when a part fails to start or to stop.
 */
public final class Stacks {

    private Stacks() {
    }

    /** Drops and recreates {@code schema} on the test server, so the services' Flyway starts from nothing. */
    public static void recreateSchema(RealServers servers, String schema) throws SQLException {
        try (var connection = DriverManager.getConnection(servers.jdbcUrl(), servers.jdbcUser(), servers.jdbcPassword());
                var statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        }
    }

    /** A coupon open for the next hour, as an admin would publish it: row first, then Redis. */
    public static long openCoupon(JdbcClient db, CouponRedis couponRedis, String code, String name, int units) {
        Instant startsAt = Instant.now().minusSeconds(60);
        Instant endsAt = Instant.now().plusSeconds(3600);
        long id = db.sql("""
                INSERT INTO coupon (code, name, type, discount_value, total_quantity, remaining_quantity, state,
                                    issue_starts_at, issue_ends_at, valid_days)
                VALUES (:code, :name, 'FIXED_AMOUNT', 1000, :units, :units, 'ACTIVE', :startsAt, :endsAt, 30)
                RETURNING id""")
                .param("code", code).param("name", name).param("units", units)
                .param("startsAt", Timestamp.from(startsAt)).param("endsAt", Timestamp.from(endsAt))
                .query(Long.class).single();
        couponRedis.publish(new CouponSnapshot(id, name, CouponState.ACTIVE, startsAt, endsAt, units, units));
        return id;
    }

    /** As {@link #closeAll(List)}. */
    /**
     * A drop is announced: services are warm before it opens. A short rush on a coupon of its own
     * (600 users, 100 units) gets the JIT and the connection pools going, so the measured rush
     * meets a warm system.
     */
    public static void warmUp(RushClient client, long coupon, int clients, Duration drain) throws Exception {
        List<Attempt> attempts = new ArrayList<>();
        for (long user = 900_001; user <= 900_600; user++) {
            attempts.add(new Attempt(user, coupon));
        }
        List<Answer> answers = client.rush(attempts, clients);
        client.awaitFinal(answers.stream().filter(Answer::accepted).toList(), drain);
    }

    /** For a shutdown hook: {@code kill -9} every service still running, whatever fails. */
    public static void killAll(List<ServiceProcess> services) {
        for (ServiceProcess service : services) {
            try {
                if (service != null) {
                    service.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static void closeAll(AutoCloseable... resources) throws InterruptedException {
        closeAll(Arrays.asList(resources));
    }

    /**
     * Closes each resource in order, skipping nulls (parts a failed start never reached), and goes
     * on past a failure so that one stuck part does not leave the others running. The first
     * failure is thrown afterwards, with the later ones suppressed in it.
     */
    public static void closeAll(List<? extends AutoCloseable> resources) throws InterruptedException {
        Exception first = null;
        boolean interruptedOnTheWay = false;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
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

    /**
     * After a stack's start failed half-way: closes what it had started, keeping any failure to
     * close as suppressed in {@code failure}, which the caller rethrows.
     */
    public static void closeAfterFailedStart(AutoCloseable stack, Throwable failure) {
        try {
            stack.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failure.addSuppressed(e);
        }
    }
}
