package io.rushcoupon.admin.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.rushcoupon.admin.AdminIntegrationTest;
import io.rushcoupon.testsupport.RealServers;

/**
 * PostgreSQL is the fence for I1 and I2: these run plain JDBC against the schema Flyway migrated
 * and check the database itself refuses what no service should ever write.
 */
class SchemaConstraintsIntegrationTest extends AdminIntegrationTest {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String CHECK_VIOLATION = "23514";

    private long couponId;

    @BeforeEach
    void oneCouponOneUser() throws SQLException {
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.executeUpdate("""
                    INSERT INTO coupon (code, name, type, discount_value, total_quantity, remaining_quantity,
                                        issue_starts_at, issue_ends_at, valid_days)
                    VALUES ('FENCE', 'Fence', 'FIXED_AMOUNT', 5, 10, 10, now(), now() + interval '1 day', 30)""");
            sql.executeUpdate("INSERT INTO app_user (id) VALUES (1), (2)");
        }
        couponId = jdbc.sql("SELECT id FROM coupon WHERE code = 'FENCE'").query(Long.class).single();
    }

    private static Connection connect() throws SQLException {
        RealServers servers = RealServers.get();
        return DriverManager.getConnection(servers.schemaJdbcUrl(), servers.jdbcUser(), servers.jdbcPassword());
    }

    private void execute(String statement) throws SQLException {
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.executeUpdate(statement);
        }
    }

    private String issuance(long userId, String requestId) {
        return "INSERT INTO coupon_issuance (coupon_id, user_id, request_id, issued_at, expires_at) VALUES ("
                + couponId + ", " + userId + ", '" + requestId + "', now(), now() + interval '30 days')";
    }

    @Test
    void refusesSecondIssuanceOfSameCouponToSameUser() throws SQLException {
        execute(issuance(1, "req-a"));

        assertThatThrownBy(() -> execute(issuance(1, "req-b")))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo(UNIQUE_VIOLATION);
                    assertThat(e.getMessage()).contains("coupon_issuance_coupon_user_uk");
                });
        assertThat(count("coupon_issuance")).isEqualTo(1);
    }

    @Test
    void refusesDuplicateRequestId() throws SQLException {
        execute(issuance(1, "req-same"));

        assertThatThrownBy(() -> execute(issuance(2, "req-same")))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo(UNIQUE_VIOLATION);
                    assertThat(e.getMessage()).contains("coupon_issuance_request_uk");
                });
    }

    @Test
    void refusesRemainingAboveTotal() {
        assertThatThrownBy(() -> execute("UPDATE coupon SET remaining_quantity = 11 WHERE id = " + couponId))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo(CHECK_VIOLATION);
                    assertThat(e.getMessage()).contains("coupon_remaining_ck");
                });
    }

    @Test
    void refusesNegativeRemaining() {
        assertThatThrownBy(() -> execute("UPDATE coupon SET remaining_quantity = remaining_quantity - 11 WHERE id = "
                + couponId))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo(CHECK_VIOLATION);
                    assertThat(e.getMessage()).contains("coupon_remaining_ck");
                });
        assertThat(jdbc.sql("SELECT remaining_quantity FROM coupon WHERE id = ?").param(couponId)
                .query(Integer.class).single()).isEqualTo(10);
    }
}
