package io.rushcoupon.worker.reconcile;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A data source for the restorer's tests: it records each query its connections run (the SQL and
 * how many rows were read from it), and runs a hook once, before or right after the first query
 * whose SQL matches, so a test can commit between two reads of the code under test exactly where
 * a worker could.
 */
final class RecordingDataSource extends DelegatingDataSource {

    private final List<Query> queries = new CopyOnWriteArrayList<>();
    private final List<Hook> hooks = new CopyOnWriteArrayList<>();

    RecordingDataSource(DataSource target) {
        super(target);
    }

    /** Every query run so far, in order. */
    List<Query> queries() {
        return List.copyOf(queries);
    }

    /** Runs {@code action} once, right before the first query whose SQL {@code sql} matches. */
    void beforeFirst(Predicate<String> sql, Runnable action) {
        hooks.add(new Hook(sql, true, action));
    }

    /** Runs {@code action} once, right after the first query whose SQL {@code sql} matches has executed. */
    void afterFirst(Predicate<String> sql, Runnable action) {
        hooks.add(new Hook(sql, false, action));
    }

    @Override
    public Connection getConnection() throws SQLException {
        return proxy(Connection.class, super.getConnection(), (connection, method, args) -> {
            Object result = invoke(connection, method, args);
            if (method.getName().equals("prepareStatement")) {
                return statement((PreparedStatement) result, (String) args[0]);
            }
            return result;
        });
    }

    private PreparedStatement statement(PreparedStatement statement, String sql) {
        return proxy(PreparedStatement.class, statement, (target, method, args) -> {
            if (!method.getName().equals("executeQuery") || (args != null && args.length > 0)) {
                return invoke(target, method, args);
            }
            run(sql, true);
            ResultSet rs = (ResultSet) invoke(target, method, args);
            Query query = new Query(sql, new AtomicInteger());
            queries.add(query);
            run(sql, false);
            return proxy(ResultSet.class, rs, (result, next, nextArgs) -> {
                Object value = invoke(result, next, nextArgs);
                if (next.getName().equals("next") && Boolean.TRUE.equals(value)) {
                    query.rows().incrementAndGet();
                }
                return value;
            });
        });
    }

    private void run(String sql, boolean before) {
        for (Hook hook : hooks) {
            if (hook.before() == before && hook.sql().test(sql) && hooks.remove(hook)) {
                hook.action().run();
            }
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
        InvocationHandler invocation = (proxy, method, args) -> handler.handle(target, method, args);
        return type.cast(Proxy.newProxyInstance(RecordingDataSource.class.getClassLoader(), new Class<?>[] {type},
                invocation));
    }

    /** One query: its SQL and the rows read from its result so far. */
    record Query(String sql, AtomicInteger rows) {

        boolean reads(String table) {
            return sql.contains("FROM " + table + "\n") || sql.contains("FROM " + table + " ");
        }
    }

    private record Hook(Predicate<String> sql, boolean before, Runnable action) {
    }

    @FunctionalInterface
    private interface Handler<T> {
        Object handle(T target, Method method, Object[] args) throws Throwable;
    }
}
