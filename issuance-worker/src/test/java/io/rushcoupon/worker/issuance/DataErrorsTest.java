package io.rushcoupon.worker.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.UncategorizedSQLException;

/** Which PostgreSQL failures make the worker decide a coupon's requests one by one. */
class DataErrorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"22021", "22001", "22P02", "23502", "23503", "23505", "23514"})
    void treatsDataExceptionsAndIntegrityViolationsAsTheRecordsFault(String sqlState) {
        assertThat(DataErrors.isDeterministic(
                new DataIntegrityViolationException("refused", new SQLException("refused", sqlState)))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"08006", "08001", "40001", "40P01", "53300", "57P01", "57014", "42P01", "42703", "XX000"})
    void keepsWaitingOnOutagesConflictsAndBrokenDeployments(String sqlState) {
        assertThat(DataErrors.isDeterministic(
                new UncategorizedSQLException("insert", "INSERT", new SQLException("failed", sqlState)))).isFalse();
    }

    @Test
    void findsTheStateInTheDriversChainedExceptions() {
        BatchUpdateException batch = new BatchUpdateException("batch failed", null, 0, new int[0], null);
        batch.setNextException(new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));

        assertThat(DataErrors.isDeterministic(new DataIntegrityViolationException("batch", batch))).isTrue();
        assertThat(DataErrors.sqlState(new DataIntegrityViolationException("batch", batch))).isEqualTo("22021");
    }

    @Test
    void treatsFailuresWithoutSqlStateAsTransient() {
        assertThat(DataErrors.isDeterministic(new DataAccessResourceFailureException("connection refused"))).isFalse();
        assertThat(DataErrors.isDeterministic(new IllegalStateException("no SQL here"))).isFalse();
    }
}
