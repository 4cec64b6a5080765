package io.rushcoupon.worker.issuance;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Which PostgreSQL failures are the data's fault, so the same records would fail the same way on
 * every retry: SQLState class 22 (data exception: NUL in text 22021, a value too long 22001, …)
 * and class 23 (integrity violation the statements' ON CONFLICT clauses do not absorb: not null,
 * foreign key, check). Everything else keeps the batch waiting: a lost connection (08), a
 * deadlock or serialization failure (40), the server short of resources or shutting down (53,
 * 57), and also a statement or schema the server does not understand (42, XX), which is the
 * deployment's fault and must not reject good requests.
 */
final class DataErrors {

    private DataErrors() {
    }

    static boolean isDeterministic(Throwable failure) {
        String state = sqlState(failure);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** The first SQLState in the cause chain (and the driver's chained exceptions). */
    static @Nullable String sqlState(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable cause = failure; cause != null && seen.put(cause, true) == null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (next.getSQLState() != null) {
                        return next.getSQLState();
                    }
                }
            }
        }
        return null;
    }
}
